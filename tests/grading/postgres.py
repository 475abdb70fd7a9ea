"""A throwaway PostgreSQL server on loopback for the gradebook tests (Debian's packages)."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def available() -> str:
    """Why no server can start here ('' when one can)."""
    if _bin_dir() is None:
        return "PostgreSQL server binaries are not installed (apt-get install postgresql)"
    if os.geteuid() != 0 or subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
        return "starting a server needs root and the 'postgres' account"
    return ""


@contextmanager
def server():
    """Yield the URL of a fresh database on a new cluster; stop and delete it afterwards."""
    bindir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="coursekit-pg-"))
    os.chmod(root, 0o755)
    shutil.chown(root, "postgres", "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    as_postgres = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"]
    data = root / "data"

    def run(*args: str) -> None:
        subprocess.run(as_postgres + list(args), check=True, capture_output=True, cwd=root)

    run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    run(str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"),
        "-o", f"-h 127.0.0.1 -p {port} -k {root}", "start")
    try:
        run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "gradebook")
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run(as_postgres + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, cwd=root)
        shutil.rmtree(root, ignore_errors=True)
