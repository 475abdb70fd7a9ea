"""Grading throughput: our engine (1 job, N jobs, a local Dask cluster) against stock nbgrader.

Builds one class of submissions (the demo students of TP2 by default, the solved release for
another TP, repeated to reach
--students), grades it three times in fresh course folders and prints submissions per
minute, the per-submission overhead beyond the notebook's own execution, and the ratios.
It also prints the coordinator's serial seconds per submission (the pipeline's blocking
steps, run one at a time by the coordinator's thread, as the 1-job run's journal timed them)
and the speed-up over one job that this serial part allows at 16 and 64 cores: with N kernels
a submission cannot take less than max(T1 / N, serial), so the bound is min(N, T1 / serial).

The notebook's own execution time is what its cells take in a kernel that is already
running (measured by our engine for each submission); everything else — kernel start,
imports, reading, repair, scoring, gradebook — is overhead.

    python benchmarks/grading_throughput.py [--assignment tp2_fonctions_derivables] [--students 24] [--jobs 2]

`--jobs` is also the number of Dask worker processes. Run it on an otherwise idle machine.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from coursekit import demo, notebooks  # noqa: E402
from coursekit.course import Course  # noqa: E402
from coursekit.grading.journal import read_journal  # noqa: E402
from coursekit.grading.cli import grade_course  # noqa: E402
from coursekit.nbgrader_run import nbgrader_env, run_nbgrader  # noqa: E402
from coursekit.release import generate_release, make_course_folder  # noqa: E402
from coursekit.submissions import student_copy  # noqa: E402


def build_class(root: Path, assignment: str, count: int) -> Path:
    course = make_course_folder(root)
    generate_release(course, [assignment])
    if assignment == demo.ASSIGNMENT:
        students = [s for s in demo.STUDENTS if not s.mess]  # stock nbgrader cannot grade the messy ones
        demo.write_submissions(course, assignment, students)
    else:  # the demo students are written for one TP: another TP's class is its solved release
        where = Course.load(course)
        solved = student_copy(notebooks.read(where.notebook("release", assignment)),
                              notebooks.read(where.notebook("source", assignment)))
        notebooks.write(solved, where.notebook("submitted", assignment, "student_000"))
    originals = sorted((course / "submitted").iterdir())
    for number in range(len(originals), count):
        shutil.copytree(originals[number % len(originals)], course / "submitted" / f"student_{number:03d}")
    for extra in sorted((course / "submitted").iterdir())[count:]:
        shutil.rmtree(extra)
    return course


def fresh_copy(template: Path, root: Path, assignment: str) -> Path:
    shutil.copytree(template, root, ignore=shutil.ignore_patterns("gradebook.db"))
    run_nbgrader(root, "generate_assignment", assignment, "--force")
    return root


def own_execution_seconds(course: Path, assignment: str, skip: str | None = None) -> list[float]:
    """What each submission's cells took in its kernel (our journal), but `skip`'s."""
    journal = read_journal(Course.load(course), assignment)
    return [outcome.execution_seconds for student, outcome in journal.items() if student != skip]


def coordinator_seconds(course: Path, assignment: str) -> list[float]:
    """Per submission, the seconds of the pipeline's blocking steps (the coordinator's serial work)."""
    where = Course.load(course)
    steps = where.pipeline.coordinator_steps
    return [sum(outcome.step_seconds.get(step, 0.0) for step in steps)
            for outcome in read_journal(where, assignment).values()]


def busy_cpu_seconds() -> float:
    """CPU seconds spent so far by the whole machine (every process: kernels, judges, zygotes)."""
    with open("/proc/stat") as handle:
        fields = [int(v) for v in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def ours(template: Path, work: Path, jobs: int, dask: str | None = None) -> tuple[float, Path, float]:
    """Wall seconds, the graded course folder and the mean number of cores busy meanwhile."""
    course = fresh_copy(template, work / (f"dask_{jobs}" if dask else f"ours_{jobs}"), ASSIGNMENT)
    started, cpu = time.perf_counter(), busy_cpu_seconds()
    grade_course(course, ASSIGNMENT, jobs=jobs, feedback=False, progress=False, dask=dask)
    wall = time.perf_counter() - started
    return wall, course, (busy_cpu_seconds() - cpu) / wall


def on_local_cluster(template: Path, work: Path, workers: int) -> tuple[float, Path, float]:
    """The same class on a Dask cluster of `workers` separate processes on loopback."""
    from distributed import LocalCluster
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        return ours(template, work, workers, dask=cluster.scheduler_address)


def stock(template: Path, work: Path) -> float:
    course = fresh_copy(template, work / "stock", ASSIGNMENT)
    env = dict(nbgrader_env(), OMP_NUM_THREADS="1")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT], cwd=course, env=env,
                   check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    global ASSIGNMENT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default=demo.ASSIGNMENT)
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    ASSIGNMENT = args.assignment
    os.environ["OMP_NUM_THREADS"] = "1"
    os.environ["PATH"] = nbgrader_env()["PATH"]
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as scratch:
        work = Path(scratch)
        template = build_class(work / "template", ASSIGNMENT, args.students)
        n = args.students
        wall_1, one_job, busy_1 = ours(template, work, 1)
        own, serial = own_execution_seconds(one_job, ASSIGNMENT), coordinator_seconds(one_job, ASSIGNMENT)
        wall_n, _, busy_n = ours(template, work, args.jobs) if args.jobs > 1 else (wall_1, one_job, busy_1)
        wall_dask, _, busy_dask = on_local_cluster(template, work, args.jobs)
        wall_stock = stock(template, work)
    own_mean, serial_mean = statistics.fmean(own), statistics.fmean(serial)
    rows = [("ours, 1 job", wall_1, 1), (f"ours, {args.jobs} jobs", wall_n, args.jobs),
            (f"Dask, {args.jobs} workers", wall_dask, args.jobs), ("stock nbgrader", wall_stock, 1)]
    print(f"{n} submissions of {ASSIGNMENT}; notebook's own execution {own_mean:.2f} s each (mean)")
    print(f"{'grader':<18}{'wall s':>9}{'subs/min':>10}{'overhead s/sub':>16}")
    for name, wall, jobs in rows:
        overhead = wall * jobs / n - own_mean
        print(f"{name:<18}{wall:>9.1f}{60 * n / wall:>10.1f}{overhead:>16.2f}")
    print(f"throughput ours/stock (1 job): {wall_stock / wall_1:.2f}x; "
          f"{args.jobs} jobs vs 1 job: {wall_1 / wall_n:.2f}x (target >= {0.9 * args.jobs:.1f}x); "
          f"Dask vs local with {args.jobs}: {wall_n / wall_dask:.2f}x")
    print(f"mean cores busy (whole machine) of {os.cpu_count()}: 1 job {busy_1:.2f}, {args.jobs} jobs {busy_n:.2f}, "
          f"Dask {busy_dask:.2f}")
    per_submission = wall_1 / n
    print(f"coordinator serial work {serial_mean:.3f} s/sub (max {max(serial):.3f}) of {per_submission:.2f} s/sub "
          f"with 1 job; speed-up it allows: " + ", ".join(
              f"{cores} cores {min(cores, per_submission / serial_mean):.1f}x" for cores in (16, 64)))


if __name__ == "__main__":
    main()
