"""One submission's way through the grader: a configurable list of steps.

    submitted/<student>/<id>/ (any file name; only ever read)
        │
        ├─ Load       find and read the notebook whatever state it is in  → notebook, notes
        ├─ Repair     cells back to the release's ids, order and points     → notebook, notes
        ├─ Sanitise   nbgrader: outputs cleared, tests and read-only cells from source/
        ├─ Execute    a warm sandboxed kernel runs it, test cells judged
        │             outside it by a judge worker (executors.py)            → Execution
        ├─ Score      nbgrader's scoring into the gradebook; autograded/<student>/<id>/
        └─ Record     final grade read back from the gradebook               → journal entry, report
        ▼
    export.py, after the batch and after each round of manual grading:
        feedback pages, grades/<id>.csv, summary, Moodle worksheet and feedback zip

Each step takes and returns a `Submission`, the typed record of one student's submission, as
nbgrader's preprocessors take and return a notebook. The list is a traitlets option, so adding
a step (a similarity pass, say) is one line of nbgrader_config.py (`Record` stays last):

    c.GradingPipeline.steps = [*DEFAULT_STEPS[:-1], "my_course.Similarity", DEFAULT_STEPS[-1]]

(with `from coursekit.grading.pipeline import DEFAULT_STEPS` above it).

A step is a `Step` subclass with a `process(submission, context)` method. Blocking steps
(everything but Execute) run in the coordinator's worker thread, one at a time, so the event
loop keeps feeding the kernels while a submission is read, repaired or scored, and one thread
writes the gradebook. A step that raises ends that submission as a grader error sent to
manual review; the others, and the class, go on. `Record` runs whatever happened before it.
"""
from __future__ import annotations

import asyncio
import inspect
import logging
import time
import traceback
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Callable

import nbformat
from nbformat import NotebookNode
from traitlets import List, Type
from traitlets.utils.importstring import import_item
from traitlets.config import LoggingConfigurable

from . import loading, repair
from .execute import Execution
from .feedback import NOTES_KEY
from .gradebook import CourseGradebook
from .journal import Outcome, write_atomic, write_entry
from .sandbox import ConfigError
from ..course import Course

log = logging.getLogger("coursekit.grading")


@dataclass
class GradingContext:
    """What every submission of one batch shares."""
    course: Course
    assignment: str
    gradebook: CourseGradebook
    release: NotebookNode        # the student version repairs anchor on
    executor: object             # executors.LocalExecutor or DaskExecutor: `await run(nb, helper_ids, label)`
    helper_ids: set[str]         # stamped helper cells, run but never graded
    fingerprint: Callable[[bytes], str]  # of the submitted bytes, the teacher notebook and the limits


@dataclass
class Submission:
    """One student's submission on its way through the steps."""
    student: str
    outcome: Outcome
    loaded: loading.Loaded | None = None
    notebook: NotebookNode | None = None   # the notebook the next step works on
    execution: Execution | None = None
    stopped: bool = False                  # nothing more to grade (unreadable file, grader error)
    started: float = field(default_factory=time.monotonic)


class Step(LoggingConfigurable):
    """One stage of the pipeline. `process` returns the (possibly updated) submission; a
    coroutine `process` runs on the event loop, a plain one in the coordinator's thread."""

    runs_when_stopped = False  # Record runs for every submission, the others only while there is work

    @property
    def name(self) -> str:
        return type(self).__name__

    def process(self, submission: Submission, context: GradingContext) -> Submission:
        raise NotImplementedError


class Load(Step):
    """Find and read the submitted notebook; register the student; forget an earlier autograde."""

    def process(self, submission, context):
        folder = context.course.submitted() / submission.student / context.assignment
        try:
            loaded = loading.load(folder, context.assignment)
        except Exception as error:  # a file no reader foresaw: this student only is affected
            log.error("reading %s failed:\n%s", submission.student, traceback.format_exc())
            loaded = loading.Loaded(None, error=(f"unreadable: {type(error).__name__}: {error}"[:300],
                                                 "Le fichier n'a pas pu être lu : il sera corrigé à la main."))
        outcome = submission.outcome
        outcome.fingerprint = context.fingerprint(loaded.data)
        outcome.add(loaded.notes)
        context.gradebook.register(submission.student)
        # no stale notebook (nor feedback) from an earlier grading
        context.course.notebook("autograded", context.assignment, submission.student).unlink(missing_ok=True)
        submission.loaded, submission.notebook = loaded, loaded.notebook
        if loaded.error:
            outcome.status = "unreadable"
            outcome.add([loaded.error])
            context.gradebook.require_review(submission.student, None, f"Unreadable submission: {loaded.error[0]}")
            submission.stopped = True
        return submission


class Repair(Step):
    """Answer cells matched back to the release (grade id, content, position); tests and points
    always come from the release."""

    def process(self, submission, context):
        repaired = repair.repair(submission.notebook, context.release)
        submission.outcome.add(repaired.notes)
        submission.notebook = repaired.notebook
        return submission


class Sanitise(Step):
    """nbgrader's own preprocessors before execution (hidden tests back in from source/)."""

    def process(self, submission, context):
        submission.notebook = context.gradebook.sanitize(submission.notebook, submission.student)
        return submission


