"""A small assignment whose test cells use the out-of-kernel check API, for engine tests.

Three exercises cover what the API must carry: a function of tensors and its gradient
(`remote` leaves, `backward` run in the kernel, gradients read back), an in-place update
(the same tensor returned, a forbidden library call), and a function returning an object
that is not a value (a `torch.nn.Linear`, read through its attributes). A fourth uses the first one: its checks run with a grader-side reference of
`mse` when the student's failed (an error is counted once), through stand-ins that ask the
grader for values and gradients; they also record the torch calls made. A hidden region
holds `MARKER`, which must never reach the student's kernel nor any feedback.
"""
from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coursekit import notebooks, stamping

ASSIGNMENT = "tp0_judged"
MARKER = "zq_hidden_marker_4817"
TEST_POINTS = {"mse_tests": 3.0, "clamp_tests": 2.0, "layer_tests": 1.0, "fit_tests": 2.0}


def _code(gid: str | None, source: str, **flags):
    """A code cell with nbgrader metadata `flags` (grade, solution, locked, points)."""
    cell = new_code_cell(source.strip("\n"))
    if gid:
        meta = {"grade": False, "grade_id": gid, "locked": False, "schema_version": 3, "solution": False,
                "task": False, **flags}
        cell.metadata["nbgrader"] = meta
        cell.id = gid
    return cell

SOLUTIONS = {
    "mse_code": '''
def mse(yhat, y):
    """Erreur quadratique moyenne entre yhat et y."""
    ### BEGIN SOLUTION
    return ((yhat - y) ** 2).mean()
    ### END SOLUTION''',
    "clamp_code": '''
def clamp_negatives(t):
    """Remplace en place les valeurs négatives de t par 0 et renvoie t."""
    ### BEGIN SOLUTION
    t[t < 0] = 0
    return t
    ### END SOLUTION''',
    "layer_code": '''
def make_layer(n):
    """Une couche torch.nn.Linear(n, n) dont les poids valent l'identité et le biais 0."""
    ### BEGIN SOLUTION
    layer = torch.nn.Linear(n, n)
    with torch.no_grad():
        layer.weight.copy_(torch.eye(n))
        layer.bias.zero_()
    return layer
    ### END SOLUTION''',
    "fit_code": '''
def fit_scale(x, y, lr, n_iter):
    """Descente de gradient sur w (partant de 0) pour minimiser mse(w x, y) ; renvoie w (un nombre Python)."""
    ### BEGIN SOLUTION
    w = torch.zeros((), dtype=x.dtype, requires_grad=True)
    for _ in range(n_iter):
        loss = mse(w * x, y)
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
    return w.item()
    ### END SOLUTION''',
}

