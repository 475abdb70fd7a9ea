"""Grading validity: each plausible wrong answer loses points on the test cells that judge it,
and each alternative correct answer gets full marks on every test cell that runs."""
import pytest

from coursekit.paths import assignment_ids
from coursekit.validity import lost_cells, run_and_score, run_streams
from coursekit.variants import Variant
from tests.conftest import bank_modules, stream_answers

BANKS = {module.ASSIGNMENT: module for module in bank_modules()}


STREAMS_IN_TESTS = 20  # per randomised check, for the teacher's answer; `make validity` runs 200 for every answer
STREAMS_PER_VARIANT = 4  # for each other correct answer, within the time budget of `make test`


def _cases(kind: str):
    return [pytest.param(assignment, variant, id=f"{assignment}:{variant.name}")
            for assignment, module in sorted(BANKS.items()) for variant in getattr(module, kind)]


def test_every_assignment_has_banks_of_the_required_size():
    for assignment in assignment_ids():
        assert assignment in BANKS, f"{assignment} has no validity bank in tests/banks/"
        assert len(BANKS[assignment].WRONG) >= 15, f"{assignment}: fewer than 15 wrong solutions"
        assert len(BANKS[assignment].CORRECT) >= 5, f"{assignment}: fewer than 5 alternative solutions"


@pytest.mark.parametrize("assignment,variant", _cases("WRONG") + _cases("CORRECT"))
def test_variant_is_valid_python(assignment: str, variant: Variant):
    compile(variant.code, f"<{variant.name}>", "exec")


@pytest.mark.slow
@pytest.mark.parametrize("assignment,variant", _cases("WRONG"))
def test_wrong_answer_loses_points(assignment: str, variant: Variant):
    graded = run_and_score(assignment, {variant.cell: variant.code}, variant.tests)
    score, maximum = graded.total(variant.tests)
    assert score < maximum, f"{variant.name} kept full marks:\n{graded.explain(variant.tests)}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment,variant", _cases("CORRECT"))
def test_alternative_answer_gets_full_marks(assignment: str, variant: Variant):
    graded = run_and_score(assignment, {variant.cell: variant.code}, variant.tests)
    lost = [t for t, (score, maximum) in graded.scores.items() if score < maximum]
    assert not lost, f"{variant.name} lost points:\n{graded.explain(lost)}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment,name,replacements,tests", [
    pytest.param(assignment, name, replacements, tests, id=f"{assignment}:{name}")
    for assignment, module in sorted(BANKS.items()) for name, replacements, tests in stream_answers(module)])
def test_correct_answer_keeps_full_marks_under_rng_streams(assignment, name, replacements, tests):
    """A correct answer scores the same whatever its randomness: other seeds, other shuffles."""
    n_streams = STREAMS_PER_VARIANT if replacements else STREAMS_IN_TESTS
    runs = run_streams(assignment, replacements, tests, range(1, n_streams + 1))
    assert len(runs) == n_streams
    failed = [(stream, t) for stream, graded in enumerate(runs, start=1) for t in sorted(lost_cells(graded))]
    assert not failed, f"{name} lost points under {len(failed)} stream(s), first {failed[0]}:\n" \
        f"{runs[failed[0][0] - 1].outputs[failed[0][1]]}"
