"""Finding and reading a student's notebook without trusting anything about it.

Every way a file can be broken ends in a `Loaded` with a reason (English for the log,
French for the student) instead of an exception; the submitted file is only ever read.
"""
from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

MAX_BYTES = 64 * 2**20


@dataclass
class Loaded:
    path: Path | None
    notebook: NotebookNode | None = None
    data: bytes = b""
    error: tuple[str, str] | None = None  # (English, French) when nothing can be graded
    notes: list[tuple[str, str]] = field(default_factory=list)


def shown(name: str) -> str:
    """A file name fit for the log, the journal and a French note: bytes that are not UTF-8 (a
    Latin-1 name) become �, so that no message about the file fails to be written."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def find_notebook(folder: Path, assignment: str) -> tuple[Path | None, list[tuple[str, str]]]:
    """The submission's notebook: `<assignment>.ipynb`, else the only (or most plausible) .ipynb."""
    expected = folder / f"{assignment}.ipynb"
    if expected.is_file():
        return expected, []
    candidates = sorted(p for p in folder.rglob("*.ipynb")
                        if p.is_file() and ".ipynb_checkpoints" not in p.parts)
    if not candidates:
        return None, []
    if len(candidates) > 1:  # prefer the file that mentions the assignment's name the most
        candidates.sort(key=lambda p: (-_mentions(p, assignment), p.name))
    chosen = candidates[0]
    return chosen, [(f"notebook file named {shown(chosen.name)!r} instead of {expected.name!r}: graded anyway",
                     f"Le fichier s'appelle « {shown(chosen.name)} » au lieu de « {expected.name} » : il est corrigé "
                     f"quand même.")]


def _mentions(path: Path, assignment: str) -> int:
    try:
        return path.read_bytes()[:MAX_BYTES].count(assignment.encode())
    except OSError:
        return 0


def load(folder: Path, assignment: str) -> Loaded:
    path, notes = find_notebook(folder, assignment)
    if path is None:
        return Loaded(None, error=("no .ipynb file in the submission folder",
                                   "Aucun fichier .ipynb n'a été trouvé dans le dépôt."))
    loaded = Loaded(path, notes=notes)
    try:
        loaded.data = data = path.read_bytes()[:MAX_BYTES + 1]
    except OSError as error:
        loaded.error = (f"cannot read {shown(path.name)}: {shown(str(error))}", "Le fichier n'a pas pu être lu.")
        return loaded
    if len(data) > MAX_BYTES:
        loaded.error = (f"{shown(path.name)} is larger than {MAX_BYTES >> 20} MB",
                        f"Le fichier dépasse {MAX_BYTES >> 20} Mo : il n'a pas été corrigé.")
    elif not data.strip():
        loaded.error = (f"{shown(path.name)} is empty", "Le fichier déposé est vide.")
    if loaded.error:
        return loaded
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        loaded.notes.append(("file is not valid UTF-8: decoded as Windows-1252",
                             "Le fichier n'était pas encodé en UTF-8 : certains accents peuvent être altérés."))
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        loaded.error = (f"invalid JSON ({error.msg} at line {error.lineno})",
                        "Le fichier n'est pas un notebook valide (JSON illisible, fichier tronqué ?) : "
                        "il sera corrigé à la main.")
        return loaded
    except RecursionError:  # arrays or objects nested thousands deep (in the metadata, say)
        loaded.error = ("JSON nested too deeply to be a notebook",
                        "Le fichier contient des données imbriquées sur des milliers de niveaux : ce n'est pas "
                        "un notebook lisible, il sera corrigé à la main.")
        return loaded
    if not isinstance(raw, dict) or "nbformat" not in raw:
        loaded.error = ("JSON file is not a notebook", "Le fichier n'est pas un notebook Jupyter.")
        return loaded
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(json.dumps(raw), as_version=4)
        if raw.get("nbformat", 4) < 4:
            loaded.notes.append((f"nbformat {raw.get('nbformat')} notebook converted to version 4",
                                 "Notebook d'un ancien format : converti avant correction."))
        for cell in nb.cells:
            if isinstance(cell.get("source"), list):
                cell.source = "".join(cell.source)
    except Exception as error:  # nbformat raises many kinds on malformed structures
        loaded.error = (f"not a readable notebook: {type(error).__name__}: {error}"[:300],
                        "Le fichier n'a pas la structure d'un notebook : il sera corrigé à la main.")
        return loaded
    loaded.notebook = nb
    return loaded
