"""Grading steps a course could add through `c.GradingPipeline.steps` (used by test_pipeline.py)."""
from __future__ import annotations

from coursekit.grading.pipeline import Step


class CountAnswers(Step):
    """A pass after execution, as a similarity check would be: it reads the typed record."""

    def process(self, submission, context):
        answers = [c for c in submission.execution.notebook.cells if c.metadata.get("nbgrader", {}).get("solution")]
        submission.outcome.add([(f"{len(answers)} answer cells seen after {type(submission.execution).__name__}",
                                 f"{len(answers)} réponses vues")])
        return submission


class Broken(Step):
    """A step that fails on every submission."""

    def process(self, submission, context):
        raise RuntimeError("a step of ours is broken")
