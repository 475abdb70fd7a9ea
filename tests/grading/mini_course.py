"""A small assignment with the course's conventions, for grading-engine tests.

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
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coursekit import notebooks, stamping
from coursekit.paths import NBGRADER_CONFIG
from coursekit.submissions import student_copy

ASSIGNMENT = "tp0_mini"
AUTO_POINTS = 10.0
MANUAL_POINTS = 2.0
# Per-cell points of the autograded test cells.
TEST_POINTS = {"add_tests": 3.0, "mean_tests": 3.0, "scale_tests": 4.0}
SECRET = "hidden_reference_scale_factor"  # appears only inside a hidden test region


def _meta(gid: str, **flags) -> dict:
    meta = {"grade": False, "grade_id": gid, "locked": False, "schema_version": 3, "solution": False,
            "task": False}
    meta.update(flags)
    return {"nbgrader": meta}


def _code(gid: str | None, source: str, **flags):
    cell = new_code_cell(source.strip("\n"))
    if gid:
        cell.metadata.update(_meta(gid, **flags))
        cell.id = gid
    return cell


def teacher_notebook() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell("# TP0 — mini TP pour tester la correction"),
        _code("helper_setup", "", locked=True),
        _code("helper_checks", "", locked=True),
        _code(None, "data = torch.arange(6.0)\nprint(data)"),
        _code("add_code", '''
def add(a, b):
    """Somme de deux tenseurs."""
    ### BEGIN SOLUTION
    return a + b
    ### END SOLUTION''', solution=True),
        _code("add_tests", '''
# Vérification visible : add(1, 2) = 3
assert torch.allclose(add(torch.tensor(1.0), torch.tensor(2.0)), torch.tensor(3.0)), "add(1, 2) : attendu 3"
checks = Checks("add")
### BEGIN HIDDEN TESTS
def _random_sums():
    set_seed(1)
    x, y = torch.randn(4, 3), torch.randn(4, 3)
    assert torch.allclose(add(x, y), x + y), "add : somme incorrecte sur des tenseurs (4, 3)"
checks.check(3, "add sur des tenseurs aléatoires", _random_sums)
### END HIDDEN TESTS
checks.score()''', grade=True, locked=True, points=TEST_POINTS["add_tests"]),
        _code("mean_code", '''
def mean_of(t):
    """Moyenne de tous les éléments de t."""
    ### BEGIN SOLUTION
    return t.mean()
    ### END SOLUTION''', solution=True),
        _code("mean_tests", '''
# Vérification visible : moyenne de data = 2.5
assert abs(float(mean_of(data)) - 2.5) < 1e-6, f"mean_of(data) : attendu 2.5, obtenu {mean_of(data)}"
checks = Checks("mean_of")
### BEGIN HIDDEN TESTS
def _matrix():
    t = torch.arange(12.0).reshape(3, 4)
    assert torch.allclose(mean_of(t), torch.tensor(5.5)), "mean_of : attendu 5.5 sur arange(12) (3, 4)"
def _negative():
    assert torch.allclose(mean_of(torch.tensor([-1.0, -3.0])), torch.tensor(-2.0)), "mean_of([-1, -3]) : attendu -2"
checks.check(2, "mean_of sur une matrice", _matrix)
checks.check(1, "mean_of sur des valeurs négatives", _negative)
### END HIDDEN TESTS
checks.score()''', grade=True, locked=True, points=TEST_POINTS["mean_tests"]),
        new_markdown_cell("Expliquez en une phrase ce que calcule `mean_of`."),
        _make_manual(),
        _code("scale_code", '''
def scale(t, k):
    """t multiplié par k."""
    ### BEGIN SOLUTION
    return t * k
    ### END SOLUTION''', solution=True),
        _code("scale_tests", f'''
# Vérification visible : scale(data, 2)[-1] = 10
assert float(scale(data, 2)[-1]) == 10.0, "scale(data, 2)[-1] : attendu 10"
checks = Checks("scale")
### BEGIN HIDDEN TESTS
{SECRET} = -0.5
def _factor():
    assert torch.allclose(scale(data, {SECRET}), data * {SECRET}), "scale : facteur négatif incorrect"
checks.check(4, "scale avec un facteur négatif", _factor)
### END HIDDEN TESTS
checks.score()''', grade=True, locked=True, points=TEST_POINTS["scale_tests"]),
    ]
    nb = new_notebook(cells=cells)
    stamping.stamp(nb)
    return notebooks.normalize(nb)


def _make_manual():
    cell = new_markdown_cell("La moyenne arithmétique de tous les éléments du tenseur.")
    cell.metadata.update(_meta("explain_mean", solution=True, grade=True, points=MANUAL_POINTS))
    cell.id = "explain_mean"
    return cell


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
