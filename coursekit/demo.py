"""The demo class: release → submissions of fictitious students → sandboxed autograde →
feedback → grade CSV → summary table, in a scratch course folder. Two students hand in the
kind of mess a real class produces (an editor that dropped the metadata, a copied cell in a
renamed file), which the grading engine repairs."""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import notebooks
from .course import Course
from .grading.cli import grade_course
from .grading.final_grades import FinalGrade, read_final_grades
from .release import generate_release, make_course_folder
from .submissions import student_copy
from .variants import mutant

ASSIGNMENT = "tp2_fonctions_derivables"


@dataclass(frozen=True)
class DemoStudent:
    """A fictitious student: which answers they solved and which lines they got wrong."""

    id: str
    description: str
    solved: tuple[str, ...] | None = None  # None: every answer cell
    bugs: dict[str, tuple[str, str]] = field(default_factory=dict)  # cell -> (correct line, buggy line)
    mess: str = ""  # "" | "stripped_metadata" | "copied_cell_renamed_file"


STUDENTS = (
    DemoStudent("ada_lovelace", "hands in the teacher's solution"),
    DemoStudent("blaise_pascal", "hands in the release untouched", solved=()),
    DemoStudent("emilie_du_chatelet", "solved the differentiable functions only",
                solved=("q1_chain_rule", "mse_code", "linear_code", "tanh_code", "relu_code")),
    DemoStudent("evariste_galois", "flipped the sign of the weight gradient in Linear",
                bugs={"linear_code": ("grad_output.T @ X,", "-(grad_output.T @ X),")}),
    DemoStudent("sophie_germain", "uses test statistics to standardise the test set",
                bugs={"standardize_code": ("(test - mean) / std", "(test - test.mean(dim=0)) / test.std(dim=0)")}),
    DemoStudent("henri_poincare", "solved everything in an editor that dropped nbgrader's metadata",
                mess="stripped_metadata"),
    DemoStudent("hypatia", "solved everything, left a copied draft cell, renamed the file 'tp2 (2).ipynb'",
                mess="copied_cell_renamed_file"),
)


def _answers_with_bugs(assignment: str, student: DemoStudent) -> dict[str, str]:
    return {cell: mutant(assignment, student.id, cell, (), edit).code for cell, edit in student.bugs.items()}


def write_submissions(course: Course | Path, assignment: str, students=STUDENTS) -> None:
    course = Course.of(course)
    source_nb = notebooks.read(course.notebook("source", assignment))
    release_nb = notebooks.read(course.notebook("release", assignment))
    for student in students:
        nb = student_copy(release_nb, source_nb, solved=student.solved,
                          replacements=_answers_with_bugs(assignment, student))
        name = f"{assignment}.ipynb"
        if student.mess == "stripped_metadata":
            for cell in nb.cells:
                cell.metadata = {}
        elif student.mess == "copied_cell_renamed_file":
            original = notebooks.cells_by_grade_id(nb)["mse_code"]
            draft = nbformat.from_dict(original)  # same grade id: stock nbgrader aborts the class on it
            draft.source = "# brouillon, à effacer\n" + draft.source.replace("mean()", "sum()")
            draft["id"] = "brouillon"
            nb.cells.insert(nb.cells.index(original), draft)
            name = "tp2 (2).ipynb"
        notebooks.write(nb, course.folder("submitted", assignment, student.id) / name)


def build_demo(course: Path, assignment: str = ASSIGNMENT) -> dict[str, FinalGrade]:
    """Run the whole pipeline in `course` (recreated) and return the final grades per student."""
    if course.exists():
        shutil.rmtree(course)
    make_course_folder(course)
    steps = [
        ("release", lambda: generate_release(course, [assignment])),
        (f"{len(STUDENTS)} submissions", lambda: write_submissions(course, assignment)),
        ("grade", lambda: grade_course(course, assignment, progress=False)),
    ]
    for name, step in steps:
        start = time.perf_counter()
        step()
        print(f"  {name:<16} done in {time.perf_counter() - start:5.1f} s", flush=True)
    return read_final_grades(Course.load(course).db_url, assignment)


def format_table(grades: dict[str, FinalGrade]) -> str:
    """Students × autograded cells, the autograded total, and the manual points."""
    auto_cells = [g.grade_id for g in next(iter(grades.values())).cells if g.autograded]
    headers = ["student", *(c.removesuffix("_tests") for c in auto_cells), "auto", "manual"]
    rows = [headers]
    for student, grade in grades.items():
        auto = [g for g in grade.cells if g.autograded]
        manual = [g for g in grade.cells if not g.autograded]
        pending = sum(g.max_score for g in manual if g.pending)
        manual_text = (f"{pending:g} pt(s) to grade" if pending else
                       f"{sum(g.score for g in manual):g}/{sum(g.max_score for g in manual):g}")
        rows.append([student, *(f"{g.score:g}/{g.max_score:g}" for g in auto),
                     f"{sum(g.score for g in auto):g}/{sum(g.max_score for g in auto):g}", manual_text])
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers))]
    rows.insert(1, ["-" * w for w in widths])
    return "\n".join("  ".join(value.ljust(w) if i == 0 else value.rjust(w)
                               for i, (value, w) in enumerate(zip(row, widths))) for row in rows)


def main(folder: str = "demo_class") -> None:
    course = Path(folder).resolve()
    print(f"Demo class for {ASSIGNMENT} in {course}")
    for student in STUDENTS:
        print(f"  - {student.id}: {student.description}")
    grades = build_demo(course)
    print()
    print(format_table(grades))
    print()
    print(f"grades CSV: {course / 'grades' / f'{ASSIGNMENT}.csv'}")
    print(f"reports:    {course / 'grading_reports' / ASSIGNMENT}/<student>.md")
    print(f"feedback:   {course / 'feedback'}/<student>/{ASSIGNMENT}/{ASSIGNMENT}.html")
