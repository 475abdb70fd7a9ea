"""`make demo` end to end: release, the demo class, sandboxed grading, feedback, CSV and table."""
import csv
import os

import pytest

from coursekit.demo import ASSIGNMENT, STUDENTS, build_demo, format_table
from tests.chromium import CHROMIUM, CHROMIUM_ARGS, needs_chromium


pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]


@pytest.fixture(scope="module")
def demo_class(tmp_path_factory):
    course = tmp_path_factory.mktemp("demo") / "demo"
    return course, build_demo(course)


def test_demo_class_is_graded_and_ranked(demo_class):
    course, grades = demo_class
    assert set(grades) == {s.id for s in STUDENTS}
    auto = {student: sum(g.score for g in grade.cells if g.autograded) for student, grade in grades.items()}
    maximum = sum(g.max_score for g in grades["ada_lovelace"].cells if g.autograded)
    assert auto["ada_lovelace"] == maximum == 16
    assert auto["blaise_pascal"] == 0
    # messy but correct submissions are repaired, not punished
    assert auto["henri_poincare"] == auto["hypatia"] == 16
    pending = {student: grade.pending for student, grade in grades.items()}
    assert pending["henri_poincare"] == pending["ada_lovelace"] == 4
    for student in ("emilie_du_chatelet", "evariste_galois", "sophie_germain"):
        assert 0 < auto[student] < maximum, (student, auto[student])
    # one bug costs the exercise it is in, not the ones that reuse it
    galois = grades["evariste_galois"].scores()
    assert galois["linear_tests"] < 3 and galois["train_linear_full_tests"] == 2 and galois["train_mlp_tests"] == 3

    with open(course / "grades" / f"{ASSIGNMENT}.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["student"] for row in rows} == set(grades)
    for student in grades:
        assert (course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()
    table = format_table(grades)
    assert "ada_lovelace" in table and "16/16" in table and "0/16" in table


def test_feedback_is_a_french_page_read_in_one_pass(demo_class):
    """Per exercise its title, points and failed checks first; pending answers said pending;
    no English labels, score echoes, progress bars or CDN; equations as MathML."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import PyFileConfigLoader

    from coursekit.nbgrader_run import nbgrader_env

    course, _ = demo_class
    page_file = course / "feedback" / "evariste_galois" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    page_file.unlink()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    os.environ["PATH"] = nbgrader_env()["PATH"]
    result = NbGraderAPI(CourseDirectory(config=config), config=config).generate_feedback(ASSIGNMENT, "evariste_galois")
    assert result["success"], result  # the formgrader's "Generate Feedback" button, as its handler calls it
    page = page_file.read_text(encoding="utf-8")
    summary = page[:page.index('id="notebook"')]
    assert "Exercice 2 — Couche linéaire Linear (3 pts)" in summary and "1,5 / 3" in summary
    assert "premier écart" in summary, "the French message of the failed check is in the summary"
    assert "en attente de correction" in summary and "dont 4 pt en attente de correction" in summary
    for english in ("Test cell", "Written response", "Student's answer", "(Score:", "Comments:"):
        assert english not in page, english
    assert "Out[" not in page and "it/s]" not in page and "cdnjs" not in page
    assert page.count("<math") > 20


@needs_chromium
def test_a_student_reads_the_feedback_page_in_a_browser(demo_class):
    """Offline, as a student opening the HTML file: French labels, the summary first, equations
    drawn (MathML has a size). Screenshots in test-artifacts/feedback/."""
    from playwright.sync_api import sync_playwright

    from coursekit.paths import REPO_ROOT

    course, _ = demo_class
    artifacts = REPO_ROOT / "test-artifacts" / "feedback"
    artifacts.mkdir(parents=True, exist_ok=True)
    page_file = course / "feedback" / "evariste_galois" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 1400})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        page.goto(page_file.as_uri())
        page.screenshot(path=str(artifacts / "retour_resume.png"))
        text = page.inner_text("body")
        widest = page.evaluate("Math.max(...[...document.querySelectorAll('math')].map(m => m.getBoundingClientRect().width))")
        page.locator("math").first.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "retour_equations.png"))
        browser.close()
    head = text[:text.index("TP2 — ")]
    assert "Exercice" in head and "Points" in head and "Exercice 2 — Couche linéaire Linear (3 pts)" in head
    assert "en attente de correction" in head and "premier écart" in head
    assert "Votre réponse" in text and "Student's answer" not in text
    assert widest > 20, "equations are drawn without network"


def test_dashboard_runs_on_a_graded_class(demo_class, monkeypatch):
    """notebooks/tableau_de_bord.ipynb executes on the demo class and shows its numbers."""
    import nbformat
    from nbclient import NotebookClient

    from coursekit.dashboard import course_stats, student_table_html
    from coursekit.paths import REPO_ROOT

    course, _ = demo_class
    stats = course_stats(course)
    assert [s.assignment for s in stats] == [ASSIGNMENT]
    s = stats[0]
    assert s.totals["ada_lovelace"] == 16 and s.max_score == 20 and s.pending_points == 21
    assert s.cell_success["linear_tests"] < 1
    assert any("standardis" in message for _, _, message in s.failed_checks)
    # an exercise left as the stub is not a mistake: the most-failed checks are real ones
    assert s.unattempted["mse_tests"] == 1 and s.unattempted["standardize_tests"] == 2
    assert not [m for _, _, m in s.failed_checks if "NotImplementedError" in m]
    assert s.to_grade["q1_chain_rule"] == 6  # the untouched release's answers are not waiting for a grader
    table = student_table_html(s)
    assert table.count("<tr>") == 1 + len(STUDENTS) and "à corriger" in table and "retour</a>" in table

    monkeypatch.setenv("COURSE_DIR", str(course))
    nb = nbformat.read(REPO_ROOT / "notebooks" / "tableau_de_bord.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(REPO_ROOT / "notebooks")}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 3
    assert any("ada_lovelace" in o.get("data", {}).get("text/html", "") for o in outputs)
    assert any(ASSIGNMENT in o.get("text", "") for o in outputs)


def test_manual_grades_reach_the_csv_summary_feedback_and_moodle(demo_class, tmp_path):
    """A teaching assistant grades in the formgrader (nbgrader's API, as its handlers do), then
    `coursekit export` shows the final grades everywhere (CSV, summary, feedback, the Moodle
    worksheet and feedback zip); answers still waiting stay pending."""
    import shutil
    import subprocess
    import sys

    import zipfile

    from nbgrader.api import Gradebook

    from coursekit.course import Course
    from coursekit.grading.moodle_worksheet import import_worksheet
    from coursekit.nbgrader_run import nbgrader_env

    course = tmp_path / "copy"
    shutil.copytree(demo_class[0], course)
    before = demo_class[1]
    theory = [g for g in before["ada_lovelace"].cells if not g.autograded]
    graded, waiting = theory[0], theory[1:]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student, cell, score in [("ada_lovelace", graded.grade_id, graded.max_score),
                                     ("evariste_galois", "linear_tests", 3.0)]:  # an override of the autograder
            grade = gradebook.find_grade(cell, ASSIGNMENT, ASSIGNMENT, student)
            grade.manual_score = score
            grade.needs_manual_grade = False
        participants = {}
        for number, student in enumerate(sorted(before)):  # as an import from Moodle's archive records them
            gradebook.update_or_create_student(student, lms_user_id=str(5001 + number))
            participants[str(5001 + number)] = student
        gradebook.db.commit()
    worksheet = tmp_path / "worksheet.csv"
    with open(worksheet, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                         "Grade can be changed", "Last modified (submission)", "Last modified (grade)", "Feedback comments"])
        for participant, student in [*participants.items(), ("5999", "jean_sans_depot")]:
            writer.writerow([f"Participant {participant}", student.replace("_", " ").title(), f"{student}@example.org",
                             "Submitted for grading", "", "20.00", "Yes", "Monday, 30 November 2026, 6:02 PM", "-", ""])
    import_worksheet(worksheet, Course.load(course), ASSIGNMENT, participants)
    result = subprocess.run([sys.executable, "-m", "coursekit", "export", ASSIGNMENT, "--course", str(course),
                             "--moodle-include-pending"], env=nbgrader_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]

    with open(course / "grades" / f"{ASSIGNMENT}.csv", newline="", encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    ada, galois = rows["ada_lovelace"], rows["evariste_galois"]
    assert float(ada[graded.grade_id]) == graded.max_score
    assert all(ada[g.grade_id] == "pending" for g in waiting), "an answer waiting for a grader is never 0"
    assert float(ada["total"]) == before["ada_lovelace"].total + graded.max_score
    assert float(ada["pending_points"]) == before["ada_lovelace"].pending - graded.max_score
    assert float(galois["linear_tests"]) == 3 and float(galois["total"]) == before["evariste_galois"].total + 3 - before[
        "evariste_galois"].scores()["linear_tests"]
    total = f"{float(ada['total']):g} / {float(ada['max_score']):g} ({float(ada['pending_points']):g} pending)"
    assert total in result.stdout, result.stdout

    page = (course / "feedback" / "evariste_galois" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
    total_fr = f"{float(galois['total']):g}".replace(".", ",")
    assert f"{ASSIGNMENT} : {total_fr} / 20 points" in page, "the feedback shows the final grade"

    with open(course / "grades" / f"{ASSIGNMENT}_moodle.csv", newline="", encoding="utf-8") as handle:
        moodle_rows = {row["Identifier"]: row for row in csv.DictReader(handle)}
    for participant, student in participants.items():
        row = moodle_rows[f"Participant {participant}"]
        assert float(row["Grade"]) == float(rows[student]["total"]), (student, row)
        assert row["Feedback comments"].startswith("Note"), row
    assert "en attente de correction" in moodle_rows["Participant 5001"]["Feedback comments"]
    assert moodle_rows["Participant 5999"]["Grade"] == "", "no submission, no grade"
    with zipfile.ZipFile(course / "grades" / f"{ASSIGNMENT}_moodle_feedback.zip") as zf:
        assert len(zf.namelist()) == len(participants)

    from coursekit.dashboard import course_stats
    stats = course_stats(Course.load(course))[0]
    assert {s: float(row["total"]) for s, row in rows.items()} == stats.totals, "the dashboard shows the same final grades"
    assert stats.to_grade[graded.grade_id] == before_waiting(before, graded.grade_id) - 1
    assert "Traceback" not in result.stderr and "never retrieved" not in result.stderr, result.stderr[-3000:]


def before_waiting(grades, grade_id: str) -> int:
    """Answers to `grade_id` that waited for a grader after autograding."""
    return sum(1 for grade in grades.values() for cell in grade.cells if cell.grade_id == grade_id and cell.pending)
