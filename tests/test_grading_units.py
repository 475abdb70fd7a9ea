"""Fast tests of the grading engine's parts that need no kernel: loading, repair, Moodle
import, canary comparison, feedback redaction, CSV."""
from __future__ import annotations

import copy
import csv
import json
import zipfile

import nbformat
import pytest

from coursekit.grading import canary, loading, moodle, repair, summary
from coursekit.grading.journal import Outcome
from coursekit.grading.feedback import HideHiddenTests, REDACTED
from coursekit.grading.final_grades import CellGrade, FinalGrade
from coursekit.notebooks import cells_by_grade_id, grade_id
from coursekit.paths import assignment_ids, release_notebook, source_notebook
from coursekit.submissions import student_copy
from coursekit import notebooks
from tests.grading import mini_course

@pytest.fixture(scope="module")
def release():
    return notebooks.read(mini_course.RELEASE)


@pytest.fixture(scope="module")
def solution():
    return notebooks.read(mini_course.SOLUTION)


def answers(nb) -> dict[str, str]:
    return {gid: cell.source for gid, cell in cells_by_grade_id(nb).items()
            if notebooks.is_answer_cell(cell)}


def repaired_shape(repaired) -> dict:
    """What a repair produced, as kept in tests/fixtures/engine/repairs/: the cells in order
    (grade id, else type and first line), the answers and the instructor's notes."""
    cells = [grade_id(c) or f"{c.cell_type}: {c.source.splitlines()[0] if c.source else ''}" for c in repaired.notebook.cells]
    return {"cells": cells, "answers": answers(repaired.notebook), "notes": [english for english, _ in repaired.notes]}


def test_intact_submission_is_left_as_is(release, solution, expected):
    repaired = repair.repair(solution, release)
    assert answers(repaired.notebook) == answers(solution)
    assert repaired.notes == []
    assert [c.source for c in repaired.notebook.cells] == [c.source for c in solution.cells]
    expected("engine/repairs/intact.json", repaired_shape(repaired))


@pytest.mark.parametrize("assignment", assignment_ids())
def test_stripped_metadata_is_reanchored_in_every_tp(assignment):
    release = notebooks.read(release_notebook(assignment))
    solution = student_copy(release, notebooks.read(source_notebook(assignment)))
    stripped = copy.deepcopy(solution)
    for cell in stripped.cells:
        cell.metadata = {}
    repaired = repair.repair(stripped, release)
    assert answers(repaired.notebook) == answers(solution)
    assert all("matched by" in english for english, _ in repaired.notes)


def test_stripped_metadata_is_reanchored(release, solution, expected):
    stripped = copy.deepcopy(solution)
    for cell in stripped.cells:
        cell.metadata = {}
    repaired = repair.repair(stripped, release)
    assert answers(repaired.notebook) == answers(solution)
    expected("engine/repairs/stripped_metadata.json", repaired_shape(repaired))


def test_reordered_answers_return_to_their_place(release, solution, expected):
    shuffled = copy.deepcopy(solution)
    cells = cells_by_grade_id(shuffled)
    i, j = shuffled.cells.index(cells["add_code"]), shuffled.cells.index(cells["scale_code"])
    shuffled.cells[i], shuffled.cells[j] = shuffled.cells[j], shuffled.cells[i]
    repaired = repair.repair(shuffled, release)
    assert answers(repaired.notebook) == answers(solution)
    assert any("reordered" in english for english, _ in repaired.notes)
    expected("engine/repairs/reordered.json", repaired_shape(repaired))


def test_duplicate_keeps_the_last_answered_copy(release, solution, expected):
    nb = copy.deepcopy(solution)
    cell = cells_by_grade_id(nb)["add_code"]
    earlier = copy.deepcopy(cell)
    earlier.source = "def add(a, b):\n    return 0  # brouillon"
    nb.cells.insert(nb.cells.index(cell), earlier)
    repaired = repair.repair(nb, release)
    assert answers(repaired.notebook)["add_code"] == cell.source
    assert sum(1 for c in repaired.notebook.cells if grade_id(c) == "add_code") == 1
    assert any("appears 2 times" in english for english, _ in repaired.notes)
    expected("engine/repairs/duplicate.json", repaired_shape(repaired))