class Execute(Step):
    """The notebook in a warm sandboxed kernel, its test cells judged outside it."""

    async def process(self, submission, context):
        run = await context.executor.run(submission.notebook, context.helper_ids, submission.student)
        submission.execution, submission.notebook = run, run.notebook
        submission.outcome.execution_seconds = run.seconds
        submission.outcome.add(run.problems)
        return submission


class Score(Step):
    """nbgrader's scoring into the gradebook (cells the canary flagged go to manual review),
    then the autograded notebook the formgrader and the feedback read."""

    def process(self, submission, context):
        run = submission.execution
        context.gradebook.score(run.notebook, submission.student, run.flagged)
        run.notebook.metadata[NOTES_KEY] = {"notes_fr": submission.outcome.notes_fr}
        write_atomic(context.course.notebook("autograded", context.assignment, submission.student),
                     nbformat.writes(run.notebook))
        if run.flagged or run.cut_short:
            submission.outcome.status = "review"
        return submission


class Record(Step):
    """The final grade as the gradebook holds it, into the journal entry and the report."""

    runs_when_stopped = True

    def process(self, submission, context):
        begun, outcome = time.monotonic(), submission.outcome
        final = context.gradebook.final_grade(submission.student)
        outcome.scores, outcome.total, outcome.max_score = final.scores(), final.total, final.max_score
        outcome.needs_review = final.needs_review or outcome.status != "graded"
        outcome.seconds = time.monotonic() - submission.started
        outcome.step_seconds[self.name] = round(time.monotonic() - begun, 4)  # the entry is its last act
        write_entry(context.course.reports(context.assignment), context.assignment, outcome)
        return submission


DEFAULT_STEPS = [f"{__name__}.{step.__name__}" for step in (Load, Repair, Sanitise, Execute, Score, Record)]


class GradingPipeline(LoggingConfigurable):
    """The steps every submission goes through, in order (see the module docstring)."""

    steps = List(Type(klass=Step), default_value=DEFAULT_STEPS,
                 help="Step classes (or their import names) run in order on each submission; "
                      "coursekit.grading.pipeline.DEFAULT_STEPS is the course's list.").tag(config=True)

    def __init__(self, **kwargs) -> None:
        settings = kwargs.get("config", {}).get("GradingPipeline", {})
        unknown = sorted(set(settings) - set(self.class_trait_names(config=True)))
        if unknown:
            raise ConfigError(f"unknown setting c.GradingPipeline.{unknown[0]}; known: steps")
        steps = [_step_class(entry) for entry in settings.get("steps", DEFAULT_STEPS)]
        if not steps or not issubclass(steps[-1], Record):
            raise ConfigError("c.GradingPipeline.steps: the last step must be coursekit.grading.pipeline.Record "
                              "(it writes the journal entry and the report)")
        super().__init__(**kwargs)
        self.instances = [step(parent=self) for step in self.steps]

    @property
    def coordinator_steps(self) -> list[str]:
        """The blocking steps: what the one coordinator thread does for each submission."""
        return [step.name for step in self.instances if not inspect.iscoroutinefunction(step.process)]

    async def grade(self, student: str, context: GradingContext, thread: Executor) -> Outcome:
        """Every step on one submission; `thread` runs the blocking ones."""
        submission = Submission(student, Outcome(student, "", "graded"))
        loop = asyncio.get_running_loop()
        for step in self.instances:
            if submission.stopped and not step.runs_when_stopped:
                continue
            begun = time.monotonic()
            try:
                if inspect.iscoroutinefunction(step.process):
                    submission = await step.process(submission, context)
                else:  # timed in the thread: waiting for it is not the step's time
                    submission, begun = await loop.run_in_executor(thread, _timed, step, submission, context)
            except Exception as error:  # our own failure on a strange input: never stop the class
                if step.runs_when_stopped:
                    raise
                log.error("grading %s failed in %s:\n%s", student, step.name, traceback.format_exc())
                submission.outcome.status = "error"
                submission.outcome.add([(f"grader error: {type(error).__name__}: {error}",
                                         "La correction automatique a échoué : le dépôt sera corrigé à la main.")])
                await loop.run_in_executor(thread, context.gradebook.require_review, student, None,
                                           f"Grader error: {error}")
                submission.stopped = True
            submission.outcome.step_seconds[step.name] = round(time.monotonic() - begun, 4)
        return submission.outcome


def _timed(step: Step, submission: Submission, context: GradingContext) -> tuple[Submission, float]:
    """A blocking step, and when it started (in the thread that ran it)."""
    begun = time.monotonic()
    return step.process(submission, context), begun


def _step_class(entry) -> type[Step]:
    """The Step class `entry` names (or is); ConfigError saying why it is not one."""
    if isinstance(entry, str):
        try:
            entry = import_item(entry)
        except (ImportError, AttributeError, ValueError) as error:
            raise ConfigError(f"c.GradingPipeline.steps: cannot import {entry!r} ({error})") from None
    if not (isinstance(entry, type) and issubclass(entry, Step)):
        raise ConfigError(f"c.GradingPipeline.steps: {entry!r} is not a coursekit.grading.pipeline.Step subclass")
    return entry
