"""Every release notebook opens with its "Ouvrir dans Colab" badge, the README lists them all,
and both follow the one setting in pyproject.toml."""
import subprocess

import pytest

from coursekit import colab, notebooks
from coursekit.paths import README, REPO_ROOT, assignment_ids, release_notebook, source_notebook


@pytest.mark.parametrize("assignment", assignment_ids())
def test_release_and_source_start_with_their_badge(assignment):
    for path in (release_notebook(assignment), source_notebook(assignment)):
        first = notebooks.read(path).cells[0]
        assert first.cell_type == "markdown"
        assert first.source.startswith(colab.badge(assignment) + "\n\n# "), f"{path}: stale badge, run `make release`"
        assert colab.notebook_url(assignment).endswith(f"/release/{assignment}/{assignment}.ipynb")


@pytest.mark.parametrize("assignment", assignment_ids())
def test_header_links_the_notation_sheet(assignment):
    # Colab opens the notebook alone: the sheet is linked on GitHub, at the address the badges use.
    assert (REPO_ROOT / "NOTATIONS.md").is_file()
    for path in (release_notebook(assignment), source_notebook(assignment)):
        assert f"[NOTATIONS.md]({colab.notations_url()})" in notebooks.read(path).cells[0].source, f"{path}: header lacks the notation link"


def test_readme_lists_every_badge():
    text = README.read_text(encoding="utf-8")
    assert colab.readme_block(assignment_ids()) in text, "README badge list is stale: run `make release`"


def test_stamping_replaces_an_old_badge_and_keeps_the_title():
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Titre\n\ntexte")])
    old, new = colab.ColabSource("a/b", "main"), colab.ColabSource("c/d", "v2")
    colab.stamp_badge(nb, "tp9", old)
    colab.stamp_badge(nb, "tp9", new)
    assert nb.cells[0].source == colab.badge("tp9", new) + "\n\n# Titre\n\ntexte"
    assert "github/c/d/blob/v2/release/tp9/tp9.ipynb" in nb.cells[0].source


@pytest.mark.parametrize("url,repository", [
    ("https://github.com/owner/course.git", "owner/course"),
    ("git@github.com:owner/course.git", "owner/course"),
    ("ssh://git@github.com/owner/my.course", "owner/my.course"),
    ("https://gitlab.com/owner/course.git", None),
    ("/srv/git/course", None),
])
def test_github_remote_is_read_from_origin(tmp_path, monkeypatch, url, repository):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin", url], check=True)
    monkeypatch.setattr(colab, "REPO_ROOT", tmp_path)
    assert colab.github_remote() == repository


def test_empty_setting_follows_the_remote_or_says_what_to_set(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.coursekit.colab]\nrepository = ""\n')
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.setattr(colab, "REPO_ROOT", tmp_path)
    with pytest.raises(ValueError, match="repository"):
        colab.source()
    subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin", "git@github.com:me/tp.git"], check=True)
    assert colab.source() == colab.ColabSource("me/tp", "main")
