"""Per-slot control groups: CPU, memory and process caps on everything one submission runs.

Resource limits (RLIMITs) cap each process alone: a submission that forks three children of
2.5 GB each stays under a 6 GB per-process cap, and busy loops in their own sessions take
every core from the students graded beside it. So each job slot's sandbox (its zygote and
every kernel forked from it, one submission at a time) runs in a control group of its own:
at most `cpus` cores, `memory_mb` plus the zygote's share of memory, a bounded number of
tasks. cgroups v2 when the unified hierarchy offers the cpu, memory and pids controllers,
else v1's per-controller hierarchies; groups are made below the grader's own, so a container's
limits still hold. Without either (or without the right to write there), grading goes on with
the RLIMITs alone and the log says so once.
"""
from __future__ import annotations

import logging
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path("/sys/fs/cgroup")
CONTROLLERS = ("cpu", "memory", "pids")
ZYGOTE_MB = 1024     # the zygote's own imports (torch…), charged to the slot beside the submission
ZYGOTE_TASKS = 64    # the zygote's threads, beside the submission's processes
PERIOD_US = 100_000


@dataclass
class SlotCgroup:
    """The control group(s) of one slot: one folder in v2, one per controller in v1."""
    folders: list[Path] = field(default_factory=list)
    version: int = 2

    def join(self) -> None:
        """Move the calling process (and its future children) in; run in the child before exec."""
        for folder in self.folders:
            (folder / "cgroup.procs").write_text(str(os.getpid()))

    def remove(self) -> None:
        """Kill what is left inside (a process that escaped its sandbox's end), then remove the
        folders, and their `coursekit-<pid>` parent once it is empty."""
        for folder in self.folders:
            for _ in range(100):
                try:
                    pids = [int(p) for p in (folder / "cgroup.procs").read_text().split()]
                except OSError:
                    break
                if not pids:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                time.sleep(0.02)
            try:
                folder.rmdir()
            except FileNotFoundError:
                pass
            except OSError as error:
                log.warning("cgroup %s not removed: %s", folder, error)
            try:
                folder.parent.rmdir()  # the last slot's removal takes the grader's folder with it
            except OSError:
                pass


def _own_paths(proc_cgroup: str) -> dict[str, str]:
    """controller (or "" for v2) -> the grader's own cgroup path, from /proc/self/cgroup."""
    paths = {}
    for line in proc_cgroup.splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            paths[controller] = path
    return paths


def _write(folder: Path, name: str, value: str, required: bool = True) -> None:
    target = folder / name
    if target.exists() or required:
        target.write_text(value)


def _v2(root: Path, own: dict[str, str], name: str, cpus: float, memory_mb: int, tasks: int) -> SlotCgroup | None:
    unified = root / "unified" if (root / "unified" / "cgroup.controllers").exists() else root
    if not set(CONTROLLERS) <= set((unified / "cgroup.controllers").read_text().split()):
        return None
    # the grader's own group holds processes, so ours go in a sibling-free child of it: <own>/coursekit-<pid>/<slot>
    parent = unified / own.get("", "/").lstrip("/") / f"coursekit-{os.getpid()}"
    parent.mkdir(exist_ok=True)
    (parent / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in CONTROLLERS))
    folder = parent / name
    folder.mkdir(exist_ok=True)
    _write(folder, "cpu.max", f"{int(cpus * PERIOD_US)} {PERIOD_US}")
    _write(folder, "memory.max", str(memory_mb * 2**20))
    _write(folder, "memory.swap.max", "0", required=False)
    _write(folder, "pids.max", str(tasks))
    return SlotCgroup([folder], 2)


def _v1(root: Path, own: dict[str, str], name: str, cpus: float, memory_mb: int, tasks: int) -> SlotCgroup | None:
    if not all((root / c).is_dir() and c in own for c in CONTROLLERS):
        return None
    folders = {}
    for controller in CONTROLLERS:
        folder = root / controller / own[controller].lstrip("/") / f"coursekit-{os.getpid()}" / name
        folder.mkdir(parents=True, exist_ok=True)
        folders[controller] = folder
    _write(folders["cpu"], "cpu.cfs_period_us", str(PERIOD_US))
    _write(folders["cpu"], "cpu.cfs_quota_us", str(int(cpus * PERIOD_US)))
    _write(folders["memory"], "memory.limit_in_bytes", str(memory_mb * 2**20))
    _write(folders["memory"], "memory.memsw.limit_in_bytes", str(memory_mb * 2**20), required=False)
    _write(folders["pids"], "pids.max", str(tasks))
    return SlotCgroup(list(folders.values()), 1)


def available(root: Path = ROOT) -> bool:
    """Whether slot control groups can be made here (a probe group is made and removed)."""
    group = slot_cgroup(f"probe-{os.getpid()}", cpus=1.0, memory_mb=64, processes=8, root=root)
    if group:
        group.remove()
    return group is not None


_said: set[str] = set()


def _say_once(message: str, *args) -> None:
    if message not in _said:
        _said.add(message)
        log.warning(message, *args)


def slot_cgroup(name: str, *, cpus: float, memory_mb: int, processes: int, root: Path = ROOT,
                proc_cgroup: str | None = None) -> SlotCgroup | None:
    """The slot's control group with its caps, or None (logged once) where none can be made."""
    try:
        own = _own_paths(proc_cgroup if proc_cgroup is not None else Path("/proc/self/cgroup").read_text())
        args = (root, own, name, cpus, memory_mb + ZYGOTE_MB, processes + ZYGOTE_TASKS)
        group = (_v2(*args) if (root / "cgroup.controllers").exists() or (root / "unified" / "cgroup.controllers").exists()
                 else None) or _v1(*args)
    except OSError as error:
        _say_once("no cgroup for the grading slots (%s): CPU, memory and processes are capped per process only", error)
        return None
    if group is None:
        _say_once("no cgroup controllers for cpu, memory and pids here: CPU, memory and processes are capped "
                  "per process only (one submission's children together can take more)")
    return group
