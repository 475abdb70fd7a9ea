"""Time each solution notebook as a student would run it (all cells, figures included).

Prints, per TP: kernel start-up, total wall time, the share of the 20 s budget, and the
slowest cells. Usage: python benchmarks/notebook_times.py [--repeat N] [assignment ...]
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import datetime

import nbformat
from nbclient import NotebookClient

from coursekit import notebooks
from coursekit.paths import assignment_ids, source_notebook

# As in `make test` and in grading kernels: one torch thread per kernel, so timings do not
# swing with whatever else shares the cores.
os.environ.setdefault("OMP_NUM_THREADS", "1")

BUDGET_S = 20.0


def execute(nb) -> float:
    """Run `nb` in a fresh kernel and return the wall time, kernel start-up included."""
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": scratch}}).execute()
        return time.perf_counter() - start


def cell_seconds(cell) -> float:
    timing = cell.metadata.get("execution", {})
    try:
        begin = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    except KeyError:
        return 0.0
    return (end - begin).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", default=assignment_ids())
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print(f"{os.cpu_count()} CPU cores visible; budget {BUDGET_S:.0f} s per solution notebook")
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import torch")])
    startup = statistics.median(execute(nbformat.from_dict(empty)) for _ in range(args.repeat))
    print(f"kernel start + import torch: {startup:.2f} s (median of {args.repeat})\n")
    print(f"{'assignment':<28} {'median s':>9} {'min s':>7} {'budget':>7}  slowest cells")
    for assignment in args.assignments:
        times, last = [], None
        for _ in range(args.repeat):
            last = notebooks.read(source_notebook(assignment))
            times.append(execute(last))
        slowest = sorted(((cell_seconds(c), notebooks.grade_id(c) or f"cell {i}")
                          for i, c in enumerate(last.cells) if c.cell_type == "code"), reverse=True)[:3]
        cells = ", ".join(f"{name} {seconds:.1f}s" for seconds, name in slowest)
        median = statistics.median(times)
        print(f"{assignment:<28} {median:9.2f} {min(times):7.2f} {median / BUDGET_S:6.0%}  {cells}")


if __name__ == "__main__":
    main()
