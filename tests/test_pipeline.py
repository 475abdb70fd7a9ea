"""The grading pipeline's steps on the mini assignment, with a stand-in for the kernels.

Execution is replaced by an executor that hands the sanitised notebook back unexecuted (no
kernel is started), so these tests see what the steps around it do: the typed record each
step passes on, a step added by one config line, a failing step confined to its submission,
an unreadable file ending the steps that need a notebook, and the journal entry timing each step.
"""
from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from coursekit.course import Course
from coursekit.grading.batch import Batch, repair_release
from coursekit.grading.cli import nbgrader_as_a_library
from coursekit.grading.execute import Execution
from coursekit.grading.gradebook import CourseGradebook
from coursekit.grading.journal import read_journal
from coursekit.grading.pipeline import DEFAULT_STEPS, GradingContext, GradingPipeline
from coursekit.nbgrader_run import nbgrader_env
from coursekit import notebooks
from tests.grading.mini_course import (ASSIGNMENT, RELEASE, SOLUTION, make_course, release_and_solution, submit,
                                       write_release_fixtures)

pytestmark = pytest.mark.xdist_group("grading")


class Unexecuted:
    """An executor whose kernels run nothing: the notebook comes back as it was sent."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    async def run(self, nb, helper_ids, label):
        self.seen.append(label)
        return Execution(nb, seconds=0.5)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = make_course(tmp_path_factory.mktemp("pipeline") / "course")
    os.environ["PATH"] = nbgrader_env()["PATH"]
    CourseGradebook(root, ASSIGNMENT).ensure_assignment()
    _, solution = release_and_solution(root)
    submit(root, "solved", solution)
    submit(root, "garbled", b'{"cells": [')
    return root


def grade(course_root, *extra_steps: str, students=("solved", "garbled")):
    """Every student through the course's pipeline plus `extra_steps`, as Batch.run sends them."""
    (course_root / "nbgrader_config.py").write_text(
        (course_root / "nbgrader_config.py").read_text().split("\n# test steps")[0]
        + f"\n# test steps\nc.GradingPipeline.steps = {[*DEFAULT_STEPS[:-1], *extra_steps, DEFAULT_STEPS[-1]]!r}\n")
    course = Course.load(course_root)
    batch = Batch(course, ASSIGNMENT)
    executor = Unexecuted()
    context = GradingContext(course, ASSIGNMENT, CourseGradebook(course, ASSIGNMENT),
                             repair_release(course, ASSIGNMENT), executor, set(), batch.fingerprint)

    async def run():
        with ThreadPoolExecutor(1) as thread:
            return [await course.pipeline.grade(s, context, thread) for s in students]
    with nbgrader_as_a_library():
        return asyncio.run(run()), executor, course.pipeline


def test_a_step_added_by_one_config_line_reads_the_typed_record(course):
    outcomes, executor, pipeline = grade(course, "tests.grading.steps.CountAnswers")
    solved, garbled = outcomes
    assert [s.name for s in pipeline.instances][-2:] == ["CountAnswers", "Record"]
    assert "answer cells seen after Execution" in solved.reasons[-1], solved.reasons
    assert solved.status == "graded" and solved.total == 10 and solved.execution_seconds == 0.5
    assert executor.seen == ["solved"], "an unreadable file is never sent to a kernel"
    assert garbled.status == "unreadable" and garbled.needs_review and "CountAnswers" not in garbled.step_seconds
    journal = read_journal(Course.load(course), ASSIGNMENT)
    assert set(journal["solved"].step_seconds) >= {"Load", "Repair", "Sanitise", "Execute", "Score", "Record"}
    assert journal["garbled"].reasons[-1].startswith("invalid JSON")
    assert pipeline.coordinator_steps == ["Load", "Repair", "Sanitise", "Score", "CountAnswers", "Record"]


def test_a_failing_step_sends_its_submission_to_review_and_the_record_is_still_written(course):
    outcomes, _, _ = grade(course, "tests.grading.steps.Broken", students=("solved",))
    solved = outcomes[0]
    assert solved.status == "error" and solved.needs_review
    assert solved.reasons[-1] == "grader error: RuntimeError: a step of ours is broken"
    assert read_journal(Course.load(course), ASSIGNMENT)["solved"].status == "error"
    outcomes, _, _ = grade(course, students=("solved",))
    assert outcomes[0].status == "graded" and outcomes[0].total == 10, "the next grading is whole again"


def test_the_engine_fixtures_are_what_nbgrader_generates_now(course, request):
    """tests/fixtures/engine/release.ipynb and solution.ipynb, read by the fast unit tests, are
    nbgrader's release of the mini assignment as the course's config and helpers make it today."""
    if request.config.getoption("--refresh-expected"):
        write_release_fixtures(course)
    shape = lambda nb: [(c.cell_type, c.source, c.metadata) for c in nb.cells]  # noqa: E731
    release, solution = release_and_solution(course)
    assert shape(release) == shape(notebooks.read(RELEASE)), "stale fixture: pytest --refresh-expected"
    assert shape(solution) == shape(notebooks.read(SOLUTION)), "stale fixture: pytest --refresh-expected"


def test_the_default_list_is_the_documented_order():
    assert [s.name for s in GradingPipeline().instances] == ["Load", "Repair", "Sanitise", "Execute", "Score", "Record"]
