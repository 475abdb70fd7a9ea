"""Where things live in the course repository."""
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = REPO_ROOT / "source"
RELEASE_DIR = REPO_ROOT / "release"
NBGRADER_CONFIG = REPO_ROOT / "nbgrader_config.py"
README = REPO_ROOT / "README.md"
SNIPPETS_DIR = Path(__file__).resolve().parent / "snippets"


def assignment_ids() -> list[str]:
    """Assignments are the folders of source/ that hold a notebook named after them."""
    return sorted(p.name for p in SOURCE_DIR.iterdir() if (p / f"{p.name}.ipynb").is_file())


def source_notebook(assignment: str) -> Path:
    return SOURCE_DIR / assignment / f"{assignment}.ipynb"


def release_notebook(assignment: str) -> Path:
    return RELEASE_DIR / assignment / f"{assignment}.ipynb"
