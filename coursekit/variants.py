"""Other students' answers, as the validity banks and the demo class write them.

A `Variant` replaces one answer cell of a teacher notebook; `mutant` derives one from the
teacher's own answer by a few exact edits, since most plausible bugs are one slip in a right
answer. Reading them needs no kernel: the demo writes its students with them.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from . import notebooks
from .paths import source_notebook
from .submissions import strip_solution_markers


@dataclass(frozen=True)
class Variant:
    """Another student's version of one answer cell, and the test cells that judge it."""

    name: str
    cell: str
    code: str
    tests: tuple[str, ...]


def teacher_answer(assignment: str, cell: str) -> str:
    """The teacher's answer cell as a student would have typed it (no solution markers)."""
    return strip_solution_markers(notebooks.cells_by_grade_id(source_of(assignment))[cell].source)


def mutant(assignment: str, name: str, cell: str, tests: Iterable[str], *edits: tuple[str, str]) -> Variant:
    """The teacher's answer with a few edits: most plausible bugs are one slip in a right answer.

    Each edit's old text must occur exactly once, so a bank fails loudly when the solution changes.
    """
    code = teacher_answer(assignment, cell)
    for old, new in edits:
        count = code.count(old)
        if count != 1:
            raise ValueError(f"{assignment}:{name}: {old!r} occurs {count} times in {cell}, expected once")
        code = code.replace(old, new)
    return Variant(name, cell, code, tuple(tests))


@lru_cache(maxsize=None)
def source_of(assignment: str):
    """The teacher notebook of `assignment` (read once per process)."""
    return notebooks.read(source_notebook(assignment))
