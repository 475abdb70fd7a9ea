"""`make demo` end to end: release, the demo class, sandboxed grading, feedback, CSV and table."""
import csv

import pytest

from coursekit.demo import ASSIGNMENT, STUDENTS, build_demo, format_table


pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]


@pytest.fixture(scope="module")
def demo_class(tmp_path_factory):
    course = tmp_path_factory.mktemp("demo") / "demo"
    return course, build_demo(course)


def test_demo_class_is_graded_and_ranked(demo_class):
    course, grades = demo_class
    assert set(grades) == {s.id for s in STUDENTS}
    auto = {student: sum(g.score for g in cells if g.autograded) for student, cells in grades.items()}
    maximum = sum(g.max_score for g in grades["ada_lovelace"] if g.autograded)
    assert auto["ada_lovelace"] == maximum == 16
    assert auto["blaise_pascal"] == 0
    # messy but correct submissions are repaired, not punished
    assert auto["henri_poincare"] == auto["hypatia"] == 16
    pending = {student: sum(g.max_score for g in cells if not g.autograded and g.needs_manual_grade)
               for student, cells in grades.items()}
    assert pending["henri_poincare"] == pending["ada_lovelace"] == 4
    for student in ("emilie_du_chatelet", "evariste_galois", "sophie_germain"):
        assert 0 < auto[student] < maximum, (student, auto[student])
    # one bug costs the exercise it is in, not the ones that reuse it
    galois = {g.grade_id: g.score for g in grades["evariste_galois"]}
    assert galois["linear_tests"] < 3 and galois["train_linear_full_tests"] == 2 and galois["train_mlp_tests"] == 3

    with open(course / "grades" / f"{ASSIGNMENT}.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["student"] for row in rows} == set(grades)
    for student in grades:
        assert (course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()
    table = format_table(grades)
    assert "ada_lovelace" in table and "16/16" in table and "0/16" in table


def test_dashboard_runs_on_a_graded_class(demo_class, monkeypatch):
    """notebooks/tableau_de_bord.ipynb executes on the demo class and shows its numbers."""
    import nbformat
    from nbclient import NotebookClient

    from coursekit.dashboard import course_stats
    from coursekit.paths import REPO_ROOT

    course, _ = demo_class
    stats = course_stats(course)
    assert [s.assignment for s in stats] == [ASSIGNMENT]
    assert stats[0].totals["ada_lovelace"] == 16 and stats[0].max_auto == 16
    assert stats[0].cell_success["linear_tests"] < 1
    assert any("standardis" in message for _, _, message in stats[0].failed_checks)

    monkeypatch.setenv("COURSE_DIR", str(course))
    nb = nbformat.read(REPO_ROOT / "notebooks" / "tableau_de_bord.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(REPO_ROOT / "notebooks")}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 3
    assert any(ASSIGNMENT in o.get("text", "") for o in outputs)
