"""Unit tests of the coursekit helpers that do not need a kernel."""
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coursekit import notebooks, stamping
from coursekit.submissions import strip_solution_markers, student_copy


def _cell(kind, source, gid=None, **flags):
    cell = (new_code_cell if kind == "code" else new_markdown_cell)(source)
    if gid:
        cell.metadata["nbgrader"] = {"grade_id": gid, "schema_version": 3, "grade": False,
                                     "solution": False, "locked": False, "task": False, **flags}
    return cell


def test_normalize_strips_outputs_and_metadata_idempotently():
    cell = _cell("code", "1 + 1", "a", solution=True)
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=1)]
    cell.execution_count = 1
    cell.metadata["collapsed"] = True
    cell.metadata["tags"] = ["experiment"]
    nb = new_notebook(cells=[cell], metadata={"widgets": {}, "colab": {}})
    text = notebooks.normalized_text(nb)
    again = notebooks.normalized_text(nbformat.reads(text, as_version=4))
    assert text == again
    result = nbformat.reads(text, as_version=4)
    assert result.cells[0].outputs == [] and result.cells[0].execution_count is None
    assert set(result.cells[0].metadata) == {"nbgrader", "tags"}
    assert set(result.metadata) == {"kernelspec", "language_info"}


def test_strip_solution_markers_keeps_the_code():
    text = "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"
    assert strip_solution_markers(text) == "def f():\n    return 1"


def test_student_copy_fills_chosen_answers_and_replacements():
    source = new_notebook(cells=[_cell("code", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "a", solution=True),
                                 _cell("code", "### BEGIN SOLUTION\ny = 2\n### END SOLUTION", "b", solution=True),
                                 _cell("code", "assert x == 1", "t", grade=True, locked=True)])
    release = new_notebook(cells=[_cell("code", "# VOTRE CODE ICI", "a", solution=True),
                                  _cell("code", "# VOTRE CODE ICI", "b", solution=True),
                                  _cell("code", "assert x == 1", "t", grade=True, locked=True)])
    copy = student_copy(release, source, solved=["a"], replacements={"b": "y = 3"})
    assert [c.source for c in copy.cells] == ["x = 1", "y = 3", "assert x == 1"]
    assert release.cells[0].source == "# VOTRE CODE ICI"  # the release itself is untouched


def test_stamping_detects_and_repairs_a_stale_helper():
    nb = new_notebook(cells=[_cell("code", "old text", "helper_checks", locked=True)])
    assert stamping.stale_helpers(nb) == ["checks"]
    assert stamping.stamp(nb) == ["checks"]
    assert stamping.stale_helpers(nb) == []
    assert "class Checks" in nb.cells[0].source


def test_mutant_edits_the_teacher_answer_and_fails_loudly_when_it_drifts():
    import pytest

    from coursekit.variants import mutant, teacher_answer

    answer = teacher_answer("tp2_fonctions_derivables", "linear_code")
    assert "### BEGIN SOLUTION" not in answer and "class Linear" in answer
    variant = mutant("tp2_fonctions_derivables", "bias_mean", "linear_code", ["linear_tests"],
                     ("grad_output.sum(dim=0)", "grad_output.mean(dim=0)"))
    assert variant.code == answer.replace("grad_output.sum(dim=0)", "grad_output.mean(dim=0)")
    assert variant.tests == ("linear_tests",)
    with pytest.raises(ValueError, match="occurs 0 times"):
        mutant("tp2_fonctions_derivables", "gone", "linear_code", ["linear_tests"], ("no such text", ""))
