"""What the instructor reads at the end: a CSV with one column per graded cell, and a table."""
from __future__ import annotations

import csv
import statistics
from pathlib import Path

from .batch import Outcome


def write_csv(path: Path, outcomes: list[Outcome], cells: list[str]) -> None:
    """One row per student; empty cells await a manual grade. Quoted by the csv module."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(["student", *cells, "total", "max_score", "status", "needs_review", "reasons"])
        for o in outcomes:
            scores = ["" if o.scores.get(c) is None else f"{o.scores[c]:g}" for c in cells]
            writer.writerow([o.student, *scores, f"{o.total:g}", f"{o.max_score:g}", o.status,
                             "yes" if o.needs_review else "no", "; ".join(o.reasons)])


def table(outcomes: list[Outcome]) -> str:
    """Students, score, status and the first reason, then mean and the review list."""
    if not outcomes:
        return "no submissions found"
    width = max(len(o.student) for o in outcomes) + 2
    lines = [f"{'student':<{width}}{'score':>14}  status    reason",
             "-" * (width + 40)]
    for o in outcomes:
        # for a submission that needs review, the last reason (what went wrong while it ran)
        reason = (o.reasons[-1] if o.needs_review else o.reasons[0]) if o.reasons else ""
        lines.append(f"{o.student:<{width}}{o.total:>7.2f} / {o.max_score:<4g}  {o.status:<9} {reason[:70]}")
    totals = [o.total for o in outcomes]
    review = [o.student for o in outcomes if o.needs_review]
    lines += ["-" * (width + 40),
              f"{len(outcomes)} students, mean {statistics.fmean(totals):.2f} / {outcomes[0].max_score:g}, "
              f"{len(review)} need manual review{': ' + ', '.join(review) if review else ''}"]
    return "\n".join(lines)
