"""The course's nbgrader_config.py as nbgrader's own apps read it (no kernel, no grading)."""
from __future__ import annotations

import shutil

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
