"""Kernels forked from warm zygotes (see zygote.py): the pool the grader uses by default.

Each slot is one zygote in its own bubblewrap sandbox with its own leased uid, scratch and
socket folders. A slot serves submissions one after the other: reset (kill everything of
the previous submission, empty its folders), fork a kernel, connect, read the canary
baseline. The next kernel is forked as soon as a slot is handed back, so a submission
finds its kernel waiting.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from pathlib import Path

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.connect import write_connection_file

from . import zygote
from .kernels import GraderFailure, Kernel, KernelProvider, UidLease, kernel_environment, new_work_dir, warm_up
from .cgroups import slot_cgroup
from .sandbox import Limits, bubblewrap_command

log = logging.getLogger(__name__)
# CAP_SYS_ADMIN only to give each kernel its own IPC namespace (unshare); the kernel drops every capability.
ZYGOTE_CAPS = ("CAP_SETUID", "CAP_SETGID", "CAP_KILL", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_CHOWN", "CAP_SYS_ADMIN")


class ZygoteDied(GraderFailure):
    """A slot's zygote exited: its kernel went with it, through no doing of the student's."""


class Slot:
    """One zygote process and the folders it owns.

    The zygote runs as `python -c <zygote.py's source>` inside the sandbox, where the grader's
    package is not importable (only the Python installation is visible): zygote.py must import
    nothing from coursekit, and takes its settings as one JSON argument.
    """

    def __init__(self, number: int, work_dir: Path, limits: Limits, preload: tuple[str, ...] = ()) -> None:
        self.number, self.work_dir = number, work_dir
        self.lease = UidLease.take()
        self.uid = self.lease.uid
        self.scratch = work_dir / f"slot{number}-{self.uid}"
        self.ipc = work_dir / f"slot{number}-{self.uid}-ipc"
        for folder in (self.scratch, self.ipc):
            folder.mkdir(parents=True)
            os.chown(folder, self.uid, self.uid)
            os.chmod(folder, 0o700)
        self.limits = limits
        self.preload = preload
        # memory, CPU and tasks of the whole sandbox (zygote, kernel and every child it forks), not per process
        self.cgroup = slot_cgroup(f"slot{number}-{self.uid}", cpus=limits.cpus, memory_mb=limits.memory_mb,
                                  processes=limits.processes)
        self.process: asyncio.subprocess.Process | None = None
        self.lock = asyncio.Lock()
        self.kernels = 0
        self.requests = 0
        self.closed = False

    async def open(self) -> None:
        settings = {"uid": self.uid, "scratch": str(self.scratch), "keep": [], "rlimits": self.limits.rlimits(),
                    "preload": list(self.preload)}
        env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "LANG": "C.UTF-8",
               "MPLBACKEND": "module://matplotlib_inline.backend_inline", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1", "HOME": str(self.scratch), "MPLCONFIGDIR": str(self.scratch / ".matplotlib")}
        source = Path(zygote.__file__).read_text(encoding="utf-8")
        command = bubblewrap_command([self.ipc], env, self.scratch, caps=ZYGOTE_CAPS, private=(self.scratch,),
                                     quota_mb=self.limits.scratch_mb)
        command += [sys.executable, "-c", source, json.dumps(settings)]
        self.process = await asyncio.create_subprocess_exec(
            *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL, limit=2**20, preexec_fn=self.cgroup.join if self.cgroup else None)
        ready = await asyncio.wait_for(self.process.stdout.readline(), timeout=180)
        if not ready:
            raise ZygoteDied(f"the zygote of slot {self.number} exited while importing its modules")

    async def request(self, **message) -> dict:
        """One exchange with the zygote; shielded, so a cancelled caller cannot leave the pipe
        half-read, and matched by id, so an answer is never taken for another's."""
        self.requests += 1
        exchange = asyncio.ensure_future(self._exchange({**message, "id": self.requests}))
        # a caller cancelled meanwhile (the pool closing) no longer reads the outcome: nobody must
        exchange.add_done_callback(lambda task: task.cancelled() or task.exception())
        return await asyncio.shield(exchange)

    async def _exchange(self, message: dict) -> dict:
        async with self.lock:
            self.process.stdin.write((json.dumps(message) + "\n").encode())
            await self.process.stdin.drain()
            while True:
                line = await asyncio.wait_for(self.process.stdout.readline(), timeout=60)
                if not line:
                    raise ZygoteDied(f"the zygote of slot {self.number} died (exit code {self.process.returncode})")
                answer = json.loads(line)
                if answer.get("id") == message["id"]:
                    return answer

    async def new_kernel(self) -> Kernel:
        """Reset the slot and fork a connected, warm kernel with its canary baseline."""
        await self.request(cmd="reset")
        self.kernels += 1
        connection_file = self.ipc / f"kernel-{self.kernels}.json"
        write_connection_file(str(connection_file), transport="ipc", ip=str(self.ipc / f"k{self.kernels}"))
        os.chown(connection_file, self.uid, self.uid)
        env = kernel_environment(self.scratch / "home")
        await self.request(cmd="start", connection_file=str(connection_file), env=env)
        client = ZygoteKernelClient(slot=self)
        client.load_connection_file(str(connection_file))
        client.start_channels()
        manager = ZygoteKernelManager(self, client)
        kernel = Kernel(manager, client, self.scratch)
        try:
            await client.wait_for_ready(timeout=60)
            await warm_up(kernel)
        except BaseException:
            client.stop_channels()
            await self.request(cmd="reset")
            raise
        kernel.slot = self
        return kernel

    def failure(self) -> str | None:
        """Why this slot can no longer run its kernel (None while the zygote is alive)."""
        if self.process is not None and self.process.returncode is not None and not self.closed:
            return f"the zygote of slot {self.number} died (exit code {self.process.returncode})"
        return None

    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.process and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        if self.cgroup:
            self.cgroup.remove()
        self.lease.release()


