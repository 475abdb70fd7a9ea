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