def test_deleted_cells_come_back_from_the_release(release, solution, expected):
    nb = copy.deepcopy(solution)
    nb.cells = [c for c in nb.cells if grade_id(c) not in ("add_tests", "add_code")]
    repaired = repair.repair(nb, release)
    rebuilt = cells_by_grade_id(repaired.notebook)
    assert rebuilt["add_code"].source == cells_by_grade_id(release)["add_code"].source
    assert "add_tests" in rebuilt
    english = " ".join(e for e, _ in repaired.notes)
    assert "add_code is missing" in english and "add_tests was deleted" in english
    expected("engine/repairs/deleted.json", repaired_shape(repaired))


def test_points_and_tests_always_come_from_the_release(release, solution):
    nb = copy.deepcopy(solution)
    cells = cells_by_grade_id(nb)
    cells["add_tests"].metadata["nbgrader"]["points"] = 100
    cells["add_tests"].source = "0.5"
    repaired = cells_by_grade_id(repair.repair(nb, release).notebook)
    assert repaired["add_tests"].source == cells_by_grade_id(release)["add_tests"].source
    assert repaired["add_tests"].metadata["nbgrader"]["points"] == mini_course.TEST_POINTS["add_tests"]


def test_repair_never_mutates_its_inputs(release, solution):
    before = nbformat.writes(solution), nbformat.writes(release)
    nb = copy.deepcopy(solution)
    repair.repair(nb, release)
    assert (nbformat.writes(nb), nbformat.writes(release)) == before


