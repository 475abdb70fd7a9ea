"""Student feedback that never shows hidden tests.

Stock `nbgrader generate_feedback` renders the autograded notebook, hidden tests included
(nbgrader #917). `HideHiddenTests` runs first in `GenerateFeedback.preprocessors` (see
nbgrader_config.py), so the stock command and our batch both get it: it removes hidden
regions from test cells with nbgrader's own ClearHiddenTests, replaces any output line that
quotes hidden source (a traceback, or a student printing `In`), and puts the grader's notes
(in French) at the top. The check messages printed by `Checks.score()` stay: they are the
feedback.
"""
from __future__ import annotations

import html
import re

import nbformat
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests
from traitlets import List

NOTES_KEY = "coursekit"
HIDDEN_NOTICE = "# (vérifications cachées : leur bilan s'affiche sous la cellule)"
REDACTED = "[ligne masquée : test caché]"


def hidden_lines(nb) -> set[str]:
    """Significant lines inside hidden test regions of the notebook's test cells, but for the
    lines the student wrote too (a `def forward(ctx, yhat, y):` of theirs is theirs to see)."""
    lines: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
            continue
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and len(line.strip()) >= 12:
                lines.add(line.strip())
    own = {line.strip() for cell in nb.cells if not (cell.cell_type == "code" and utils.is_grade(cell)
                                                       and not utils.is_solution(cell))
           for line in cell.source.splitlines()}
    return lines - own


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _redact(text: str, secrets: set[str]) -> str:
    """Lines quoting hidden source (compared without the colour codes of tracebacks) are replaced."""
    def hidden(line: str) -> bool:
        plain = ANSI.sub("", line)
        return "HIDDEN TESTS" in plain or any(secret in plain for secret in secrets)
    return "\n".join(REDACTED if hidden(line) else line for line in text.split("\n"))


class HideHiddenTests(ClearHiddenTests):
    """Feedback-side: hidden tests out of sources and outputs, grader notes in."""

    # nbconvert's HTML exporter sets this option for every preprocessor; declared as a config
    # option (as nbgrader's GetGrades does) so that traitlets does not warn it is unknown.
    display_data_priority = List(ClearHiddenTests.display_data_priority.default_value, config=True)

    def preprocess(self, nb, resources):
        secrets = hidden_lines(nb)
        nb, resources = super().preprocess(nb, resources)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                if "text" in output:
                    output.text = _redact(output.text, secrets)
                if "traceback" in output:
                    output.traceback = [_redact(line, secrets) for line in output.traceback]
                for mime, value in output.get("data", {}).items():
                    if mime.startswith("text/") and isinstance(value, str):
                        output.data[mime] = _redact(value, secrets)
        notes = nb.metadata.get(NOTES_KEY, {}).get("notes_fr", [])
        if notes:
            text = "**Remarques de la correction automatique**\n\n" + "\n".join(f"- {n}" for n in notes)
            nb.cells.insert(0, nbformat.v4.new_markdown_cell(text))
        return nb, resources

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type == "code" and utils.is_grade(cell) and self._remove_hidden_test_region(cell):
            cell.source = cell.source.rstrip("\n") + "\n" + HIDDEN_NOTICE
        return cell, resources


def write_notice(path, assignment: str, notes_fr: list[str]) -> None:
    """Feedback for a submission nbgrader cannot render (unreadable file): the reasons, in French."""
    items = "".join(f"<li>{html.escape(note)}</li>" for note in notes_fr)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!DOCTYPE html><html lang=\"fr\"><meta charset=\"utf-8\"><title>{assignment}</title>"
                    f"<body><h1>{assignment}</h1><p>Votre dépôt n'a pas pu être corrigé automatiquement ; "
                    f"il sera relu par l'enseignant.</p><ul>{items}</ul></body></html>\n", encoding="utf-8")
