"""Helpers shared by several notebooks have one source of truth, coursekit/snippets/<name>.py,
stamped into the read-only cell whose grade id is `helper_<name>`."""
from __future__ import annotations

from nbformat import NotebookNode

from .notebooks import grade_id
from .paths import SNIPPETS_DIR

PREFIX = "helper_"


def snippet(name: str) -> str:
    path = SNIPPETS_DIR / f"{name}.py"
    if not path.is_file():
        raise FileNotFoundError(f"helper cell '{PREFIX}{name}' has no snippet at {path}")
    return path.read_text(encoding="utf-8").strip("\n")


def helper_cells(nb: NotebookNode) -> dict[str, NotebookNode]:
    return {gid[len(PREFIX):]: cell for cell in nb.cells if (gid := grade_id(cell) or "").startswith(PREFIX)}


def stale_helpers(nb: NotebookNode) -> list[str]:
    """Names of helper cells whose text differs from their snippet."""
    return [name for name, cell in helper_cells(nb).items() if cell.source != snippet(name)]


def stamp(nb: NotebookNode) -> list[str]:
    """Overwrite every helper cell with its snippet; returns the names that changed."""
    changed = stale_helpers(nb)
    for name, cell in helper_cells(nb).items():
        cell.source = snippet(name)
    return changed
