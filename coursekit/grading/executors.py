"""Where submissions execute: warm sandboxed kernels on this machine, or Dask workers.

The coordinator (batch.py) only asks an executor to run a sanitised notebook and give back
an `Execution`; repair, scoring, the gradebook and the feedback stay with the coordinator,
so one process writes grades whatever runs the kernels. Each kernel is paired with a judge
worker on the same machine (judging.py), which runs the test cells out of the kernel.
"""
from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from dataclasses import asdict

import nbformat
from nbformat import NotebookNode

from .execute import Execution, execute
from .forkserver import ForkServerPool
from .judging import JudgePool
from .kernels import GraderFailure, KernelPool, KernelProvider
from .sandbox import Limits, bubblewrap

log = logging.getLogger(__name__)


def make_pool(jobs: int, limits: Limits, budget: int | None = None, preload: tuple[str, ...] = ()):
    """Forked kernels from warm zygotes that imported `preload` when bubblewrap is there (one
    spare slot so a kernel is always waiting); otherwise freshly started kernels, `jobs` of
    them started ahead."""
    if bubblewrap() is not None:
        return ForkServerPool(min(jobs + 1, budget or jobs + 1), limits, preload)
    return KernelPool(min(jobs, budget or jobs), limits, budget=budget)


async def run_paired(pool: KernelProvider, judges: JudgePool, nb: NotebookNode, limits: Limits,
                     helper_ids: set[str], teacher: str | None, define_only: frozenset[str] = frozenset()) -> Execution:
    """One submission on the next warm kernel and a free judge worker. When the grader's side
    fails under it (a zygote died), it runs once more from the start on a new kernel; a second
    failure is raised, and the pipeline sends the submission to review as a grader error."""
    try:
        return await _run_once(pool, judges, nb, limits, helper_ids, teacher, define_only)
    except GraderFailure as failure:
        log.warning("%s; the submission runs again on a new kernel", failure)
    for cell in nb.cells:  # as sanitised: no output of the interrupted run remains
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return await _run_once(pool, judges, nb, limits, helper_ids, teacher, define_only)


async def _run_once(pool: KernelProvider, judges: JudgePool, nb: NotebookNode, limits: Limits,
                    helper_ids: set[str], teacher: str | None, define_only: frozenset[str]) -> Execution:
    kernel = await pool.acquire()
    judge = await judges.acquire()
    try:
        return await execute(nb, kernel, limits, helper_ids, judge, teacher, define_only)
    finally:
        judges.release(judge)
        pool.release(kernel)


class LocalExecutor:
    """Kernels on this machine, from a pool that has the next ones ready."""

    def __init__(self, limits: Limits, jobs: int, budget: int, preload: tuple[str, ...] = (),
                 teacher: str | None = None) -> None:
        self.limits = limits
        self.jobs = jobs
        self.teacher = teacher
        self.pool = make_pool(jobs, limits, budget, preload)
        self.judges = JudgePool(jobs)

    async def run(self, nb: NotebookNode, helper_ids: set[str], label: str) -> Execution:
        return await run_paired(self.pool, self.judges, nb, self.limits, helper_ids, self.teacher)

    async def close(self) -> None:
        await self.pool.close()
        await self.judges.close()


def _to_payload(run: Execution) -> dict:
    payload = asdict(run)
    payload["notebook"] = nbformat.writes(run.notebook)
    return payload


def _from_payload(payload: dict) -> Execution:
    payload = dict(payload)
    notebook = nbformat.reads(payload.pop("notebook"), as_version=4)
    payload["problems"] = [tuple(p) for p in payload["problems"]]
    return Execution(notebook, **{k: v for k, v in payload.items() if k != "notebook"})


class KernelRuntime:
    """Warm sandboxed kernels for synchronous callers (a Dask worker process, the validity
    banks): an event loop in a thread and a pool of kernels."""

    def __init__(self, limits: Limits, size: int, preload: tuple[str, ...] = (),
                 judge_env: dict[str, str] | None = None) -> None:
        self.limits = limits
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="coursekit-kernels", daemon=True)
        self.thread.start()
        self.pool = self._call(self._make_pool(limits, size, preload))
        self.judges = JudgePool(size, judge_env)

    @staticmethod
    async def _make_pool(limits: Limits, size: int, preload: tuple[str, ...]):
        return make_pool(size, limits, preload=preload)

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def execute(self, nb: NotebookNode, helper_ids: set[str], teacher: str | None = None,
                define_only: frozenset[str] = frozenset()) -> Execution:
        """Run `nb` (in place) in the next warm kernel, its test cells judged against `teacher`."""
        return self._call(run_paired(self.pool, self.judges, nb, self.limits, helper_ids, teacher, define_only))

    def close(self) -> None:
        """Stop the kernels and judges and remove their folders (zygotes die with this process)."""
        try:
            self._call(self.pool.close())
        finally:  # a pool that failed to close still leaves the judges and the loop to stop
            try:
                self._call(self.judges.close())
            finally:
                self.loop.call_soon_threadsafe(self.loop.stop)


_RUNTIMES: dict[tuple[Limits, tuple[str, ...]], KernelRuntime] = {}
_RUNTIMES_LOCK = threading.Lock()


def run_on_worker(nb_text: str, limits: Limits, helper_ids: list[str], preload: tuple[str, ...] = (),
                  teacher: str | None = None) -> dict:
    """Executed by a Dask worker: run one notebook in a warm sandboxed kernel of this process."""
    from distributed import get_worker
    key = (limits, tuple(preload))
    with _RUNTIMES_LOCK:
        if key not in _RUNTIMES:
            _RUNTIMES[key] = KernelRuntime(limits, max(1, get_worker().state.nthreads), tuple(preload))
        runtime = _RUNTIMES[key]
    return _to_payload(runtime.execute(nbformat.reads(nb_text, as_version=4), set(helper_ids), teacher))


class DaskExecutor:
    """Submissions run on a dask.distributed cluster; a lost worker's task is rescheduled."""

    def __init__(self, address: str, limits: Limits, preload: tuple[str, ...] = (), teacher: str | None = None) -> None:
        self.address = address
        self.limits = limits
        self.preload = preload
        self.teacher = teacher
        self.client = None
        self.jobs = 1

    async def start(self) -> None:
        from distributed import Client
        self.client = await Client(self.address, asynchronous=True)
        info = self.client.scheduler_info()
        self.jobs = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))

    async def run(self, nb: NotebookNode, helper_ids: set[str], label: str) -> Execution:
        future = self.client.submit(run_on_worker, nbformat.writes(nb), self.limits, sorted(helper_ids), self.preload,
                                    self.teacher, key=f"grade-{label}-{uuid.uuid4().hex[:8]}", pure=False, retries=2)
        return _from_payload(await future)

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()
