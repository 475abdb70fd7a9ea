"""Out-of-kernel judging: the codec, the agent, the check API in both modes, and forgery
attempts that must earn nothing (tests/grading/judged_course.py is the assignment)."""
from __future__ import annotations

import json
import math
import pickle

import nbformat
import numpy as np
import pytest
import torch
from nbgrader.utils import determine_grade

from coursekit import notebooks
from coursekit.grading import agent, judge
from coursekit.grading.agent import NotAValue, decode, encode
from coursekit.stamping import snippet
from coursekit.submissions import strip_solution_markers
from tests.grading import judged_course

HELPERS = {"helper_setup", "helper_checks"}
WRONG_MSE = "def mse(yhat, y):\n    return ((yhat - y) ** 2).sum()\n"

VALUES = [None, True, False, 0, -7, 2**70, 1.5, float("inf"), -0.0, 1 + 2j, "é", b"\x00\xff", [1, [2.5]],
          (1, "a"), {"k": (1, 2), 3: None}, slice(1, None, 2), Ellipsis, torch.Size([2, 3]), torch.float64,
          torch.device("cpu"), torch.arange(6.0).reshape(2, 3), torch.tensor(3), torch.zeros(0, 4),
          torch.tensor([True, False]), torch.tensor([1.5], dtype=torch.bfloat16), torch.ones(2, requires_grad=True),
          torch.ones(2, requires_grad=True) * 2,
          torch.nn.Parameter(torch.ones(3)), np.arange(4, dtype=np.int32), np.float32(2.5), np.int64(3)]


@pytest.fixture(scope="module")
def api() -> dict:
    """The checks snippet as the student's kernel runs it (after the setup cell's imports)."""
    namespace = {"torch": torch, "np": np}
    exec(snippet("checks"), namespace)
    return namespace


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, torch.Tensor):
        return (a.dtype == b.dtype and a.shape == b.shape and a.requires_grad == b.requires_grad
                and (a.grad_fn is None) == (b.grad_fn is None) and torch.equal(a.detach(), b.detach()))
    if isinstance(a, (np.ndarray, np.generic)):
        return a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b and (not isinstance(a, float) or math.copysign(1, a) == math.copysign(1, b))


@pytest.mark.parametrize("obj", VALUES, ids=lambda v: type(v).__name__)
def test_codec_round_trip_keeps_type_and_value_as_the_kernel_copy_does(obj, api):
    sent = decode(json.loads(json.dumps(encode(obj))))
    assert _same(sent, obj)
    assert _same(api["value"](obj), sent)  # what value() gives in the kernel is what the judge receives


def test_non_values_are_references_or_refused(api):
    layer = torch.nn.Linear(2, 2)
    with pytest.raises(NotAValue):
        encode([1, layer])
    with pytest.raises(TypeError):
        api["value"](layer)
    assert encode(layer, refer=lambda o: {"t": "ref", "id": 7})["id"] == 7


