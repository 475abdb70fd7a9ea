"""The hostile and damaged submission suite, graded as one class by the real command line.

The class arrives as a Moodle "download all submissions" archive (accented names, renamed
files). Every kind in tests/grading/hostile.py must receive its stated grade, status and
reason; the batch must finish; and the solution and blank students, graded in the same
batch as the attacks, keep exactly the grades they get alone.
"""
from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import zipfile

import nbformat
import pytest

from coursekit.grading import cgroups
from coursekit.grading.gradebook import CourseGradebook
from coursekit.grading.sandbox import bubblewrap
from coursekit.nbgrader_run import nbgrader_env
from tests.grading.hostile import KINDS
from tests.grading.mini_course import ASSIGNMENT, SECRET, grade_command, journal, make_course, release_and_solution

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]
LIMITS = dict(cell_timeout=5, total_seconds=15, memory_mb=4000, output_mb=2.0, scratch_mb=200)


def moodle_name(student: str) -> str:
    """How Moodle would show the student: capitalised words, accents (which the import drops)."""
    return student.replace("_", " ").title().replace("o", "ö").replace("e", "é")


def grade(course, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(grade_command(course, "--jobs", "2", *extra), env=nbgrader_env(), capture_output=True,
                          text=True, timeout=900)


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("hostile"), **LIMITS)
    os.environ["PATH"] = nbgrader_env()["PATH"]
    CourseGradebook(course, ASSIGNMENT).ensure_assignment()
    blank, solution = release_and_solution(course)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    context = {"port": listener.getsockname()[1], "paths": {
        "source": str(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
        "gradebook": str(course / "gradebook.db"),
        "other_student": str(course / "submitted" / "inserted_cells" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")}}
    archive = course / "moodle.zip"
    members = {}
    with zipfile.ZipFile(archive, "w") as zf:
        for number, kind in enumerate(KINDS):
            content = kind.build(blank, solution, context)
            data = content if isinstance(content, bytes) else nbformat.writes(content).encode()
            member = f"{moodle_name(kind.name)}_{4000 + number}_assignsubmission_file_/{kind.filename or ASSIGNMENT + '.ipynb'}"
            zf.writestr(member, data)
            members[kind.name] = (kind.filename or f"{ASSIGNMENT}.ipynb", data)
    worksheet = course / "worksheet.csv"  # Moodle's grading worksheet, French interface, one student who sent nothing
    with open(worksheet, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Identifiant", "Nom complet", "Adresse de courriel", "Statut", "Note", "Note maximale",
                         "La note peut être modifiée", "Dernière modification (travail remis)",
                         "Dernière modification (note)", "Commentaires de feedback"])
        for number, kind in [*enumerate(KINDS), (999, None)]:
            name = moodle_name(kind.name) if kind else "Zoé Absente"
            writer.writerow([f"Participant {4000 + number}", name, f"{4000 + number}@example.fr", "Remis pour évaluation",
                             "", "10,00", "Oui", "lundi 30 novembre 2026, 18:02", "-", ""])
    result = grade(course, "--moodle", str(archive), "--moodle-worksheet", str(worksheet))
    before = {course / "submitted" / name / ASSIGNMENT / filename: data for name, (filename, data) in members.items()}
    listener.close()
    assert result.returncode == 0, result.stderr[-3000:]
    outcomes = journal(course)
    assert set(outcomes) == {kind.name for kind in KINDS}
    return course, outcomes, before, result


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_each_kind_gets_its_grade_and_reason(graded_class, kind):
    course, outcomes, _, _ = graded_class
    if kind.needs_sandbox and bubblewrap() is None:
        pytest.skip("bubblewrap is not available (or not root): no sandbox to test")
    if kind.needs_cgroups and not cgroups.available():
        pytest.skip("no cgroup controllers for cpu, memory and pids here: no per-submission caps to test")
    outcome = outcomes[kind.name]
    auto = sum(v for name, v in outcome["scores"].items() if v is not None and name.endswith("_tests"))
    assert auto == pytest.approx(kind.total), f"{kind.name}: {outcome}"
    assert outcome["status"] == kind.status, f"{kind.name}: {outcome}"
    assert kind.reason in " | ".join(outcome["reasons"]), f"{kind.name}: {outcome['reasons']}"
    assert outcome["notes_fr"] or not outcome["reasons"], "every reason has a French note for the student"
    if kind.forbidden_output or kind.expected_output:
        nb = nbformat.read(course / "autograded" / kind.name / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        outputs = json.dumps([c.get("outputs", []) for c in nb.cells])
        for text in kind.forbidden_output:
            assert text not in outputs, f"{kind.name}: {text!r} reached the student's outputs"
        for text in kind.expected_output:
            assert text in outputs, f"{kind.name}: {text!r} missing from outputs"


def test_batch_never_modifies_submissions(graded_class):
    course, _, before, _ = graded_class
    after = {p: p.read_bytes() for p in (course / "submitted").rglob("*") if p.is_file()}
    assert after == before


def test_feedback_never_shows_hidden_tests(graded_class):
    course, outcomes, _, _ = graded_class
    pages = list((course / "feedback").rglob("*.html"))
    assert len(pages) == len(outcomes), "every student gets feedback, unreadable files included"
    assert "JSON illisible" in (course / "feedback" / "invalid_json" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert SECRET not in text and "BEGIN HIDDEN TESTS" not in text, page
    assert "Remarques de la correction automatique" in (
        course / "feedback" / "deleted_answer_cell" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")


def test_csv_has_one_column_per_graded_cell(graded_class):
    course, outcomes, _, _ = graded_class
    with open(course / "grades" / f"{ASSIGNMENT}.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["student"] for row in rows} == set(outcomes)
    assert {"add_tests", "mean_tests", "scale_tests", "explain_mean", "total"} <= set(rows[0])
    solution = next(row for row in rows if row["student"] == "solution")
    assert float(solution["add_tests"]) == 3 and float(solution["total"]) == 10


def test_moodle_worksheet_comes_back_filled_and_feedback_zipped(graded_class):
    """Matched by participant id: each row gets the CSV's final grade (blank while answers
    wait for a grader), the student who sent nothing keeps their row as Moodle wrote it."""
    course, outcomes, _, _ = graded_class
    with open(course / "grades" / f"{ASSIGNMENT}.csv", newline="", encoding="utf-8") as handle:
        final = {row["student"]: row for row in csv.DictReader(handle)}
    with open(course / "grades" / f"{ASSIGNMENT}_moodle.csv", newline="", encoding="utf-8") as handle:
        rows = {row["Identifiant"]: row for row in csv.DictReader(handle)}
    assert len(rows) == len(KINDS) + 1
    for number, kind in enumerate(KINDS):
        row, student = rows[f"Participant {4000 + number}"], final[kind.name]
        expected = "" if float(student["pending_points"]) else f"{float(student['total']):.2f}".replace(".", ",")
        assert row["Note"] == expected and row["Commentaires de feedback"], (kind.name, row, student)
    assert rows["Participant 4999"]["Note"] == rows["Participant 4999"]["Commentaires de feedback"] == ""
    with zipfile.ZipFile(course / "grades" / f"{ASSIGNMENT}_moodle_feedback.zip") as zf:
        names = zf.namelist()
    assert len(names) == len(outcomes) and all(n.endswith(f"_assignsubmission_file_/{ASSIGNMENT}_retour.html") for n in names)


def test_rerun_is_idempotent_and_skips_graded_work(graded_class):
    course, outcomes, _, _ = graded_class
    result = grade(course)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "0 to grade" in result.stderr
    for name, outcome in outcomes.items():
        again = journal(course)[name]
        assert again["scores"] == outcome["scores"] and again["status"] == outcome["status"]


IPC_WRITE = '''
import ctypes, os
libc, rt = ctypes.CDLL(None, use_errno=True), ctypes.CDLL("librt.so.1", use_errno=True)
print("created" if libc.shmget(0xC0FFEE, 4096, 0o1666) >= 0 and rt.mq_open(b"/coursekit_left", os.O_CREAT | os.O_RDWR, 0o666, None) >= 0 else "refused")
'''
IPC_READ = '''
import ctypes, os
libc, rt = ctypes.CDLL(None, use_errno=True), ctypes.CDLL("librt.so.1", use_errno=True)
print("SysV FOUND" if libc.shmget(0xC0FFEE, 0, 0o666) >= 0 else "SysV absent", "MQ FOUND" if rt.mq_open(b"/coursekit_left", os.O_RDWR) >= 0 else "MQ absent")
'''


def test_no_ipc_object_outlives_its_submission():
    """A SysV shared memory segment and a POSIX message queue left by one submission are gone for
    the next ones, including the next one forked by the same slot."""
    if bubblewrap() is None:
        pytest.skip("bubblewrap is not available (or not root): no sandbox to test")
    from coursekit.grading.executors import KernelRuntime
    from coursekit.grading.sandbox import Sandbox
    runtime = KernelRuntime(Sandbox(cell_timeout=20, total_seconds=60).limits(), 1)  # two slots, used in turn
    try:
        printed = []
        for source in (IPC_WRITE, IPC_READ, IPC_READ, IPC_READ):
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
            runtime.execute(nb, set())
            printed.append("".join(o.get("text", "") for o in nb.cells[0].outputs))
    finally:
        runtime.close()
    assert printed[0].strip() == "created", printed
    assert all(text.strip() == "SysV absent MQ absent" for text in printed[1:]), printed