class ZygoteKernelClient(AsyncKernelClient):
    """Asks the zygote whether the kernel process is alive (faster than heartbeats)."""

    def __init__(self, slot: Slot, **kwargs) -> None:
        super().__init__(**kwargs)
        self._slot = slot

    async def _async_is_alive(self) -> bool:
        try:
            return bool((await self._slot.request(cmd="poll")).get("alive"))
        except Exception as error:
            log.warning("zygote poll failed: %r", error)
            return False

    is_alive = _async_is_alive


class ZygoteKernelManager:
    """What nbclient needs from a kernel manager: interrupts (by message) and shutdown."""

    has_kernel = True

    def __init__(self, slot: Slot, client: AsyncKernelClient) -> None:
        self.slot, self.client = slot, client

    async def interrupt_kernel(self) -> None:
        self.client.control_channel.send(self.client.session.msg("interrupt_request", content={}))

    async def is_alive(self) -> bool:
        return await self.client.is_alive()

    async def shutdown_kernel(self, now: bool = True, restart: bool = False) -> None:
        await self.slot.request(cmd="reset")


class ForkServerPool(KernelProvider):
    """`size` zygote slots; `acquire()` returns a warm kernel forked from a free slot."""

    def __init__(self, size: int, limits: Limits, preload: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.size = max(1, size)
        self.limits = limits
        self.preload = preload
        self.work_dir = new_work_dir()
        os.chmod(self.work_dir, 0o711)
        self._slots: list[Slot] = []
        self._ready: asyncio.Queue[tuple[int, asyncio.Task]] = asyncio.Queue()  # (slot number, its next kernel)
        self._opening: asyncio.Future | None = None

    async def _open(self) -> None:
        self._slots = [Slot(number, self.work_dir, self.limits, self.preload) for number in range(self.size)]
        await asyncio.gather(*(slot.open() for slot in self._slots))
        for slot in self._slots:
            self._ready.put_nowait((slot.number, asyncio.ensure_future(slot.new_kernel())))

    async def _next(self) -> tuple[int, asyncio.Task]:
        if self._opening is None:  # the first caller opens the slots; the others wait for it
            self._opening = asyncio.ensure_future(self._open())
        await self._opening
        return await self._ready.get()

    def _failed(self, number: int) -> None:
        log.warning("slot %d is replaced", number)
        self._ready.put_nowait((number, asyncio.ensure_future(self._replace(number))))

    async def _replace(self, number: int) -> Kernel:
        """A dead or stuck zygote (or one whose kernels fail) gives way to a new one in a new
        slot: its processes killed, its control group and uid released."""
        await self._slots[number].close()
        self._slots[number] = Slot(number, self.work_dir, self.limits, self.preload)
        await self._slots[number].open()
        return await self._slots[number].new_kernel()

    async def _recycle(self, kernel: Kernel) -> None:
        """The slot forks its next kernel at once (it resets first); a kernel that cannot be
        forked shows when that one is acquired, and the slot is replaced then."""
        kernel.client.stop_channels()
        self._ready.put_nowait((kernel.slot.number, asyncio.ensure_future(kernel.slot.new_kernel())))

    async def _close(self) -> None:
        pending = []
        while not self._ready.empty():
            _, task = self._ready.get_nowait()
            task.cancel()
            pending.append(task)
        await asyncio.gather(*pending, return_exceptions=True)
        for slot in self._slots:
            await slot.close()
        zygote.remove_tree(str(self.work_dir))