def test_a_lying_tensor_subclass_sends_its_true_bytes():
    class Liar(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return torch.tensor(2.5)

    liar = torch.Tensor._make_subclass(Liar, torch.tensor(5.0))
    assert decode(encode(liar)).item() == 5.0


@pytest.mark.parametrize("tree", [
    {"t": "tensor", "dtype": "float32", "shape": [3], "v": "AAAA"},         # 3 bytes for 3 floats
    {"t": "tensor", "dtype": "Tensor", "shape": [], "v": ""},               # not a dtype
    {"t": "ndarray", "dtype": "|O", "shape": [1], "v": "AAAAAAAAAAA="},      # object arrays are code
    {"t": "pickle", "v": ""},
    {"t": "ref", "id": 1},
])
def test_decoding_refuses_what_is_not_a_plain_value(tree):
    with pytest.raises((ValueError, TypeError)):
        decode(tree)


def test_nesting_is_bounded_both_ways():
    deep: list = []
    for _ in range(agent.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(NotAValue):
        encode(deep)
    tree = {"t": "none"}
    for _ in range(agent.MAX_DEPTH + 5):
        tree = {"t": "list", "v": [tree]}
    with pytest.raises(ValueError):
        decode(tree)


def _handle(kernel_agent, **request) -> dict:
    request.setdefault("args", [])
    request.setdefault("kwargs", [])
    return json.loads(kernel_agent.handle(json.dumps(request)))


def test_agent_calls_mutates_and_guards_in_the_notebook_namespace():
    namespace = {"torch": torch, "double": lambda t: t * 2,
                 "clip": lambda t: t.clamp_(min=0), "boom": lambda: 1 / 0}
    kernel_agent = agent.Agent(namespace)
    answer = _handle(kernel_agent, op="call", path={"root": {"global": "double"}, "ops": []},
                     args=[encode(torch.tensor([1.0, -2.0]))])
    assert decode(answer["value"]).tolist() == [2.0, -4.0]
    put = _handle(kernel_agent, op="put", value=encode(torch.tensor([-1.0, 3.0])))
    ref = {"t": "path", "path": {"root": {"ref": put["ref"]}, "ops": []}}
    guarded = _handle(kernel_agent, op="call", path={"root": {"global": "clip"}, "ops": []}, args=[ref],
                      forbid=["torch.Tensor.clamp_"])
    assert not guarded["ok"] and guarded["forbidden"] == ["torch.Tensor.clamp_"]
    assert "clamp_" not in vars(torch.Tensor)  # the inherited method is uncovered again
    unguarded = _handle(kernel_agent, op="call", path={"root": {"global": "clip"}, "ops": []}, args=[ref])
    assert unguarded["ok"] and unguarded["forbidden"] == []
    same = _handle(kernel_agent, op="same", a={"root": {"ref": unguarded["ref"]}, "ops": []},
                   b={"root": {"ref": put["ref"]}, "ops": []})
    assert decode(same["value"]) is True
    error = _handle(kernel_agent, op="call", path={"root": {"global": "boom"}, "ops": []})
    assert error["error"]["type"] == "ZeroDivisionError"
    missing = _handle(kernel_agent, op="get", path={"root": {"global": "nothing"}, "ops": []})
    assert missing["error"]["type"] == "NameError"


def test_the_operands_of_a_torch_function_come_back_with_the_grad_mode():
    layer = torch.nn.Linear(3, 2)

    def loop(X):
        layer(X[:2]).sum().backward()
        with torch.no_grad():
            layer(X)

    kernel_agent = agent.Agent({"torch": torch, "loop": loop})
    X = torch.randn(5, 3)
    answer = _handle(kernel_agent, op="call", path={"root": {"global": "loop"}, "ops": []}, args=[encode(X)],
                     operands_of="linear")
    (batch, weight, _), grad_mode = [decode(t) for t in answer["operands"][0][0]], answer["operands"][0][1]
    assert torch.equal(batch, X[:2]) and torch.equal(weight, layer.weight.detach()) and grad_mode is True
    assert answer["operands"][1][1] is False and len(answer["operands"]) == 2


TEST_CELL_HELPERS = '''
def scaled(x, scale=2.0):
    return scale * torch.as_tensor(x)

def recording_model():
    calls = []
    def model(w, x):
        calls.append(len(x))
        return scaled(w * x, scale=1.0)
    model.calls = calls
    return model

def countdown():
    def again(n):
        return 0 if n == 0 else again(n - 1) + 1
    return again

def apply_to(function, x):
    return function(x)

class Helper:
    pass
'''


def _sent(kernel_agent, obj) -> dict:
    """`remote(obj)` of the grader, as the kernel's agent receives it: a reference to its copy."""
    return {"t": "path", "path": {"root": {"ref": _handle(kernel_agent, op="put", value=judge.to_kernel(obj))["ref"]}, "ops": []}}


def test_a_test_cell_function_runs_in_the_kernel_with_its_closure_attributes_and_globals():
    cell = {"__name__": "__main__", "torch": torch}
    exec(TEST_CELL_HELPERS, cell)
    kernel_agent = agent.Agent({"student": lambda f, x: f(torch.tensor([1.0, 2.0]), x)})
    model = _sent(kernel_agent, cell["recording_model"]())
    answer = _handle(kernel_agent, op="call", path={"root": {"global": "student"}, "ops": []},
                     args=[model, encode(torch.ones(2))])
    assert decode(answer["value"]).tolist() == [1.0, 2.0]  # `scaled` and `torch` came as globals
    calls = _handle(kernel_agent, op="value", path={"root": {"ref": model["path"]["root"]["ref"]}, "ops": [["attr", "calls"]]})
    assert decode(calls["value"]) == [2]  # the attribute is the list the closure appends to
    again = _sent(kernel_agent, cell["countdown"]())
    answer = _handle(kernel_agent, op="call", path=again["path"], args=[encode(5)])
    assert decode(answer["value"]) == 5  # a function that closes over itself
    # a kernel object the grader refers to (a RemoteRef) arrives as the object itself
    student = judge.RemoteRef(judge.Channel(), {"global": "student"})
    pair = _sent(kernel_agent, (cell["apply_to"], student))
    answer = _handle(kernel_agent, op="call", path={**pair["path"], "ops": [["item", encode(0)]]},
                     args=[{"t": "path", "path": {**pair["path"], "ops": [["item", encode(1)]]}}, encode(3)])
    assert answer["error"]["type"] == "TypeError"  # student(3) misses its second argument: it is the kernel's function
    with pytest.raises(pickle.PicklingError, match="class Helper"):
        judge.to_kernel(cell["Helper"]())


class _MSEFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, yhat, y):
        ctx.save_for_backward(yhat, y)
        return ((yhat - y) ** 2).mean()

    @staticmethod
    def backward(ctx, grad_output):
        yhat, y = ctx.saved_tensors
        grad = grad_output * 2 * (yhat - y) / yhat.numel()
        return grad, -grad


class _Context:
    """A student's ctx: the stand-ins must not need anything of it but its identity."""


def _agent_answering_from(functions: dict) -> agent.Agent:
    """An agent whose callbacks are answered in-process by grader-side references."""
    references = judge.References()
    references.functions.update(functions)
    kernel_agent = agent.Agent({"torch": torch, "MSE": object(), "keep": 1})
    kernel_agent.callback = lambda payload: {"ok": True, **references.answer(json.loads(json.dumps(payload)))}
    kernel_agent.references = references
    return kernel_agent


def test_a_function_class_stands_in_and_the_grader_keeps_what_its_forward_saved():
    kernel_agent = _agent_answering_from({"MSE.forward": _MSEFunction.forward, "MSE.backward": _MSEFunction.backward,
                                          "MSE.apply": _MSEFunction.apply})
    original = kernel_agent.namespace["MSE"]
    _handle(kernel_agent, op="substitute", names=["MSE"], classes={"MSE": ["forward", "backward", "apply"]})
    stand_in = kernel_agent.namespace["MSE"]
    assert stand_in.__name__ == "MSE" and stand_in is not original
    yhat, y = torch.tensor([[1.0, 2.0]]), torch.tensor([[0.0, 0.0]])
    first, second = _Context(), _Context()
    assert stand_in.forward(first, yhat, y).item() == 2.5
    stand_in.forward(second, y, yhat)
    grad_yhat, grad_y = stand_in.backward(first, torch.tensor(1.0))  # the first context's tensors, kept grader-side
    assert grad_yhat.tolist() == [[1.0, 2.0]] and grad_y.tolist() == [[-1.0, -2.0]]
    assert vars(first) == {} and len(kernel_agent.references.contexts) == 2
    leaf = torch.tensor([[1.0, 2.0]], requires_grad=True)
    stand_in.apply(leaf, y).backward()  # through autograd, gradients computed by the grader
    assert leaf.grad.tolist() == [[1.0, 2.0]]
    with pytest.raises(TypeError):
        stand_in.forward()
    _handle(kernel_agent, op="restore", names=["MSE"])
    assert kernel_agent.namespace["MSE"] is original and kernel_agent.contexts == {}


def _step(params, eta):
    with torch.no_grad():
        for p in params.values():
            p -= eta * p.grad
            p.grad.zero_()


def _module_step(model, eta):
    with torch.no_grad():
        for p in model.parameters():
            p -= eta * p.grad
    model.zero_grad()


def test_an_in_place_stand_in_updates_tensors_gradients_and_a_modules_parameters():
    kernel_agent = _agent_answering_from({"step": _step, "module_step": _module_step})
    _handle(kernel_agent, op="substitute", names=["step", "module_step"], in_place=["step", "module_step"])
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w ** 2).sum().backward()
    grad = w.grad
    kernel_agent.namespace["step"]({"w": w}, 0.5)  # outside no_grad, with a leaf that requires grad
    assert w.tolist() == [0.0, 0.0] and w.is_leaf and w.requires_grad and w.grad is grad and grad.tolist() == [0.0, 0.0]
    layer = torch.nn.Linear(2, 1)
    with torch.no_grad():
        layer.weight.fill_(1.0)
        layer.bias.fill_(0.0)
    layer(torch.tensor([[1.0, 3.0]])).sum().backward()
    kernel_agent.namespace["module_step"](layer, 0.1)
    assert torch.allclose(layer.weight, torch.tensor([[0.9, 0.7]])) and abs(layer.bias.item() + 0.1) < 1e-7
    assert layer.weight.grad is None and layer.bias.grad is None  # zero_grad() sets them to None
    kernel_agent.references.functions["read"] = lambda model, x: (x * sum(p.sum() for p in model.parameters())).sum()
    _handle(kernel_agent, op="substitute", names=["read"])
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    kernel_agent.namespace["read"](layer, x).backward()  # a module is read through its parameters
    assert torch.allclose(x.grad, torch.full((2,), 1.5))


