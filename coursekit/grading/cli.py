"""`python -m coursekit grade <assignment>`: the whole class, from submissions to the CSV."""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import time
import warnings
from pathlib import Path

from . import moodle
from .batch import Batch, Outcome
from .export import export_grades
from .gradebook import CourseGradebook, load_config
from .sandbox import Limits
from ..nbgrader_run import nbgrader_env


def limits_for(course: Path, assignment: str) -> Limits:
    """Defaults, then `c.Sandbox.<field>` and `c.Sandbox.overrides[<assignment>]` from nbgrader_config.py."""
    config = load_config(course)
    section = dict(config.get("Sandbox", {}))
    values = {f.name: section[f.name] for f in dataclasses.fields(Limits) if f.name in section}
    if "cell_timeout" not in values and "timeout" in config.get("Execute", {}):
        values["cell_timeout"] = int(config.Execute.timeout)
    values.update(dict(section.get("overrides", {})).get(assignment, {}))
    return Limits(**values)


def quiet_libraries() -> None:
    """nbgrader's checksum notices and SQLAlchemy's session notices repeat what our reports say."""
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="sqlalchemy")
    warnings.filterwarnings("ignore", message=".*(not in session|missing an id field).*")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="assignment id, e.g. tp2_fonctions_derivables")
    parser.add_argument("--course", default=".", help="course folder holding nbgrader_config.py and submitted/")
    parser.add_argument("--moodle", type=Path, help="Moodle 'download all submissions' zip to import first")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="submissions graded at once")
    parser.add_argument("--force", action="store_true", help="regrade submissions already graded")
    parser.add_argument("--dask", metavar="ADDRESS", help="execute on a dask.distributed scheduler (tcp://host:port)")
    parser.add_argument("--no-feedback", action="store_true", help="skip the feedback HTML")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def grade_course(course: Path, assignment: str, *, jobs: int = os.cpu_count() or 1, force: bool = False,
                 feedback: bool = True, progress: bool = True, moodle_zip: Path | None = None,
                 dask: str | None = None) -> list[Outcome]:
    """Import (optional), grade, then export (feedback, CSV, summary); returns the outcomes."""
    os.environ["PATH"] = nbgrader_env()["PATH"]  # nbgrader's Gradebook runs `alembic`
    quiet_libraries()
    course = Path(course).resolve()
    gradebook = CourseGradebook(course, assignment)
    if moodle_zip:
        gradebook.ensure_assignment()
        for entry in moodle.import_archive(moodle_zip, course, assignment):
            first, _, last = entry.full_name.partition(" ")
            gradebook.register(entry.student, first, last)
            logging.info("imported %s (%s): %s", entry.student, entry.full_name, ", ".join(entry.files))
            for reason in entry.skipped:
                logging.warning("%s: left out of the import: %s", entry.student, reason)
    batch = Batch(course, assignment, limits_for(course, assignment), jobs=max(1, jobs), force=force,
                  progress=progress, dask=dask)
    started = time.perf_counter()
    outcomes = asyncio.run(batch.run())
    elapsed = time.perf_counter() - started
    export_grades(course, assignment, feedback=feedback and bool(outcomes))
    print(f"graded in {elapsed:.1f} s; reports: {batch.journal_dir}")
    return outcomes


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="assignment id, e.g. tp2_fonctions_derivables")
    parser.add_argument("--course", default=".", help="course folder holding nbgrader_config.py and the gradebook")
    parser.add_argument("--no-feedback", action="store_true", help="do not regenerate the feedback HTML")


def export(args: argparse.Namespace) -> int:
    os.environ["PATH"] = nbgrader_env()["PATH"]
    quiet_libraries()
    export_grades(Path(args.course), args.assignment, feedback=not args.no_feedback)
    return 0


def grade(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    grade_course(Path(args.course), args.assignment, jobs=args.jobs, force=args.force,
                 feedback=not args.no_feedback, progress=not args.quiet, moodle_zip=args.moodle, dask=args.dask)
    return 0
