"""What the instructor reads at the end: a CSV with one column per graded cell, and a table.

Scores come from the gradebook (final_grades: manual grades included); status and reasons come
from the grading journal (what happened while the submission ran)."""
from __future__ import annotations

import csv
import statistics
import textwrap
from pathlib import Path

from .journal import Outcome
from .final_grades import FinalGrade

PENDING = "pending"  # a CSV cell waiting for a manual grade (never written as 0)


def write_csv(path: Path, grades: dict[str, FinalGrade], outcomes: dict[str, Outcome], cells: list[str]) -> None:
    """One row per student. Quoted by the csv module."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(["student", *cells, "total", "max_score", "pending_points", "status", "needs_review", "reasons"])
        for student, grade in grades.items():
            scores = grade.scores()
            outcome = outcomes.get(student)
            writer.writerow([student, *(_cell(scores[c]) if c in scores else "" for c in cells), f"{grade.total:g}", f"{grade.max_score:g}",
                             f"{grade.pending:g}", outcome.status if outcome else "", "yes" if grade.needs_review else "no",
                             "; ".join(outcome.reasons) if outcome else ""])


def _cell(score: float | None) -> str:
    return PENDING if score is None else f"{score:g}"


def score_text(grade: FinalGrade) -> str:
    """`13 / 20`, or `13 / 20 (4 pending)` while answers wait for a grader."""
    pending = f" ({grade.pending:g} pending)" if grade.pending else ""
    return f"{grade.total:g} / {grade.max_score:g}{pending}"


def table(grades: dict[str, FinalGrade], outcomes: dict[str, Outcome]) -> str:
    """Students, score, status and the reason that matters (whole, wrapped), then mean and the
    students who need review."""
    if not grades:
        return "no submissions found"
    width = max(len(s) for s in grades) + 2
    score_width = max(len(score_text(g)) for g in grades.values()) + 2
    lines = [f"{'student':<{width}}{'score':<{score_width}}status    reason", "-" * (width + score_width + 70)]
    indent = " " * (width + score_width + 10)
    for student, grade in grades.items():
        outcome = outcomes.get(student)
        reasons = outcome.reasons if outcome else []
        # for a submission that needs review, the last reason (what went wrong while it ran)
        reason = (reasons[-1] if outcome.needs_review else reasons[0]) if reasons else ""
        wrapped = textwrap.wrap(reason, 70) or [""]
        lines.append(f"{student:<{width}}{score_text(grade):<{score_width}}{outcome.status if outcome else '':<9} {wrapped[0]}")
        lines += [indent + more for more in wrapped[1:]]
    review = [s for s, g in grades.items() if g.needs_review]
    pending = sum(g.pending for g in grades.values())
    first = next(iter(grades.values()))
    lines += ["-" * (width + score_width + 70),
              f"{len(grades)} students, mean {statistics.fmean(g.total for g in grades.values()):.2f} / {first.max_score:g}"
              f"{f', {pending:g} points still to grade by hand' if pending else ''}, "
              f"{len(review)} need manual review{': ' + ', '.join(review) if review else ''}"]
    return "\n".join(lines)