def test_restoring_one_stand_in_keeps_the_others_in_place():
    kernel_agent = _agent_answering_from({"keep": lambda: 1})
    _handle(kernel_agent, op="substitute", names=["keep"])
    _handle(kernel_agent, op="substitute", names=["MSE"], classes={"MSE": ["forward"]})
    _handle(kernel_agent, op="restore", names=["MSE"])
    assert kernel_agent.namespace["keep"].__name__ == "keep" and kernel_agent.namespace["keep"]() == 1
    _handle(kernel_agent, op="restore")
    assert kernel_agent.namespace["keep"] == 1


def test_an_in_kernel_reference_is_copied_there_and_restored_after():
    """A reference that builds a model (`in_kernel`) runs next to the student's code, not as a stand-in."""
    cell = {"__name__": "__main__", "torch": torch}
    exec("def reference_net(hidden):\n    return torch.nn.Sequential(torch.nn.Linear(2, hidden), torch.nn.ReLU())\n", cell)
    namespace = {"torch": torch, "Net": "the student's"}
    exec("def width():\n    return Net(5)[0].out_features\n", namespace)  # the student's code, which calls Net
    kernel_agent = agent.Agent(namespace)
    _handle(kernel_agent, op="substitute", names=["Net"], copies={"Net": judge.to_kernel(cell["reference_net"])})
    assert decode(_handle(kernel_agent, op="call", path={"root": {"global": "width"}, "ops": []})["value"]) == 5
    _handle(kernel_agent, op="restore", names=["Net"])
    assert kernel_agent.namespace["Net"] == "the student's"


