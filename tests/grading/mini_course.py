"""A small assignment with the course's conventions, for grading-engine tests
(tests/fixtures/engine/tp0_mini.ipynb).

Grading a real TP costs seconds of computation per submission; the engine's behaviour
(repair, sandbox, canary, scoring, feedback) does not depend on how much the notebook
computes. This assignment has what the engine must handle: stamped helper cells, answer
cells with visible and hidden checks using `torch.allclose`, a plain data cell, a manual
markdown answer, and partial credit through `Checks`.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import nbformat

from coursekit import notebooks, stamping
from coursekit.paths import NBGRADER_CONFIG
from coursekit.submissions import student_copy

ASSIGNMENT = "tp0_mini"
AUTO_POINTS = 10.0
MANUAL_POINTS = 2.0
# Per-cell points of the autograded test cells.
TEST_POINTS = {"add_tests": 3.0, "mean_tests": 3.0, "scale_tests": 4.0}
SECRET = "hidden_reference_scale_factor"  # appears only inside a hidden test region


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "engine"
TEACHER = FIXTURES / f"{ASSIGNMENT}.ipynb"  # kept as a file; its helper cells are stamped when read
RELEASE = FIXTURES / "release.ipynb"    # what nbgrader generates from it (`pytest --refresh-expected` rewrites)
SOLUTION = FIXTURES / "solution.ipynb"  # the release with the teacher's answers


def teacher_notebook() -> nbformat.NotebookNode:
    nb = notebooks.read(TEACHER)
    stamping.stamp(nb)
    return nb


def make_course(root: Path, **sandbox) -> Path:
    """A course folder with the mini assignment, our nbgrader config and sandbox overrides."""
    root.mkdir(parents=True, exist_ok=True)
    config = NBGRADER_CONFIG.read_text(encoding="utf-8")
    config += "".join(f"\nc.Sandbox.{key} = {value!r}" for key, value in sandbox.items()) + "\n"
    (root / "nbgrader_config.py").write_text(config, encoding="utf-8")
    notebooks.write(teacher_notebook(), root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    return root


def release_and_solution(course: Path) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """The generated release notebook and the solved student copy."""
    release = notebooks.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    source = notebooks.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    return release, student_copy(release, source)


def write_release_fixtures(course: Path) -> None:
    """RELEASE and SOLUTION from a course whose release nbgrader has just generated."""
    release, solution = release_and_solution(course)
    notebooks.write(release, RELEASE)
    notebooks.write(solution, SOLUTION)


def submit(course: Path, student: str, content: nbformat.NotebookNode | bytes, name: str | None = None) -> Path:
    folder = course / "submitted" / student / ASSIGNMENT
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    path = folder / (name or f"{ASSIGNMENT}.ipynb")
    path.write_bytes(content if isinstance(content, bytes) else nbformat.writes(content).encode())
    return path


def grade_command(course: Path, *extra: str) -> list[str]:
    """The instructor's command line grading the mini assignment in `course` (no progress bar)."""
    return [sys.executable, "-m", "coursekit", "grade", ASSIGNMENT, "--course", str(course), "--quiet", *extra]


def journal(course: Path, assignment: str = ASSIGNMENT) -> dict[str, dict]:
    """The grading journal: each graded student's outcome."""
    folder = course / "grading_reports" / assignment
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}