TESTS = {
    "mse_tests": f'''
checks = Checks("mse")
# Vérification visible : mse([1, 2], [0, 0]) = 2,5
with checks.visible("mse([1, 2], [0, 0]) = 2,5"):
    expect_close(mse(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 0.0])), torch.tensor(2.5), "mse([1, 2], [0, 0])")
### BEGIN HIDDEN TESTS
{MARKER} = 1


@checks.hidden(2, "valeurs sur des tenseurs aléatoires")
def _random_values():
    set_seed(1)
    for shape in [(5,), (4, 3)]:
        yhat, y = torch.randn(shape), torch.randn(shape)
        expect_close(mse(yhat, y), ((yhat - y) ** 2).mean(), f"mse sur des tenseurs {{shape}}")


@checks.hidden(1, "gradient par rapport à yhat")
def _gradient():
    set_seed(2)
    start, y = torch.randn(6), torch.randn(6)
    yhat = remote(start.clone().requires_grad_(True))
    mse(yhat, y).backward()
    expect_close(yhat.grad, 2 * (start - y) / 6, "gradient de mse par rapport à yhat")
### END HIDDEN TESTS
checks.score()''',
    "clamp_tests": '''
checks = Checks("clamp_negatives")
# Vérification visible : clamp_negatives([-1, 2]) = [0, 2]
with checks.visible("clamp_negatives([-1, 2]) = [0, 2]"):
    expect_close(clamp_negatives(torch.tensor([-1.0, 2.0])), torch.tensor([0.0, 2.0]), "clamp_negatives([-1, 2])")
### BEGIN HIDDEN TESTS
@checks.hidden(1, "modification en place, même tenseur renvoyé")
def _in_place():
    t = remote(torch.tensor([[-2.0, 3.0], [4.0, -5.0]]))
    out = clamp_negatives(t)
    expect(same_object(out, t), "clamp_negatives doit renvoyer le tenseur reçu, modifié en place")
    expect_close(t, torch.tensor([[0.0, 3.0], [4.0, 0.0]]), "le tenseur après clamp_negatives")


@checks.hidden(1, "avec un masque booléen, sans torch.clamp")
def _no_clamp():
    with forbidden("torch.clamp", "torch.Tensor.clamp_", "torch.Tensor.clamp", "torch.relu",
                   why="l'exercice demande un masque booléen"):
        expect_close(clamp_negatives(torch.tensor([-1.0, 1.0])), torch.tensor([0.0, 1.0]), "clamp_negatives([-1, 1])")
### END HIDDEN TESTS
checks.score()''',
    "layer_tests": '''
checks = Checks("make_layer")
# Vérification visible : make_layer(2) renvoie une couche Linear(2, 2)
with checks.visible("make_layer(2) est une couche Linear(2, 2)"):
    layer = make_layer(2)
    expect_equal(tuple(value(layer.weight).shape), (2, 2), "make_layer(2).weight.shape")
### BEGIN HIDDEN TESTS
@checks.hidden(1, "identité sur un lot")
def _identity():
    set_seed(3)
    layer = make_layer(4)
    x = torch.randn(3, 4)
    expect_close(value(layer(x)), x, "make_layer(4) appliquée à un lot (3, 4)")
### END HIDDEN TESTS
checks.score()''',
    "fit_tests": '''
checks = Checks("fit_scale")
# Vérification visible : y = 2 x sur deux points, w tend vers 2
with checks.visible("fit_scale([1, 2], [2, 4], 0,1, 200) ≈ 2"):
    expect_close(fit_scale(torch.tensor([1.0, 2.0]), torch.tensor([2.0, 4.0]), 0.1, 200), 2.0, "w final", rtol=1e-3)
### BEGIN HIDDEN TESTS
def _ref_mse(yhat, y):
    return ((yhat - y) ** 2).mean()


@checks.hidden(1, "descente sur des données aléatoires")
def _random_fit():
    set_seed(4)
    x = torch.randn(20, dtype=torch.float64)
    y = 3 * x + 0.1 * torch.randn(20, dtype=torch.float64)
    w = 0.0
    for _ in range(30):
        w -= 0.1 * float((2 * (w * x - y) * x).mean())
    with references(mse=_ref_mse, unless_passed="mse_tests"):
        got = fit_scale(x, y, 0.1, 30)
    expect_close(got, w, "fit_scale sur 20 points, 30 itérations", rtol=1e-6)


@checks.hidden(1, "sans parcourir les éléments un par un")
def _whole_tensors():
    with references(mse=_ref_mse, unless_passed="mse_tests"), recorded_ops("__getitem__") as ops:
        fit_scale(torch.randn(30), torch.randn(30), 0.01, 3)
    expect(not ops, f"fit_scale ne doit pas accéder aux éléments un par un, obtenu {ops[:1]}")
### END HIDDEN TESTS
checks.score()''',
}


def teacher_notebook() -> nbformat.NotebookNode:
    cells = [new_markdown_cell("# TP0 — mini TP noté hors du noyau"),
             _code("helper_setup", "", locked=True),
             _code("helper_checks", "", locked=True)]
    for exercise in ("mse", "clamp", "layer", "fit"):
        cells.append(_code(f"{exercise}_code", SOLUTIONS[f"{exercise}_code"], solution=True))
        cells.append(_code(f"{exercise}_tests", TESTS[f"{exercise}_tests"], grade=True, locked=True,
                           points=TEST_POINTS[f"{exercise}_tests"]))
    nb = new_notebook(cells=cells)
    stamping.stamp(nb)
    return notebooks.normalize(nb)