def _snippet_namespace() -> dict:
    namespace = {"torch": torch, "np": np, "__name__": "__main__"}
    exec(snippet("checks"), namespace)
    return namespace


def test_expect_gradients_accepts_a_right_backward_and_names_the_wrong_input():
    namespace = _snippet_namespace()
    inputs = [torch.randn(4, 3, dtype=torch.float64), torch.randn(4, 3, dtype=torch.float64)]
    namespace["expect_gradients"](_MSEFunction.apply, inputs, "mse")

    class HalfGradient(_MSEFunction):
        @staticmethod
        def backward(ctx, grad_output):
            grad, other = _MSEFunction.backward(ctx, grad_output)
            return grad, other / 2

    with pytest.raises(AssertionError, match="entrée n° 2"):
        namespace["expect_gradients"](HalfGradient.apply, inputs, "mse")


def test_expect_below_records_its_margin_for_the_validity_harness():
    namespace = _snippet_namespace()
    namespace["Checks"]("cellule")
    namespace["expect_below"](0.25, 0.5, "perte finale")
    with pytest.raises(AssertionError, match="attendu < 0,5"):
        namespace["expect_below"](0.75, 0.5, "perte finale")
    assert namespace["_MARGINS"] == [("perte finale", 0.25), ("perte finale", -0.25)]
    namespace["Checks"]("cellule suivante")
    assert namespace["_MARGINS"] == []


