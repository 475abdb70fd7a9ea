"""Every TP through the stock `nbgrader autograde`: the teacher's solution runs without error and
earns every autograded point; the untouched release earns none."""
import pytest

from coursekit import notebooks
from coursekit.grading.final_grades import read_final_grades
from coursekit.nbgrader_run import run_nbgrader
from coursekit.paths import assignment_ids
from coursekit.release import generate_release, make_course_folder
from coursekit.submissions import student_copy

ASSIGNMENTS = assignment_ids()
# one worker grades the shared course folder, whatever the xdist split
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("autograde")]


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    course = make_course_folder(tmp_path_factory.mktemp("course"))
    generate_release(course, ASSIGNMENTS)
    for assignment in ASSIGNMENTS:
        source_nb = notebooks.read(course / "source" / assignment / f"{assignment}.ipynb")
        release_nb = notebooks.read(course / "release" / assignment / f"{assignment}.ipynb")
        for student, solved in [("solution", None), ("blank", ())]:
            nb = student_copy(release_nb, source_nb, solved=solved)
            notebooks.write(nb, course / "submitted" / student / assignment / f"{assignment}.ipynb")
        run_nbgrader(course, "autograde", assignment)
    return course


def _grades(course, assignment, student):
    return read_final_grades(f"sqlite:///{course / 'gradebook.db'}", assignment)[student].cells


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_runs_cleanly_and_earns_every_autograded_point(graded_course, assignment):
    grades = _grades(graded_course, assignment, "solution")
    lost = [(g.grade_id, g.score, g.max_score) for g in grades if g.autograded and g.score != g.max_score]
    assert not lost, f"the solution lost points: {lost}"
    executed = notebooks.read(graded_course / "autograded" / "solution" / assignment / f"{assignment}.ipynb")
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"{assignment}: a cell raised {output.ename}: {output.evalue}"
            if notebooks.is_test_cell(cell):
                assert output.get("name") != "stderr", f"{notebooks.grade_id(cell)} wrote to stderr: {output.text}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_release_earns_nothing(graded_course, assignment):
    grades = _grades(graded_course, assignment, "blank")
    earned = [(g.grade_id, g.score) for g in grades if g.score]
    assert not earned, f"the untouched release earned points: {earned}"
    assert all(not g.pending for g in grades), "unanswered questions should not wait for a grader"
