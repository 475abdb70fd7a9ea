"""Moodle's grading worksheet, both ways, and the feedback-files zip Moodle accepts.

In: the worksheet an instructor downloads from the assignment ("Download grading worksheet"),
in French or English, is kept as `grades/<assignment>_moodle_worksheet.csv`; its participants
are matched to the students imported from the submissions archive by participant id (stored
as nbgrader's `lms_user_id`), never by name.

Out (`coursekit export`): `grades/<assignment>_moodle.csv`, the same worksheet (same columns,
rows and order) with the grade and a short French comment per student, ready for Moodle's
"Upload grading worksheet"; and `grades/<assignment>_moodle_feedback.zip`, one HTML feedback per
student in the folder layout of Moodle's "Upload multiple feedback files in a zip". A student
with answers still to grade by hand gets no grade yet (the comment says why), unless asked.
"""
from __future__ import annotations

import csv
import io
import logging
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook

from .final_grades import FinalGrade
from ..course import Course

log = logging.getLogger(__name__)

# Column titles as Moodle writes them, English and French interfaces.
COLUMNS = {
    "participant": ("Identifier", "Identifiant"),
    "full_name": ("Full name", "Nom complet"),
    "email": ("Email address", "Adresse de courriel"),
    "grade": ("Grade", "Note"),
    "max_grade": ("Maximum Grade", "Maximum grade", "Note maximale"),
    "comments": ("Feedback comments", "Commentaires de feedback"),
}
PARTICIPANT = re.compile(r"(\d+)\s*$")


class WorksheetError(ValueError):
    """A file that is not a Moodle grading worksheet."""


def kept_worksheet(course: Course, assignment: str) -> Path:
    return course.grades(assignment, "_moodle_worksheet.csv")


@dataclass
class Worksheet:
    header: list[str]
    rows: list[list[str]]
    columns: dict[str, int]  # our name -> column index

    @classmethod
    def read(cls, path: Path) -> "Worksheet":
        text = Path(path).read_text(encoding="utf-8-sig")
        table = list(csv.reader(io.StringIO(text)))
        if not table:
            raise WorksheetError(f"{path}: empty file, not a Moodle grading worksheet")
        header = [title.strip() for title in table[0]]
        columns = {}
        for name, titles in COLUMNS.items():
            found = [header.index(t) for t in titles if t in header]
            if not found:
                raise WorksheetError(f"{path}: no column {' / '.join(repr(t) for t in titles)}; "
                                     f"is it Moodle's grading worksheet? (columns: {', '.join(header)})")
            columns[name] = found[0]
        rows = [row + [""] * (len(header) - len(row)) for row in table[1:] if any(cell.strip() for cell in row)]
        return cls(header, rows, columns)

    def get(self, row: list[str], name: str) -> str:
        return row[self.columns[name]]

    def participant(self, row: list[str]) -> str | None:
        match = PARTICIPANT.search(self.get(row, "participant"))
        return match[1] if match else None

    def participants(self) -> dict[str, list[str]]:
        return {p: row for row in self.rows if (p := self.participant(row))}

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
            writer.writerow(self.header)
            writer.writerows(self.rows)


def import_worksheet(path: Path, course: Course, assignment: str, archive_participants: dict[str, str]) -> Worksheet:
    """Keep the worksheet for the export and report who is on one side only.
    `archive_participants`: participant id -> student id, from the submissions archive."""
    sheet = Worksheet.read(path)
    target = kept_worksheet(course, assignment)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    listed = sheet.participants()
    for participant, student in sorted(archive_participants.items()):
        if participant not in listed:
            log.warning("Moodle: participant %s (%s) submitted but is not in the grading worksheet", participant, student)
    missing = [f"{sheet.get(row, 'full_name')} ({p})" for p, row in listed.items() if p not in archive_participants]
    if missing:
        log.info("Moodle: %d participant(s) of the worksheet submitted nothing: %s", len(missing), ", ".join(missing))
    return sheet