def _filled(nb, replacements: dict[str, str]):
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if notebooks.is_answer_cell(cell):
            cell.source = replacements.get(notebooks.grade_id(cell), strip_solution_markers(cell.source))
    return nb


def _run_in_process(nb) -> dict[str, float]:
    """Stock nbgrader's way: every cell, test cells included, in the student's namespace."""
    namespace: dict = {"__name__": "__main__"}
    scores = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        body = cell.source.rsplit("\n", 1)
        if notebooks.is_test_cell(cell):
            exec(body[0], namespace)
            try:
                result = eval(body[1], namespace)
            except AssertionError:
                result = 0.0
            scores[notebooks.grade_id(cell)] = cell.metadata.nbgrader["points"] if result is None else result
        else:
            exec(cell.source, namespace)
    return scores


def test_the_same_cells_score_in_the_kernel_as_stock_nbgrader_runs_them():
    teacher = judged_course.teacher_notebook()
    assert _run_in_process(_filled(teacher, {})) == judged_course.TEST_POINTS
    wrong = _run_in_process(_filled(teacher, {"mse_code": WRONG_MSE}))
    assert wrong["mse_tests"] == 0 and wrong["clamp_tests"] == 2.0 and wrong["fit_tests"] == 2.0


def test_a_failed_visible_check_stops_the_students_cell_with_its_message(api, capsys):
    checks = api["Checks"]("mse")
    with checks.visible("mse([1, 2], [0, 0]) = 2,5"):
        api["expect_close"](torch.tensor(5.0), torch.tensor(2.5), "mse([1, 2], [0, 0])")
    with checks.visible("une autre"):
        pass
    with pytest.raises(AssertionError, match=r"mse\(\[1, 2\], \[0, 0\]\) : attendu 2,5, obtenu 5"):
        checks.score()


def test_a_failed_visible_check_costs_only_its_share_at_grading(api):
    checks = api["Checks"]("f")
    with checks.visible("visible", points=0.5):
        raise AssertionError("non")
    checks.hidden(1, "cachée")(lambda: None)
    assert checks.score() == 1.0


def test_judged_cells_and_the_names_students_define():
    teacher = judged_course.teacher_notebook()
    assert {notebooks.grade_id(c) for c in teacher.cells if judge.is_judged(c)} == set(judged_course.TEST_POINTS)
    assert judge.defined_names("import numpy as np\nx, (y, z) = 1, (2, 3)\ndef f(): pass\nclass C: pass") == \
        {"np", "x", "y", "z", "f", "C"}


def test_definitions_only_keeps_what_later_cells_read_and_drops_the_checks():
    import ast
    tree = judge.definitions_only(ast.parse(judged_course.TESTS["mse_tests"]))
    assert judge.defined_names(ast.unparse(tree)) == {"checks", judged_course.MARKER}
    assert "_random_values" not in ast.unparse(tree) and "visible" not in ast.unparse(tree)
    tree = judge.definitions_only(ast.parse(judged_course.TESTS["fit_tests"]))
    assert judge.defined_names(ast.unparse(tree)) == {"checks", "_ref_mse"}


# -- in a real kernel, judged from outside --------------------------------------------------------

