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
from dataclasses import dataclass, fields
from pathlib import Path

from traitlets import Dict, Float, Integer, TraitError, Unicode, validate
from traitlets.config import Configurable

# Sandboxed kernels run as leased uids from FIRST_SANDBOX_UID on: never a real account, never root.
FIRST_SANDBOX_UID = 61000


@dataclass(frozen=True)
class Limits:
    """Resource caps of one submission's kernel, as the engine uses them (made by `Sandbox.limits`)."""
    memory_mb: int
    cpu_seconds: int
    total_seconds: int
    processes: int
    file_size_mb: int
    open_files: int
    cell_timeout: int
    output_mb: float
    scratch_mb: int
    cpus: float

    def rlimits(self) -> list[tuple[str, int]]:
        """The per-process caps as (RLIMIT_ name without its prefix, value), the one list that
        prlimit (without bubblewrap) and the zygote (in it) both apply."""
        mb = 2**20
        return [("AS", self.memory_mb * mb), ("CPU", self.cpu_seconds), ("NPROC", self.processes),
                ("FSIZE", self.file_size_mb * mb), ("NOFILE", self.open_files), ("CORE", 0)]


class ConfigError(ValueError):
    """A setting of nbgrader_config.py the engine cannot use: unknown, or of the wrong type."""


class Sandbox(Configurable):
    """The caps of each submission's sandboxed kernel (`c.Sandbox.*` in nbgrader_config.py), with
    per-assignment `overrides`. Unknown names and wrong types are errors naming the setting: a
    typo must not leave a class graded under limits nobody chose."""

    memory_mb = Integer(6144, min=256, help="Address space of the kernel, MB (torch alone maps about 1.5 GB)").tag(config=True)
    cpu_seconds = Integer(900, min=1, help="CPU time of the kernel process, seconds").tag(config=True)
    total_seconds = Integer(900, min=1, help="Wall-clock budget of the whole submission, seconds").tag(config=True)
    processes = Integer(64, min=8, help="Processes and threads of the slot's uid").tag(config=True)
    file_size_mb = Integer(256, min=1, help="Largest file the kernel may write, MB").tag(config=True)
    open_files = Integer(1024, min=64, help="Open files of the kernel").tag(config=True)
    cell_timeout = Integer(None, allow_none=True, min=1,
                           help="Wall-clock seconds per cell (default: c.Execute.timeout, as stock nbgrader)").tag(config=True)
    output_mb = Float(4.0, min=0.01, help="Outputs kept per notebook, MB; the rest is dropped with a notice").tag(config=True)
    scratch_mb = Integer(1024, min=16, help="In the sandbox: the scratch folder, /tmp and /dev/shm, each (in memory), MB").tag(config=True)
    cpus = Float(1.0, min=0.1, help="Cores of one submission, all its processes together (cgroup CPU quota)").tag(config=True)
    overrides = Dict(key_trait=Unicode(), value_trait=Dict(),
                     help="Per assignment id, settings that replace the ones above, e.g. "
                          "{'tp6_helice_hinge': {'total_seconds': 1200}}").tag(config=True)

    def __init__(self, **kwargs) -> None:
        config = kwargs.get("config")
        if config is not None and "Sandbox" in config:
            _refuse_unknown(config.Sandbox.keys(), "c.Sandbox.{}", {"overrides"})
        try:
            super().__init__(**kwargs)
        except TraitError as error:
            raise ConfigError(f"c.Sandbox: {error}") from None

    @staticmethod
    def limit_names() -> list[str]:
        return [field.name for field in fields(Limits)]

    @validate("overrides")
    def _check_overrides(self, proposal) -> dict:
        checked = {}
        for assignment, values in proposal["value"].items():
            _refuse_unknown(values, f"c.Sandbox.overrides[{assignment!r}][{{!r}}]")
            checked[assignment] = {}
            for name, value in values.items():
                try:
                    checked[assignment][name] = getattr(Sandbox, name).validate(self, value)
                except TraitError as error:
                    raise ConfigError(f"c.Sandbox.overrides[{assignment!r}][{name!r}]: {error}") from None
        return checked

    def limits(self, assignment: str | None = None) -> Limits:
        """The caps of `assignment`'s submissions: these settings, then its overrides."""
        values = {name: getattr(self, name) for name in self.limit_names()}
        values.update(self.overrides.get(assignment, {}))
        if values["cell_timeout"] is None:
            from nbgrader.preprocessors import Execute
            values["cell_timeout"] = int(Execute(config=self.config).timeout)
        return Limits(**values)


def _refuse_unknown(names, setting: str, also: set[str] = frozenset()) -> None:
    """ConfigError naming the first of `names` that is no Sandbox setting (`setting` formats it)."""
    unknown = sorted(set(names) - set(Sandbox.limit_names()) - set(also))
    if unknown:
        raise ConfigError(f"unknown setting {setting.format(unknown[0])}; known: {', '.join(Sandbox.limit_names())}")


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
    caps = [f"--{name.lower()}={value}" for name, value in limits.rlimits()]  # prlimit's options are these names
    return ["setpriv", "--pdeathsig", "KILL", "--", "prlimit", *caps, "--"] + argv
