"""The "Ouvrir dans Colab" badges: one setting says where Colab finds release/ on GitHub.

Colab opens a notebook straight from a public GitHub repository
(`https://colab.research.google.com/github/<owner>/<repo>/blob/<branch>/<path>`), so the
badge of each release notebook and the README's list are derived from `[tool.coursekit.colab]`
in pyproject.toml; an empty `repository` means "the GitHub remote `origin` of this clone".
`make release` rewrites both, and a test fails when they drift from the setting.
"""
from __future__ import annotations

import re
import subprocess
import tomllib
from dataclasses import dataclass

from nbformat import NotebookNode

from .paths import REPO_ROOT

BADGE_ALT = "Ouvrir dans Colab"
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
BADGE = re.compile(r"\A\[!\[Ouvrir dans Colab\]\([^)\s]*\)\]\([^)\s]*\)\s*")
README_BEGIN, README_END = "<!-- colab-badges:begin -->", "<!-- colab-badges:end -->"
GITHUB_REMOTE = re.compile(r"^(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)"
                           r"(?P<repo>[\w.-]+/[\w.-]+?)(?:\.git)?/?$")


@dataclass(frozen=True)
class ColabSource:
    repository: str  # owner/name on GitHub
    branch: str


def github_remote() -> str | None:
    """owner/name of this clone's `origin` when it is on GitHub."""
    try:
        url = subprocess.run(["git", "-C", str(REPO_ROOT), "remote", "get-url", "origin"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    match = GITHUB_REMOTE.match(url)
    return match.group("repo") if match else None


def source() -> ColabSource:
    """The setting, or the GitHub remote when the setting leaves the repository empty."""
    with open(REPO_ROOT / "pyproject.toml", "rb") as handle:
        setting = tomllib.load(handle).get("tool", {}).get("coursekit", {}).get("colab", {})
    repository = setting.get("repository") or github_remote()
    if not repository or not re.fullmatch(r"[\w.-]+/[\w.-]+", repository):
        raise ValueError("set [tool.coursekit.colab] repository = \"owner/name\" in pyproject.toml "
                         f"(got {repository!r}, and origin is not a GitHub remote)")
    return ColabSource(repository, setting.get("branch", "main"))


def notebook_url(assignment: str, where: ColabSource | None = None) -> str:
    where = where or source()
    return (f"https://colab.research.google.com/github/{where.repository}/blob/{where.branch}"
            f"/release/{assignment}/{assignment}.ipynb")


def notations_url(where: ColabSource | None = None) -> str:
    """The course's notation sheet on GitHub, which every TP header links (Colab has no repository files)."""
    where = where or source()
    return f"https://github.com/{where.repository}/blob/{where.branch}/NOTATIONS.md"


def badge(assignment: str, where: ColabSource | None = None) -> str:
    return f"[![{BADGE_ALT}]({BADGE_IMAGE})]({notebook_url(assignment, where)})"


def stamp_badge(nb: NotebookNode, assignment: str, where: ColabSource | None = None) -> None:
    """Make the first (markdown) cell start with the assignment's badge, replacing an old one."""
    first = nb.cells[0]
    if first.cell_type != "markdown":
        raise ValueError(f"{assignment}: the first cell must be the markdown title that carries the badge")
    first.source = badge(assignment, where) + "\n\n" + BADGE.sub("", first.source)


def readme_block(assignments: list[str], where: ColabSource | None = None) -> str:
    lines = [f"| `{a}` | {badge(a, where)} |" for a in assignments]
    return "\n".join([README_BEGIN, "| TP | Colab |", "|---|---|", *lines, README_END])


def stamp_readme(text: str, assignments: list[str], where: ColabSource | None = None) -> str:
    """The README with its badge list (between the markers) regenerated."""
    start, end = text.find(README_BEGIN), text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md lacks the {README_BEGIN} … {README_END} markers")
    return text[:start] + readme_block(assignments, where) + text[end + len(README_END):]
