"""Running the stock nbgrader command line in a course folder."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def nbgrader_env() -> dict[str, str]:
    """nbgrader runs `alembic` as a program, so this environment's bin/ must lead PATH."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def run_nbgrader(course_root: Path, *args: str, quiet: bool = True) -> subprocess.CompletedProcess:
    """Run `nbgrader <args>` in `course_root` (which holds nbgrader_config.py); raise on failure."""
    command = [sys.executable, "-m", "nbgrader", *args]
    result = subprocess.run(command, cwd=course_root, env=nbgrader_env(), text=True,
                            capture_output=quiet)
    if result.returncode != 0:
        detail = (result.stderr or "")[-4000:] if quiet else ""
        raise RuntimeError(f"`nbgrader {' '.join(args)}` failed in {course_root} (exit {result.returncode})\n{detail}")
    return result
