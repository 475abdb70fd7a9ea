"""Data behind the instructor dashboard (notebooks/tableau_de_bord.ipynb).

Everything comes from what grading leaves in a course folder: the gradebook (scores per
graded cell), the autograded notebooks (the `✗ description : message` lines that `Checks`
prints for each failed hidden check) and the grading reports (submissions flagged for review
and why). Plain data structures, so the notebook only draws.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from .grading.gradebook import db_url, load_config
from .notebooks import grade_id, is_test_cell

FAILURE = re.compile(r"^\s*✗ (?P<check>.+?) : (?P<message>.*)$")


@dataclass
class AssignmentStats:
    assignment: str
    totals: dict[str, float]                  # student -> autograded points
    max_auto: float
    cell_success: dict[str, float]            # autograded cell -> mean share of its points
    failed_checks: list[tuple[str, int, str]]  # (check, students who failed it, one message)
    flagged: list[tuple[str, str, str]]        # (student, status, last reason)


def course_stats(course: Path) -> list[AssignmentStats]:
    """Per assignment present in the gradebook with at least one submission."""
    course = Path(course).resolve()
    stats = []
    with Gradebook(db_url(course, load_config(course))) as gradebook:
        for assignment in sorted(gradebook.assignments, key=lambda a: a.name):
            submissions = gradebook.assignment_submissions(assignment.name)
            if not submissions:
                continue
            totals, shares = {}, {}
            max_auto = 0.0
            for submission in submissions:
                auto = [g for nb in submission.notebooks for g in nb.grades if g.cell.cell_type == "code"]
                totals[submission.student.id] = sum(g.score or 0 for g in auto)
                max_auto = sum(g.max_score for g in auto)
                for grade in auto:
                    shares.setdefault(grade.name, []).append((grade.score or 0) / grade.max_score)
            stats.append(AssignmentStats(
                assignment.name, totals, max_auto,
                {cell: sum(values) / len(values) for cell, values in shares.items()},
                failed_checks(course, assignment.name), flagged(course, assignment.name)))
    return stats


def failed_checks(course: Path, assignment: str) -> list[tuple[str, int, str]]:
    """Hidden checks by number of students who failed them, most failed first."""
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for path in sorted((course / "autograded").glob(f"*/{assignment}/{assignment}.ipynb")):
        seen = set()
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                # printed by Checks.score(), or inside its AssertionError when no check passed
                text = str(output.get("text", "")) + "\n" + str(output.get("evalue", ""))
                failures = [m for line in text.splitlines() if (m := FAILURE.match(line))]
                for match in failures:
                    seen.add(match["check"])
                    if _unattempted(examples.get(match["check"], "NotImplementedError")):
                        examples[match["check"]] = match["message"]  # a real mistake explains more than a blank answer
                if not failures and output.get("output_type") == "error" and is_test_cell(cell):
                    check = f"{grade_id(cell)} : vérification visible ou erreur ({output.get('ename')})"
                    seen.add(check)
                    examples.setdefault(check, str(output.get("evalue", "")).split("\n")[0])
        counts.update(seen)
    return [(check, count, examples[check]) for check, count in counts.most_common()]


def _unattempted(message: str) -> bool:
    return message.startswith("NotImplementedError")


def flagged(course: Path, assignment: str) -> list[tuple[str, str, str]]:
    """Submissions the grading engine sent to manual review, with the reason."""
    rows = []
    for path in sorted((course / "grading_reports" / assignment).glob("*.json")):
        outcome = json.loads(path.read_text(encoding="utf-8"))
        if outcome.get("needs_review"):
            rows.append((outcome["student"], outcome["status"], (outcome["reasons"] or [""])[-1]))
    return rows
