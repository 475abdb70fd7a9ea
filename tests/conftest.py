"""Shared fixtures and helpers for the course tests."""
from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest

import tests.banks as banks_package


def pytest_addoption(parser) -> None:
    parser.addoption("--refresh-expected", action="store_true",
                     help="rewrite the expected outputs kept under tests/fixtures/ instead of comparing with them")


@pytest.fixture
def expected(request):
    """`expected(path, value)`: asserts `value` equals the JSON kept at tests/fixtures/<path>, or
    rewrites that file under --refresh-expected (then review the diff, as with any fixture)."""
    refresh = request.config.getoption("--refresh-expected")

    def check(relative: str, value) -> None:
        path = Path(__file__).parent / "fixtures" / relative
        if refresh:
            path.write_text(json.dumps(value, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            return
        assert path.is_file(), f"{path} is missing: run pytest with --refresh-expected once"
        assert json.loads(path.read_text(encoding="utf-8")) == value, \
            f"differs from {path} (if the change is intended: pytest --refresh-expected, then review the diff)"
    return check


def bank_modules() -> list[ModuleType]:
    """Every validity bank in tests/banks/, one per TP."""
    return [importlib.import_module(f"tests.banks.{info.name}")
            for info in pkgutil.iter_modules(banks_package.__path__)]


def stream_answers(module: ModuleType) -> list[tuple[str, dict[str, str], tuple[str, ...]]]:
    """The answers graded under many RNG streams: for each answer cell of the bank's
    RANDOM_ANSWERS (cell -> the test cells whose checks involve randomness), the teacher's
    answer and every correct variant of that cell, as (name, replacements, test cells)."""
    answers = []
    for cell, tests in getattr(module, "RANDOM_ANSWERS", {}).items():
        answers.append((f"{cell} (teacher)", {}, tuple(tests)))
        answers += [(v.name, {v.cell: v.code}, tuple(tests)) for v in module.CORRECT if v.cell == cell]
    return answers
