"""`python -m coursekit grade <assignment>`: the whole class, from submissions to the CSV."""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from . import moodle, moodle_worksheet
from .batch import Batch
from .journal import Outcome
from .export import export_grades
from .gradebook import CourseGradebook
from .sandbox import ConfigError
from ..course import Course
from ..nbgrader_run import nbgrader_env


@contextmanager
def nbgrader_as_a_library() -> Iterator[None]:
    """While grading or exporting: nbgrader finds `alembic` (a new gradebook runs it as a program),
    and its checksum notices and SQLAlchemy's session notices, which repeat what our reports say,
    are silenced. PATH, the traitlets log level and the warning filters are restored on the way
    out: a caller using `grade_course` as a library (a Slurm script, a notebook) keeps its own."""
    path = os.environ.get("PATH")
    traitlets_log = logging.getLogger("traitlets")
    level = traitlets_log.level
    os.environ["PATH"] = nbgrader_env()["PATH"]
    traitlets_log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module="sqlalchemy")
            warnings.filterwarnings("ignore", message=".*(not in session|missing an id field).*")
            yield
    finally:
        traitlets_log.setLevel(level)
        if path is None:
            os.environ.pop("PATH", None)
        else:
            os.environ["PATH"] = path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="assignment id, e.g. tp2_fonctions_derivables")
    parser.add_argument("--course", default=".", help="course folder holding nbgrader_config.py and submitted/")
    parser.add_argument("--moodle", type=Path, help="Moodle 'download all submissions' zip to import first")
    parser.add_argument("--moodle-worksheet", type=Path,
                        help="Moodle grading worksheet (CSV) to fill with the final grades at export")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="submissions graded at once")
    parser.add_argument("--force", action="store_true", help="regrade submissions already graded")
    parser.add_argument("--dask", metavar="ADDRESS", help="execute on a dask.distributed scheduler (tcp://host:port)")
    parser.add_argument("--no-feedback", action="store_true", help="skip the feedback HTML")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def grade_course(course: Course | Path, assignment: str, *, jobs: int = os.cpu_count() or 1, force: bool = False,
                 feedback: bool = True, progress: bool = True, moodle_zip: Path | None = None,
                 worksheet: Path | None = None, dask: str | None = None) -> list[Outcome]:
    """Import (optional), grade, then export (feedback, CSV, summary); returns the outcomes."""
    course = Course.of(course)
    with nbgrader_as_a_library():
        gradebook = CourseGradebook(course, assignment)
        if moodle_zip:
            import_moodle(gradebook, moodle_zip, worksheet)
        elif worksheet:
            known = moodle_worksheet.participants_in_gradebook(gradebook.url)
            moodle_worksheet.import_worksheet(worksheet, course, assignment, known)
        batch = Batch(course, assignment, jobs=max(1, jobs), force=force,
                      progress=progress, dask=dask)
        started = time.perf_counter()
        outcomes = asyncio.run(batch.run())
        elapsed = time.perf_counter() - started
        export_grades(course, assignment, feedback=feedback and bool(outcomes))
        print(f"graded in {elapsed:.1f} s; reports: {batch.journal_dir}")
        return outcomes


def import_moodle(gradebook: CourseGradebook, archive: Path, worksheet: Path | None) -> None:
    """Submissions from Moodle's archive into submitted/, students into the gradebook with their
    participant id; the worksheet (optional) is kept for the export and gives names and emails."""
    gradebook.ensure_assignment()
    entries = moodle.import_archive(archive, gradebook.course.submitted(), gradebook.assignment)
    emails: dict[str, str] = {}
    if worksheet:
        sheet = moodle_worksheet.import_worksheet(worksheet, gradebook.course, gradebook.assignment,
                                                  {e.participant: e.student for e in entries})
        emails = {p: sheet.get(row, "email") for p, row in sheet.participants().items()}
    for entry in entries:
        first, _, last = entry.full_name.partition(" ")
        gradebook.register(entry.student, first, last, lms_user_id=entry.participant, email=emails.get(entry.participant, ""))
        logging.info("imported %s (%s, participant %s): %s", entry.student, entry.full_name, entry.participant,
                     ", ".join(entry.files))
        for reason in entry.skipped:
            logging.warning("%s: left out of the import: %s", entry.student, reason)


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="assignment id, e.g. tp2_fonctions_derivables")
    parser.add_argument("--course", default=".", help="course folder holding nbgrader_config.py and the gradebook")
    parser.add_argument("--no-feedback", action="store_true", help="do not regenerate the feedback HTML")
    parser.add_argument("--moodle-include-pending", action="store_true",
                        help="write a Moodle grade even for students with answers still to grade by hand")


def load_course(folder: str) -> Course | None:
    """The course at `folder`, or None after logging why its configuration cannot be used."""
    try:
        return Course.load(folder)
    except ConfigError as error:
        logging.error("%s", error)
        return None


def export(args: argparse.Namespace) -> int:
    course = load_course(args.course)
    if course is None:
        return 2
    with nbgrader_as_a_library():
        export_grades(course, args.assignment, feedback=not args.no_feedback, include_pending=args.moodle_include_pending)
    return 0


def grade(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.moodle_worksheet:
        try:  # a wrong file is refused before anything is imported or graded
            moodle_worksheet.Worksheet.read(args.moodle_worksheet)
        except (OSError, UnicodeDecodeError, moodle_worksheet.WorksheetError) as error:
            logging.error("--moodle-worksheet: %s", error)
            return 2
    course = load_course(args.course)
    if course is None:
        return 2
    grade_course(course, args.assignment, jobs=args.jobs, force=args.force,
                 feedback=not args.no_feedback, progress=not args.quiet, moodle_zip=args.moodle, worksheet=args.moodle_worksheet, dask=args.dask)
    return 0
