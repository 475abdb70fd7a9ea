"""`make validity`: run every bank variant as a submission runs and print, per TP and test
cell, how many wrong answers lose points there and how many correct ones keep full marks.

    python -m tests.validity_report [assignment ...]

A wrong answer counts as caught by a cell when it scores less than the maximum there; a
correct answer counts as accepted when no cell that ran lost a point. The last lines list
every wrong answer that kept full marks and every correct one that lost points.
"""
from __future__ import annotations

import sys
from collections import defaultdict

from coursekit.validity import run_and_score
from tests.conftest import bank_modules


def report(assignments: list[str]) -> int:
    surprises: list[str] = []
    print(f"{'TP':<28} {'test cell':<32} {'wrong':>6} {'caught':>7} {'correct':>8} {'kept':>5}")
    for module in sorted(bank_modules(), key=lambda m: m.ASSIGNMENT):
        if assignments and module.ASSIGNMENT not in assignments:
            continue
        rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for kind in ("WRONG", "CORRECT"):
            for variant in getattr(module, kind):
                graded = run_and_score(module.ASSIGNMENT, {variant.cell: variant.code}, variant.tests)
                if kind == "WRONG":
                    score, maximum = graded.total(variant.tests)
                    for test in variant.tests:
                        rows[test][0] += 1
                        rows[test][1] += graded.scores[test][0] < graded.scores[test][1]
                    if score >= maximum:
                        surprises.append(f"{module.ASSIGNMENT}:{variant.name} (wrong) kept full marks")
                else:
                    lost = [t for t, (s, m) in graded.scores.items() if s < m]
                    for test in variant.tests:
                        rows[test][2] += 1
                        rows[test][3] += not lost
                    if lost:
                        surprises.append(f"{module.ASSIGNMENT}:{variant.name} (correct) lost points in {', '.join(lost)}")
        totals = [sum(r[i] for r in rows.values()) for i in range(4)]
        for test, (wrong, caught, correct, kept) in rows.items():
            print(f"{module.ASSIGNMENT:<28} {test:<32} {wrong:>6} {caught:>7} {correct:>8} {kept:>5}", flush=True)
        print(f"{module.ASSIGNMENT:<28} {'(all cells)':<32} {totals[0]:>6} {totals[1]:>7} {totals[2]:>8} {totals[3]:>5}")
    print("\n".join(surprises) or "every wrong answer lost points and every correct one kept full marks")
    return 1 if surprises else 0


if __name__ == "__main__":
    raise SystemExit(report(sys.argv[1:]))
