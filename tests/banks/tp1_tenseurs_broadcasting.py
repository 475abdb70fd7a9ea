"""Validity bank for TP1 — Tenseurs et broadcasting (creation, indexing, views and copies,
broadcasting, parallel Linear layers, learning a boolean function).

Conventions in tests/banks/__init__.py.

The two quizzes (view or copy, predicted shapes) are answer cells too: a wrong prediction is a
variant that must lose that item's share of the points.
"""
from coursekit.variants import Variant
from tests.independent_banks import independent_variants

independent = independent_variants("tp1_tenseurs_broadcasting")

ASSIGNMENT = "tp1_tenseurs_broadcasting"

FLOAT_TESTS = ("to_float_tensor_tests",)
SHAPE_OF_TESTS = ("shape_of_tests",)
TO_PYTHON_TESTS = ("to_python_tests",)
EXTRACT_TESTS = ("extract_tests",)
ASSIGN_TESTS = ("assign_tests",)
SHARES_TESTS = ("shares_storage_tests",)
VIEW_QUIZ_TESTS = ("view_or_copy_tests",)
SNAPSHOT_TESTS = ("snapshot_tests",)
BROADCAST_SHAPE_TESTS = ("broadcast_shape_tests",)
BROADCAST_ADD_TESTS = ("broadcast_add_tests",)
SHAPE_QUIZ_TESTS = ("predicted_shapes_tests",)
NEURON_TESTS = ("neuron_relu_tests",)
TWO_LAYER_TESTS = ("two_layer_net_tests",)
SECOND_LAYER_TESTS = ("second_layer_input_tests",)
F_TESTS = ("f_tests",)
DESCEND_LOOP_TESTS = ("descend_loop_tests",)
DESCEND_BATCH_TESTS = ("descend_batch_tests",)


# ---------------------------------------------------------------------------------------------
# Building blocks: the correct pieces of multi-function cells, and the two quizzes
# ---------------------------------------------------------------------------------------------

SUB_BLOCK = '''\
def sub_block(A, top, left, height, width):
    return A[top:top + height, left:left + width]
'''
EVEN_ODD = '''\
def even_rows_odd_columns(A):
    return A[::2, 1::2]
'''
PICK_ROWS = '''\
def pick_rows(A, rows):
    return A[rows]
'''
POSITIVES = '''\
def positive_values(A):
    return A[A > 0]
'''


def _extract_cell(sub_block=SUB_BLOCK, even_odd=EVEN_ODD, pick_rows=PICK_ROWS, positives=POSITIVES):
    return "\n\n".join([sub_block, even_odd, pick_rows, positives])


FILL_EVEN = '''\
def fill_even_columns(A, value):
    A[:, ::2] = value
    return A
'''
ZERO_NEGATIVES = '''\
def zero_negatives(A):
    A[A < 0] = 0
    return A
'''


def _assign_cell(fill=FILL_EVEN, zero=ZERO_NEGATIVES):
    return "\n\n".join([fill, zero])


VIEW_ANSWERS = {
    "v01": ("T[1]", "vue"), "v02": ("T[:, 1]", "vue"), "v03": ("T[1:, ::2]", "vue"),
    "v04": ("T[[0, 2]]", "copie"), "v05": ("T[T > 5]", "copie"), "v06": ("T.reshape(4, 3)", "vue"),
    "v07": ("T.t()", "vue"), "v08": ("T.t().reshape(12)", "copie"), "v09": ("T.t().view(12)", "erreur"),
    "v10": ("T[:, 1:3].reshape(-1)", "copie"), "v11": ("T.clone()", "copie"), "v12": ("T.detach()", "vue"),
}


def _view_quiz(**changes):
    lines = [f'    "{key}": "{changes.get(key, answer)}",  # {expression}' for key, (expression, answer) in VIEW_ANSWERS.items()]
    return "T = torch.arange(12.0).reshape(3, 4)\nVIEW_OR_COPY = {\n" + "\n".join(lines) + "\n}\n"