HOSTILE = {
    "custom exception handler": "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)\n",
    "display hooks and formatter": (
        "import sys\nsys.displayhook = lambda value: None\n"
        "get_ipython().display_formatter.formatters['text/plain'].for_type(float, lambda o, p, c: p.text('3.0'))\n"),
    "patched comparisons": (
        "torch.allclose = lambda *a, **k: True\ntorch.isclose = lambda a, b, **k: torch.ones_like(a, dtype=torch.bool)\n"
        "torch.equal = lambda *a: True\n"),
    "names the checks use rebound": (
        "expect_close = lambda got, *a, **k: got\nvalue = lambda x: x\nChecks = None\nfloat = lambda x: 3.0\n"),
    "post_run_cell clears outputs": (
        "def _clear(result):\n    __import__('IPython').display.clear_output()\n_clear.__module__ = 'matplotlib.pyplot'\n"
        "get_ipython().events.register('post_run_cell', _clear)\n"),
    "agent answers forged": (
        "import _coursekit_agent\n_coursekit_agent.agent.handle = lambda text: "
        "'{\"ok\": true, \"ref\": 1, \"value\": {\"t\": \"float\", \"v\": \"0x1.4p+1\"}, \"forbidden\": []}'\n"),
}
LIAR = '''
class Liar(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return True

def mse(yhat, y):
    with torch._C.DisableTorchFunction():
        total = ((yhat - y) ** 2).sum()
    return torch.Tensor._make_subclass(Liar, total.detach())
'''
LEAK = f'''
import gc
for text in list(In) + list(_ih) + [o for o in gc.get_objects() if isinstance(o, str)]:
    if "{judged_course.MARKER[:8]}" in text:
        print(text[::-1])
print(sorted(globals()))
'''
NOISY_CORRECT = '''
import sys, warnings
def mse(yhat, y):
    print("je calcule mse")
    print("avertissement maison", file=sys.stderr)
    warnings.warn("attention")
    return torch.nn.functional.mse_loss(yhat, y)
'''


@pytest.fixture(scope="module")
def runtime():
    from coursekit.grading.executors import KernelRuntime
    from coursekit.grading.sandbox import Sandbox
    runtime = KernelRuntime(Sandbox(cell_timeout=6, total_seconds=120).limits(), 1)
    yield runtime
    runtime.close()


def _grade(runtime, replacements: dict[str, str]):
    teacher = judged_course.teacher_notebook()
    nb = _filled(teacher, replacements)
    run = runtime.execute(nb, HELPERS, nbformat.writes(teacher))
    scores = {notebooks.grade_id(c): determine_grade(c)[0] for c in nb.cells if notebooks.is_test_cell(c)}
    text = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    return scores, text, run


@pytest.mark.slow
def test_solution_gets_full_marks_and_a_wrong_answer_loses_only_its_own(runtime):
    scores, text, _ = _grade(runtime, {})
    assert scores == judged_course.TEST_POINTS
    scores, text, _ = _grade(runtime, {"mse_code": WRONG_MSE})
    assert scores == {**judged_course.TEST_POINTS, "mse_tests": 0}  # fit_scale is judged with the reference mse
    assert "mse sur des tenseurs (5,) : attendu" in text


@pytest.mark.slow
def test_settled_cells_only_define_their_names_and_count_as_passed(runtime):
    """The validity harness's shortcut for cells that judge the teacher's answers."""
    teacher = judged_course.teacher_notebook()
    nb = _filled(teacher, {"mse_code": WRONG_MSE})
    runtime.execute(nb, HELPERS, nbformat.writes(teacher), frozenset({"mse_tests", "clamp_tests"}))
    cells = notebooks.cells_by_grade_id(nb)
    assert cells["mse_tests"].outputs == [] and cells["clamp_tests"].outputs == []
    # mse_tests counts as passed: fit_scale runs with the (here wrong) mse, not the grader's reference
    assert determine_grade(cells["fit_tests"])[0] < judged_course.TEST_POINTS["fit_tests"]


@pytest.mark.slow
def test_a_loop_over_elements_is_recorded_and_references_stay_with_the_grader(runtime):
    looping = ("def fit_scale(x, y, lr, n_iter):\n    w = torch.zeros((), dtype=x.dtype, requires_grad=True)\n"
               "    for _ in range(n_iter):\n        loss = sum((w * x[k] - y[k]) ** 2 for k in range(len(x))) / len(x)\n"
               "        loss.backward()\n        with torch.no_grad():\n            w -= lr * w.grad\n"
               "        w.grad.zero_()\n    return w.item()\n")
    scores, text, _ = _grade(runtime, {"fit_code": looping})
    assert scores["fit_tests"] == 1.0 and "accéder aux éléments un par un" in text
    peek = ("import inspect\ndef fit_scale(x, y, lr, n_iter):\n    print(inspect.getsource(mse))\n    return 0.0\n")
    scores, text, _ = _grade(runtime, {"mse_code": WRONG_MSE, "fit_code": peek})
    assert "_ref_mse" not in text and "mean()" not in text


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_forgery_in_the_kernel_earns_nothing(runtime, kind):
    scores, _, _ = _grade(runtime, {"mse_code": HOSTILE[kind] + WRONG_MSE})
    assert scores["mse_tests"] == 0, f"{kind}: a wrong mse scored {scores['mse_tests']}"


