"""The grading journal: one JSON entry and one Markdown report per graded submission.

The entry is what makes a batch resumable and idempotent (batch.py compares its fingerprint
with the submission's), what the export and the dashboard read for statuses and reasons, and
what the throughput benchmark reads for the time each step took. Entries are written
atomically, so a batch killed midway leaves whole entries or none.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..course import Course


@dataclass
class Outcome:
    """One student's result, as stored in the journal."""
    student: str
    fingerprint: str
    status: str  # graded | review | unreadable | error
    scores: dict[str, float | None] = field(default_factory=dict)
    total: float = 0.0
    max_score: float = 0.0
    needs_review: bool = False
    reasons: list[str] = field(default_factory=list)       # English, for the instructor
    notes_fr: list[str] = field(default_factory=list)      # French, for the student
    seconds: float = 0.0
    execution_seconds: float = 0.0  # the notebook's own cells, in a kernel already running
    step_seconds: dict[str, float] = field(default_factory=dict)  # pipeline step -> wall seconds

    def add(self, notes) -> None:
        """Record (English, French) pairs: the instructor's reason and the student's note."""
        for english, french in notes:
            self.reasons.append(english)
            self.notes_fr.append(french)


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def write_entry(folder: Path, assignment: str, outcome: Outcome) -> None:
    """The report an instructor reads (`<student>.md`), then the entry the batch resumes from."""
    lines = [f"# {outcome.student} — {assignment}", "",
             f"Status: {outcome.status}; score {outcome.total:g} / {outcome.max_score:g}"
             f"{' (needs manual review)' if outcome.needs_review else ''}", ""]
    lines += [f"- {reason}" for reason in outcome.reasons] or ["- nothing to report"]
    write_atomic(folder / f"{outcome.student}.md", "\n".join(lines) + "\n")
    write_atomic(folder / f"{outcome.student}.json", json.dumps(asdict(outcome), indent=1, ensure_ascii=False))


def read_outcome(path: Path) -> Outcome | None:
    """A journal entry, or None when it is missing or unreadable (the submission is graded again)."""
    try:
        return Outcome(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def read_journal(course: Course, assignment: str) -> dict[str, Outcome]:
    """Every readable journal entry of `assignment`, by student."""
    entries = (read_outcome(p) for p in sorted(course.reports(assignment).glob("*.json")))
    return {outcome.student: outcome for outcome in entries if outcome}
