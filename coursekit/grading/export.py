"""`python -m coursekit export <assignment>`: final grades out of the gradebook, after
autograding and after every round of manual grading in the formgrader.

Rewrites `grades/<assignment>.csv`, prints the summary table, regenerates the students'
feedback and, when a Moodle grading worksheet was imported, fills it and zips the feedback for
Moodle (see moodle_worksheet.py), all from the gradebook, so a manual grade (or a manual
override of an autograded cell) shows the same everywhere. `coursekit grade` ends with it."""
from __future__ import annotations

from pathlib import Path

from . import summary
from .journal import read_journal
from .feedback import write_notice
from .final_grades import FinalGrade, cell_order, read_final_grades
from .moodle_worksheet import export_moodle
from ..course import Course
from ..nbgrader_run import run_nbgrader


def export_grades(course: Course | Path, assignment: str, *, feedback: bool = True,
                  include_pending: bool = False) -> dict[str, FinalGrade]:
    course = Course.of(course)
    url = course.db_url
    grades = read_final_grades(url, assignment)
    outcomes = read_journal(course, assignment)
    if grades and feedback:
        run_nbgrader(course.root, "generate_feedback", assignment, "--force", f"--CourseDirectory.db_url={url}")
        for student, outcome in outcomes.items():
            if not course.folder("autograded", assignment, student).is_dir():
                write_notice(course.notebook("feedback", assignment, student), assignment, outcome.notes_fr)
    csv_path = course.grades(assignment)
    summary.write_csv(csv_path, grades, outcomes, cell_order(url, assignment) if grades else [])
    print(summary.table(grades, outcomes))
    print(f"grades: {csv_path}")
    for path in export_moodle(course, assignment, url, grades, include_pending=include_pending):
        print(f"Moodle: {path}")
    return grades
