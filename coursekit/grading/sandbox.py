"""The command line that confines one student's kernel.

Linux gives us what we need without a daemon: bubblewrap (run as root) builds a private
mount, PID, network, IPC and UTS namespace where only the Python installation, system
libraries and the submission's own scratch folder exist; `setpriv` then drops to an
unprivileged uid reserved for the job slot (so `RLIMIT_NPROC` counts only that student's
processes and nothing the sandbox can see is writable except scratch), and `prlimit` caps
memory, CPU time, processes, file size and open files. Without bubblewrap (or not as
root) the kernel runs with the rlimits alone, and the batch says so loudly.
"""
from __future__ import annotations

import logging
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# Job slot k runs as uid/gid FIRST_SANDBOX_UID + k: never a real account, never root.
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
                       caps: tuple[str, ...] = ()) -> list[str]:
    """bwrap arguments up to `--`: private namespaces, system and Python read-only, `writable` bound.

    `caps` are the only capabilities kept inside (none by default). If the grader dies (even
    by SIGKILL), the sandbox dies with it.
    """
    args = ["setpriv", "--pdeathsig", "KILL", "--", bubblewrap(), "--unshare-pid", "--unshare-net",
            "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session",
            "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--cap-drop", "ALL"]
    for cap in caps:
        args += ["--cap-add", cap]
    for link in ("bin", "sbin", "lib", "lib64", "lib32", "libx32"):
        target = Path("/") / link
        if target.is_symlink():
            args += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            args += ["--ro-bind", str(target), str(target)]
    made: set[Path] = {Path("/tmp")}
    binds = [(root, "--ro-bind") for root in _python_roots()] + [(folder, "--bind") for folder in writable]
    for folder, kind in binds:
        for parent in _ancestors(folder):
            if parent not in made and not any(parent == p or p in parent.parents
                                                 for p in (Path("/usr"), Path("/etc"))):
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        args += [kind, str(folder), str(folder)]
        made.add(folder)
    args += ["--chdir", str(chdir), "--clearenv"]
    for key, value in env.items():
        args += ["--setenv", key, value]
    return args + ["--"]


def sandbox_command(kernel_argv: list[str], scratch: Path, ipc_dir: Path, uid: int,
                    limits: Limits, env: dict[str, str]) -> list[str]:
    """Wrap `kernel_argv` so it runs confined; `scratch` and `ipc_dir` are its only writable folders."""
    limit_args = ["prlimit", f"--as={limits.memory_mb * 2**20}", f"--cpu={limits.cpu_seconds}",
                  f"--nproc={limits.processes}", f"--fsize={limits.file_size_mb * 2**20}",
                  f"--nofile={limits.open_files}", "--core=0", "--"]
    if bubblewrap() is None:
        return ["setpriv", "--pdeathsig", "KILL", "--"] + limit_args + kernel_argv
    drop = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all"]
    return (bubblewrap_command([scratch, ipc_dir], env, scratch, caps=("CAP_SETUID", "CAP_SETGID"))
            + drop + limit_args + kernel_argv)
