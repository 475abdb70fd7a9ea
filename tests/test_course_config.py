"""The course's nbgrader_config.py as nbgrader's own apps read it (no kernel, no grading)."""
from __future__ import annotations

import shutil

import pytest

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import PyFileConfigLoader

from coursekit.paths import REPO_ROOT


def test_formgrader_sees_a_working_exchange_in_a_fresh_course_folder(tmp_path):
    shutil.copy(REPO_ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path)).load_config()
    config.CourseDirectory.root = str(tmp_path)
    api = NbGraderAPI(CourseDirectory(config=config), config=config)
    assert not api.exchange_missing, "the formgrader would show its exchange warning box"
    assert (tmp_path / "exchange").is_dir()


def _config_with(tmp_path, *lines: str) -> None:
    text = (REPO_ROOT / "nbgrader_config.py").read_text(encoding="utf-8") + "\n" + "\n".join(lines) + "\n"
    (tmp_path / "nbgrader_config.py").write_text(text, encoding="utf-8")


def _course_with(tmp_path, *lines: str):
    from coursekit.course import Course
    _config_with(tmp_path, *lines)
    return Course.load(tmp_path)


def test_sandbox_defaults_overrides_and_the_cell_timeout_of_nbgrader(tmp_path):
    course = _course_with(tmp_path, "c.Sandbox.memory_mb = 4096",
                          "c.Sandbox.overrides = {'tp6_helice_hinge': {'total_seconds': 1200, 'cpus': 2}}")
    plain, tp6 = course.limits("tp2_fonctions_derivables"), course.limits("tp6_helice_hinge")
    assert plain.memory_mb == tp6.memory_mb == 4096 and plain.total_seconds == 900
    assert tp6.total_seconds == 1200 and tp6.cpus == 2.0 and isinstance(tp6.cpus, float)
    assert plain.cell_timeout == course.config.Execute.timeout == 120, "stock nbgrader's per-cell timeout"
    assert course.db_url == f"sqlite:///{tmp_path.resolve() / 'gradebook.db'}"
    assert course.notebook("feedback", "tp2", "ada") == tmp_path.resolve() / "feedback/ada/tp2/tp2.html"
    assert course.notebook("source", "tp2") == tmp_path.resolve() / "source/tp2/tp2.ipynb"


@pytest.mark.parametrize("line, named", [
    ("c.Sandbox.memry_mb = 4096", "c.Sandbox.memry_mb"),
    ("c.Sandbox.memory_mb = '6G'", "'memory_mb' trait"),
    ("c.Sandbox.processes = 2", "'processes' trait"),
    ("c.Sandbox.overrides = {'tp2': {'total_second': 60}}", "c.Sandbox.overrides['tp2']['total_second']"),
    ("c.Sandbox.overrides = {'tp2': {'cpus': 'two'}}", "c.Sandbox.overrides['tp2']['cpus']"),
    ("c.GradingPipeline.step = []", "c.GradingPipeline.step"),
    ("c.GradingPipeline.steps = ['coursekit.grading.pipeline.Lod']", "cannot import 'coursekit.grading.pipeline.Lod'"),
    ("c.GradingPipeline.steps = ['collections.OrderedDict']", "is not a coursekit.grading.pipeline.Step"),
    ("c.GradingPipeline.steps = ['coursekit.grading.pipeline.Load']", "the last step must be"),
])
def test_a_config_typo_or_wrong_type_is_an_error_naming_the_setting(tmp_path, line, named):
    from coursekit.grading.sandbox import ConfigError
    with pytest.raises(ConfigError) as error:
        _course_with(tmp_path, line)
    assert named in str(error.value) and "nbgrader_config.py" in str(error.value)


def test_grade_refuses_a_bad_config_before_grading(tmp_path):
    import subprocess
    import sys
    _config_with(tmp_path, "c.Sandbox.totl_seconds = 60")
    result = subprocess.run([sys.executable, "-m", "coursekit", "grade", "tp2", "--course", str(tmp_path)],
                            capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    assert result.returncode == 2 and "unknown setting c.Sandbox.totl_seconds" in result.stderr
    assert not (tmp_path / "gradebook.db").exists()


def test_grading_as_a_library_leaves_the_callers_path_warnings_and_logging_alone(tmp_path):
    import logging
    import os
    import warnings

    from coursekit.grading.cli import grade_course
    from tests.grading.mini_course import ASSIGNMENT, make_course

    course = make_course(tmp_path / "course")

    def state():
        return os.environ.get("PATH"), list(warnings.filters), logging.getLogger("traitlets").level

    before = state()
    assert grade_course(course, ASSIGNMENT, jobs=1, feedback=False, progress=False) == []
    assert state() == before
    assert (course / "gradebook.db").is_file(), "the gradebook was made"
