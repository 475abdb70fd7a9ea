"""Grading a whole class: one coordinator, many sandboxed kernels.

The coordinator finds the submissions, skips those the journal says are graded already, and
sends each of the others through the grading pipeline (pipeline.py: load → repair → sanitise
→ execute → score → record), a few at a time: as many as there are kernels (`jobs`, or the
Dask cluster's threads, twice over so repairs and scoring overlap the remote runs). The
journal (journal.py) makes a batch resumable and idempotent: a submission whose file,
assignment and limits are unchanged since it was graded is not graded again, and a batch
killed midway picks up the submissions that have no entry. Nothing a submission does can stop
the batch: every failure becomes a reason in the report and the summary.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import nbformat

from . import loading
from .executors import DaskExecutor, LocalExecutor
from .gradebook import CourseGradebook
from .journal import Outcome, read_outcome
from .kernels import modules_to_preload
from .pipeline import GradingContext
from .sandbox import Limits, bubblewrap
from ..course import Course
from ..notebooks import grade_id

log = logging.getLogger("coursekit.grading")
GRADER_VERSION = "1"


@dataclass
class Batch:
    course: Course
    assignment: str
    limits: Limits | None = None  # the course's, for this assignment, unless given
    jobs: int = os.cpu_count() or 1
    force: bool = False
    progress: bool = True
    dask: str | None = None  # scheduler address: execute on a Dask cluster instead of locally

    def __post_init__(self) -> None:
        self.course = Course.of(self.course)
        self.limits = self.limits or self.course.limits(self.assignment)
        self.submitted = self.course.submitted()
        self.journal_dir = self.course.reports(self.assignment)

    # -- discovery and journal ------------------------------------------------------------
    def students(self) -> list[str]:
        """The student folders of submitted/; a folder whose name is not text (bytes that are not
        UTF-8) cannot be a gradebook id: it is reported, and the others are graded."""
        if not self.submitted.is_dir():
            return []
        names = [p.name for p in self.submitted.iterdir() if (p / self.assignment).is_dir() and not p.name.startswith(".")]
        for name in (n for n in names if loading.shown(n) != n):
            log.error("submitted/%s: the folder name is not valid UTF-8, so it cannot be a student id: "
                      "not graded (rename the folder and grade again)", loading.shown(name))
        return sorted(name for name in names if loading.shown(name) == name)

    def fingerprint(self, data: bytes) -> str:
        digest = hashlib.sha256(data)
        digest.update(self.course.notebook("source", self.assignment).read_bytes())
        digest.update(repr((self.limits, GRADER_VERSION)).encode())
        return digest.hexdigest()

    def teacher(self) -> str:
        """The teacher notebook's text: the judge workers take test cells and context from it."""
        return self.course.notebook("source", self.assignment).read_text(encoding="utf-8")

    def preload(self) -> tuple[str, ...]:
        """What the kernels' fork servers import once: the teacher notebook's scientific imports."""
        return modules_to_preload(nbformat.read(self.course.notebook("source", self.assignment), as_version=4))

    def recorded(self, student: str) -> Outcome | None:
        return read_outcome(self.journal_dir / f"{student}.json")

    # -- the class --------------------------------------------------------------------------
    async def run(self) -> list[Outcome]:
        if bubblewrap() is None:
            log.warning("NO SANDBOX: bubblewrap is missing or we are not root; kernels run with rlimits "
                        "only and can read the course folder. Install bubblewrap and grade as root.")
        gradebook = CourseGradebook(self.course, self.assignment)
        gradebook.ensure_assignment()
        release = repair_release(self.course, self.assignment)
        outcomes: dict[str, Outcome] = {}
        todo = []
        for student in self.students():
            previous = self.recorded(student)
            if previous and not self.force and previous.fingerprint == self._current_fingerprint(student):
                outcomes[student] = previous
            else:
                todo.append(student)
        log.info("%d submissions, %d to grade, %s", len(outcomes) + len(todo), len(todo),
                 f"on the Dask cluster at {self.dask}" if self.dask else f"{self.jobs} jobs")
        if todo:
            if self.dask:
                executor = DaskExecutor(self.dask, self.limits, self.preload(), self.teacher())
                await executor.start()
                concurrency = 2 * executor.jobs  # repairs and scoring overlap the remote runs
            else:
                executor = LocalExecutor(self.limits, self.jobs, budget=len(todo), preload=self.preload(),
                                         teacher=self.teacher())
                concurrency = self.jobs
            context = GradingContext(self.course, self.assignment, gradebook, release, executor,
                                     {grade_id(c) for c in release.cells if (grade_id(c) or "").startswith("helper_")},
                                     self.fingerprint)
            slots = asyncio.Semaphore(concurrency)
            bar = _progress(len(todo), self.progress)
            thread = ThreadPoolExecutor(1, thread_name_prefix="coursekit-coordinator")

            async def graded(student: str) -> None:
                async with slots:
                    outcomes[student] = await self.course.pipeline.grade(student, context, thread)
                    bar.update(1)

            try:
                await asyncio.gather(*(graded(s) for s in todo))
            finally:
                bar.close()
                thread.shutdown()
                await executor.close()
        return [outcomes[s] for s in sorted(outcomes)]

    def _current_fingerprint(self, student: str) -> str:
        path, _ = loading.find_notebook(self.submitted / student / self.assignment, self.assignment)
        try:
            data = path.read_bytes()[:loading.MAX_BYTES + 1] if path else b""
        except OSError:
            data = b""
        return self.fingerprint(data)


def repair_release(course: Course, assignment: str):
    """The student version the repairs anchor on: the course's release/, else the repository's."""
    from ..paths import release_notebook
    path = course.notebook("release", assignment)
    return nbformat.read(str(path if path.is_file() else release_notebook(assignment)), as_version=4)


def _progress(total: int, enabled: bool):
    from tqdm.auto import tqdm
    return tqdm(total=total, desc="grading", unit="sub", disable=not enabled)
