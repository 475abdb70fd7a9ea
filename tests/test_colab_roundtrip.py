"""A notebook saved by Google Colab is graded exactly like the same answers saved by JupyterLab.

For every TP, one set of answers (some solved, some left as stubs, one plausible bug from
the validity bank) is handed in three times: saved by JupyterLab, saved by Colab keeping
nbgrader's metadata, and saved by Colab after it dropped every metadata key but its own,
in a file Colab renamed. The real grading command grades each TP's class; every graded
cell must get the same score in the three copies.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from coursekit import notebooks
from coursekit.grading.gradebook import CourseGradebook
from coursekit.nbgrader_run import nbgrader_env
from coursekit.paths import assignment_ids
from coursekit.release import generate_release, make_course_folder
from coursekit.submissions import student_copy
from tests.conftest import bank_modules
from tests.colab.save import COLAB_COPY_PREFIX, save_as_colab, save_as_jupyterlab
from tests.grading.mini_course import journal

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("colab-roundtrip")]
ASSIGNMENTS = assignment_ids()
BANKS = {module.ASSIGNMENT: module for module in bank_modules()}
SAVES = {
    "jupyterlab": lambda nb, a: (f"{a}.ipynb", save_as_jupyterlab(nb)),
    "colab": lambda nb, a: (f"{a}.ipynb", save_as_colab(nb)),
    "colab_sans_metadonnees": lambda nb, a: (f"{COLAB_COPY_PREFIX}{a}.ipynb", save_as_colab(nb, keep_nbgrader=False)),
}


def mixed_answers(assignment: str, release, source):
    """Two answers in three solved, the others left as stubs, and the bank's first bug."""
    answers = [notebooks.grade_id(c) for c in release.cells if notebooks.is_answer_cell(c)]
    bug = BANKS[assignment].WRONG[0]
    return student_copy(release, source, solved=[gid for i, gid in enumerate(answers) if i % 3 != 1],
                        replacements={bug.cell: bug.code})


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course_folder(tmp_path_factory.mktemp("colab-roundtrip"))
    generate_release(course, ASSIGNMENTS)
    env = nbgrader_env()
    journals = {}
    for assignment in ASSIGNMENTS:
        CourseGradebook(course, assignment).ensure_assignment()
        release = notebooks.read(course / "release" / assignment / f"{assignment}.ipynb")
        source = notebooks.read(course / "source" / assignment / f"{assignment}.ipynb")
        answers = mixed_answers(assignment, release, source)
        for student, save in SAVES.items():
            name, data = save(answers, assignment)
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True)
            (folder / name).write_bytes(data)
        result = subprocess.run([sys.executable, "-m", "coursekit", "grade", assignment, "--course", str(course),
                                 "--quiet", "--jobs", "2", "--no-feedback"], env=env, capture_output=True, text=True,
                                timeout=900)
        assert result.returncode == 0, result.stderr[-3000:]
        journals[assignment] = journal(course, assignment)
    return journals


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_colab_saves_are_graded_like_jupyterlab(graded, assignment):
    outcomes = graded[assignment]
    lab = outcomes["jupyterlab"]
    earned = sum(v for v in lab["scores"].values() if v is not None)
    assert lab["status"] != "error" and 0 < earned < lab["max_score"], f"the answers should earn part of the points: {lab}"
    for student in ("colab", "colab_sans_metadonnees"):
        assert outcomes[student]["scores"] == lab["scores"], (
            f"{student} graded differently from JupyterLab:\n{outcomes[student]['scores']}\n{lab['scores']}")
        assert outcomes[student]["status"] == lab["status"], outcomes[student]["reasons"]
