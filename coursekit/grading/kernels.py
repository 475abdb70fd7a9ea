"""Freshly started kernels, one per submission, and what all kernels share (uid leases,
environment, warm-up).

A fresh kernel costs seconds before the first cell (start-up and `import torch`); with
bubblewrap the grader forks kernels from warm zygotes instead (forkserver.py). This pool is
the path without bubblewrap, and the reference the fork server is compared with: it starts
the next kernels while others grade. A kernel is never reused: each submission gets its own
process tree, unprivileged uid and scratch folder, which are destroyed afterwards.
"""
from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

from . import canary
from .sandbox import FIRST_SANDBOX_UID, Limits, bubblewrap, sandbox_command

log = logging.getLogger(__name__)

# Imported before the student's code so that the notebook's own `import torch` is instant.
WARM_UP = "import torch, numpy, matplotlib\nimport matplotlib.pyplot\n"


class SandboxedKernelManager(AsyncKernelManager):
    """An ipykernel launched through the sandbox command, talking over unix sockets."""

    sandbox_uid: int = 0

    def write_connection_file(self, **kwargs) -> None:
        super().write_connection_file(**kwargs)
        if self.sandbox_uid:  # the kernel runs as its leased uid and must read its ports
            os.chown(self.connection_file, self.sandbox_uid, self.sandbox_uid)


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
    manager: SandboxedKernelManager
    client: object
    scratch: Path
    lease: UidLease | None
    baseline: dict = field(default_factory=dict)
    slot: object = None  # the fork-server slot it came from, if any

    async def shutdown(self) -> None:
        try:
            self.client.stop_channels()
            await self.manager.shutdown_kernel(now=True)
        except Exception as error:  # a kernel that already died is fine
            log.debug("kernel shutdown: %s", error)
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)
            if self.lease:  # only once the kernel's processes are gone
                self.lease.release()


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


class KernelPool:
    """Starts up to `size` kernels ahead of demand (at most `budget` in all); `acquire()` returns a warm one."""

    def __init__(self, size: int, limits: Limits, work_dir: Path | None = None, budget: int | None = None) -> None:
        self.size = max(1, size)
        self.budget = budget
        self.limits = limits
        self.sandboxed = bubblewrap() is not None
        self.work_dir = Path(work_dir or tempfile.mkdtemp(prefix="coursekit-kernels-"))
        self.work_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.work_dir, 0o711)
        self._ready: asyncio.Queue[asyncio.Task] = asyncio.Queue()
        self._counter = 0

    def fill(self) -> None:
        """Start kernels until `size` are starting or waiting."""
        while self._ready.qsize() < self.size and self.budget != 0:
            if self.budget is not None:
                self.budget -= 1
            self._ready.put_nowait(asyncio.ensure_future(self._start()))

    async def acquire(self) -> Kernel:
        """A warm kernel; a kernel that fails to start is replaced (three tries)."""
        for attempt in range(3):
            self.fill()
            task = await self._ready.get()
            try:
                kernel = await task
            except Exception as error:
                log.error("a sandboxed kernel failed to start (attempt %d): %s", attempt + 1, error)
                if self.budget is not None:
                    self.budget += 1
                continue
            self.fill()
            return kernel
        raise RuntimeError("sandboxed kernels fail to start; see the log above")

    async def release(self, kernel: Kernel) -> None:
        await kernel.shutdown()

    async def close(self) -> None:
        while not self._ready.empty():
            task = self._ready.get_nowait()
            try:
                await (await task).shutdown()
            except Exception:
                pass
        shutil.rmtree(self.work_dir, ignore_errors=True)

    async def _start(self) -> Kernel:
        self._counter += 1
        lease = UidLease.take() if self.sandboxed else None
        try:
            return await self._start_as(lease)
        except BaseException:
            if lease:
                lease.release()
            raise

    async def _start_as(self, lease: UidLease | None) -> Kernel:
        uid = lease.uid if lease else 0
        scratch = self.work_dir / f"k{self._counter}"
        (scratch / "tmp").mkdir(parents=True)
        if uid:
            for folder in (scratch, scratch / "tmp"):
                os.chown(folder, uid, uid)
            os.chmod(scratch, 0o700)
        ipc = scratch / ".ipc"
        ipc.mkdir()
        if uid:
            os.chown(ipc, uid, uid)
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        command = sandbox_command(argv, scratch, ipc, uid, self.limits, kernel_environment(scratch))
        manager = SandboxedKernelManager(transport="ipc", ip=str(ipc / "kernel"),
                                         connection_file=str(ipc / "connection.json"))
        manager.sandbox_uid = uid
        manager._kernel_spec = KernelSpec(argv=command, display_name="sandbox", language="python",
                                          interrupt_mode="message", env={})
        await manager.start_kernel(cwd=str(scratch), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = manager.client()
        client.start_channels()
        kernel = Kernel(manager, client, scratch, None)
        try:
            await client.wait_for_ready(timeout=60)
            reply = await client.execute_interactive(WARM_UP, silent=True, store_history=False, timeout=60,
                                                     user_expressions={"canary": canary.EXPRESSION})
        except BaseException:
            await kernel.shutdown()  # no process may outlive a failed start (its uid is freed next)
            raise
        kernel.lease = lease
        kernel.baseline = canary.read(reply)
        return kernel
