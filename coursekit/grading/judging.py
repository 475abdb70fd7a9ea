"""Judge worker processes for the coordinator: one per kernel slot, warm, replaced when stuck.

Each worker (judge.py) imports torch once and builds the teacher notebook's trusted context
once per assignment; per submission it connects to that submission's kernel as a second
Jupyter client. The coordinator asks it to judge one test cell at a time and writes the
outputs it returns into the graded notebook.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import sys

log = logging.getLogger(__name__)
START_SECONDS = 180
MARGIN_SECONDS = 30  # beyond a cell's own limit, before a silent worker is replaced


class JudgeFailed(Exception):
    """The grader's own judge failed (not the student's doing)."""


class JudgeProcess:
    """One judge worker and the assignment it has loaded."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.env = dict(env or {})  # extra environment of the worker (the validity harness's flags)
        self.process: asyncio.subprocess.Process | None = None
        self.loaded: str | None = None
        self.cells: set[str] = set()
        self.requests = 0

    async def start(self) -> None:
        env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1", **self.env}
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "coursekit.grading.judge", stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL, env=env, limit=2**26)
        ready = await asyncio.wait_for(self.process.stdout.readline(), timeout=START_SECONDS)
        if not ready:
            raise JudgeFailed("the judge worker exited at start")
        self.loaded = None

    async def request(self, wait: float, **message) -> dict:
        if self.process is None or self.process.returncode is not None:
            await self.start()
        self.requests += 1
        message["id"] = self.requests
        try:
            return await asyncio.shield(self._exchange(message, wait))
        except (asyncio.TimeoutError, ConnectionError, JudgeFailed):
            await self.kill()
            raise

    async def _exchange(self, message: dict, wait: float) -> dict:
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        await self.process.stdin.drain()
        while True:
            line = await asyncio.wait_for(self.process.stdout.readline(), timeout=wait)
            if not line:
                raise JudgeFailed(f"the judge worker died (exit code {self.process.returncode})")
            answer = json.loads(line)
            if answer.get("id") == message["id"]:
                if "error" in answer:
                    raise JudgeFailed(answer["error"])
                return answer

    async def open(self, teacher: str) -> set[str]:
        """Load the assignment (once): returns the grade ids of the cells it judges."""
        digest = hashlib.sha256(teacher.encode()).hexdigest()
        if self.loaded != digest:
            answer = await self.request(START_SECONDS, cmd="open", notebook=teacher)
            self.loaded, self.cells = digest, set(answer["cells"])
        return self.cells

    async def begin(self, connection_info: dict) -> None:
        info = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in connection_info.items()}
        await self.request(60, cmd="begin", connection=info)

    async def cell(self, grade_id: str, timeout: float, budget: float, define_only: bool = False) -> dict:
        """Judge one cell: each check may take `timeout` seconds, the whole cell `budget`."""
        return await self.request(budget + MARGIN_SECONDS, cmd="cell", cell=grade_id, timeout=timeout,
                                  define_only=define_only)

    async def end(self) -> None:
        if self.process is not None and self.process.returncode is None:
            await self.request(60, cmd="end")

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        self.loaded = None


class JudgePool:
    """Up to `size` judge workers, started on first use and kept warm."""

    def __init__(self, size: int, env: dict[str, str] | None = None) -> None:
        self.size = max(1, size)
        self.env = env
        self._free: asyncio.Queue[JudgeProcess] = asyncio.Queue()
        self._all: list[JudgeProcess] = []

    async def acquire(self) -> JudgeProcess:
        if self._free.empty() and len(self._all) < self.size:
            judge = JudgeProcess(self.env)
            self._all.append(judge)
            return judge
        return await self._free.get()

    def release(self, judge: JudgeProcess) -> None:
        self._free.put_nowait(judge)

    async def close(self) -> None:
        for judge in self._all:
            await judge.kill()
