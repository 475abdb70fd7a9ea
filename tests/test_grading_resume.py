"""A batch killed with SIGKILL midway resumes and ends with the grades of an uninterrupted run."""
from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from coursekit.grading.gradebook import CourseGradebook
from coursekit.grading.kernels import OWNER_FILE, WORK_DIR_PREFIX
from coursekit.nbgrader_run import nbgrader_env
from tests.grading.hostile import KINDS
from tests.grading.mini_course import (ASSIGNMENT, grade_command, journal, make_course, release_and_solution,
                                       submit)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]
CLASS = ["solution", "blank", "deleted_answer_cell", "metadata_stripped", "test_cell_edited", "os_exit"]


def command(course, *extra):
    return grade_command(course, "--jobs", "1", "--no-feedback", *extra)


def test_killed_batch_resumes_with_identical_grades(tmp_path):
    course = make_course(tmp_path / "course", cell_timeout=5, total_seconds=30)
    os.environ["PATH"] = nbgrader_env()["PATH"]
    CourseGradebook(course, ASSIGNMENT).ensure_assignment()
    blank, solution = release_and_solution(course)
    kinds = {k.name: k for k in KINDS}
    for name in CLASS:
        submit(course, name, kinds[name].build(blank, solution, {}), kinds[name].filename)

    victim = subprocess.Popen(command(course), env=nbgrader_env(), start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while len(journal(course)) < 2 and time.monotonic() < deadline and victim.poll() is None:
        time.sleep(0.2)
    assert victim.poll() is None, "the batch finished before it could be killed"
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    victim_dirs = [d for d in Path(tempfile.gettempdir()).glob(WORK_DIR_PREFIX + "*")
                   if (d / OWNER_FILE).is_file() and (d / OWNER_FILE).read_text() == str(victim.pid)]
    assert victim_dirs, "the killed batch's kernel folder is not marked with its pid"
    done_before = set(journal(course))
    assert 2 <= len(done_before) < len(CLASS)

    resumed = subprocess.run(command(course), env=nbgrader_env(), capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert f"{len(CLASS) - len(done_before)} to grade" in resumed.stderr
    after_resume = journal(course)
    assert set(after_resume) == set(CLASS)

    fresh = subprocess.run(command(course, "--force"), env=nbgrader_env(), capture_output=True, text=True,
                           timeout=600)
    assert fresh.returncode == 0, fresh.stderr[-3000:]
    # a quiet instructor log: a kernel killed by a student is a reason in the report, not a traceback
    assert "Traceback" not in fresh.stderr and "never retrieved" not in fresh.stderr, fresh.stderr[-3000:]
    regraded = journal(course)
    for name in CLASS:
        assert regraded[name]["scores"] == after_resume[name]["scores"], name
        assert regraded[name]["status"] == after_resume[name]["status"], name
    assert regraded["solution"]["total"] == 10 and regraded["blank"]["total"] == 0
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert sorted(s.student.id for s in gradebook.assignment_submissions(ASSIGNMENT)) == sorted(CLASS)
    for folder in victim_dirs:
        leftovers = subprocess.run(["pgrep", "-f", folder.name], capture_output=True, text=True)
        assert leftovers.stdout.strip() == "", "kernels of the killed batch outlived it"
        assert not folder.exists(), "the killed batch's scratch files were not swept by the next run"
