"""Data behind the instructor dashboard (notebooks/tableau_de_bord.ipynb), for the morning
after grading.

Everything comes from what grading leaves in a course folder: the gradebook (final grades,
manual grades included, on SQLite or PostgreSQL alike), the autograded notebooks (the
`✗ description : message` lines that `Checks` prints for each failed hidden check) and the
grading journal (status, repairs, submissions flagged for review). An exercise a student never
attempted (no point earned, its checks ran into a stub's NotImplementedError) is counted apart
from a wrong answer, so the most-failed checks are real mistakes. Plain data structures, so the notebook only draws.
"""
from __future__ import annotations

import html
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from .course import Course
from .grading.journal import read_journal
from .grading.feedback_page import check_report
from .grading.final_grades import FinalGrade, read_final_grades
from .notebooks import grade_id, is_test_cell

FAILURE = re.compile(r"^(?P<check>.+?) : (?P<message>.*)$")  # a failed check's line, after « ✗ »
UNATTEMPTED = "NotImplementedError"  # what a stub left as released raises


@dataclass
class StudentRow:
    student: str
    grade: FinalGrade
    status: str          # graded | review | unreadable | error ("" when graded by stock nbgrader)
    repairs: list[str]   # what the engine fixed or noticed before grading (English, for the instructor)
    unattempted: list[str]  # test cells whose exercise was left as the stub
    feedback: Path | None


@dataclass
class AssignmentStats:
    assignment: str
    students: list[StudentRow]
    max_score: float
    cell_success: dict[str, float]            # autograded cell -> mean share of its points, among attempts
    unattempted: dict[str, int]               # autograded cell -> students who left its exercise as the stub
    failed_checks: list[tuple[str, int, str]]  # among attempts: (check, students who failed it, one message)
    to_grade: dict[str, int]                  # manually graded cell -> answers still waiting for a grader
    flagged: list[tuple[str, str, str]]        # (student, status, last reason)

    @property
    def totals(self) -> dict[str, float]:
        """Final points per student (manual grades included; pending answers not yet counted)."""
        return {row.student: row.grade.total for row in self.students}

    @property
    def pending_points(self) -> float:
        return sum(row.grade.pending for row in self.students)


def course_stats(course: Course | Path) -> list[AssignmentStats]:
    """Per assignment present in the gradebook with at least one submission."""
    course = Course.of(course)
    with Gradebook(course.db_url) as gradebook:
        names = sorted(a.name for a in gradebook.assignments if gradebook.assignment_submissions(a.name))
    return [assignment_stats(course, name) for name in names]


def assignment_stats(course: Course, assignment: str) -> AssignmentStats:
    grades = read_final_grades(course.db_url, assignment)
    journal = read_journal(course, assignment)
    checks = {student: test_cell_failures(course, assignment, student) for student in grades}
    rows, shares, unattempted, to_grade = [], {}, Counter(), Counter()
    failed: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for student, grade in grades.items():
        earned = grade.scores()
        left = [cell for cell, failures in checks[student].items()
                if not earned.get(cell) and any(_unattempted(m) for _, m in failures)]
        unattempted.update(left)
        for cell in grade.cells:
            if cell.autograded and cell.grade_id not in left and cell.score is not None and cell.max_score:
                shares.setdefault(cell.grade_id, []).append(cell.score / cell.max_score)
            if not cell.autograded and cell.pending:
                to_grade[cell.grade_id] += 1
        mistakes = {check: message for cell, failures in checks[student].items() if cell not in left
                    for check, message in failures if not _unattempted(message)}
        failed.update(mistakes.keys())
        for check, message in mistakes.items():
            examples.setdefault(check, message)
        outcome = journal.get(student)
        page = course.notebook("feedback", assignment, student)
        rows.append(StudentRow(student, grade, outcome.status if outcome else "",
                               outcome.reasons if outcome and outcome.status == "graded" else [], left,
                               page if page.is_file() else None))
    flagged = [(o.student, o.status, (o.reasons or [""])[-1]) for o in journal.values() if o.needs_review]
    return AssignmentStats(assignment, rows, max((g.max_score for g in grades.values()), default=0.0),
                           {cell: sum(v) / len(v) for cell, v in shares.items()}, dict(unattempted),
                           [(check, count, examples[check]) for check, count in failed.most_common()],
                           dict(to_grade), flagged)


def test_cell_failures(course: Course, assignment: str, student: str) -> dict[str, list[tuple[str, str]]]:
    """Per test cell of the student's autograded notebook, its failed checks as (check, message);
    an error with no check line (a visible check, or a crash) counts as one failure of the cell."""
    path = course.notebook("autograded", assignment, student)
    if not path.is_file():
        return {}
    found = {}
    for cell in nbformat.read(path, as_version=4).cells:
        if not is_test_cell(cell):
            continue
        lines, errors = check_report(cell)
        failures = [(m["check"], m["message"]) for line in lines if (m := FAILURE.match(line))]
        failures += [(f"{grade_id(cell)} : vérification visible ou erreur", f"{name}: {message.splitlines()[0] if message else ''}")
                     for name, message in errors]
        found[grade_id(cell)] = failures
    return found


def _unattempted(message: str) -> bool:
    """The check ran into a stub (`<what> : NotImplementedError : `)."""
    return re.search(rf"(^|: ){UNATTEMPTED}\b", message) is not None


def student_table_html(stats: AssignmentStats, relative_to: Path | None = None) -> str:
    """One row per student: points per graded cell (« à corriger » while pending), final total,
    status, repairs and a link to the feedback page, as an HTML table."""
    cells = [c.grade_id for c in stats.students[0].grade.cells] if stats.students else []
    head = "".join(f"<th>{html.escape(c.removesuffix('_tests'))}</th>" for c in cells)
    rows = []
    for row in stats.students:
        scores = row.grade.scores()
        marks = "".join(
            f"<td>{'à corriger' if scores[c] is None else '—' if c in row.unattempted else f'{scores[c]:g}'}</td>"
            for c in cells)
        link = ""
        if row.feedback:
            target = os.path.relpath(row.feedback, relative_to) if relative_to else row.feedback.as_uri()
            link = f'<a href="{html.escape(str(target))}">retour</a>'
        pending = f" (+{row.grade.pending:g} à corriger)" if row.grade.pending else ""
        rows.append(f"<tr><td>{html.escape(row.student)}</td>{marks}<td><b>{row.grade.total:g}</b> / "
                    f"{row.grade.max_score:g}{pending}</td><td>{html.escape(row.status)}</td>"
                    f"<td>{html.escape('; '.join(row.repairs))}</td><td>{link}</td></tr>")
    return (f"<table><tr><th>étudiant</th>{head}<th>total</th><th>statut</th><th>réparations</th><th>retour</th></tr>"
            + "".join(rows) + "</table>")
