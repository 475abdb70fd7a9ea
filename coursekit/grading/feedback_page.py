"""The French feedback page a student reads in one pass, built by nbgrader's own
`generate_feedback` (and the formgrader's "Generate Feedback") through its config: these
preprocessors run after `HideHiddenTests`, and the `feedback_fr.html.j2` template (an
extension of nbgrader's `feedback` template) renders what they leave in `resources["coursekit"]`.

- `TidyOutputs`: no progress bars, no `Out[…]: 3.0` score echoes, tracebacks cut to the
  student's own cells and the message.
- `GetGradesWithPending`: nbgrader's GetGrades, plus which answers still wait for a grader
  (nbgrader shows them as 0).
- `ExerciseSummary`: per exercise its title, points and the French messages of failed checks.
- `MathToMathML`: equations as MathML, rendered by the browser without network (nbgrader's
  template loads MathJax from a CDN).
"""
from __future__ import annotations

import re
from pathlib import Path

from latex2mathml.converter import convert as latex_to_mathml
from nbconvert.preprocessors import Preprocessor
from nbgrader import utils
from nbgrader.preprocessors import GetGrades
from traitlets import Bool

from ..notebooks import is_test_cell

TEMPLATE_FILE = "feedback_fr.html.j2"  # in templates/feedback/, beside nbgrader's index.html.j2 it extends
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
PROGRESS_BAR = re.compile(r"\d+%\|")
WIDGET = "application/vnd.jupyter.widget-view+json"
FAILED_CHECK = "  ✗ "
CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)
MARKUP = re.compile(r"[`*]")
HEADING = re.compile(r"^#{2,4}\s+(.+?)\s*$", re.M)
MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)(.+?)(?<![\s\\])\$", re.S)


