"""Reading, normalising and querying course notebooks (nbformat v4 with nbgrader metadata)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import nbformat
from nbformat import NotebookNode

NOTEBOOK_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def read(path: Path) -> NotebookNode:
    return nbformat.read(str(path), as_version=4)


def write(nb: NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


def nbgrader_meta(cell: NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def grade_id(cell: NotebookNode) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def is_test_cell(cell: NotebookNode) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_answer_cell(cell: NotebookNode) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def cells_by_grade_id(nb: NotebookNode) -> dict[str, NotebookNode]:
    return {gid: cell for cell in nb.cells if (gid := grade_id(cell))}


def graded_cells(nb: NotebookNode) -> Iterator[NotebookNode]:
    """Cells that carry points: autograder tests and manually graded answers."""
    return (cell for cell in nb.cells if nbgrader_meta(cell).get("grade"))


def normalize(nb: NotebookNode) -> NotebookNode:
    """Strip outputs and volatile metadata so teacher notebooks diff cleanly."""
    nb.metadata = {**NOTEBOOK_METADATA}
    for cell in nb.cells:
        keep = {key: cell.metadata[key] for key in ("nbgrader", "tags") if key in cell.metadata}
        cell.metadata = keep
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        if "attachments" in cell and not cell.attachments:
            del cell["attachments"]
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def normalized_text(nb: NotebookNode) -> str:
    return nbformat.writes(normalize(nbformat.from_dict(nb))) + "\n"
