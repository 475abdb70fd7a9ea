"""Noisy neighbour: how much one submission running busy loops slows the students graded beside it.

One submission forks `--loops` busy loops, each in its own session (out of its kernel's process
group), and keeps its kernel busy for `--hold` seconds; the honest students of the class are
graded in the other job slot meanwhile. The class is graded three times in fresh course folders:
without the noisy submission, with it, and with it while the per-slot control groups are off
(RLIMITs only, as on a machine without cgroups). Prints the honest students' own execution time
(mean and worst) in each case and the slowdown ratios.

    python benchmarks/noisy_neighbour.py [--students 4] [--loops 40] [--hold 40]

Needs root and bubblewrap (the sandbox) and writable cgroups; run it on an otherwise idle
machine with at least two cores.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import nbformat  # noqa: E402

from coursekit import demo, notebooks  # noqa: E402
from coursekit.course import Course  # noqa: E402
from coursekit.grading import cgroups, forkserver  # noqa: E402
from coursekit.grading.cli import grade_course  # noqa: E402
from coursekit.grading.sandbox import bubblewrap  # noqa: E402
from grading_throughput import build_class, fresh_copy, own_execution_seconds  # noqa: E402

ASSIGNMENT = demo.ASSIGNMENT
NOISY = "aaa_noisy"  # sorted first: graded while the honest students go through the other slot


def busy_loops_cell(loops: int, hold: float) -> str:
    return (f"import os, time\nfor _ in range({loops}):\n    if os.fork() == 0:\n        os.setsid()\n"
            f"        while True:\n            pass\ntime.sleep({hold})")


def add_noisy_student(folder: Path, loops: int, hold: float) -> None:
    course = Course.load(folder)
    honest = sorted(course.submitted().iterdir())[0]
    shutil.copytree(honest, course.submitted() / NOISY)
    path = course.notebook("submitted", ASSIGNMENT, NOISY)
    nb = notebooks.read(path)
    nb.cells.insert(1, nbformat.v4.new_code_cell(busy_loops_cell(loops, hold)))
    notebooks.write(nb, path)


def grade(template: Path, folder: Path, with_cgroups: bool) -> list[float]:
    """The honest students' execution seconds, the class graded with 2 job slots."""
    course = fresh_copy(template, folder, ASSIGNMENT)
    original = forkserver.slot_cgroup
    if not with_cgroups:
        forkserver.slot_cgroup = lambda *args, **kwargs: None
    try:
        grade_course(course, ASSIGNMENT, jobs=2, feedback=False, progress=False)
    finally:
        forkserver.slot_cgroup = original
    return own_execution_seconds(course, ASSIGNMENT, skip=NOISY)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=4, help="honest students")
    parser.add_argument("--loops", type=int, default=40)
    parser.add_argument("--hold", type=float, default=40.0, help="seconds the noisy kernel stays busy")
    args = parser.parse_args()
    if not bubblewrap() or not cgroups.available():
        sys.exit("needs root, bubblewrap and writable cgroups (the sandbox and its per-slot control groups)")
    os.environ["OMP_NUM_THREADS"] = "1"
    with tempfile.TemporaryDirectory(prefix="noisy-bench-") as scratch:
        work = Path(scratch)
        quiet = build_class(work / "quiet", ASSIGNMENT, args.students)
        noisy = work / "noisy"
        shutil.copytree(quiet, noisy)
        add_noisy_student(noisy, args.loops, args.hold)
        rows = [("alone", grade(quiet, work / "alone", True)),
                ("beside busy loops, cgroups", grade(noisy, work / "cgroups", True)),
                ("beside busy loops, RLIMITs only", grade(noisy, work / "rlimits", False))]
    base = statistics.fmean(rows[0][1])
    print(f"{args.students} honest submissions of {ASSIGNMENT}, 2 job slots; the noisy one forks "
          f"{args.loops} busy loops in their own sessions for {args.hold:.0f} s")
    print(f"{'honest students':<34}{'mean s':>8}{'worst s':>9}{'slowdown':>10}")
    for name, seconds in rows:
        mean = statistics.fmean(seconds)
        print(f"{name:<34}{mean:>8.2f}{max(seconds):>9.2f}{mean / base:>9.2f}x")


if __name__ == "__main__":
    main()