@pytest.mark.parametrize("content,phrase", [
    (b"", "empty"), (b"{not json", "invalid JSON"), (b"[1, 2]", "not a notebook"),
    (b'{"nbformat": 4, "cells": 7}', "not a readable notebook"),
    (b'{"nbformat": 4, "metadata": {"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}", "nested too deeply")])
def test_unreadable_files_get_a_reason_in_both_languages(tmp_path, content, phrase):
    (tmp_path / "tp.ipynb").write_bytes(content)
    loaded = loading.load(tmp_path, "tp")
    assert loaded.notebook is None and phrase in loaded.error[0] and loaded.error[1]


def test_a_renamed_notebook_is_found(tmp_path, solution):
    (tmp_path / "tp0 (1).ipynb").write_text(nbformat.writes(solution), encoding="utf-8")
    loaded = loading.load(tmp_path, mini_course.ASSIGNMENT)
    assert loaded.notebook is not None and "tp0 (1).ipynb" in loaded.notes[0][0]


def test_a_file_name_that_is_not_utf8_still_gives_notes_that_can_be_written(tmp_path, solution):
    import os
    with open(os.path.join(os.fsencode(tmp_path), b"tp0 \xe9t\xe9.ipynb"), "wb") as handle:  # a Latin-1 name
        handle.write(nbformat.writes(solution).encode())
    loaded = loading.load(tmp_path, mini_course.ASSIGNMENT)
    assert loaded.notebook is not None and "tp0 \ufffdt\ufffd.ipynb" in loaded.notes[0][0]
    json.dumps(loaded.notes, ensure_ascii=False).encode("utf-8")  # the journal can hold it


def test_a_student_folder_that_is_not_utf8_is_reported_and_the_others_graded(tmp_path, caplog):
    import os
    from traitlets.config import Config
    from coursekit.course import Course
    from coursekit.grading.batch import Batch
    for name in (b"alice", b"\xe9l\xe8ve"):
        os.makedirs(os.path.join(os.fsencode(tmp_path / "submitted"), name, b"tp"))
    batch = Batch(Course(tmp_path, Config()), "tp", jobs=1)
    assert batch.students() == ["alice"] and "not valid UTF-8" in caplog.text


def test_tree_removal_survives_chains_deeper_than_recursion_and_path_limits(tmp_path):
    import os
    from coursekit.grading.zygote import remove_tree
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        for _ in range(1500):  # 1500 levels of "dddd/": past the recursion limit and PATH_MAX
            os.mkdir("dddd")
            os.chdir("dddd")
        open("leaf", "w").close()
        os.symlink(str(tmp_path.parent), "up")  # followed, it would delete outside the tree
    finally:
        os.chdir(here)
    (tmp_path / "kept_outside").mkdir()
    remove_tree(str(tmp_path / "dddd"))
    assert sorted(os.listdir(tmp_path)) == ["kept_outside"] and tmp_path.parent.is_dir()


def test_moodle_archive_becomes_submitted_folders(tmp_path):
    archive = tmp_path / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Élodie Dupont, Jr_1234_assignsubmission_file_/tp2 (1).ipynb", "{}")
        zf.writestr("Jean Martin_55_assignsubmission_file_/TP2.ipynb", "{}")
        zf.writestr("Jean Martin_56_assignsubmission_file_/tp2.ipynb", "{}")
        zf.writestr("Jean Martin_56_assignsubmission_file_/../../evil.ipynb", "{}")
    imported = moodle.import_archive(archive, tmp_path / "course" / "submitted", "tp2")
    students = {entry.student: entry for entry in imported}
    assert set(students) == {"elodie_dupont_jr", "jean_martin_55", "jean_martin_56"}
    assert students["elodie_dupont_jr"].full_name == "Élodie Dupont, Jr"
    assert (tmp_path / "course/submitted/elodie_dupont_jr/tp2/tp2 (1).ipynb").is_file()
    assert not (tmp_path / "evil.ipynb").exists() and not (tmp_path / "course/evil.ipynb").exists()


def test_moodle_participants_never_merge_and_a_bad_member_is_only_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(moodle, "MAX_MEMBER_BYTES", 2**20)
    archive = tmp_path / "moodle.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Hélène Dupont_71_assignsubmission_file_/tp2.ipynb", "{}")
        zf.writestr("Helene Dupont_72_assignsubmission_file_/tp2.ipynb", "{}")  # another person, the same slug
        zf.writestr("Ana Lima_80_assignsubmission_file_/notes", "a file")
        zf.writestr("Ana Lima_80_assignsubmission_file_/notes/tp2.ipynb", "{}")  # a folder where the file is
        zf.writestr("Ana Lima_80_assignsubmission_file_/" + "d/" * 1100 + "deep.ipynb", "{}")
        zf.writestr("Ana Lima_80_assignsubmission_file_/bomb.ipynb", b"0" * (5 * 2**20))  # 5 MB in a few KB
        zf.writestr("Ana Lima_80_assignsubmission_file_/tp2.ipynb", "{}")
    imported = {entry.student: entry for entry in moodle.import_archive(archive, tmp_path / "course" / "submitted", "tp2")}
    assert set(imported) == {"helene_dupont_71", "helene_dupont_72", "ana_lima"}
    assert imported["helene_dupont_72"].full_name == "Helene Dupont"
    ana = imported["ana_lima"]
    assert ana.files == ("notes", "tp2.ipynb")
    reasons = " ".join(ana.skipped)
    assert len(ana.skipped) == 3 and "folders deep" in reasons and "bytes once extracted" in reasons
    assert not (tmp_path / "course/submitted/ana_lima/tp2/bomb.ipynb").exists()


def test_canary_spots_changed_functions_and_foreign_callbacks():
    baseline = {"torch.allclose": "builtin:1", "ipython.events": ["post_execute|matplotlib_inline.backend_inline|f"],
                "ipython.input_transformers_post": []}
    same = dict(baseline, **{"ipython.events": baseline["ipython.events"] + ["post_run_cell|ipywidgets.x|g"]})
    assert canary.differences(baseline, same) == []
    patched = dict(baseline, **{"torch.allclose": "function:2", "ipython.input_transformers_post": ["function:3"],
                                "ipython.events": ["pre_run_cell|__main__|spy"]})
    changes = " ".join(canary.differences(baseline, patched))
    assert "torch.allclose" in changes and "input_transformers_post" in changes and "__main__" in changes


def test_feedback_hides_hidden_tests_even_inside_tracebacks():
    source = mini_course.teacher_notebook()
    test_cell = cells_by_grade_id(source)["scale_tests"]
    hidden = next(line for line in test_cell.source.splitlines()[test_cell.source.splitlines().index(
        "### BEGIN HIDDEN TESTS") + 1:] if len(line.strip()) > 20)
    test_cell.outputs = [nbformat.v4.new_output("error", ename="E", evalue="x", traceback=[
        f"\x1b[32m     12\x1b[0m {hidden.replace(' ', chr(27) + '[0m ', 1)}"])]
    test_cell.outputs[0].traceback.append("visible line")
    nb, _ = HideHiddenTests().preprocess(source, {})
    text = json.dumps(nbformat.v4.new_notebook(cells=nb.cells))
    assert "BEGIN HIDDEN TESTS" not in text and hidden.strip() not in text
    assert REDACTED in cells_by_grade_id(nb)["scale_tests"].outputs[0].traceback[0]


def test_csv_quotes_names_and_reasons_and_marks_pending_answers(tmp_path):
    student = "dupont, jr"
    grade = FinalGrade(student, (CellGrade("a_tests", 1.0, 2.0, True), CellGrade("q1", None, 1.0, False)))
    outcome = Outcome(student, "f", "review", reasons=['said "hi", twice'])
    path = tmp_path / "grades.csv"
    summary.write_csv(path, {student: grade}, {student: outcome}, ["a_tests", "q1"])
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["student"] == student and rows[0]["reasons"] == 'said "hi", twice'
    assert (rows[0]["a_tests"], rows[0]["q1"], rows[0]["total"], rows[0]["pending_points"]) == ("1", "pending", "1", "1")
    assert rows[0]["needs_review"] == "no", "a theory answer waiting for a grader is not a submission to review"


def test_summary_wraps_long_reasons_whole():
    reason = "notebook file named 'a very long name that goes on and on (copy 2).ipynb' instead of 'tp.ipynb': graded anyway"
    grade = FinalGrade("eve", (CellGrade("a_tests", 2.0, 2.0, True), CellGrade("q1", None, 1.0, False)))
    text = summary.table({"eve": grade}, {"eve": Outcome("eve", "f", "graded", reasons=[reason])})
    assert " ".join(text.split()).count(reason) == 1 and "2 / 3 (1 pending)" in text


def test_work_dirs_of_dead_graders_are_swept(tmp_path):
    import os
    import subprocess
    import sys
    from coursekit.grading.kernels import OWNER_FILE, WORK_DIR_PREFIX, new_work_dir
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folders = {name: tmp_path / f"{WORK_DIR_PREFIX}{name}" for name in ("dead", "alive", "unmarked", "old")}
    for name, folder in folders.items():
        (folder / "slot0").mkdir(parents=True)
        (folder / "slot0" / "copie_eleve.txt").write_text("données d'un élève")
    (folders["dead"] / OWNER_FILE).write_text(str(dead.pid))
    (folders["alive"] / OWNER_FILE).write_text(str(os.getpid()))
    os.utime(folders["old"], (0, 0))
    mine = new_work_dir(tmp_path)
    assert (mine / OWNER_FILE).read_text() == str(os.getpid())
    assert not folders["dead"].exists() and not folders["old"].exists()
    assert folders["alive"].exists() and folders["unmarked"].exists()


def test_fork_server_preloads_the_teachers_scientific_imports():
    from coursekit.grading.kernels import modules_to_preload
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np, torch\nfrom sklearn.datasets import load_digits"),
        nbformat.v4.new_code_cell("from tqdm.auto import tqdm\n    import scipy.linalg\nopt = torch.optim.SGD(p, 0.1)"),
        nbformat.v4.new_markdown_cell("import sklearn.svm")])
    assert modules_to_preload(nb) == ("scipy.linalg", "sklearn.datasets", "torch", "torch._dynamo")


def test_the_zygote_imports_nothing_but_the_standard_library():
    """zygote.py runs as `python -c <its source>` where coursekit cannot be imported."""
    import ast
    import sys
    from pathlib import Path

    from coursekit.grading import zygote
    tree = ast.parse(Path(zygote.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in tree.body if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in tree.body
                 if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    assert not [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.level], "no relative import"
    assert imported - {"__future__"} <= sys.stdlib_module_names, imported - set(sys.stdlib_module_names)
