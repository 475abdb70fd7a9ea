"""The French feedback page, on a small autograded fixture notebook (tests/fixtures/feedback):
tidy outputs, exercise summary, redaction that spares the student's own lines, MathML."""
from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest

from coursekit.grading.feedback import REDACTED, HideHiddenTests
from coursekit.grading.feedback_page import ExerciseSummary, MathToMathML, TidyOutputs, short_traceback

FIXTURE = Path(__file__).parent / "fixtures" / "feedback" / "autograded.ipynb"


@pytest.fixture
def nb():
    return nbformat.read(FIXTURE, as_version=4)


def by_id(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def test_tidy_outputs_drops_progress_bars_and_score_echoes_and_keeps_real_stderr(nb):
    nb, _ = TidyOutputs().preprocess(nb, {})
    assert [o.output_type for o in by_id(nb, "mse_tests").outputs] == ["stream"], "no Out[…]: 1.0 under a test cell"
    loop = nb.cells[3]
    kinds = [o.output_type for o in loop.outputs]
    assert kinds == ["stream", "error"], "the tqdm widget is gone"
    assert loop.outputs[0].text.strip() == "attention : pas de GPU", "a progress line goes, a real warning stays"


def test_tracebacks_keep_the_student_cells_and_the_message_only(nb):
    traceback = nb.cells[3].outputs[2].traceback
    short = short_traceback(traceback)
    text = "\n".join(short)
    assert "site-packages/torch" not in text and "In[4]" in text and "In[2]" in text
    assert short[0] == traceback[0] and short[-1] == traceback[-1]
    assert short_traceback(["AssertionError: mse : aucune vérification réussie."]) == ["AssertionError: mse : aucune vérification réussie."]


def test_summary_per_exercise_with_titles_failures_and_pending_answers(nb):
    by_id(nb, "mse_tests").metadata.nbgrader.update(score=1.0, pending=False)
    by_id(nb, "q1").metadata.nbgrader.update(score=0.0, pending=True)
    _, resources = ExerciseSummary().preprocess(nb, {})
    exercises = resources["coursekit"]["exercises"]
    assert [e["title"] for e in exercises] == ["Exercice 1 — mse (2 pts)", "Question 1 (1 pt)"]
    assert exercises[0]["failures"] == ["mse([1, 2]) : attendu 2,5, obtenu 3"]
    assert (exercises[0]["score"], exercises[0]["points"]) == (1.0, 2.0)
    assert (exercises[1]["score"], exercises[1]["pending"], exercises[1]["points"]) == (0.0, 1.0, 1.0)


def test_redaction_hides_hidden_lines_but_not_the_students_own(nb):
    leaked = copy.deepcopy(nb)
    leaked.cells[3].outputs.append(nbformat.v4.new_output(
        "stream", name="stdout", text="    _secret_reference_value = 1234.5\ndef forward(ctx, yhat, y):\n"))
    leaked, _ = HideHiddenTests().preprocess(leaked, {})
    printed = leaked.cells[3].outputs[-1].text.split("\n")
    assert printed[0] == REDACTED, "a line of the hidden tests is masked"
    assert printed[1] == "def forward(ctx, yhat, y):", "the student wrote this line too: it stays"
    assert "_secret_reference_value" not in by_id(leaked, "mse_tests").source
    assert "def forward(ctx, yhat, y):" in "".join(leaked.cells[3].outputs[2].traceback)


def test_equations_become_mathml_and_code_spans_stay(nb):
    nb, _ = MathToMathML().preprocess(nb, {})
    source = nb.cells[0].source
    assert "<math" in source and "\\frac" not in source
    assert "`cost$`" in source, "a dollar inside code is not math"
    assert "<math" in nb.cells[5].source
