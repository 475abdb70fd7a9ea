"""nbgrader configuration for the course, read by the stock `nbgrader` commands run
from the repository root (generate_assignment, autograde, generate_feedback, export)."""

c = get_config()  # noqa: F821 -- injected by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "intro_deep_learning_pytorch"
c.CourseDirectory.root = "."
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# Work goes out and comes back through Moodle, not nbgrader's exchange: a course-local exchange
# folder keeps the formgrader from showing its "exchange directory does not exist" warning. On a
# JupyterHub that uses nbgrader's exchange, set c.Exchange.root to the shared folder instead.
import os  # noqa: E402

c.Exchange.root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exchange")
os.makedirs(c.Exchange.root, exist_ok=True)

# Students see French stubs where solutions were removed.
c.ClearSolutions.code_stub = {"python": "# VOTRE CODE ICI\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "VOTRE RÉPONSE ICI"

# Per-cell timeout during autograde; the longest graded cell trains for a few seconds.
c.Execute.timeout = 120

# A student who deleted a graded cell still gets it back (scored from what it holds).
c.OverwriteCells.add_missing_cells = True

# Harmless stderr that must not zero a test cell: tqdm progress bars from a student's
# training loop and tqdm's notice when ipywidgets is missing.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(\d+%\|)|(it/s\])|(s/it\])|(IProgress not found)"

# Student feedback never shows hidden tests (stock feedback does, nbgrader #917): our
# preprocessor removes them from sources and outputs before nbgrader's own steps. Then the
# French page (coursekit/grading/feedback_page.py): tidy outputs, grades with the answers still
# to grade marked pending, a summary per exercise, equations as MathML (no network needed).
from coursekit.grading.feedback_page import TEMPLATE_FILE, template_dirs  # noqa: E402

c.GenerateFeedback.preprocessors = [
    "coursekit.grading.feedback.HideHiddenTests",
    "coursekit.grading.feedback_page.TidyOutputs",
    "coursekit.grading.feedback_page.GetGradesWithPending",
    "coursekit.grading.feedback_page.ExerciseSummary",
    "coursekit.grading.feedback_page.MathToMathML",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.HTMLExporter.template_file = TEMPLATE_FILE
c.HTMLExporter.extra_template_basedirs = template_dirs()

# Caps of each submission's sandboxed kernel for `python -m coursekit grade`: the traits of
# coursekit.grading.sandbox.Sandbox hold the defaults and their help, printed by
#   python -c "from coursekit.grading.sandbox import Sandbox; Sandbox.class_print_help()"
# Set only what differs, e.g. c.Sandbox.memory_mb = 4096, and per assignment with
# c.Sandbox.overrides = {"tp6_helice_hinge": {"total_seconds": 1200}}. An unknown name or a
# wrong type stops `coursekit grade` before any student is graded.

# The student's Validate (nbgrader's JupyterLab button), in French and a few lines per failing
# exercise: nbclient hooks of nbgrader's Execute that act only while nbgrader validates (see
# coursekit/grading/validation.py). They replace a failing test cell's source by its exercise
# title, so they compare the checksums themselves and nbgrader's own comparison is off.
from coursekit.grading import validation  # noqa: E402

c.Execute.on_notebook_start = validation.prepare
c.Execute.on_cell_error = validation.explain
c.Validator.ignore_checksums = True
c.Validator.failed_warning = ("VALIDATION ÉCHOUÉE SUR {num_failed} CELLULE(S) : rendu tel quel, ce notebook "
                              "n'aurait pas tous ses points.\n")
c.Validator.changed_warning = "LE CONTENU DE {num_changed} CELLULE(S) DE TEST A CHANGÉ.\n"
c.Validator.type_changed_warning = "LE TYPE DE {num_changed} CELLULE(S) A CHANGÉ.\n"

