"""Banks of student answers written independently of the course's tests: from the release
notebook's statement only, without the teacher's solution, the hidden tests or tests/banks/.
Each TP's bank in tests/banks/ adds them to its own, their names prefixed with `ind_`."""
from __future__ import annotations

import dataclasses
import importlib
from types import SimpleNamespace


def independent_variants(assignment: str) -> SimpleNamespace:
    module = importlib.import_module(f"tests.independent_banks.{assignment}")
    def renamed(variants):
        return [dataclasses.replace(v, name=f"ind_{v.name}") for v in variants]
    return SimpleNamespace(WRONG=renamed(module.WRONG), CORRECT=renamed(module.CORRECT))