SHAPE_ANSWERS = {
    "s01": ("zeros(3, 4) + zeros(4)", (3, 4)), "s02": ("zeros(3, 4) + zeros(3)", None),
    "s03": ("zeros(4, 1) + zeros(1, 3)", (4, 3)), "s04": ("zeros(4, 1) + zeros(3)", (4, 3)),
    "s05": ("zeros(3) + zeros(3, 1)", (3, 3)), "s06": ("zeros(1, 1, 4) + zeros(3, 2, 1)", (3, 2, 4)),
    "s07": ("zeros(1, 1, 4) + zeros(1, 3)", None), "s08": ("zeros(5, 1, 3) + zeros(4, 1)", (5, 4, 3)),
    "s09": ("zeros(2, 1, 3) + zeros(2, 3)", (2, 2, 3)), "s10": ("tensor(2.0) + tensor(3.0)", ()),
    "s11": ("zeros(0, 3) + zeros(1)", (0, 3)), "s12": ("zeros(0, 3) + zeros(2, 1)", None),
    "s13": ("A + B_3d", (3, 3, 3)), "s14": ("A + B_2d", (3, 3)),
    "s15": ("X - X.mean(dim=1)", None), "s16": ("X - X.mean(dim=1, keepdim=True)", (4, 3)),
}


def _shape_quiz(**changes):
    lines = [f'    "{key}": {changes.get(key, answer)!r},  # {expression}' for key, (expression, answer) in SHAPE_ANSWERS.items()]
    return "PREDICTED_SHAPES = {\n" + "\n".join(lines) + "\n}\n"


def _descend_loop_cell(body, learning_rate="0.05"):
    return f'''\
def descend_loop(X, Y, ref, lr, n_iter=100, a0=0.0, tol=1e-6, progress=True):
{body}

LEARNING_RATE = {learning_rate}
'''


DESCEND_LOOP_BODY = '''\
    a = torch.tensor(float(a0), dtype=X.dtype, device=X.device, requires_grad=True)
    losses = []
    for _ in tqdm(range(n_iter), disable=not progress):
        error = torch.zeros((), dtype=X.dtype, device=X.device)
        for k in range(len(X)):
            error = error + (f(X[k], Y[k], a) - ref[k]) ** 2
        losses.append(error.item())
        if error.item() < tol:
            break
        error.backward()
        with torch.no_grad():
            a -= lr * a.grad
        a.grad.zero_()
    return a.item(), losses'''


def _descend_batch_cell(error_line, extra=""):
    return f'''\
def descend_batch(X, Y, ref, lr, n_iter=100, a0=0.0, tol=1e-6, progress=True):
    a = torch.tensor(float(a0), dtype=X.dtype, device=X.device, requires_grad=True)
    losses = []
    for _ in tqdm(range(n_iter), disable=not progress):
{error_line}
        losses.append(error.item())
        if error.item() < tol:
            break
        error.backward(){extra}
        with torch.no_grad():
            a -= lr * a.grad
        a.grad.zero_()
    return a.item(), losses
'''


def _broadcast_add_cell(pad, index_a, index_b, result="torch.empty(shape, dtype=torch.result_type(A, B), device=A.device)",
                        assign="C[index] = A_n[alpha] + B_n[beta]"):
    return f'''\
import itertools


def broadcast_add(A, B):
    shape = broadcast_shape(tuple(A.shape), tuple(B.shape))
    n = len(shape)
    {pad}
    C = {result}
    for index in itertools.product(*(range(size) for size in shape)):
        alpha = {index_a}
        beta = {index_b}
        {assign}
    return C
'''


PAD_LEFT = ("A_n = A.reshape((1,) * (n - A.dim()) + tuple(A.shape))\n"
            "    B_n = B.reshape((1,) * (n - B.dim()) + tuple(B.shape))")
ALPHA = "tuple(0 if size == 1 else i for i, size in zip(index, A_n.shape))"
BETA = "tuple(0 if size == 1 else i for i, size in zip(index, B_n.shape))"


# ---------------------------------------------------------------------------------------------
# Wrong answers
# ---------------------------------------------------------------------------------------------

