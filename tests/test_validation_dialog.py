"""nbgrader's Validate with the course's config (nbgrader_config.py): on a small fixture notebook,
each failing exercise is told in a few French lines, a modified test cell is reported."""
from __future__ import annotations

import shutil
from pathlib import Path

from nbgrader.validator import Validator
from traitlets.config import Config, PyFileConfigLoader

from coursekit.grading.validation import MODIFIED
from coursekit.paths import REPO_ROOT

FIXTURE = Path(__file__).parent / "fixtures" / "validate" / "two_exercises.ipynb"


def course_config() -> Config:
    return PyFileConfigLoader("nbgrader_config.py", path=str(REPO_ROOT)).load_config()


def test_validate_names_the_exercise_and_gives_the_message_only(tmp_path):
    notebook = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, notebook)
    before = notebook.read_bytes()
    results = Validator(config=course_config()).validate(str(notebook))
    assert list(results) == ["failed"], results
    first, second = results["failed"]
    assert first["source"] == "Exercice 1 — Doubler x (1 pt) (cellule double_tests)"
    assert first["raw_error"] == "double(2) : attendu 4, obtenu 3", "the message, not the traceback"
    assert second["source"] == "Exercice 2 — Tripler (1 pt) (cellule triple_tests)"
    assert MODIFIED in second["raw_error"], "a modified test cell is reported even though it passes"
    assert notebook.read_bytes() == before, "validating never writes the student's file"


def test_stock_validation_is_unchanged_without_the_course_hooks(tmp_path):
    notebook = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, notebook)
    results = Validator(config=Config()).validate(str(notebook))
    assert "changed" in results, "nbgrader's own checksum comparison, when our hooks are not configured"
