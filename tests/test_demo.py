"""`make demo` end to end: release, the demo class, sandboxed grading, feedback, CSV and table."""
import csv

import pytest

from coursekit.demo import ASSIGNMENT, STUDENTS, build_demo, format_table


@pytest.mark.slow
def test_demo_class_is_graded_and_ranked(tmp_path):
    course = tmp_path / "demo"
    grades = build_demo(course)
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