@pytest.mark.slow
def test_a_lying_tensor_subclass_earns_nothing(runtime):
    scores, _, _ = _grade(runtime, {"mse_code": LIAR})
    assert scores["mse_tests"] == 0 and scores["clamp_tests"] == 2.0


@pytest.mark.slow
def test_hidden_tests_never_reach_the_kernel_nor_its_outputs(runtime):
    scores, text, _ = _grade(runtime, {"mse_code": LEAK + strip_solution_markers(judged_course.SOLUTIONS["mse_code"])})
    assert judged_course.MARKER not in text and judged_course.MARKER[::-1] not in text
    assert "_random_values" not in text and scores == judged_course.TEST_POINTS


@pytest.mark.slow
def test_prints_and_warnings_of_a_correct_answer_cost_nothing(runtime):
    scores, text, _ = _grade(runtime, {"mse_code": NOISY_CORRECT})
    assert scores == judged_course.TEST_POINTS
    assert "je calcule mse" in text and "avertissement maison" not in text


@pytest.mark.slow
def test_a_call_past_the_time_limit_costs_its_check_and_the_next_checks_run(runtime):
    scores, text, run = _grade(runtime, {"mse_code": "def mse(yhat, y):\n    while True:\n        pass\n"})
    assert scores == {**judged_course.TEST_POINTS, "mse_tests": 0}  # fit_scale is judged with the reference
    assert "temps limite dépassé (6 s)" in text and not run.cut_short


@pytest.mark.slow
def test_a_kernel_that_dies_during_a_judged_call_stops_the_submission_only(runtime):
    scores, _, run = _grade(runtime, {"mse_code": "import os\ndef mse(yhat, y):\n    os._exit(3)\n"})
    assert run.cut_short and all(score == 0 for score in scores.values())
    scores, _, _ = _grade(runtime, {})  # the next submission finds a fresh kernel and judge
    assert scores == judged_course.TEST_POINTS


@pytest.mark.parametrize("assignment", __import__("coursekit.paths", fromlist=["x"]).assignment_ids())
def test_judged_cells_read_only_trusted_data_student_answers_and_their_own_names(assignment):
    """A judged cell that read a name of a plain read-only cell would get the kernel's version,
    which the student may have changed: such cells must be tagged `trusted`."""
    from coursekit.paths import source_notebook
    nb = notebooks.read(source_notebook(assignment))
    trusted, answers, tests, plain = set(), set(), set(), {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        names = judge.defined_names(strip_solution_markers(cell.source))
        if notebooks.grade_id(cell) and notebooks.grade_id(cell).startswith("helper_") or "trusted" in cell.metadata.get("tags", []):
            trusted |= names
        elif notebooks.is_answer_cell(cell):
            answers |= names
        elif judge.is_judged(cell):
            tests |= names
            read = _global_reads(cell.source)
            untrusted = sorted(read & set(plain) - trusted - answers - tests)
            assert not untrusted, (f"{notebooks.grade_id(cell)} reads {untrusted}, defined by read-only cells "
                                   f"{sorted({plain[n] for n in untrusted})} that are not tagged 'trusted'")
        elif not notebooks.is_test_cell(cell):
            plain.update({name: cell.source.splitlines()[0][:40] for name in names})


def _global_reads(source: str) -> set[str]:
    """Names a cell reads from the global namespace (at top level or from its functions)."""
    import symtable

    def walk(table) -> set[str]:
        names = {sym.get_name() for sym in table.get_symbols() if sym.is_referenced()
                 and (sym.is_global() or (table.get_type() == "module" and not sym.is_assigned()))}
        for child in table.get_children():
            names |= walk(child)
        return names

    return walk(symtable.symtable(source, "<cell>", "exec"))
