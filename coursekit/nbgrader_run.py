"""Running the stock nbgrader command line in a course folder and reading its gradebook."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry


def nbgrader_env() -> dict[str, str]:
    """nbgrader runs `alembic` as a program, so this environment's bin/ must lead PATH."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def run_nbgrader(course_root: Path, *args: str, quiet: bool = True) -> subprocess.CompletedProcess:
    """Run `nbgrader <args>` in `course_root` (which holds nbgrader_config.py); raise on failure."""
    command = [sys.executable, "-m", "nbgrader", *args]
    result = subprocess.run(command, cwd=course_root, env=nbgrader_env(), text=True,
                            capture_output=quiet)
    if result.returncode != 0:
        detail = (result.stderr or "")[-4000:] if quiet else ""
        raise RuntimeError(f"`nbgrader {' '.join(args)}` failed in {course_root} (exit {result.returncode})\n{detail}")
    return result


@dataclass(frozen=True)
class CellGrade:
    grade_id: str
    score: float | None  # None: waiting for a manual grade
    max_score: float
    needs_manual_grade: bool
    autograded: bool  # a code test cell; otherwise a manually graded answer


def read_grades(course_root: Path, assignment: str) -> dict[str, list[CellGrade]]:
    """Per student, the grade of every graded cell, in notebook order, from the gradebook."""
    grades: dict[str, list[CellGrade]] = {}
    with Gradebook(f"sqlite:///{course_root / 'gradebook.db'}") as gradebook:
        for student in sorted(s.id for s in gradebook.students):
            try:
                submission = gradebook.find_submission_notebook(assignment, assignment, student)
            except MissingEntry:
                continue
            order = {cell.name: i for i, cell in enumerate(submission.notebook.grade_cells)}
            cells = sorted(submission.grades, key=lambda g: order.get(g.name, 0))
            grades[student] = [CellGrade(g.name, None if g.needs_manual_grade else g.score, g.max_score,
                                         g.needs_manual_grade, g.cell.cell_type == "code")
                               for g in cells]
    return grades
