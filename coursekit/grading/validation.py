"""nbgrader's Validate, in French and in a few lines per failing exercise.

The stock JupyterLab extension shows, for each failing test cell, the cell's whole source and
then its traceback, so the French message of our checks lands far below the fold. nbgrader's
validator runs its `Execute` preprocessor, which is nbclient's client: two of its public hooks
(`c.Execute.on_notebook_start`, `c.Execute.on_cell_error` in nbgrader_config.py) act while
nbgrader validates (`NBGRADER_VALIDATING=1`), on the validator's in-memory copy; autograding
and the student's file are untouched.

- `prepare` stamps each graded cell with the title of its exercise, and turns a test cell the
  student modified into one that fails with a French notice (grading runs the original);
- `explain` replaces a failing test cell's source by « exercise title (cellule id) » and its
  traceback by the French messages of the checks that failed.

Replacing the source means nbgrader's own checksum comparison must be off
(`c.Validator.ignore_checksums = True`): `prepare` makes it instead.
"""
from __future__ import annotations

import os

import nbformat
from nbgrader import utils

from ..notebooks import is_test_cell
from .feedback_page import ANSI, exercise_titles

TITLE_KEY = "coursekit_exercise"
MODIFIED = ("Cette cellule de test a été modifiée : à la correction, c'est la version d'origine qui est "
            "exécutée. Reprenez-la dans le notebook distribué.")


def validating() -> bool:
    return os.environ.get("NBGRADER_VALIDATING") == "1"


def prepare(notebook, **_) -> None:
    """on_notebook_start: exercise titles on the graded cells; modified test cells fail."""
    if not validating():
        return
    for cell, title in zip(notebook.cells, exercise_titles(notebook)):
        if not utils.is_grade(cell):
            continue
        grading = cell.metadata.nbgrader
        grading[TITLE_KEY] = title
        if is_test_cell(cell) and "checksum" in grading and utils.compute_checksum(cell) != grading["checksum"]:
            cell.source = f"raise AssertionError({MODIFIED!r})"


def failure_lines(cell) -> list[str]:
    """What a failing test cell says, without its traceback frames: the message of each error
    (our checks' report is the message of their AssertionError) and any stderr text."""
    lines = []
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            message = output.get("evalue", "") or ANSI.sub("", (output.get("traceback") or [""])[-1])
            lines.append(message if output.get("ename") == "AssertionError" else f"{output.get('ename')} : {message}")
        elif output.output_type == "stream" and output.name == "stderr":
            lines.append(output.text.rstrip())
    return lines


def explain(cell, **_) -> None:
    """on_cell_error: a failing test cell, told in French in a few lines."""
    if not (validating() and is_test_cell(cell)):
        return
    grading = cell.metadata.nbgrader
    message = "\n".join(failure_lines(cell))
    cell.source = f"{grading.get(TITLE_KEY) or grading['grade_id']} (cellule {grading['grade_id']})"
    cell.outputs = [output for output in cell.outputs if output.output_type == "stream" and output.name == "stdout"]
    cell.outputs.append(nbformat.v4.new_output("error", ename="AssertionError", evalue=message, traceback=[message]))