WRONG = [
    # --- Part 1: creation and conversion -------------------------------------------------------
    Variant("float_tensor_keeps_the_inferred_dtype", "to_float_tensor_code", '''\
def to_float_tensor(data):
    return torch.tensor(data)
''', FLOAT_TESTS),
    Variant("float_tensor_legacy_FloatTensor_constructor", "to_float_tensor_code", '''\
def to_float_tensor(data):
    return torch.FloatTensor(data)
''', FLOAT_TESTS),
    Variant("float_tensor_from_numpy_shares_the_array", "to_float_tensor_code", '''\
def to_float_tensor(data):
    return torch.from_numpy(np.asarray(data, dtype=np.float32))
''', FLOAT_TESTS),
    Variant("shape_of_innermost_dimension_first", "shape_of_code", '''\
def shape_of(data):
    if not isinstance(data, (list, tuple)):
        return ()
    if len(data) == 0:
        return (0,)
    return shape_of(data[0]) + (len(data),)
''', SHAPE_OF_TESTS),
    Variant("shape_of_asks_torch", "shape_of_code", '''\
def shape_of(data):
    return tuple(torch.tensor(data).shape)
''', SHAPE_OF_TESTS),
    Variant("shape_of_empty_list_is_a_scalar", "shape_of_code", '''\
def shape_of(data):
    if not isinstance(data, list) or len(data) == 0:
        return ()
    return (len(data),) + shape_of(data[0])
''', SHAPE_OF_TESTS),
    Variant("to_python_item_only_for_zero_dimensions", "to_python_code", '''\
def to_python(t):
    if t.dim() == 0:
        return t.item()
    return t.tolist()
''', TO_PYTHON_TESTS),
    Variant("to_python_always_a_float", "to_python_code", '''\
def to_python(t):
    if t.numel() == 1:
        return float(t)
    return t.tolist()
''', TO_PYTHON_TESTS),

    # --- Part 2: indexing ------------------------------------------------------------------------
    Variant("sub_block_end_is_height_not_top_plus_height", "extract_code", _extract_cell(sub_block='''\
def sub_block(A, top, left, height, width):
    return A[top:height, left:width]
'''), EXTRACT_TESTS),
    Variant("even_rows_odd_columns_swapped_parities", "extract_code", _extract_cell(even_odd='''\
def even_rows_odd_columns(A):
    return A[1::2, ::2]
'''), EXTRACT_TESTS),
    Variant("pick_rows_picks_columns", "extract_code", _extract_cell(pick_rows='''\
def pick_rows(A, rows):
    return A[:, rows]
'''), EXTRACT_TESTS),
    Variant("positive_values_keeps_zeros", "extract_code", _extract_cell(positives='''\
def positive_values(A):
    return A[A >= 0]
'''), EXTRACT_TESTS),
    Variant("positive_values_first_row_only", "extract_code", _extract_cell(positives='''\
def positive_values(A):
    return A[0][A[0] > 0]
'''), EXTRACT_TESTS),
    Variant("fill_even_columns_hard_codes_six_columns", "assign_code", _assign_cell(fill='''\
def fill_even_columns(A, value):
    A[:, 0:6:2] = value
    return A
'''), ASSIGN_TESTS),
    Variant("fill_even_columns_on_a_copy", "assign_code", _assign_cell(fill='''\
def fill_even_columns(A, value):
    A = A.clone()
    A[:, ::2] = value
    return A
'''), ASSIGN_TESTS),
    Variant("zero_negatives_not_in_place", "assign_code", _assign_cell(zero='''\
def zero_negatives(A):
    return torch.clamp(A, min=0)
'''), ASSIGN_TESTS),

    # --- Part 3: views and copies ----------------------------------------------------------------
    Variant("shares_storage_compares_first_element_addresses", "shares_storage_code", '''\
def shares_storage(a, b):
    return a.data_ptr() == b.data_ptr()
''', SHARES_TESTS),
    Variant("shares_storage_identity", "shares_storage_code", '''\
def shares_storage(a, b):
    return a is b
''', SHARES_TESTS),
    Variant("shares_storage_equal_values", "shares_storage_code", '''\
def shares_storage(a, b):
    return a.shape == b.shape and torch.equal(a, b)
''', SHARES_TESTS),
    Variant("shares_storage_through_base", "shares_storage_code", '''\
def shares_storage(a, b):
    root_a = a._base if a._base is not None else a
    root_b = b._base if b._base is not None else b
    return root_a is root_b
''', SHARES_TESTS),
    Variant("shares_storage_mixes_storage_and_element_address", "shares_storage_code", '''\
def shares_storage(a, b):
    return a.untyped_storage().data_ptr() == b.data_ptr()
''', SHARES_TESTS),
    Variant("quiz_reshape_after_transpose_assumed_view", "view_or_copy_code", _view_quiz(v08="vue"), VIEW_QUIZ_TESTS),
    Variant("quiz_view_after_transpose_assumed_to_copy", "view_or_copy_code", _view_quiz(v09="copie"), VIEW_QUIZ_TESTS),
    Variant("quiz_boolean_mask_assumed_view", "view_or_copy_code", _view_quiz(v05="vue"), VIEW_QUIZ_TESTS),
    Variant("quiz_detach_assumed_to_copy", "view_or_copy_code", _view_quiz(v12="copie"), VIEW_QUIZ_TESTS),
    Variant("snapshot_detach_without_clone", "snapshot_code", '''\
def snapshot(t):
    return t.detach()
''', SNAPSHOT_TESTS),
    Variant("snapshot_clone_without_detach", "snapshot_code", '''\
def snapshot(t):
    return t.clone()
''', SNAPSHOT_TESTS),
    Variant("snapshot_data_attribute", "snapshot_code", '''\
def snapshot(t):
    return t.data
''', SNAPSHOT_TESTS),
    Variant("snapshot_through_a_python_list", "snapshot_code", '''\
def snapshot(t):
    return torch.tensor(t.tolist())
''', SNAPSHOT_TESTS),

    # --- Part 4: broadcasting --------------------------------------------------------------------
    Variant("broadcast_shape_left_aligned_padding", "broadcast_shape_code", '''\
def broadcast_shape(shape_a, shape_b):
    n = max(len(shape_a), len(shape_b))
    a = tuple(shape_a) + (1,) * (n - len(shape_a))
    b = tuple(shape_b) + (1,) * (n - len(shape_b))
    result = []
    for size_a, size_b in zip(a, b):
        if size_a == size_b or size_b == 1:
            result.append(size_a)
        elif size_a == 1:
            result.append(size_b)
        else:
            raise ValueError(f"formes incompatibles : {shape_a} et {shape_b}")
    return tuple(result)
''', BROADCAST_SHAPE_TESTS),
    Variant("broadcast_shape_accepts_2_against_3", "broadcast_shape_code", '''\
def broadcast_shape(shape_a, shape_b):
    n = max(len(shape_a), len(shape_b))
    a = (1,) * (n - len(shape_a)) + tuple(shape_a)
    b = (1,) * (n - len(shape_b)) + tuple(shape_b)
    if any(size_a == 0 and size_b > 1 or size_b == 0 and size_a > 1 for size_a, size_b in zip(a, b)):
        raise ValueError(f"formes incompatibles : {shape_a} et {shape_b}")
    return tuple(max(size_a, size_b) for size_a, size_b in zip(a, b))
''', BROADCAST_SHAPE_TESTS),
    Variant("broadcast_shape_pads_with_zeros_like_the_handout", "broadcast_shape_code", '''\
def broadcast_shape(shape_a, shape_b):
    n = max(len(shape_a), len(shape_b))
    a = (0,) * (n - len(shape_a)) + tuple(shape_a)
    b = (0,) * (n - len(shape_b)) + tuple(shape_b)
    result = []
    for size_a, size_b in zip(a, b):
        if size_a in (0, 1) or size_b in (0, 1) or size_a == size_b:
            result.append(max(size_a, size_b))
        else:
            raise ValueError(f"formes incompatibles : {shape_a} et {shape_b}")
    return tuple(result)
''', BROADCAST_SHAPE_TESTS),
    Variant("broadcast_shape_max_of_sizes_with_empty_dimensions", "broadcast_shape_code", '''\
def broadcast_shape(shape_a, shape_b):
    n = max(len(shape_a), len(shape_b))
    a = (1,) * (n - len(shape_a)) + tuple(shape_a)
    b = (1,) * (n - len(shape_b)) + tuple(shape_b)
    for size_a, size_b in zip(a, b):
        if size_a != size_b and size_a != 1 and size_b != 1:
            raise ValueError(f"formes incompatibles : {shape_a} et {shape_b}")
    return tuple(max(size_a, size_b) for size_a, size_b in zip(a, b))
''', BROADCAST_SHAPE_TESTS),
    Variant("broadcast_shape_drops_the_extra_dimensions", "broadcast_shape_code", '''\
def broadcast_shape(shape_a, shape_b):
    result = []
    for size_a, size_b in zip(reversed(tuple(shape_a)), reversed(tuple(shape_b))):
        if size_a == size_b or size_b == 1:
            result.append(size_a)
        elif size_a == 1:
            result.append(size_b)
        else:
            raise ValueError(f"formes incompatibles : {shape_a} et {shape_b}")
    return tuple(reversed(result))
''', BROADCAST_SHAPE_TESTS),
    Variant("broadcast_shape_calls_torch", "broadcast_shape_code", '''\
def broadcast_shape(shape_a, shape_b):
    return tuple(torch.broadcast_shapes(tuple(shape_a), tuple(shape_b)))
''', BROADCAST_SHAPE_TESTS),
    Variant("broadcast_shape_returns_none_when_incompatible", "broadcast_shape_code", '''\
def broadcast_shape(shape_a, shape_b):
    n = max(len(shape_a), len(shape_b))
    a = (1,) * (n - len(shape_a)) + tuple(shape_a)
    b = (1,) * (n - len(shape_b)) + tuple(shape_b)
    result = []
    for size_a, size_b in zip(a, b):
        if size_a == size_b or size_b == 1:
            result.append(size_a)
        elif size_a == 1:
            result.append(size_b)
        else:
            return None
    return tuple(result)
''', BROADCAST_SHAPE_TESTS),
    Variant("broadcast_add_lets_torch_broadcast", "broadcast_add_code", '''\
def broadcast_add(A, B):
    broadcast_shape(tuple(A.shape), tuple(B.shape))
    return A + B
''', BROADCAST_ADD_TESTS),
    Variant("broadcast_add_ignores_size_one_dimensions", "broadcast_add_code",
            _broadcast_add_cell(PAD_LEFT, "index", "index"), BROADCAST_ADD_TESTS),
    Variant("broadcast_add_pads_on_the_right", "broadcast_add_code", _broadcast_add_cell(
        "A_n = A.reshape(tuple(A.shape) + (1,) * (n - A.dim()))\n"
        "    B_n = B.reshape(tuple(B.shape) + (1,) * (n - B.dim()))", ALPHA, BETA), BROADCAST_ADD_TESTS),
    Variant("broadcast_add_result_always_float32", "broadcast_add_code", _broadcast_add_cell(
        PAD_LEFT, ALPHA, BETA, result="torch.zeros(shape, device=A.device)"), BROADCAST_ADD_TESTS),
    Variant("broadcast_add_expands_both_operands", "broadcast_add_code", _broadcast_add_cell(
        PAD_LEFT + "\n    A_n, B_n = A_n.expand(shape), B_n.expand(shape)", "index", "index"), BROADCAST_ADD_TESTS),
    Variant("broadcast_add_adds_whole_rows", "broadcast_add_code", '''\
def broadcast_add(A, B):
    shape = broadcast_shape(tuple(A.shape), tuple(B.shape))
    n = len(shape)
    A_n = A.reshape((1,) * (n - A.dim()) + tuple(A.shape))
    B_n = B.reshape((1,) * (n - B.dim()) + tuple(B.shape))
    C = torch.empty(shape, dtype=torch.result_type(A, B), device=A.device)
    for i in range(shape[0]):
        C[i] = A_n[0 if A_n.shape[0] == 1 else i] + B_n[0 if B_n.shape[0] == 1 else i]
    return C
''', BROADCAST_ADD_TESTS),
    Variant("quiz_forgotten_brackets_same_result", "predicted_shapes_code", _shape_quiz(s14=(3, 3, 3)), SHAPE_QUIZ_TESTS),
    Variant("quiz_one_dimensional_tensor_aligned_left", "predicted_shapes_code", _shape_quiz(s04=None), SHAPE_QUIZ_TESTS),
    Variant("quiz_mean_without_keepdim_broadcasts", "predicted_shapes_code", _shape_quiz(s15=(4, 3)), SHAPE_QUIZ_TESTS),
    Variant("quiz_empty_dimension_takes_the_max", "predicted_shapes_code", _shape_quiz(s11=(1, 3)), SHAPE_QUIZ_TESTS),
    Variant("quiz_scalar_has_shape_one", "predicted_shapes_code", _shape_quiz(s10=(1,)), SHAPE_QUIZ_TESTS),
    Variant("quiz_row_plus_column_stays_a_row", "predicted_shapes_code", _shape_quiz(s05=(3,)), SHAPE_QUIZ_TESTS),

    # --- Part 5: parallel Linear -----------------------------------------------------------------
    Variant("neuron_relu_loops_over_abscissas", "neuron_relu_code", '''\
def neuron_relu(layer, xs):
    return torch.stack([torch.relu(layer(x.reshape(1)))[0] for x in xs])
''', NEURON_TESTS),
    Variant("neuron_relu_forgets_the_relu", "neuron_relu_code", '''\
def neuron_relu(layer, xs):
    return layer(xs.unsqueeze(1)).squeeze(1)
''', NEURON_TESTS),
    Variant("neuron_relu_keeps_the_column_shape", "neuron_relu_code", '''\
def neuron_relu(layer, xs):
    return torch.relu(layer(xs.unsqueeze(1)))
''', NEURON_TESTS),
    Variant("two_layer_net_relu_on_the_output_too", "two_layer_net_code", '''\
def two_layer_net(layer1, layer2, xs):
    return torch.relu(layer2(torch.relu(layer1(xs.unsqueeze(1))))).squeeze(1)
''', TWO_LAYER_TESTS),
    Variant("two_layer_net_without_hidden_relu", "two_layer_net_code", '''\
def two_layer_net(layer1, layer2, xs):
    return layer2(layer1(xs.unsqueeze(1))).squeeze(1)
''', TWO_LAYER_TESTS),
    Variant("two_layer_net_loops_over_abscissas", "two_layer_net_code", '''\
def two_layer_net(layer1, layer2, xs):
    outputs = [layer2(torch.relu(layer1(x.reshape(1)))) for x in xs]
    return torch.cat(outputs)
''', TWO_LAYER_TESTS),
    Variant("second_layer_input_one_column", "second_layer_input_code", '''\
SECOND_LAYER_INPUT_SHAPE = (200, 1)
''', SECOND_LAYER_TESTS),
    Variant("second_layer_input_transposed", "second_layer_input_code", '''\
SECOND_LAYER_INPUT_SHAPE = (3, 200)
''', SECOND_LAYER_TESTS),

    # --- Part 6: learning a boolean function -----------------------------------------------------
    Variant("f_min_without_clamp", "f_code", '''\
def f(x, y, a):
    return a * torch.abs(x - y)
''', F_TESTS),
    Variant("f_without_absolute_value", "f_code", '''\
def f(x, y, a):
    return torch.clamp(a * (x - y), max=1.0)
''', F_TESTS),
    Variant("f_clamps_below_zero_too", "f_code", '''\
def f(x, y, a):
    return torch.clamp(a * torch.abs(x - y), 0.0, 1.0)
''', F_TESTS),
    Variant("f_python_min", "f_code", '''\
def f(x, y, a):
    return min(a * torch.abs(x - y), 1)
''', F_TESTS),
    Variant("descend_loop_never_zeroes_the_gradient", "descend_loop_code",
            _descend_loop_cell(DESCEND_LOOP_BODY.replace("        a.grad.zero_()\n", "")), DESCEND_LOOP_TESTS),
    Variant("descend_loop_mean_instead_of_sum", "descend_loop_code",
            _descend_loop_cell(DESCEND_LOOP_BODY.replace("losses.append(error.item())",
                                                         "error = error / len(X)\n        losses.append(error.item())")),
            DESCEND_LOOP_TESTS),
    Variant("descend_loop_update_outside_no_grad", "descend_loop_code",
            _descend_loop_cell(DESCEND_LOOP_BODY.replace("        with torch.no_grad():\n            a -= lr * a.grad",
                                                         "        a -= lr * a.grad")), DESCEND_LOOP_TESTS),
    Variant("descend_loop_rebinds_a_to_a_new_tensor", "descend_loop_code",
            _descend_loop_cell(DESCEND_LOOP_BODY.replace("a -= lr * a.grad", "a = a - lr * a.grad")), DESCEND_LOOP_TESTS),
    Variant("descend_loop_ignores_tol", "descend_loop_code",
            _descend_loop_cell(DESCEND_LOOP_BODY.replace("        if error.item() < tol:\n            break\n", "")),
            DESCEND_LOOP_TESTS),
    Variant("descend_loop_stops_before_recording_the_last_error", "descend_loop_code",
            _descend_loop_cell(DESCEND_LOOP_BODY.replace(
                "        losses.append(error.item())\n        if error.item() < tol:\n            break\n",
                "        if error.item() < tol:\n            break\n        losses.append(error.item())\n")),
            DESCEND_LOOP_TESTS),
    Variant("descend_loop_ignores_a0", "descend_loop_code",
            _descend_loop_cell(DESCEND_LOOP_BODY.replace("float(a0)", "0.0")), DESCEND_LOOP_TESTS),
    Variant("descend_loop_climbs_the_gradient", "descend_loop_code",
            _descend_loop_cell(DESCEND_LOOP_BODY.replace("a -= lr * a.grad", "a += lr * a.grad")), DESCEND_LOOP_TESTS),
    Variant("descend_loop_keeps_tensors_in_losses", "descend_loop_code",
            _descend_loop_cell(DESCEND_LOOP_BODY.replace("losses.append(error.item())", "losses.append(error)")),
            DESCEND_LOOP_TESTS),
    Variant("learning_rate_too_small", "descend_loop_code",
            _descend_loop_cell(DESCEND_LOOP_BODY, learning_rate="0.004"), DESCEND_LOOP_TESTS),
    Variant("descend_batch_mean_instead_of_sum", "descend_batch_code",
            _descend_batch_cell("        error = ((f(X, Y, a) - ref) ** 2).mean()"), DESCEND_BATCH_TESTS),
    Variant("descend_batch_still_loops_over_samples", "descend_batch_code",
            _descend_batch_cell("        error = sum((f(x, y, a) - r) ** 2 for x, y, r in zip(X, Y, ref))"), DESCEND_BATCH_TESTS),
    Variant("descend_batch_returns_the_tensor_a", "descend_batch_code",
            _descend_batch_cell("        error = ((f(X, Y, a) - ref) ** 2).sum()").replace("return a.item(), losses", "return a, losses"),
            DESCEND_BATCH_TESTS),
    Variant("descend_batch_zeroes_the_gradient_before_the_step", "descend_batch_code",
            _descend_batch_cell("        error = ((f(X, Y, a) - ref) ** 2).sum()", extra="\n        a.grad.zero_()"),
            DESCEND_BATCH_TESTS),
]


