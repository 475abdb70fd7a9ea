"""Re-anchoring a submission onto its release notebook before grading.

Students copy cells, delete them, insert their own, move them around, turn code into
markdown, and editors drop nbgrader's metadata. Grading must follow what each answer
cell holds, not where it sits. The repaired notebook is the release notebook (test and
read-only cells as released, metadata and points as released) with each answer cell
filled from the submission cell anchored to it: by grade id first, then by content (the
functions and classes the answer must define), then by position between anchored
neighbours. The student's extra cells run where they were, as plain ungraded cells.
Every decision is written down for the instructor (English) and the student (French).
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

import nbformat
from nbformat import NotebookNode

from ..notebooks import grade_id, is_answer_cell, nbgrader_meta

STUB_LINES = {"# VOTRE CODE ICI", "raise NotImplementedError()", "VOTRE RÉPONSE ICI"}
DEFINITION = re.compile(r"^(?:def|class)\s+(\w+)|^(\w+)\s*(?::[^=]*)?=(?!=)", re.MULTILINE)


@dataclass
class Repaired:
    notebook: NotebookNode
    notes: list[tuple[str, str]] = field(default_factory=list)  # (English, French)

    def note(self, english: str, french: str) -> None:
        self.notes.append((english, french))


def _text(cell: NotebookNode) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _defined_names(source: str) -> set[str]:
    return {a or b for a, b in DEFINITION.findall(source)}


def _lines(source: str) -> set[str]:
    return {line.strip() for line in source.splitlines() if line.strip()}


def _similarity(a: str, b: str) -> float:
    """Share of distinct non-blank lines in common (linear time, robust to moved lines)."""
    la, lb = _lines(a), _lines(b)
    return len(la & lb) / len(la | lb) if la or lb else 1.0


def _is_stub(source: str) -> bool:
    lines = {line.strip() for line in source.strip().splitlines()}
    return not lines or lines <= STUB_LINES


def _strip_fences(source: str) -> str:
    """A code answer retyped as markdown may have gained a ``` fence around it."""
    match = re.fullmatch(r"\s*```(?:python)?\n(.*?)\n?```\s*", source, re.DOTALL)
    return match.group(1) if match else source


def repair(submission: NotebookNode, release: NotebookNode) -> Repaired:
    """The release notebook with the submission's answers anchored in (never mutates inputs)."""
    sub_cells = submission.cells
    rel_cells = release.cells
    anchors: dict[int, int] = {}  # release index -> submission index
    used: set[int] = set()
    result = Repaired(nbformat.v4.new_notebook(metadata=copy.deepcopy(release.metadata)))

    # 1. By grade id; a duplicated id keeps the copy that differs most from the release.
    by_id: dict[str, list[int]] = {}
    for j, cell in enumerate(sub_cells):
        if gid := grade_id(cell):
            by_id.setdefault(gid, []).append(j)
    for i, rel in enumerate(rel_cells):
        gid = grade_id(rel)
        if not gid or gid not in by_id:
            continue
        copies = by_id[gid]
        if len(copies) > 1:
            answered = [j for j in copies if not _is_stub(_text(sub_cells[j]))]
            chosen = (answered or copies)[-1] if is_answer_cell(rel) else copies[0]
            result.note(f"grade id {gid} appears {len(copies)} times: graded cell #{chosen + 1}, "
                        f"the other copies run as plain cells",
                        f"La cellule « {gid} » apparaît {len(copies)} fois : seule la copie n° {chosen + 1} "
                        f"est notée.")
        else:
            chosen = copies[0]
        anchors[i] = chosen
        used.add(chosen)

    # 2. By content, for release cells left without an anchor (lost metadata).
    def free_cells():
        return [j for j in range(len(sub_cells)) if j not in used]

    for i, rel in enumerate(rel_cells):
        if i in anchors:
            continue
        rel_text = _text(rel)
        wanted = _defined_names(rel_text) if is_answer_cell(rel) else set()
        kept = _lines(rel_text) - STUB_LINES if is_answer_cell(rel) and rel.cell_type == "code" else set()
        best, best_score = None, 0.0
        for j in free_cells():
            cand = _text(sub_cells[j])
            if wanted or kept:
                cand_code = _strip_fences(cand)
                if not (wanted <= _defined_names(cand_code) and kept <= _lines(cand_code)):
                    continue
                score = 1.0 + _similarity(rel_text, cand)
            elif not grade_id(rel):  # a plain cell of the release, perhaps edited by the student
                if grade_id(sub_cells[j]) or sub_cells[j].cell_type != rel.cell_type:
                    continue
                score = _similarity(rel_text, cand)
                if score < (0.6 if rel.cell_type == "code" else 0.8):
                    continue
            elif not is_answer_cell(rel) and len(rel_text) > 40:
                score = _similarity(rel_text, cand)
                if score < 0.8:
                    continue
            else:
                continue
            if score > best_score:
                best, best_score = j, score
        if best is not None:
            anchors[i], _ = best, used.add(best)
            if is_answer_cell(rel):
                result.note(f"answer cell {grade_id(rel)} had no nbgrader metadata: matched by content "
                            f"(cell #{best + 1})",
                            f"La cellule de réponse « {grade_id(rel)} » avait perdu ses métadonnées : "
                            f"retrouvée d'après son contenu.")

    # 3. By position, for answers with nothing to recognise them by (markdown answers, short stubs):
    #    the single free cell of the right kind between the anchors of the neighbouring cells
    #    (the statement's own prose, copied unchanged, does not count).
    release_prose = {_text(c).strip() for c in rel_cells if c.cell_type == "markdown" and not grade_id(c)}
    for i, rel in enumerate(rel_cells):
        if i in anchors or not is_answer_cell(rel):
            continue
        before = max((anchors[k] for k in anchors if k < i), default=-1)
        after = min((anchors[k] for k in anchors if k > i and anchors[k] > before), default=len(sub_cells))
        between = [j for j in free_cells() if before < j < after and not grade_id(sub_cells[j])
                   and _text(sub_cells[j]).strip() and _text(sub_cells[j]).strip() not in release_prose]
        same_type = [j for j in between if sub_cells[j].cell_type == rel.cell_type]
        if rel.cell_type == "markdown" or same_type:
            between = same_type
        if len(between) == 1:
            anchors[i] = between[0]
            used.add(between[0])
            result.note(f"answer cell {grade_id(rel)} had no nbgrader metadata: matched by position "
                        f"(cell #{between[0] + 1})",
                        f"La cellule de réponse « {grade_id(rel)} » avait perdu ses métadonnées : "
                        f"retrouvée d'après sa position.")

    # 4. Assemble: release order, answers filled in, extra cells after their predecessor's anchor.
    extra_after: dict[int, list[int]] = {}
    position_of = {j: i for i, j in anchors.items()}
    last_release_index = -1
    for j, cell in enumerate(sub_cells):
        if j in position_of:
            last_release_index = max(last_release_index, position_of[j])
        elif j not in used and cell.cell_type == "code" and _text(cell).strip():
            extra_after.setdefault(last_release_index, []).append(j)
    cells = [_plain(sub_cells[j]) for j in extra_after.get(-1, [])]
    for i, rel in enumerate(rel_cells):
        cells.append(_repaired_cell(rel, sub_cells[anchors[i]] if i in anchors else None, result))
        cells += [_plain(sub_cells[j]) for j in extra_after.get(i, [])]
    if sum(len(v) for v in extra_after.values()):
        count = sum(len(v) for v in extra_after.values())
        result.note(f"{count} extra code cell(s) kept as ungraded cells",
                    f"{count} cellule(s) de code ajoutée(s) : exécutée(s) à leur place, sans être notée(s).")
    if [j for j in range(len(sub_cells)) if j in position_of] != sorted(
            position_of, key=lambda j: position_of[j]):
        result.note("cells were reordered: graded in the release order",
                    "Des cellules ont été déplacées : elles sont exécutées dans l'ordre de l'énoncé.")
    for number, cell in enumerate(cells):  # stable ids: the same submission gives the same notebook
        cell["id"] = grade_id(cell) or f"cell-{number}"
    result.notebook.cells = cells
    return result


def _plain(cell: NotebookNode) -> NotebookNode:
    """A student's own cell, stripped of any nbgrader role."""
    return nbformat.v4.new_code_cell(_text(cell))


def _repaired_cell(release_cell: NotebookNode, student_cell: NotebookNode | None, result: Repaired) -> NotebookNode:
    cell = copy.deepcopy(release_cell)
    cell.pop("id", None)
    if "outputs" in cell:
        cell.outputs = []
        cell.execution_count = None
    gid = grade_id(release_cell)
    if not gid and student_cell is not None:  # a plain cell the student may have edited: theirs runs
        cell.source = _text(student_cell)
        return cell
    if not gid or student_cell is None:
        if is_answer_cell(release_cell):
            result.note(f"answer cell {gid} is missing: graded as left blank",
                        f"La cellule de réponse « {gid} » est absente : notée comme non remplie.")
        elif nbgrader_meta(release_cell).get("grade") and student_cell is None:
            result.note(f"test cell {gid} was deleted: restored from the release",
                        f"La cellule de test « {gid} » avait été supprimée : elle a été rétablie.")
        return _with_id(cell, gid)
    student_text = _text(student_cell)
    if is_answer_cell(release_cell):
        if release_cell.cell_type == "code" and student_cell.cell_type != "code":
            student_text = _strip_fences(student_text)
            result.note(f"answer cell {gid} was turned into {student_cell.cell_type}: graded as code",
                        f"La cellule de réponse « {gid} » avait été changée en texte : elle est exécutée comme du code.")
        cell.source = student_text
    else:
        if student_text.strip() != _text(release_cell).strip() and nbgrader_meta(release_cell).get("grade"):
            result.note(f"test cell {gid} was edited: the original is used",
                        f"La cellule de test « {gid} » avait été modifiée : la version d'origine est utilisée.")
        sub_meta = nbgrader_meta(student_cell)
        if sub_meta.get("points") not in (None, nbgrader_meta(release_cell).get("points")):
            result.note(f"points of {gid} edited in the metadata ({sub_meta.get('points')}): ignored",
                        f"Le barème de « {gid} » avait été modifié : le barème d'origine est appliqué.")
    return _with_id(cell, gid)


def _with_id(cell: NotebookNode, gid: str | None) -> NotebookNode:
    if gid:
        cell["id"] = gid
    return cell
