"""Grading beyond one machine: a Dask cluster of separate worker processes, and a PostgreSQL
gradebook. Both must give the grades that local grading with SQLite gives."""
from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from nbgrader.api import Gradebook

from coursekit.grading.gradebook import CourseGradebook
from coursekit.nbgrader_run import nbgrader_env
from tests.grading import postgres
from tests.grading.hostile import KINDS
from tests.grading.mini_course import (ASSIGNMENT, grade_command, journal, make_course, release_and_solution,
                                       submit)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]
BY_NAME = {kind.name: kind for kind in KINDS}
DASK_CLASS = ["solution", "blank", "invalid_json", "metadata_stripped", "duplicated_cell", "deleted_answer_cell",
              "infinite_loop", "os_exit", "fork_bomb", "patched_allclose", "assert_rewriting_transformer",
              "wrong_file_name"]
PG_CLASS = ["solution", "blank", "invalid_json", "deleted_answer_cell", "os_exit", "patched_allclose"]
LIMITS = dict(cell_timeout=5, total_seconds=15, memory_mb=4000)


def make_class(root, names, **config):
    course = make_course(root, **LIMITS)
    for key, value in config.items():
        with open(course / "nbgrader_config.py", "a", encoding="utf-8") as handle:
            handle.write(f"c.{key} = {value!r}\n")
    os.environ["PATH"] = nbgrader_env()["PATH"]
    CourseGradebook(course, ASSIGNMENT).ensure_assignment()
    blank, solution = release_and_solution(course)
    for name in names:
        submit(course, name, BY_NAME[name].build(blank, solution, {}), BY_NAME[name].filename)
    return course


def grade(course, *extra, wait=True):
    command = grade_command(course, "--no-feedback", *extra)
    if not wait:
        return subprocess.Popen(command, env=nbgrader_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
    result = subprocess.run(command, env=nbgrader_env(), capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def assert_expected_grades(outcomes: dict[str, dict], names) -> None:
    """The grades local grading gives (tests/test_grading_hostile.py asserts the same table)."""
    assert sorted(outcomes) == sorted(names)
    for name in names:
        auto = sum(v for cell, v in outcomes[name]["scores"].items() if v is not None and cell.endswith("_tests"))
        assert auto == pytest.approx(BY_NAME[name].total), (name, outcomes[name])
        assert outcomes[name]["status"] == BY_NAME[name].status, (name, outcomes[name])


def test_dask_cluster_survives_a_killed_worker_with_identical_grades(tmp_path):
    from distributed import Client, LocalCluster
    course = make_class(tmp_path / "dask", DASK_CLASS)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        batch = grade(course, "--dask", cluster.scheduler_address, wait=False)
        deadline = time.monotonic() + 600
        while len(journal(course)) < 2 and time.monotonic() < deadline and batch.poll() is None:
            time.sleep(0.2)
        assert batch.poll() is None, "the batch ended before a worker could be killed"
        victim = next(iter(client.run(os.getpid).values()))
        os.kill(victim, signal.SIGKILL)
        _, stderr = batch.communicate(timeout=900)
        assert batch.returncode == 0, stderr[-3000:]
    outcomes = journal(course)
    assert_expected_grades(outcomes, DASK_CLASS)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submissions = gradebook.assignment_submissions(ASSIGNMENT)
        assert sorted(s.student.id for s in submissions) == sorted(DASK_CLASS)
        totals = {s.student.id: s.score for s in submissions}
    assert totals == {name: pytest.approx(o["total"]) for name, o in outcomes.items()}


@pytest.mark.skipif(bool(postgres.available()), reason=postgres.available() or "ok")
def test_postgresql_gradebook_matches_sqlite(tmp_path):
    sqlite_course = make_class(tmp_path / "sqlite", PG_CLASS)
    grade(sqlite_course, "--jobs", "2")
    with postgres.server() as url:
        pg_course = make_class(tmp_path / "postgres", PG_CLASS, **{"CourseDirectory.db_url": url})
        grade(pg_course, "--jobs", "2")
        with Gradebook(url) as gradebook:
            pg_totals = {s.student.id: s.score for s in gradebook.assignment_submissions(ASSIGNMENT)}
            pg_cells = {(g.notebook.student.id, g.name): g.score
                        for s in gradebook.assignment_submissions(ASSIGNMENT)
                        for nb in s.notebooks for g in nb.grades}
    with Gradebook(f"sqlite:///{sqlite_course / 'gradebook.db'}") as gradebook:
        sqlite_totals = {s.student.id: s.score for s in gradebook.assignment_submissions(ASSIGNMENT)}
        sqlite_cells = {(g.notebook.student.id, g.name): g.score
                        for s in gradebook.assignment_submissions(ASSIGNMENT)
                        for nb in s.notebooks for g in nb.grades}
    assert pg_totals == sqlite_totals and pg_cells == sqlite_cells
    assert_expected_grades(journal(pg_course), PG_CLASS)
    assert not (pg_course / "gradebook.db").exists(), "the PostgreSQL course must not fall back to SQLite"
