"""Where kernels come from: the provider interface, what all kernels share (uid leases,
environment, warm-up) and the provider used without bubblewrap.

A `KernelProvider` hands out warm kernels (`acquire`, retried when a start fails) and takes
them back (`release`, without making the submission wait; `close` waits for what is still
being released and logs what failed). Two providers implement it: with bubblewrap the grader
forks kernels from warm zygotes (forkserver.py); without it, `KernelPool` starts a fresh
kernel per submission under rlimits only (a fresh kernel costs seconds before its first cell,
so it starts the next ones while others grade). A kernel is never reused: each submission gets
its own process tree and scratch folder. `GraderFailure` is the grader's own failure (a zygote
that died), never the student's: the executor grades that submission again on a new kernel.
"""
from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager

from . import agent, canary
from .sandbox import FIRST_SANDBOX_UID, Limits, rlimited_command
from .zygote import remove_tree

log = logging.getLogger(__name__)

# Run before the student's code: the notebook's own `import torch` is then instant, and the
# agent through which the grader judges test cells from outside is in place (agent.py).
WARM_UP = ("import torch, numpy, matplotlib\nimport matplotlib.pyplot\n"
           f"_coursekit = {{}}\nexec({Path(agent.__file__).read_text(encoding='utf-8')!r}, _coursekit)\n"
           "_coursekit['install'](globals())\ndel _coursekit\n")


_NAME = r"[\w.]+(?:[ \t]+as[ \t]+\w+)?"
IMPORTED = re.compile(rf"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import|import[ \t]+({_NAME}(?:[ \t]*,[ \t]*{_NAME})*))",
                      re.MULTILINE)


# Slow to import and blind to where they run. Not tqdm.auto, which picks its bar (widget or
# text) at import time and would pick text in the zygote: a text bar goes to stderr.
PRELOADABLE = ("sklearn", "scipy", "torch")


def modules_to_preload(teacher_nb) -> tuple[str, ...]:
    """The scientific modules the teacher's notebook imports, for the fork server to import once
    per slot instead of once per submission; an optimizer step also imports torch's compiler
    (1.5 s). scikit-learn's datasets alone cost 1.7 s."""
    code = "\n".join(cell.source for cell in teacher_nb.cells if cell.cell_type == "code")
    names = {name.split()[0] for match in IMPORTED.finditer(code) for group in match.groups() if group
             for name in group.split(",")}
    if "optim." in code:
        names.add("torch._dynamo")
    return tuple(sorted(n for n in names if n.split(".")[0] in PRELOADABLE))


WORK_DIR_PREFIX = "coursekit-kernels-"
OWNER_FILE = "owner.pid"


def new_work_dir(root: Path | None = None) -> Path:
    """A private folder for one pool's kernels, marked with its owner's pid.

    Folders whose owner has died (a grader killed by SIGKILL, a lost Dask worker) are removed
    first, so no student's scratch files linger; an unmarked folder is left alone for an hour
    (its owner may be creating it).
    """
    root = root or Path(tempfile.gettempdir())
    for old in root.glob(WORK_DIR_PREFIX + "*"):
        try:
            alive = Path(f"/proc/{int((old / OWNER_FILE).read_text())}").exists()
        except (OSError, ValueError):
            try:
                alive = time.time() - old.stat().st_mtime < 3600
            except OSError:
                continue
        if not alive:
            remove_tree(str(old))
    work = Path(tempfile.mkdtemp(prefix=WORK_DIR_PREFIX, dir=root))
    (work / OWNER_FILE).write_text(str(os.getpid()))
    return work


