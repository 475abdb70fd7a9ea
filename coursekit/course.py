"""A course folder as every command sees it: its paths, its gradebook, its configuration.

The folder's `nbgrader_config.py` is read once, by traitlets (as nbgrader reads it), and the
sandbox settings and grading steps in it are checked then: grading, the export, the demo, the dashboard and the
validity harness all take a `Course` and so agree on where things are and which limits hold.
Folder names follow nbgrader's `CourseDirectory` (source/, release/, submitted/, autograded/,
feedback/ unless configured otherwise).
"""
from __future__ import annotations

from functools import cached_property
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .grading.sandbox import ConfigError, Limits, Sandbox

CONFIG_FILE = "nbgrader_config.py"


class Course:
    """One course folder (the repository itself, a demo class, an instructor's copy)."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root = Path(root).resolve()
        self.config = config
        self.sandbox = Sandbox(config=config)  # checked now: a typo fails before any student is graded
        from .grading.pipeline import GradingPipeline  # (it imports this module)
        self.pipeline = GradingPipeline(config=config)  # its steps checked now too

    @classmethod
    def load(cls, root: Path | str) -> Course:
        """The course at `root`, configured by its nbgrader_config.py (ConfigError names a bad setting)."""
        root = Path(root).resolve()
        if not (root / CONFIG_FILE).is_file():
            raise ConfigError(f"{root} has no {CONFIG_FILE}: not a course folder")
        config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
        try:
            return cls(root, config)
        except ConfigError as error:
            raise ConfigError(f"{root / CONFIG_FILE}: {error}") from None

    @classmethod
    def of(cls, course: Course | Path | str) -> Course:
        """`course` itself, or the course at that folder."""
        return course if isinstance(course, Course) else cls.load(course)

    @cached_property
    def db_url(self) -> str:
        """The gradebook URL, with a relative SQLite path made absolute (no command changes directory)."""
        url = self.config.CourseDirectory.get("db_url", "sqlite:///gradebook.db")
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url[len(prefix):].startswith("/"):
            return prefix + str(self.root / url[len(prefix):])
        return url

    def limits(self, assignment: str) -> Limits:
        return self.sandbox.limits(assignment)

    # -- where things are ----------------------------------------------------------------
    def _directory(self, step: str) -> Path:
        return self.root / self.config.CourseDirectory.get(f"{step}_directory", step)

    def folder(self, step: str, assignment: str, student: str | None = None) -> Path:
        """`<step>/[<student>/]<assignment>`: step is source, release, submitted, autograded or feedback."""
        base = self._directory(step)
        return (base / student if student is not None else base) / assignment

    def notebook(self, step: str, assignment: str, student: str | None = None) -> Path:
        """The assignment's notebook at that step (feedback is an .html page)."""
        suffix = ".html" if step == "feedback" else ".ipynb"
        return self.folder(step, assignment, student) / f"{assignment}{suffix}"

    def submitted(self) -> Path:
        return self._directory("submitted")

    def reports(self, assignment: str) -> Path:
        """Our per-submission journal and reports (the batch resumes from them)."""
        return self.root / "grading_reports" / assignment

    def grades(self, assignment: str, suffix: str = ".csv") -> Path:
        return self.root / "grades" / f"{assignment}{suffix}"