def template_dirs() -> list[str]:
    """Template folders for `HTMLExporter.extra_template_basedirs`: ours, then nbgrader's
    (whose `feedback/index.html.j2` ours extends; nbgrader adds it only when the option is unset)."""
    import nbgrader
    return [str(Path(__file__).parent / "templates"),
            str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates")]


def _plain(text: str) -> str:
    return ANSI.sub("", text)


def _is_progress(output) -> bool:
    if WIDGET in output.get("data", {}):
        return True
    text = output.get("text", "") or output.get("data", {}).get("text/plain", "")
    return bool(text) and all(PROGRESS_BAR.search(line) for line in text.splitlines() if line.strip())


def short_traceback(traceback: list[str]) -> list[str]:
    """The header, the frames of the student's notebook cells (`Cell In[…]`) and the message:
    the frames inside torch, NumPy or the grading helpers say nothing to a student."""
    if len(traceback) <= 2:
        return traceback
    frames = [entry for entry in traceback[1:-1] if _plain(entry).lstrip().startswith(("Cell In[", "Input In["))]
    return [traceback[0], *frames, traceback[-1]]


class CoursePreprocessor(Preprocessor):
    """nbconvert's preprocessors are off unless enabled; nbgrader registers them as they are."""
    enabled = Bool(True).tag(config=True)


class TidyOutputs(CoursePreprocessor):
    """Outputs as a student wants to read them again (see the module docstring)."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        kept = []
        for output in cell.get("outputs", []):
            if output.output_type == "execute_result" and is_test_cell(cell):
                continue  # checks.score() returns the points, already printed in words
            if output.output_type in ("stream", "display_data") and _is_progress(output):
                continue
            if output.output_type == "stream" and output.name == "stderr":
                output.text = "\n".join(line for line in output.text.split("\n") if not PROGRESS_BAR.search(line))
                if not output.text.strip():
                    continue
            if output.output_type == "error":
                output.traceback = short_traceback(output.traceback)
            kept.append(output)
        cell.outputs = kept
        return cell, resources


class GetGradesWithPending(GetGrades):
    """nbgrader's GetGrades; an answer still waiting for a manual grade is marked
    `pending` in its cell metadata, and the notebook's pending points go in resources."""

    def preprocess(self, nb, resources):
        resources.setdefault("coursekit", {})["pending_points"] = 0.0
        return super().preprocess(nb, resources)

    def _get_score(self, cell, resources):
        grade = self.gradebook.find_grade(cell.metadata.nbgrader["grade_id"], self.notebook_id,
                                          self.assignment_id, self.student_id)
        cell.metadata.nbgrader.update(score=grade.score, points=grade.max_score, pending=bool(grade.needs_manual_grade))
        if grade.needs_manual_grade:
            resources["coursekit"]["pending_points"] += float(grade.max_score or 0)


def check_report(cell) -> tuple[list[str], list[tuple[str, str]]]:
    """What `Checks.score()` left in a test cell's outputs: the lines of the failed checks (after
    « ✗ », printed, or inside its AssertionError when no check passed), and the errors that carry
    no such line as (name, message): a crash, or a failed visible check in the student's notebook."""
    lines, errors = [], []
    for output in cell.get("outputs", []):
        text = output.get("text", "") if output.output_type == "stream" else (
            output.get("evalue", "") if output.output_type == "error" else "")
        if output.output_type == "error" and not text:
            text = _plain(output.get("traceback", [""])[-1])
        found = [line[len(FAILED_CHECK):] for line in text.split("\n") if line.startswith(FAILED_CHECK)]
        lines += found
        if output.output_type == "error" and not found:
            errors.append((output.get("ename", "Erreur"), text.strip()))
    return lines, errors


def failed_checks(cell) -> list[str]:
    """The French messages of the checks a test cell failed, errors without a check line included."""
    lines, errors = check_report(cell)
    return lines + [f"{name} : {message}" for name, message in errors]


def exercise_titles(nb) -> list[str]:
    """For each cell, the title of the exercise it belongs to: the last heading above it (in a
    markdown cell that is not a graded answer), without its markdown marks."""
    titles, title = [], ""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and not utils.is_grade(cell):
            headings = HEADING.findall(cell.source)
            if headings:
                title = MARKUP.sub("", headings[-1])
        titles.append(title)
    return titles


class ExerciseSummary(CoursePreprocessor):
    """`resources["coursekit"]["exercises"]`: per exercise (the last heading above its graded
    cells) its title, points earned, points, pending points and failed-check messages."""

    def preprocess(self, nb, resources):
        exercises: list[dict] = []
        for cell, title in zip(nb.cells, exercise_titles(nb)):
            if not utils.is_grade(cell):
                continue
            grading = cell.metadata.nbgrader
            if not exercises or exercises[-1]["title"] != title:
                exercises.append(dict(title=title, score=0.0, points=0.0, pending=0.0, failures=[], anchor=grading["grade_id"]))
            exercise = exercises[-1]
            exercise["points"] += float(grading.get("points") or 0)
            if grading.get("pending"):
                exercise["pending"] += float(grading.get("points") or 0)
            else:
                exercise["score"] += float(grading.get("score") or 0)
            if is_test_cell(cell):
                exercise["failures"] += failed_checks(cell)
        resources.setdefault("coursekit", {})["exercises"] = exercises
        return nb, resources


def _mathml(match: re.Match) -> str:
    display, inline = match.group(1), match.group(2)
    try:
        return latex_to_mathml(display if display is not None else inline,
                               display="block" if display is not None else "inline").replace("\n", "")
    except Exception:  # an expression the converter cannot read stays as the student wrote it
        return match.group(0)


class MathToMathML(CoursePreprocessor):
    """`$…$` and `$$…$$` of markdown cells written as MathML, which browsers render offline."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            parts = CODE.split(cell.source)  # odd parts are code: a `$` there is not math
            cell.source = "".join(part if i % 2 else MATH.sub(_mathml, part) for i, part in enumerate(parts))
        return cell, resources
