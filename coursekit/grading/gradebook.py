"""nbgrader's own steps around our execution: sanitise, score, store.

We run the preprocessors that `nbgrader autograde` runs, with the course's configuration,
in the same order, replacing only its Execute step (our sandboxed, warm, parallel one).
Grades therefore mean exactly what they mean in stock nbgrader, and the formgrader, the
feedback and `nbgrader export` work on them unchanged. Only the coordinator calls this
module, so one process writes the gradebook.
"""
from __future__ import annotations

from pathlib import Path

from nbformat import NotebookNode
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import (CheckCellMetadata, ClearOutput, DeduplicateIds, IgnorePattern,
                                    LimitOutput, OverwriteCells, OverwriteKernelspec, SaveAutoGrades)
from .final_grades import FinalGrade, notebook_grade
from ..course import Course
from ..nbgrader_run import run_nbgrader

SANITIZE = (ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata)
SCORE = (IgnorePattern, LimitOutput, SaveAutoGrades, CheckCellMetadata)


class CourseGradebook:
    """The course's gradebook as the grading batch uses it."""

    def __init__(self, course: Course | Path, assignment: str) -> None:
        self.course = Course.of(course)
        self.assignment = assignment
        self.url = self.course.db_url
        self._sanitize = [step(config=self.course.config) for step in SANITIZE]
        self._score = [step(config=self.course.config) for step in SCORE]

    def ensure_assignment(self) -> None:
        """Record the assignment's cells from source/ if the gradebook does not know it yet."""
        with Gradebook(self.url) as gb:
            try:
                gb.find_notebook(self.assignment, self.assignment)
                return
            except MissingEntry:
                pass
        run_nbgrader(self.course.root, "generate_assignment", self.assignment, "--force",
                     f"--CourseDirectory.db_url={self.url}")

    def register(self, student: str, first_name: str = "", last_name: str = "", *, email: str = "",
                 lms_user_id: str = "") -> None:
        """A student and their submission; `lms_user_id` is Moodle's participant id."""
        with Gradebook(self.url) as gb:
            details = dict(first_name=first_name or None, last_name=last_name or None, email=email or None,
                           lms_user_id=lms_user_id or None)
            gb.update_or_create_student(student, **{k: v for k, v in details.items() if v})
            gb.update_or_create_submission(self.assignment, student)

    def _resources(self, student: str) -> dict:
        return {"nbgrader": {"student": student, "assignment": self.assignment,
                             "notebook": self.assignment, "db_url": self.url}}

    def sanitize(self, nb: NotebookNode, student: str) -> NotebookNode:
        """Outputs cleared, test and read-only cells restored from source/ (hidden tests back in)."""
        resources = self._resources(student)
        for step in self._sanitize:
            nb, resources = step.preprocess(nb, resources)
        return nb

    def score(self, nb: NotebookNode, student: str, flagged: dict[str, list[str]]) -> None:
        """nbgrader's scoring of the executed notebook, then manual review for flagged cells."""
        resources = self._resources(student)
        for step in self._score:
            nb, resources = step.preprocess(nb, resources)
        if flagged:
            self.require_review(student, flagged)

    def require_review(self, student: str, cells: dict[str, list[str]] | None = None, reason: str = "") -> None:
        """Score the given autograded cells (all when None) 0 and ask for a manual grade."""
        with Gradebook(self.url) as gb:
            submission = gb.find_submission_notebook(self.assignment, self.assignment, student)
            for grade in submission.grades:
                if cells is not None and grade.name not in cells:
                    continue
                if grade.cell.cell_type == "code" or cells is None:
                    grade.auto_score = 0
                    grade.needs_manual_grade = True
            for comment in submission.comments:
                if cells is not None and comment.name in cells:
                    comment.auto_comment = "Tamper canary: " + "; ".join(cells[comment.name])
                elif cells is None and reason:
                    comment.auto_comment = reason
            gb.db.commit()

    def final_grade(self, student: str) -> FinalGrade:
        with Gradebook(self.url) as gb:
            return notebook_grade(student, gb.find_submission_notebook(self.assignment, self.assignment, student))
