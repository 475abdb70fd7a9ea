"""Grading a whole class: one coordinator, many sandboxed kernels.

The coordinator reads, repairs and sanitises each submission, hands it to a warm kernel,
then scores it with nbgrader and writes the gradebook, the autograded notebook, a report
and a journal entry. The journal makes a batch resumable and idempotent: a submission whose
file, assignment and limits are unchanged since it was graded is not graded again, and a
batch killed midway picks up the submissions that have no entry. Nothing a submission does
can stop the batch: every failure becomes a reason in the report and the summary.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from . import loading, repair
from .executors import DaskExecutor, LocalExecutor
from .feedback import NOTES_KEY
from .gradebook import CourseGradebook
from .kernels import modules_to_preload
from .sandbox import Limits, bubblewrap
from ..course import Course
from ..notebooks import grade_id

log = logging.getLogger("coursekit.grading")
GRADER_VERSION = "1"


@dataclass
class Outcome:
    """One student's result, as stored in the journal."""
    student: str
    fingerprint: str
    status: str  # graded | review | unreadable | error
    scores: dict[str, float | None] = field(default_factory=dict)
    total: float = 0.0
    max_score: float = 0.0
    needs_review: bool = False
    reasons: list[str] = field(default_factory=list)       # English, for the instructor
    notes_fr: list[str] = field(default_factory=list)      # French, for the student
    seconds: float = 0.0
    execution_seconds: float = 0.0

    def add(self, notes) -> None:
        """Record (English, French) pairs: the instructor's reason and the student's note."""
        for english, french in notes:
            self.reasons.append(english)
            self.notes_fr.append(french)


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

    def journal_path(self, student: str) -> Path:
        return self.journal_dir / f"{student}.json"

    def recorded(self, student: str) -> Outcome | None:
        return read_outcome(self.journal_path(student))

    def _write_atomic(self, path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(path.suffix + ".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)

    # -- one submission ---------------------------------------------------------------------
    async def grade_one(self, student: str, gradebook: CourseGradebook, release, executor,
                        helper_ids: set[str]) -> Outcome:
        started = time.monotonic()
        try:
            loaded = loading.load(self.submitted / student / self.assignment, self.assignment)
        except Exception as error:  # a file no reader foresaw: this student only is affected
            log.error("reading %s failed:\n%s", student, traceback.format_exc())
            loaded = loading.Loaded(None, error=(f"unreadable: {type(error).__name__}: {error}"[:300],
                                                 "Le fichier n'a pas pu être lu : il sera corrigé à la main."))
        outcome = Outcome(student, self.fingerprint(loaded.data), "graded")
        outcome.add(loaded.notes)
        gradebook.register(student)
        target = self.course.notebook("autograded", self.assignment, student)
        target.unlink(missing_ok=True)  # no stale notebook (nor feedback) from an earlier grading
        if loaded.error:
            outcome.status = "unreadable"
            outcome.add([loaded.error])
            gradebook.require_review(student, None, f"Unreadable submission: {loaded.error[0]}")
        else:
            try:
                repaired = repair.repair(loaded.notebook, release)
                outcome.add(repaired.notes)
                nb = gradebook.sanitize(repaired.notebook, student)
                run = await executor.run(nb, helper_ids, student)
                outcome.execution_seconds = run.seconds
                outcome.add(run.problems)
                gradebook.score(run.notebook, student, run.flagged)
                run.notebook.metadata[NOTES_KEY] = {"notes_fr": outcome.notes_fr}
                target.parent.mkdir(parents=True, exist_ok=True)
                self._write_atomic(target, nbformat.writes(run.notebook))
                if run.flagged or run.cut_short:
                    outcome.status = "review"
            except Exception as error:  # our own failure on a strange input: never stop the class
                log.error("grading %s failed:\n%s", student, traceback.format_exc())
                outcome.status = "error"
                outcome.add([(f"grader error: {type(error).__name__}: {error}",
                              "La correction automatique a échoué : le dépôt sera corrigé à la main.")])
                gradebook.require_review(student, None, f"Grader error: {error}")
        final = gradebook.final_grade(student)
        outcome.scores, outcome.total, outcome.max_score = final.scores(), final.total, final.max_score
        outcome.needs_review = final.needs_review or outcome.status != "graded"
        outcome.seconds = time.monotonic() - started
        self._write_report(outcome)
        self._write_atomic(self.journal_path(student), json.dumps(asdict(outcome), indent=1, ensure_ascii=False))
        return outcome

    def _write_report(self, outcome: Outcome) -> None:
        lines = [f"# {outcome.student} — {self.assignment}", "",
                 f"Status: {outcome.status}; score {outcome.total:g} / {outcome.max_score:g}"
                 f"{' (needs manual review)' if outcome.needs_review else ''}", ""]
        lines += [f"- {reason}" for reason in outcome.reasons] or ["- nothing to report"]
        self._write_atomic(self.journal_dir / f"{outcome.student}.md", "\n".join(lines) + "\n")

    # -- the class --------------------------------------------------------------------------
    async def run(self) -> list[Outcome]:
        if bubblewrap() is None:
            log.warning("NO SANDBOX: bubblewrap is missing or we are not root; kernels run with rlimits "
                        "only and can read the course folder. Install bubblewrap and grade as root.")
        gradebook = CourseGradebook(self.course, self.assignment)
        gradebook.ensure_assignment()
        release = repair_release(self.course, self.assignment)
        helper_ids = {grade_id(c) for c in release.cells if (grade_id(c) or "").startswith("helper_")}
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
            slots = asyncio.Semaphore(concurrency)
            bar = _progress(len(todo), self.progress)

            async def graded(student: str) -> None:
                async with slots:
                    outcomes[student] = await self.grade_one(student, gradebook, release, executor, helper_ids)
                    bar.update(1)

            try:
                await asyncio.gather(*(graded(s) for s in todo))
            finally:
                bar.close()
                await executor.close()
        return [outcomes[s] for s in sorted(outcomes)]

    def _current_fingerprint(self, student: str) -> str:
        path, _ = loading.find_notebook(self.submitted / student / self.assignment, self.assignment)
        try:
            data = path.read_bytes()[:loading.MAX_BYTES + 1] if path else b""
        except OSError:
            data = b""
        return self.fingerprint(data)


def read_outcome(path: Path) -> Outcome | None:
    """A journal entry, or None when it is missing or unreadable (the submission is graded again)."""
    try:
        return Outcome(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def read_journal(course: Course, assignment: str) -> dict[str, Outcome]:
    """Every readable journal entry of `assignment`, by student."""
    entries = (read_outcome(p) for p in sorted(course.reports(assignment).glob("*.json")))
    return {outcome.student: outcome for outcome in entries if outcome}


def repair_release(course: Course, assignment: str):
    """The student version the repairs anchor on: the course's release/, else the repository's."""
    from ..paths import release_notebook
    path = course.notebook("release", assignment)
    return nbformat.read(str(path if path.is_file() else release_notebook(assignment)), as_version=4)


def _progress(total: int, enabled: bool):
    from tqdm.auto import tqdm
    return tqdm(total=total, desc="grading", unit="sub", disable=not enabled)
