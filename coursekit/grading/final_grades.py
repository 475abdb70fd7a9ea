"""Final grades as the gradebook holds them: autograded scores, manual grades, and manual
overrides of autograded cells (a teaching assistant's grade in the formgrader wins over the
autograder's, as in `nbgrader export`). The CSV, the summary table, the dashboard and the
Moodle worksheet are all built from here, so a grade set after autograding reaches every one
of them at the next `coursekit export`. An answer still waiting for a grader is pending, never 0.
"""
from __future__ import annotations

from dataclasses import dataclass

from nbgrader.api import Gradebook, MissingEntry, SubmittedNotebook


@dataclass(frozen=True)
class CellGrade:
    grade_id: str
    score: float | None  # None: pending, waiting for a manual grade
    max_score: float
    autograded: bool  # a code test cell; otherwise a manually graded answer

    @property
    def pending(self) -> bool:
        return self.score is None


@dataclass(frozen=True)
class FinalGrade:
    """One student's grade for one assignment, cells in notebook order."""
    student: str
    cells: tuple[CellGrade, ...]

    @property
    def total(self) -> float:
        """Points earned so far (pending answers count for nothing yet, and are not 0 either)."""
        return sum(c.score for c in self.cells if c.score is not None)

    @property
    def max_score(self) -> float:
        return sum(c.max_score for c in self.cells)

    @property
    def pending(self) -> float:
        """Points still to be graded by hand."""
        return sum(c.max_score for c in self.cells if c.pending)

    @property
    def needs_review(self) -> bool:
        """An autograded cell is waiting for a human (a flagged or unreadable submission)."""
        return any(c.pending and c.autograded for c in self.cells)

    def scores(self) -> dict[str, float | None]:
        return {c.grade_id: c.score for c in self.cells}


def notebook_grade(student: str, submission: SubmittedNotebook) -> FinalGrade:
    order = {cell.name: i for i, cell in enumerate(submission.notebook.grade_cells)}
    grades = sorted(submission.grades, key=lambda g: order.get(g.name, len(order)))
    return FinalGrade(student, tuple(
        CellGrade(g.name, None if g.needs_manual_grade else float(g.score), float(g.max_score),
                  g.cell.cell_type == "code") for g in grades))


def read_final_grades(url: str, assignment: str) -> dict[str, FinalGrade]:
    """Per student with a submission of `assignment` in the gradebook at `url` (SQLite or
    PostgreSQL), their final grade; students sorted by id."""
    grades = {}
    with Gradebook(url) as gradebook:
        for student in sorted(s.id for s in gradebook.students):
            try:
                submission = gradebook.find_submission_notebook(assignment, assignment, student)
            except MissingEntry:
                continue
            grades[student] = notebook_grade(student, submission)
    return grades


def cell_order(url: str, assignment: str) -> list[str]:
    with Gradebook(url) as gradebook:
        return [cell.name for cell in gradebook.find_notebook(assignment, assignment).grade_cells]
