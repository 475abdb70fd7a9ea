"""`make validity`: run every bank variant as a submission runs and print, per TP and test
cell, how many wrong answers lose points there and how many correct ones keep full marks.

    python -m tests.validity_report [--streams N] [assignment ...]

A wrong answer counts as caught by a cell when it scores less than the maximum there; a
correct answer counts as accepted when no cell that ran lost a point. Then, for the answers
whose checks involve randomness (each bank's RANDOM_ANSWERS), the teacher's answer and every
correct variant are graded under N RNG streams (200 by default): the pass rate of each test
cell and the worst margin of each bound its checks set. The last lines list every wrong
answer that kept full marks, every correct one that lost points, and every failed stream.
"""
from __future__ import annotations

import sys
from collections import defaultdict

from coursekit.validity import lost_cells, margins, run_and_score, run_streams
from tests.conftest import bank_modules, stream_answers

STREAMS_PER_RUN = 20  # one kernel grades this many streams of an answer: 20 digits trainings of TP4 take 3-4 min of its 900 s


def stream_report(module, n_streams: int, surprises: list[str]) -> None:
    """Pass rate and worst margins of the randomised checks, under `n_streams` RNG streams."""
    runs: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    worst: dict[tuple[str, str], float] = {}
    answers = stream_answers(module)
    for name, replacements, tests in answers:
        for start in range(0, n_streams, STREAMS_PER_RUN):
            streams = range(start + 1, min(n_streams, start + STREAMS_PER_RUN) + 1)
            for stream, graded in zip(streams, run_streams(module.ASSIGNMENT, replacements, tests, streams)):
                lost = lost_cells(graded)
                for test in tests:
                    runs[test][0] += 1
                    runs[test][1] += test not in lost
                    if test in lost:
                        surprises.append(f"{module.ASSIGNMENT}:{name} lost points in {test} under stream {stream}:\n"
                                         f"{graded.outputs[test][-600:]}")
                for key, margin in margins(graded).items():
                    worst[key] = min(margin, worst.get(key, margin))
    print(f"\n{module.ASSIGNMENT}: {len(answers)} answers under {n_streams} RNG streams each")
    print(f"{'test cell':<32} {'runs':>6} {'passed':>7}")
    for test, (count, passed) in runs.items():
        print(f"{test:<32} {count:>6} {passed:>7}")
    for (test, what), margin in sorted(worst.items()):
        print(f"  worst margin {margin:.4g} : {test} : {what}")


def report(assignments: list[str], n_streams: int = 200) -> int:
    surprises: list[str] = []
    unknown = sorted(set(assignments) - {m.ASSIGNMENT for m in bank_modules()})
    if unknown:  # an empty table would read as a clean bill
        print(f"no bank for {', '.join(unknown)}; known: {', '.join(sorted(m.ASSIGNMENT for m in bank_modules()))}")
        return 2
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
        if n_streams and getattr(module, "RANDOM_ANSWERS", None):
            stream_report(module, n_streams, surprises)
    print("\n".join(surprises) or "every wrong answer lost points and every correct one kept full marks")
    return 1 if surprises else 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    n = 200
    if "--streams" in arguments:
        at = arguments.index("--streams")
        n = int(arguments[at + 1])
        del arguments[at:at + 2]
    raise SystemExit(report(arguments, n))