# ---------------------------------------------------------------------------------------------
# Alternative correct answers
# ---------------------------------------------------------------------------------------------

CORRECT = [
    Variant("float_tensor_numpy_copy_then_from_numpy", "to_float_tensor_code", '''\
def to_float_tensor(data):
    array = np.array(data, dtype=np.float32)  # np.array copies by default
    return torch.from_numpy(array)
''', FLOAT_TESTS),
    Variant("float_tensor_as_tensor_then_clone", "to_float_tensor_code", '''\
def to_float_tensor(data):
    return torch.as_tensor(data).to(torch.float32).clone()
''', FLOAT_TESTS),
    Variant("shape_of_iterative", "shape_of_code", '''\
def shape_of(data):
    shape = []
    while isinstance(data, (list, tuple)):
        shape.append(len(data))
        if not data:
            break
        data = data[0]
    return tuple(shape)
''', SHAPE_OF_TESTS),
    Variant("to_python_detaches_and_moves_first", "to_python_code", '''\
def to_python(t):
    values = t.detach().cpu()
    if values.numel() == 1:
        return values.reshape(()).item()
    return values.tolist()
''', TO_PYTHON_TESTS),
    Variant("extract_with_narrow_chained_slices_and_masked_select", "extract_code", _extract_cell(
        sub_block='''\
def sub_block(A, top, left, height, width):
    return A.narrow(0, top, height).narrow(1, left, width)
''', even_odd='''\
def even_rows_odd_columns(A):
    return A[0::2][:, 1::2]
''', pick_rows='''\
def pick_rows(A, rows):
    return A[torch.tensor(rows, device=A.device)]
''', positives='''\
def positive_values(A):
    return torch.masked_select(A, A > 0)
'''), EXTRACT_TESTS),
    Variant("assign_with_index_tensor_and_clamp_", "assign_code", _assign_cell(fill='''\
def fill_even_columns(A, value):
    A[:, torch.arange(0, A.shape[1], 2, device=A.device)] = value
    return A
''', zero='''\
def zero_negatives(A):
    return A.clamp_(min=0)
'''), ASSIGN_TESTS),
    Variant("shares_storage_legacy_storage_api", "shares_storage_code", '''\
def shares_storage(a, b):
    return a.storage().data_ptr() == b.storage().data_ptr()
''', SHARES_TESTS),
    Variant("shares_storage_same_storage_object", "shares_storage_code", '''\
def shares_storage(a, b):
    # PyTorch keeps one Python object per storage: two views of a tensor give the same object
    return a.untyped_storage() is b.untyped_storage()
''', SHARES_TESTS),
    Variant("view_quiz_written_as_list_comprehension", "view_or_copy_code", '''\
answers = ["vue", "vue", "vue", "copie", "copie", "vue", "vue", "copie", "erreur", "copie", "copie", "vue"]
VIEW_OR_COPY = {f"v{k:02d}": answer for k, answer in enumerate(answers, start=1)}
''', VIEW_QUIZ_TESTS),
    Variant("snapshot_clone_under_no_grad", "snapshot_code", '''\
def snapshot(t):
    with torch.no_grad():
        return t.clone()
''', SNAPSHOT_TESTS),
    Variant("snapshot_clone_then_detach", "snapshot_code", '''\
def snapshot(t):
    return t.clone().detach()
''', SNAPSHOT_TESTS),
    Variant("broadcast_shape_from_the_right_with_zip_longest", "broadcast_shape_code", '''\
from itertools import zip_longest


def broadcast_shape(shape_a, shape_b):
    result = []
    for size_a, size_b in zip_longest(reversed(list(shape_a)), reversed(list(shape_b)), fillvalue=1):
        if size_a != size_b and 1 not in (size_a, size_b):
            raise ValueError(f"{tuple(shape_a)} et {tuple(shape_b)} ne sont pas compatibles")
        result.append(size_b if size_a == 1 else size_a)
    return tuple(reversed(result))
''', BROADCAST_SHAPE_TESTS),
    Variant("broadcast_add_flat_index_and_python_floats", "broadcast_add_code", '''\
def broadcast_add(A, B):
    shape = broadcast_shape(A.shape, B.shape)
    n = len(shape)
    shape_a = [1] * (n - A.dim()) + list(A.shape)
    shape_b = [1] * (n - B.dim()) + list(B.shape)
    flat_a, flat_b = A.reshape(-1), B.reshape(-1)
    values = []
    total = 1
    for size in shape:
        total *= size
    for flat in range(total):
        index, rest = [], flat
        for size in reversed(shape):
            index.append(rest % size)
            rest //= size
        index.reverse()
        pos_a = pos_b = 0
        for i, size_a, size_b in zip(index, shape_a, shape_b):
            pos_a = pos_a * size_a + (0 if size_a == 1 else i)
            pos_b = pos_b * size_b + (0 if size_b == 1 else i)
        values.append(flat_a[pos_a].item() + flat_b[pos_b].item())
    return torch.tensor(values, dtype=torch.result_type(A, B), device=A.device).reshape(shape)
''', BROADCAST_ADD_TESTS),
    Variant("shape_quiz_lists_and_torch_size", "predicted_shapes_code", _shape_quiz().replace(
        "(3, 2, 4)", "[3, 2, 4]").replace('"s16": (4, 3)', '"s16": torch.Size([4, 3])'), SHAPE_QUIZ_TESTS),
    Variant("neuron_relu_functional_and_flatten", "neuron_relu_code", '''\
import torch.nn.functional as F


def neuron_relu(layer, xs):
    return F.relu(layer(xs.reshape(-1, 1))).flatten()
''', NEURON_TESTS),
    Variant("two_layer_net_with_sequential", "two_layer_net_code", '''\
def two_layer_net(layer1, layer2, xs):
    net = torch.nn.Sequential(layer1, torch.nn.ReLU(), layer2)
    return net(xs[:, None])[:, 0]
''', TWO_LAYER_TESTS),
    Variant("second_layer_input_as_torch_size", "second_layer_input_code", '''\
SECOND_LAYER_INPUT_SHAPE = torch.Size([200, 3])
''', SECOND_LAYER_TESTS),
    Variant("f_with_minimum_and_where", "f_code", '''\
def f(x, y, a):
    v = a * (x - y).abs()
    return torch.where(v < 1, v, torch.ones_like(v))
''', F_TESTS),
    Variant("f_with_torch_minimum", "f_code", '''\
def f(x, y, a):
    v = a * torch.abs(x - y)
    return torch.minimum(v, torch.ones_like(v))
''', F_TESTS),
    Variant("descend_loop_zip_and_grad_set_to_none", "descend_loop_code", '''\
def descend_loop(X, Y, ref, lr, n_iter=100, a0=0.0, tol=1e-6, progress=True):
    a = torch.full((), a0, dtype=X.dtype, device=X.device)
    a.requires_grad_(True)
    losses = []
    for _ in tqdm(range(n_iter), disable=not progress):
        errors = [(f(x, y, a) - r) ** 2 for x, y, r in zip(X, Y, ref)]
        error = torch.stack(errors).sum()
        losses.append(float(error))
        if losses[-1] < tol:
            break
        error.backward()
        with torch.no_grad():
            a.sub_(lr * a.grad)
        a.grad = None
    return float(a), losses


LEARNING_RATE = 0.01
''', DESCEND_LOOP_TESTS),
    Variant("descend_batch_with_mse_loss_sum", "descend_batch_code",
            _descend_batch_cell("        error = torch.nn.functional.mse_loss(f(X, Y, a), ref, reduction=\"sum\")"),
            DESCEND_BATCH_TESTS),
]

# Answers written independently, from the student's statement alone (tests/independent_banks/).
# The statement asks for one call of the layer: reading its weights instead skips what it teaches.
WRONG.append(Variant("neuron_relu_by_hand_from_the_weights", "neuron_relu_code", '''\
def neuron_relu(layer, xs):
    w, b = layer.weight[0, 0], layer.bias[0]
    return torch.relu(w * xs + b)
''', NEURON_TESTS))
WRONG += independent.WRONG
CORRECT += independent.CORRECT
