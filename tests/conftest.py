"""Shared fixtures and helpers for the course tests."""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import tests.banks as banks_package


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
