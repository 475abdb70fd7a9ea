"""Building submissions as a student would hand them in, from the release and the solutions."""
from __future__ import annotations

from typing import Iterable, Mapping

import nbformat
from nbformat import NotebookNode

from .notebooks import cells_by_grade_id, grade_id, is_answer_cell

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def strip_solution_markers(text: str) -> str:
    """The teacher's solution text without nbgrader's region markers."""
    return "\n".join(line for line in text.split("\n") if line.strip() not in SOLUTION_MARKERS)


def student_copy(release_nb: NotebookNode, source_nb: NotebookNode, *,
                 solved: Iterable[str] | None = None,
                 replacements: Mapping[str, str] | None = None) -> NotebookNode:
    """The release notebook with some answers filled in.

    Answer cells named in `solved` (all of them when None) receive the teacher's solution;
    `replacements` maps an answer cell's grade id to the text a student wrote instead.
    """
    nb = nbformat.from_dict(release_nb)
    solutions = cells_by_grade_id(source_nb)
    replacements = dict(replacements or {})
    solved = None if solved is None else set(solved)
    for cell in nb.cells:
        gid = grade_id(cell)
        if not gid or not is_answer_cell(cell):
            continue
        if gid in replacements:
            cell.source = replacements.pop(gid)
        elif solved is None or gid in solved:
            cell.source = strip_solution_markers(solutions[gid].source)
    if replacements:
        raise KeyError(f"no answer cell named {sorted(replacements)}")
    return nb
