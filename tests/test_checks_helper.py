"""The stamped `Checks` helper turns hidden checks into nbgrader partial credit."""
import sys

import pytest

from coursekit.stamping import snippet


@pytest.fixture
def Checks():
    import numpy as np
    import torch
    namespace: dict = {"torch": torch, "np": np}  # what the setup cell, before it, imports
    exec(snippet("checks"), namespace)
    return namespace["Checks"]


def _fail():
    raise AssertionError("attendu 1, obtenu 2")


def test_partial_credit_sums_the_checks_that_pass(Checks, capsys):
    checks = Checks("f")
    checks.check(1, "premier", lambda: None)
    checks.check(0.5, "second", _fail)
    checks.check(0.5, "troisième", lambda: None)
    assert checks.score() == 1.5
    out = capsys.readouterr().out
    assert "1.5 / 2" in out and "second : attendu 1, obtenu 2" in out


def test_no_check_passing_raises_with_every_message(Checks):
    checks = Checks("f")
    checks.check(1, "a", _fail)
    checks.check(1, "b", lambda: 1 / 0)
    with pytest.raises(AssertionError) as error:
        checks.score()
    assert "a : attendu 1" in str(error.value) and "ZeroDivisionError" in str(error.value)


def test_release_without_hidden_checks_gives_no_number(Checks):
    assert Checks("f").score() is None


def test_checks_write_nothing_to_stderr(Checks, capsys):
    import warnings

    def noisy():
        print("barre de progression", file=sys.stderr)
        warnings.warn("avertissement")

    checks = Checks("f")
    checks.check(1, "bruyant", noisy)
    assert checks.score() == 1.0
    assert capsys.readouterr().err == ""


def test_isolated_swaps_references_in_and_back(Checks):
    namespace = {"MSE": "student", "X_train": "student data"}
    checks = Checks("f")
    with checks.isolated():  # no references registered: nothing changes (the student's view)
        assert namespace["MSE"] == "student"
    checks.use_references(namespace, MSE="reference", Linear="reference linear")
    seen = {}
    checks.check(1, "isolée", lambda: seen.update(namespace))
    assert seen["MSE"] == "reference" and seen["Linear"] == "reference linear"
    assert namespace == {"MSE": "student", "X_train": "student data"}
