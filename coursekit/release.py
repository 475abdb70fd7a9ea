"""Regenerating release/ from source/ with the stock `nbgrader generate_assignment`.

Generation happens in a scratch course folder so that releasing never touches the
instructor's gradebook; the result is copied into release/.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from . import colab, notebooks, stamping
from .course import Course
from .nbgrader_run import run_nbgrader
from .paths import NBGRADER_CONFIG, README, RELEASE_DIR, SOURCE_DIR, assignment_ids, source_notebook


def tidy_sources(assignments: list[str]) -> list[str]:
    """Normalise and stamp (helpers, Colab badge) the teacher notebooks in place; returns the
    files that changed."""
    changed = []
    where = colab.source()
    for assignment in assignments:
        path = source_notebook(assignment)
        before = path.read_text(encoding="utf-8")
        nb = notebooks.read(path)
        stamping.stamp(nb)
        colab.stamp_badge(nb, assignment, where)
        notebooks.write(notebooks.normalize(nb), path)
        if path.read_text(encoding="utf-8") != before:
            changed.append(str(path))
    return changed


def make_course_folder(root: Path, source_dir: Path = SOURCE_DIR) -> Path:
    """A fresh nbgrader course folder at `root`: our config and a copy of source/."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(NBGRADER_CONFIG, root / "nbgrader_config.py")
    shutil.copytree(source_dir, root / "source", dirs_exist_ok=True)
    return root


def generate_release(course_root: Path, assignments: list[str]) -> None:
    for assignment in assignments:
        run_nbgrader(course_root, "generate_assignment", assignment, "--force")


def build_release(destination: Path, assignments: list[str]) -> None:
    """Generate the student notebooks of `assignments` into destination/<id>/."""
    with tempfile.TemporaryDirectory(prefix="release-") as scratch:
        course = Course.load(make_course_folder(Path(scratch)))
        generate_release(course.root, assignments)
        for assignment in assignments:
            target = destination / assignment
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(course.folder("release", assignment), target)


def main(assignments: list[str] | None = None) -> None:
    assignments = assignments or assignment_ids()
    for path in tidy_sources(assignments):
        print(f"normalised {path}")
    readme = README.read_text(encoding="utf-8")
    README.write_text(colab.stamp_readme(readme, assignment_ids()), encoding="utf-8")
    build_release(RELEASE_DIR, assignments)
    print(f"released {', '.join(assignments)} into {RELEASE_DIR}")
