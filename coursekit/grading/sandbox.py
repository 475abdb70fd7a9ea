"""The confinement of students' kernels: limits and the bubblewrap command line.

Linux gives us what we need without a daemon: bubblewrap (run as root) builds a private
mount, PID, network, IPC and UTS namespace where only the Python installation, system
libraries and the job slot's own folders exist; inside it the fork server (zygote.py)
drops each kernel to an unprivileged uid reserved for the slot (so `RLIMIT_NPROC` counts
only that student's processes) with caps on memory, CPU time, processes, file size and
open files. Without bubblewrap (or not as root) kernels run with the rlimits alone
(`rlimited_command`), and the batch says so loudly.
"""
from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

# Sandboxed kernels run as leased uids from FIRST_SANDBOX_UID on: never a real account, never root.
FIRST_SANDBOX_UID = 61000


@dataclass(frozen=True)
class Limits:
    """Resource caps of one submission's kernel (defaults in nbgrader_config.py, per-TP overrides)."""
    memory_mb: int = 6144        # address space; torch alone maps about 1.5 GB
    cpu_seconds: int = 900       # total CPU time of the kernel process
    total_seconds: int = 900     # wall-clock budget of the whole submission
    processes: int = 64          # processes and threads of the slot's uid
    file_size_mb: int = 256      # largest file the kernel may write
    open_files: int = 1024
    cell_timeout: int = 120      # wall-clock seconds per cell
    output_mb: float = 4.0       # outputs kept per notebook; the rest is dropped with a notice
    scratch_mb: int = 1024       # in the sandbox: the scratch folder, /tmp and /dev/shm, each (in memory)
    cpus: float = 1.0            # cores of one submission, all its processes together (cgroup CPU quota)


def bubblewrap() -> str | None:
    """Path of bwrap when it can be used (present, and we are root to drop to slot uids)."""
    path = shutil.which("bwrap")
    if path and os.geteuid() == 0:
        return path
    return None


def _ancestors(path: Path) -> list[Path]:
    return [p for p in reversed(path.parents) if p != Path("/")]


def _python_roots() -> list[Path]:
    """Folders holding the interpreter and the packages the kernel imports (read-only inside)."""
    roots = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), Path(sys.prefix)}
    return sorted(roots)


def bubblewrap_command(writable: list[Path], env: dict[str, str], chdir: Path,
                       caps: tuple[str, ...] = (), private: tuple[Path, ...] = (),
                       quota_mb: int | None = None) -> list[str]:
    """bwrap arguments up to `--`: private namespaces, system and Python read-only, `writable` bound.

    `private` folders are fresh in-memory file systems instead of host folders, like /tmp and
    /dev/shm; with `quota_mb` each of them holds at most that much (a submission cannot fill the
    host's disk). `caps` are the only capabilities kept inside (none by default). If the grader
    dies (even by SIGKILL), the sandbox dies with it.
    """
    size = ["--size", str(quota_mb * 2**20)] if quota_mb else []
    args = ["setpriv", "--pdeathsig", "KILL", "--", bubblewrap(), "--unshare-pid", "--unshare-net",
            "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session",
            "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
            "--proc", "/proc", "--dev", "/dev", "--perms", "1777", *size, "--tmpfs", "/tmp",
            "--perms", "1777", *size, "--tmpfs", "/dev/shm",
            "--cap-drop", "ALL"]
    for cap in caps:
        args += ["--cap-add", cap]
    for link in ("bin", "sbin", "lib", "lib64", "lib32", "libx32"):
        target = Path("/") / link
        if target.is_symlink():
            args += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            args += ["--ro-bind", str(target), str(target)]
    made: set[Path] = {Path("/tmp")}
    binds = ([(root, ["--ro-bind", str(root)]) for root in _python_roots()]
             + [(folder, ["--bind", str(folder)]) for folder in writable]
             + [(folder, [*size, "--tmpfs"]) for folder in private])
    for folder, mount in binds:
        for parent in _ancestors(folder):
            if parent not in made and not any(parent == p or p in parent.parents
                                                 for p in (Path("/usr"), Path("/etc"))):
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        args += [*mount, str(folder)]
        made.add(folder)
    args += ["--chdir", str(chdir), "--clearenv"]
    for key, value in env.items():
        args += ["--setenv", key, value]
    return args + ["--"]


def rlimited_command(argv: list[str], limits: Limits) -> list[str]:
    """`argv` under the resource caps only: the path without bubblewrap (or not as root)."""
    return ["setpriv", "--pdeathsig", "KILL", "--",
            "prlimit", f"--as={limits.memory_mb * 2**20}", f"--cpu={limits.cpu_seconds}",
            f"--nproc={limits.processes}", f"--fsize={limits.file_size_mb * 2**20}",
            f"--nofile={limits.open_files}", "--core=0", "--"] + argv