class UidLease:
    """An unprivileged uid that one kernel at a time uses on this machine.

    The lease is an exclusive `flock` on a file per uid, so separate grading processes (local
    jobs, Dask workers) never share a uid: `RLIMIT_NPROC` then counts one student's processes.
    """

    LOCK_DIR = Path(tempfile.gettempdir()) / "coursekit-uid-leases"
    SPAN = 1000

    def __init__(self, uid: int, handle) -> None:
        self.uid, self._handle = uid, handle

    @classmethod
    def take(cls) -> "UidLease":
        cls.LOCK_DIR.mkdir(mode=0o700, exist_ok=True)
        for uid in range(FIRST_SANDBOX_UID, FIRST_SANDBOX_UID + cls.SPAN):
            handle = open(cls.LOCK_DIR / str(uid), "a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            return cls(uid, handle)
        raise RuntimeError(f"all {cls.SPAN} sandbox uids are in use")

    def release(self) -> None:
        self._handle.close()


@dataclass
class Kernel:
    """A started kernel, its client and its private folders."""
    manager: AsyncKernelManager
    client: object
    scratch: Path
    baseline: dict = field(default_factory=dict)
    slot: object = None  # the fork-server slot it came from, if any

    def grader_failure(self) -> str | None:
        """Why this kernel stopped through no doing of the student's (None: it did not)."""
        return self.slot.failure() if self.slot is not None else None

    async def shutdown(self) -> None:
        try:
            self.client.stop_channels()
            await self.manager.shutdown_kernel(now=True)
        except Exception as error:  # a kernel that already died is fine
            log.debug("kernel shutdown: %s", error)
        finally:
            remove_tree(str(self.scratch))


def kernel_environment(scratch: Path) -> dict[str, str]:
    """The whole environment of a kernel: nothing leaks from the grader's (tokens, paths)."""
    return {
        "HOME": str(scratch), "IPYTHONDIR": str(scratch / ".ipython"),
        "MPLCONFIGDIR": str(scratch / ".matplotlib"), "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1", "NBGRADER_EXECUTION": "autograde",
        "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "TQDM_DISABLE": "",
        "PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": str(scratch / "tmp"),
    }


class GraderFailure(RuntimeError):
    """The grader's own failure while a submission ran (not the student's kernel dying)."""


class KernelProvider:
    """Warm kernels on demand. Subclasses say how the next one is made (`_next`, a task
    started ahead) and what a failed start costs (`_failed`); acquiring, retrying, releasing
    in the background and closing are the same for both."""

    attempts = 3

    def __init__(self) -> None:
        self._releasing: set[asyncio.Task] = set()

    async def _next(self) -> tuple[object, asyncio.Task]:
        """(what made it, the task that gives the next kernel)."""
        raise NotImplementedError

    def _failed(self, maker: object) -> None:
        """A kernel from `maker` failed to start: make up for it."""

    async def _recycle(self, kernel: Kernel) -> None:
        raise NotImplementedError

    async def _close(self) -> None:
        raise NotImplementedError

    async def acquire(self) -> Kernel:
        """A warm kernel; a start that fails is logged and made up for, three times at most."""
        for attempt in range(self.attempts):
            maker, task = await self._next()
            try:
                return await task
            except Exception as error:
                log.error("a kernel failed to start (attempt %d of %d): %s", attempt + 1, self.attempts,
                          error or type(error).__name__)
                self._failed(maker)
        raise GraderFailure("kernels fail to start; see the log above")

    def release(self, kernel: Kernel) -> None:
        """Hand `kernel` back; the submission does not wait for its cleanup."""
        task = asyncio.ensure_future(self._recycle(kernel))
        self._releasing.add(task)
        task.add_done_callback(self._released)

    def _released(self, task: asyncio.Task) -> None:
        self._releasing.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("releasing a kernel failed: %r", task.exception())

    async def close(self) -> None:
        """Wait for the kernels being released, then stop everything."""
        await asyncio.gather(*list(self._releasing), return_exceptions=True)
        await self._close()


class SubmissionKernelSpec(KernelSpecManager):
    """The one kernel spec jupyter_client starts for a submission (the rlimited command and
    the bare environment), given through its kernel-spec manager interface."""

    def __init__(self, spec: KernelSpec, **kwargs) -> None:
        super().__init__(**kwargs)
        self.spec = spec

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return self.spec


class KernelPool(KernelProvider):
    """Without bubblewrap: fresh kernels under rlimits only, up to `size` started ahead of
    demand (at most `budget` in all)."""

    def __init__(self, size: int, limits: Limits, budget: int | None = None) -> None:
        super().__init__()
        self.size = max(1, size)
        self.budget = budget
        self.limits = limits
        self.work_dir = new_work_dir()
        self._ready: asyncio.Queue[asyncio.Task] = asyncio.Queue()
        self._counter = 0

    def fill(self) -> None:
        """Start kernels until `size` are starting or waiting."""
        while self._ready.qsize() < self.size and self.budget != 0:
            if self.budget is not None:
                self.budget -= 1
            self._ready.put_nowait(asyncio.ensure_future(self._start()))

    async def _next(self) -> tuple[object, asyncio.Task]:
        self.fill()
        task = await self._ready.get()
        task.add_done_callback(lambda _: self.fill())  # the next one starts as this one is taken
        return None, task

    def _failed(self, maker: object) -> None:
        if self.budget is not None:
            self.budget += 1

    async def _recycle(self, kernel: Kernel) -> None:
        await kernel.shutdown()

    async def _close(self) -> None:
        while not self._ready.empty():
            task = self._ready.get_nowait()
            try:
                await (await task).shutdown()
            except Exception as error:  # a kernel that failed to start left nothing to stop
                log.debug("closing: a kernel had not started: %r", error)
        remove_tree(str(self.work_dir))

    async def _start(self) -> Kernel:
        self._counter += 1
        scratch = self.work_dir / f"k{self._counter}"
        (scratch / "tmp").mkdir(parents=True)
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        spec = KernelSpec(argv=rlimited_command(argv, self.limits), display_name="rlimited", language="python",
                          interrupt_mode="message", env=kernel_environment(scratch))
        manager = AsyncKernelManager(kernel_name="submission", kernel_spec_manager=SubmissionKernelSpec(spec),
                                     transport="ipc", ip=str(scratch / "kernel"),
                                     connection_file=str(scratch / "connection.json"))
        await manager.start_kernel(cwd=str(scratch), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = manager.client()
        client.start_channels()
        kernel = Kernel(manager, client, scratch)
        try:
            await client.wait_for_ready(timeout=60)
            await warm_up(kernel)
        except BaseException:
            await kernel.shutdown()  # no process may outlive a failed start
            raise
        return kernel


async def warm_up(kernel: Kernel) -> None:
    """The warm-up imports and the agent, then the canary's baseline (before any student line)."""
    reply = await kernel.client.execute_interactive(WARM_UP, silent=True, store_history=False, timeout=60,
                                                    user_expressions={"canary": canary.EXPRESSION})
    kernel.baseline = canary.read(reply)