def participants_in_gradebook(url: str) -> dict[str, str]:
    """participant id (nbgrader's lms_user_id) -> student id."""
    with Gradebook(url) as gradebook:
        return {s.lms_user_id: s.id for s in gradebook.students if s.lms_user_id}


def _number(value: float, comma: bool) -> str:
    text = f"{round(value, 2):.2f}"
    return text.replace(".", ",") if comma else text


def _french(value: float) -> str:
    return f"{round(value, 2):g}".replace(".", ",")


def comment(grade: FinalGrade) -> str:
    """A short French comment: the grade, what is still to grade, the exercises to look at again."""
    lost = [f"{c.grade_id.removesuffix('_tests')} ({_french(c.score)} / {_french(c.max_score)})"
            for c in grade.cells if c.score is not None and c.score < c.max_score]
    text = f"Note : {_french(grade.total)} / {_french(grade.max_score)}."
    if grade.pending:
        text = (f"Note provisoire : {_french(grade.total)} / {_french(grade.max_score)}, "
                f"{_french(grade.pending)} pt en attente de correction.")
    if lost:
        text += " À revoir : " + ", ".join(lost) + "."
    return text + " Le retour détaillé est joint."


def fill_worksheet(sheet: Worksheet, grades: dict[str, FinalGrade], participants: dict[str, str], *,
                   include_pending: bool = False) -> list[str]:
    """Grades and comments into the worksheet's rows; returns the problems, in English, for the log."""
    problems = []
    for row in sheet.rows:
        participant = sheet.participant(row)
        student = participants.get(participant or "")
        grade = grades.get(student or "")
        if grade is None:
            if participant is None:
                problems.append(f"worksheet row {sheet.get(row, 'full_name')!r}: no participant id in "
                                f"{sheet.get(row, 'participant')!r}, left as it is")
            continue  # no submission: the row stays as Moodle wrote it
        row[sheet.columns["comments"]] = comment(grade)
        if grade.pending and not include_pending:
            row[sheet.columns["grade"]] = ""
            problems.append(f"{student}: {grade.pending:g} point(s) still to grade by hand, no grade written")
            continue
        max_text = sheet.get(row, "max_grade").strip()
        comma = "," in max_text
        try:
            moodle_max = float(max_text.replace(",", ".")) if max_text else grade.max_score
        except ValueError:
            moodle_max = grade.max_score
        value = grade.total * moodle_max / grade.max_score if grade.max_score else 0.0
        row[sheet.columns["grade"]] = _number(value, comma)
    return problems


def feedback_zip(path: Path, course: Course, assignment: str, sheet: Worksheet, participants: dict[str, str]) -> int:
    """One feedback page per student with a submission, in Moodle's feedback-files layout."""
    written = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for participant, row in sheet.participants().items():
            student = participants.get(participant)
            page = course.notebook("feedback", assignment, str(student))
            if student and page.is_file():
                folder = f"{sheet.get(row, 'full_name')}_{participant}_assignsubmission_file_"
                zf.write(page, f"{folder}/{assignment}_retour.html")
                written += 1
    return written


def export_moodle(course: Course, assignment: str, url: str, grades: dict[str, FinalGrade], *,
                  include_pending: bool = False) -> list[Path]:
    """The filled worksheet and the feedback zip, when a worksheet was imported; their paths."""
    source = kept_worksheet(course, assignment)
    if not source.is_file():
        return []
    sheet = Worksheet.read(source)
    participants = participants_in_gradebook(url)
    for problem in fill_worksheet(sheet, grades, participants, include_pending=include_pending):
        log.warning("Moodle worksheet: %s", problem)
    filled = course.grades(assignment, "_moodle.csv")
    sheet.write(filled)
    archive = course.grades(assignment, "_moodle_feedback.zip")
    count = feedback_zip(archive, course, assignment, sheet, participants)
    log.info("Moodle: worksheet %s, %d feedback page(s) in %s", filled, count, archive)
    return [filled, archive]
