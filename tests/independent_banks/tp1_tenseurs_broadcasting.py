"""Independent bank of student answers for TP1 (tenseurs et broadcasting).

Written from the student statement only (release notebook), without reading the teacher's
solution, the hidden tests or the course's own bank. CORRECT variants satisfy every promise of
the statement; each WRONG variant breaks one (a plausible bug, a lazy shortcut or a rule the
statement states), and differs from a correct answer on some input the statement covers.
"""
from __future__ import annotations

import textwrap

from coursekit.variants import Variant

ASSIGNMENT = "tp1_tenseurs_broadcasting"


def _v(name: str, cell: str, code: str, tests: tuple[str, ...] | None = None) -> Variant:
    """A variant judged by the test cell that follows its answer cell."""
    if tests is None:
        tests = (cell[: -len("_code")] + "_tests",)
    return Variant(name, cell, textwrap.dedent(code).strip("\n") + "\n", tuple(tests))


# ---------------------------------------------------------------------------------------------
# Building blocks for the cells that define several functions: a WRONG variant swaps one of them.
# ---------------------------------------------------------------------------------------------

_SUB_BLOCK = '''
def sub_block(A, top, left, height, width):
    """Bloc de `height` lignes et `width` colonnes dont le coin en haut à gauche est A[top, left]."""
    return A[top:top + height, left:left + width]
'''
_EVEN_ODD = '''
def even_rows_odd_columns(A):
    """Lignes d'indice pair, colonnes d'indice impair."""
    return A[::2, 1::2]
'''
_PICK = '''
def pick_rows(A, rows):
    """Lignes de A d'indices `rows` (une liste), dans l'ordre de la liste."""
    return A[rows]
'''
_POSITIVE = '''
def positive_values(A):
    """Tenseur 1D des éléments strictement positifs de A, lus ligne par ligne."""
    return A[A > 0]
'''


def _extract(sub=_SUB_BLOCK, even=_EVEN_ODD, pick=_PICK, positive=_POSITIVE) -> str:
    return "\n\n".join(textwrap.dedent(part).strip("\n") for part in (sub, even, pick, positive))


_FILL = '''
def fill_even_columns(A, value):
    """Met les colonnes d'indice pair (0, 2, 4…) de A à `value`, en place, et renvoie A."""
    A[:, ::2] = value
    return A
'''
_ZERO = '''
def zero_negatives(A):
    """Remplace par 0 les éléments strictement négatifs de A, en place, et renvoie A."""
    A[A < 0] = 0
    return A
'''


def _assign(fill=_FILL, zero=_ZERO) -> str:
    return "\n\n".join(textwrap.dedent(part).strip("\n") for part in (fill, zero))


_VIEW_ANSWERS = {
    "v01": "vue", "v02": "vue", "v03": "vue", "v04": "copie", "v05": "copie", "v06": "vue",
    "v07": "vue", "v08": "copie", "v09": "erreur", "v10": "copie", "v11": "copie", "v12": "vue",
}


def _view_dict(**changes: str) -> str:
    answers = dict(_VIEW_ANSWERS, **changes)
    lines = "\n".join(f'    "{key}": "{answer}",' for key, answer in answers.items())
    return f"VIEW_OR_COPY = {{\n{lines}\n}}\n"


_SHAPE_ANSWERS = {
    "s01": (3, 4), "s02": None, "s03": (4, 3), "s04": (4, 3), "s05": (3, 3), "s06": (3, 2, 4),
    "s07": None, "s08": (5, 4, 3), "s09": (2, 2, 3), "s10": (), "s11": (0, 3), "s12": None,
    "s13": (3, 3, 3), "s14": (3, 3), "s15": None, "s16": (4, 3),
}


def _shape_dict(**changes) -> str:
    answers = dict(_SHAPE_ANSWERS, **changes)
    lines = "\n".join(f'    "{key}": {answer!r},' for key, answer in answers.items())
    return f"PREDICTED_SHAPES = {{\n{lines}\n}}\n"


_LOOP_BODY = '''
def descend_loop(X, Y, ref, lr, n_iter=100, a0=0.0, tol=1e-6, progress=True):
    """Descente de gradient à pas fixe sur a, l'erreur étant calculée par une boucle sur les échantillons."""
    a = torch.tensor(a0, dtype=X.dtype, device=X.device, requires_grad=True)
    losses = []
    for _ in tqdm(range(n_iter), disable=not progress):
        E = 0.0
        for k in range(len(X)):
            E = E + (f(X[k], Y[k], a) - ref[k]) ** 2
        losses.append(E.item())
        if E < tol:
            break
        E.backward()
        with torch.no_grad():
            a -= lr * a.grad
        a.grad.zero_()
    return a.item(), losses
'''


def _loop(body: str = _LOOP_BODY, rate: str = "0.05", *edits: tuple[str, str]) -> str:
    code = textwrap.dedent(body).strip("\n")
    for old, new in edits:
        assert code.count(old) == 1, (old, code)
        code = code.replace(old, new)
    return code + f"\n\n\nLEARNING_RATE = {rate}\n"


_BATCH_BODY = '''
def descend_batch(X, Y, ref, lr, n_iter=100, a0=0.0, tol=1e-6, progress=True):
    """Comme descend_loop, mais l'erreur est calculée sur tous les échantillons à la fois, sans boucle."""
    a = torch.tensor(a0, dtype=X.dtype, device=X.device, requires_grad=True)
    losses = []
    for _ in tqdm(range(n_iter), disable=not progress):
        E = ((f(X, Y, a) - ref) ** 2).sum()
        losses.append(E.item())
        if E < tol:
            break
        E.backward()
        with torch.no_grad():
            a -= lr * a.grad
        a.grad.zero_()
    return a.item(), losses
'''


def _batch(*edits: tuple[str, str]) -> str:
    code = textwrap.dedent(_BATCH_BODY).strip("\n")
    for old, new in edits:
        assert code.count(old) == 1, (old, code)
        code = code.replace(old, new)
    return code + "\n"


CORRECT = [
    # ----------------------------------------------------------------- to_float_tensor
    _v("tft_tensor_dtype", "to_float_tensor_code", '''
        def to_float_tensor(data):
            """Tenseur float32 (sur CPU) de même forme et de mêmes valeurs que `data`, sans mémoire partagée."""
            return torch.tensor(data, dtype=torch.float32)
    '''),
    _v("tft_as_tensor_clone", "to_float_tensor_code", '''
        def to_float_tensor(data):
            # as_tensor peut partager la mémoire d'un tableau float32 : clone() coupe le lien
            return torch.as_tensor(data, dtype=torch.float32, device="cpu").clone()
    '''),
    _v("tft_numpy_array_copy", "to_float_tensor_code", '''
        def to_float_tensor(data):
            tableau = np.array(data, dtype=np.float32)  # np.array copie toujours par défaut
            return torch.from_numpy(tableau)
    '''),
    _v("tft_asarray_astype", "to_float_tensor_code", '''
        def to_float_tensor(data):
            return torch.tensor(np.asarray(data).astype(np.float32))
    '''),
    _v("tft_tensor_then_to_prints", "to_float_tensor_code", '''
        def to_float_tensor(data):
            t = torch.tensor(data)
            print("to_float_tensor :", type(data).__name__, "->", t.dtype, tuple(t.shape))
            return t.to(torch.float32)
    '''),
    _v("tft_warns_float64", "to_float_tensor_code", '''
        import warnings


        def to_float_tensor(data):
            if isinstance(data, np.ndarray) and data.dtype == np.float64:
                warnings.warn("to_float_tensor : conversion float64 -> float32")
            return torch.tensor(data, dtype=torch.float32, device=torch.device("cpu"))
    '''),
    # ----------------------------------------------------------------- shape_of
    _v("shape_recursive", "shape_of_code", '''
        def shape_of(data):
            """Forme (tuple d'entiers) d'une liste rectangulaire imbriquée ; () pour un élément seul."""
            if not isinstance(data, (list, tuple)):
                return ()
            if len(data) == 0:
                return (0,)
            return (len(data),) + shape_of(data[0])
    '''),
    _v("shape_while_loop", "shape_of_code", '''
        def shape_of(data):
            dims = []
            while isinstance(data, (list, tuple)):
                dims.append(len(data))
                if not data:
                    break
                data = data[0]
            return tuple(dims)
    '''),
    _v("shape_star_unpack", "shape_of_code", '''
        def shape_of(data):
            if isinstance(data, (list, tuple)):
                return (len(data), *(shape_of(data[0]) if len(data) > 0 else ()))
            return ()
    '''),
    _v("shape_numpy_np_shape", "shape_of_code", '''
        def shape_of(data):
            # np.shape accepte aussi les chaînes (contrairement à torch.tensor)
            return tuple(int(n) for n in np.shape(data))
    '''),
    _v("shape_recursive_prints", "shape_of_code", '''
        def shape_of(data):
            if type(data) in (list, tuple):
                inner = shape_of(data[0]) if data else ()
                result = (len(data),) + inner
            else:
                result = ()
            print("shape_of ->", result)
            return result
    '''),
    # ----------------------------------------------------------------- to_python
    _v("topy_numel_item", "to_python_code", '''
        def to_python(t):
            """Nombre Python si t contient un seul élément, liste (imbriquée) sinon."""
            if t.numel() == 1:
                return t.item()
            return t.tolist()
    '''),
    _v("topy_detach_cpu_first", "to_python_code", '''
        def to_python(t):
            t = t.detach().cpu()
            return t.item() if t.nelement() == 1 else t.tolist()
    '''),
    _v("topy_math_prod_reshape", "to_python_code", '''
        import math


        def to_python(t):
            if math.prod(t.shape) == 1:
                return t.reshape(-1)[0].item()
            return t.tolist()
    '''),
    _v("topy_len_flatten_prints", "to_python_code", '''
        def to_python(t):
            flat = t.detach().flatten()
            print("to_python :", tuple(t.shape), t.dtype)
            if len(flat) == 1:
                return flat[0].item()
            return t.detach().tolist()
    '''),
    # ----------------------------------------------------------------- extract (4 functions)
    _v("extract_slices", "extract_code", _extract()),
    _v("extract_slice_objects", "extract_code", _extract(
        sub='''
        def sub_block(A, top, left, height, width):
            return A[slice(top, top + height), slice(left, left + width)]
        ''',
        even='''
        def even_rows_odd_columns(A):
            return A[0::2, 1::2]
        ''',
        pick='''
        def pick_rows(A, rows):
            return A[rows, :]
        ''',
        positive='''
        def positive_values(A):
            return A[A.gt(0)]
        ''')),
    _v("extract_explicit_bounds", "extract_code", _extract(
        sub='''
        def sub_block(A, top, left, height, width):
            bottom, right = top + height, left + width
            return A[top:bottom, left:right]
        ''',
        even='''
        def even_rows_odd_columns(A):
            n, m = A.shape
            return A[0:n:2, 1:m:2]
        ''',
        pick='''
        def pick_rows(A, rows):
            return A[torch.as_tensor(rows, dtype=torch.long)]
        ''',
        positive='''
        def positive_values(A):
            return A[torch.gt(A, 0)]
        ''')),
    _v("extract_prints", "extract_code", _extract(
        pick='''
        def pick_rows(A, rows):
            print("pick_rows :", rows)
            return A[list(rows)]
        ''',
        positive='''
        def positive_values(A):
            mask = A > 0
            print("positive_values :", int(mask.sum()), "élément(s)")
            return A[mask]
        ''')),
    # ----------------------------------------------------------------- assign (in place)
    _v("assign_slice_mask", "assign_code", _assign()),
    _v("assign_loop_clamp", "assign_code", _assign(
        fill='''
        def fill_even_columns(A, value):
            for j in range(0, A.shape[1], 2):
                A[:, j] = value
            return A
        ''',
        zero='''
        def zero_negatives(A):
            A.clamp_(min=0)
            return A
        ''')),
    _v("assign_fill_masked_fill", "assign_code", _assign(
        fill='''
        def fill_even_columns(A, value):
            A[:, 0::2].fill_(value)
            return A
        ''',
        zero='''
        def zero_negatives(A):
            A.masked_fill_(A < 0, 0)
            return A
        ''')),
    _v("assign_ellipsis_copy_where", "assign_code", _assign(
        fill='''
        def fill_even_columns(A, value):
            A[..., ::2] = value
            print("colonnes mises à", value, ":", list(range(0, A.shape[-1], 2)))
            return A
        ''',
        zero='''
        def zero_negatives(A):
            A.copy_(torch.where(A < 0, torch.zeros_like(A), A))
            return A
        ''')),
    # ----------------------------------------------------------------- shares_storage
    _v("share_untyped_storage", "shares_storage_code", '''
        def shares_storage(a, b):
            """True si les tenseurs a et b partagent le même stockage."""
            return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()
    '''),
    _v("share_old_storage_warns", "shares_storage_code", '''
        def shares_storage(a, b):
            # ancienne écriture : fonctionne, avec un avertissement d'obsolescence
            return bool(a.storage().data_ptr() == b.storage().data_ptr())
    '''),
    _v("share_generator_prints", "shares_storage_code", '''
        def shares_storage(a, b):
            pa, pb = (t.untyped_storage().data_ptr() for t in (a, b))
            print(f"stockages : {pa:#x} et {pb:#x}")
            return pa == pb
    '''),
    _v("share_difference_zero", "shares_storage_code", '''
        def shares_storage(a, b):
            ecart = a.untyped_storage().data_ptr() - b.untyped_storage().data_ptr()
            return ecart == 0
    '''),
    # ----------------------------------------------------------------- view_or_copy
    _v("voc_literal", "view_or_copy_code", "# Remplacez chaque ... par \"vue\", \"copie\" ou \"erreur\".\n" + _view_dict()),
    _v("voc_template_then_assign", "view_or_copy_code", '''
        VIEW_OR_COPY = {
            "v01": ...,  # T[1]
            "v02": ...,  # T[:, 1]
            "v03": ...,  # T[1:, ::2]
            "v04": ...,  # T[[0, 2]]
            "v05": ...,  # T[T > 5]
            "v06": ...,  # T.reshape(4, 3)
            "v07": ...,  # T.t()
            "v08": ...,  # T.t().reshape(12)
            "v09": ...,  # T.t().view(12)
            "v10": ...,  # T[:, 1:3].reshape(-1)
            "v11": ...,  # T.clone()
            "v12": ...,  # T.detach()
        }
        for key in ["v01", "v02", "v03", "v06", "v07", "v12"]:
            VIEW_OR_COPY[key] = "vue"
        for key in ["v04", "v05", "v08", "v10", "v11"]:
            VIEW_OR_COPY[key] = "copie"
        VIEW_OR_COPY["v09"] = "erreur"
    '''),
    _v("voc_computed_with_storage", "view_or_copy_code", '''
        # Prédictions faites d'abord, puis vérifiées en code :
        _T = torch.arange(12.0).reshape(3, 4)
        _expressions = {
            "v01": lambda: _T[1], "v02": lambda: _T[:, 1], "v03": lambda: _T[1:, ::2],
            "v04": lambda: _T[[0, 2]], "v05": lambda: _T[_T > 5], "v06": lambda: _T.reshape(4, 3),
            "v07": lambda: _T.t(), "v08": lambda: _T.t().reshape(12), "v09": lambda: _T.t().view(12),
            "v10": lambda: _T[:, 1:3].reshape(-1), "v11": lambda: _T.clone(), "v12": lambda: _T.detach(),
        }
        VIEW_OR_COPY = {}
        for _key, _expression in _expressions.items():
            try:
                _result = _expression()
            except RuntimeError:
                VIEW_OR_COPY[_key] = "erreur"
            else:
                _same = _result.untyped_storage().data_ptr() == _T.untyped_storage().data_ptr()
                VIEW_OR_COPY[_key] = "vue" if _same else "copie"
        print(VIEW_OR_COPY)
    '''),
    _v("voc_dict_constants", "view_or_copy_code", '''
        VUE, COPIE, ERREUR = "vue", "copie", "erreur"
        VIEW_OR_COPY = dict(
            v01=VUE, v02=VUE, v03=VUE, v04=COPIE, v05=COPIE, v06=VUE,
            v07=VUE, v08=COPIE, v09=ERREUR, v10=COPIE, v11=COPIE, v12=VUE,
        )
    '''),
    # ----------------------------------------------------------------- snapshot
    _v("snap_detach_clone", "snapshot_code", '''
        def snapshot(t):
            """Copie des valeurs de t, indépendante de t et hors du graphe de calcul."""
            return t.detach().clone()
    '''),
    _v("snap_clone_detach", "snapshot_code", '''
        def snapshot(t):
            return t.clone().detach()
    '''),
    _v("snap_no_grad_clone", "snapshot_code", '''
        def snapshot(t):
            with torch.no_grad():
                return t.clone()
    '''),
    _v("snap_new_tensor_warns", "snapshot_code", '''
        def snapshot(t):
            # new_tensor copie toujours et ne garde pas le graphe (PyTorch affiche un avertissement)
            return t.new_tensor(t)
    '''),
    _v("snap_empty_like_copy", "snapshot_code", '''
        def snapshot(t):
            copie = torch.empty_like(t, requires_grad=False)
            copie.copy_(t.detach())
            return copie
    '''),
    _v("snap_torch_clone_prints", "snapshot_code", '''
        def snapshot(t):
            s = torch.clone(t.detach())
            print("snapshot :", tuple(s.shape), s.dtype, s.device)
            return s
    '''),
    # ----------------------------------------------------------------- broadcast_shape
    _v("bshape_pad_and_zip", "broadcast_shape_code", '''
        def broadcast_shape(shape_a, shape_b):
            """Forme de A + B ; ValueError si les formes sont incompatibles."""
            a, b = list(shape_a), list(shape_b)
            n = max(len(a), len(b))
            a = [1] * (n - len(a)) + a
            b = [1] * (n - len(b)) + b
            result = []
            for x, y in zip(a, b):
                if x == 1:
                    result.append(int(y))
                elif y == 1 or x == y:
                    result.append(int(x))
                else:
                    raise ValueError(f"formes incompatibles : {tuple(shape_a)} et {tuple(shape_b)}")
            return tuple(result)
    '''),
    _v("bshape_zip_longest_reversed", "broadcast_shape_code", '''
        from itertools import zip_longest


        def broadcast_shape(shape_a, shape_b):
            sizes = []
            for x, y in zip_longest(reversed(tuple(shape_a)), reversed(tuple(shape_b)), fillvalue=1):
                if x != y and x != 1 and y != 1:
                    raise ValueError(f"broadcast impossible entre {tuple(shape_a)} et {tuple(shape_b)} ({x} ≠ {y})")
                sizes.append(y if x == 1 else x)
            return tuple(int(s) for s in reversed(sizes))
    '''),
    _v("bshape_negative_index", "broadcast_shape_code", '''
        def broadcast_shape(shape_a, shape_b):
            n = max(len(shape_a), len(shape_b))
            out = [0] * n
            for k in range(1, n + 1):
                x = shape_a[-k] if k <= len(shape_a) else 1
                y = shape_b[-k] if k <= len(shape_b) else 1
                if x == y or y == 1:
                    out[n - k] = int(x)
                elif x == 1:
                    out[n - k] = int(y)
                else:
                    raise ValueError(f"{shape_a} et {shape_b} ne sont pas compatibles")
            return tuple(out)
    '''),
    _v("bshape_recursive", "broadcast_shape_code", '''
        def broadcast_shape(shape_a, shape_b):
            a, b = tuple(int(s) for s in shape_a), tuple(int(s) for s in shape_b)

            def rec(x, y):
                if not x:
                    return y
                if not y:
                    return x
                u, v = x[-1], y[-1]
                if u != v and u != 1 and v != 1:
                    raise ValueError(f"formes {list(a)} et {list(b)} incompatibles")
                return rec(x[:-1], y[:-1]) + ((v if u == 1 else u),)

            return rec(a, b)
    '''),
    _v("bshape_prints_debug", "broadcast_shape_code", '''
        def broadcast_shape(shape_a, shape_b):
            n = max(len(shape_a), len(shape_b))
            a = (1,) * (n - len(shape_a)) + tuple(shape_a)
            b = (1,) * (n - len(shape_b)) + tuple(shape_b)
            print("alignées :", a, b)
            for x, y in zip(a, b):
                if not (x == y or x == 1 or y == 1):
                    raise ValueError("formes incompatibles : " + str(tuple(shape_a)) + " et " + str(tuple(shape_b)))
            return tuple(int(y) if x == 1 else int(x) for x, y in zip(a, b))
    '''),
    # ----------------------------------------------------------------- broadcast_add
    _v("badd_product_alpha_beta", "broadcast_add_code", '''
        import itertools


        def broadcast_add(A, B):
            """A + B avec broadcasting, calculé élément par élément par des boucles Python (1 à 3 dimensions)."""
            shape = broadcast_shape(A.shape, B.shape)
            n = len(shape)
            A2 = A.reshape((1,) * (n - A.dim()) + tuple(A.shape))
            B2 = B.reshape((1,) * (n - B.dim()) + tuple(B.shape))
            C = torch.empty(shape, dtype=torch.result_type(A, B), device=A.device)
            for idx in itertools.product(*(range(s) for s in shape)):
                alpha = tuple(0 if A2.shape[k] == 1 else idx[k] for k in range(n))
                beta = tuple(0 if B2.shape[k] == 1 else idx[k] for k in range(n))
                C[idx] = A2[alpha] + B2[beta]
            return C
    '''),
    _v("badd_ndindex_modulo", "broadcast_add_code", '''
        import itertools


        def broadcast_add(A, B):
            shape = broadcast_shape(tuple(A.shape), tuple(B.shape))
            n = len(shape)
            A2 = A.reshape([1] * (n - A.ndim) + list(A.shape))
            B2 = B.reshape([1] * (n - B.ndim) + list(B.shape))
            C = torch.zeros(shape, dtype=torch.result_type(A, B), device=A.device)
            for idx in np.ndindex(*shape):
                # i % 1 = 0 sur une dimension de taille 1, i % s = i sinon
                alpha = tuple(i % a for i, a in zip(idx, A2.shape))
                beta = tuple(i % b for i, b in zip(idx, B2.shape))
                C[idx] = A2[alpha] + B2[beta]
            return C
    '''),
    _v("badd_flat_unravel", "broadcast_add_code", '''
        import itertools
        import math


        def broadcast_add(A, B):
            shape = broadcast_shape(A.shape, B.shape)
            n = len(shape)
            A2 = A.reshape((1,) * (n - A.dim()) + tuple(A.shape))
            B2 = B.reshape((1,) * (n - B.dim()) + tuple(B.shape))
            C = A.new_zeros(shape, dtype=torch.result_type(A, B))
            for flat in range(math.prod(shape)):
                idx, rest = [], flat
                for s in reversed(shape):
                    rest, i = divmod(rest, s)
                    idx.append(i)
                idx = tuple(reversed(idx))
                alpha = tuple(min(i, a - 1) for i, a in zip(idx, A2.shape))
                beta = tuple(min(i, b - 1) for i, b in zip(idx, B2.shape))
                C[idx] = torch.add(A2[alpha], B2[beta])
            return C
    '''),
    _v("badd_nested_helper_prints", "broadcast_add_code", '''
        import itertools


        def _pad(t, n):
            return t.reshape(*([1] * (n - t.dim())), *t.shape)


        def broadcast_add(A, B):
            shape = tuple(broadcast_shape(A.shape, B.shape))
            A2, B2 = _pad(A, len(shape)), _pad(B, len(shape))
            print("broadcast_add :", tuple(A.shape), "+", tuple(B.shape), "->", shape)
            result = torch.empty(shape, dtype=torch.result_type(A, B), device=A.device)
            for idx in itertools.product(*[range(s) for s in shape]):
                alpha, beta = [], []
                for k, i in enumerate(idx):
                    alpha.append(0 if A2.shape[k] == 1 else i)
                    beta.append(0 if B2.shape[k] == 1 else i)
                result[idx] = A2[tuple(alpha)] + B2[tuple(beta)]
            return result
    '''),
    # ----------------------------------------------------------------- predicted_shapes
    _v("pshape_literal", "predicted_shapes_code", _shape_dict()),
    _v("pshape_template_update", "predicted_shapes_code", '''
        PREDICTED_SHAPES = {
            "s01": ...,  # zeros(3, 4) + zeros(4)
            "s02": ...,  # zeros(3, 4) + zeros(3)
            "s03": ...,  # zeros(4, 1) + zeros(1, 3)
            "s04": ...,  # zeros(4, 1) + zeros(3)
            "s05": ...,  # zeros(3) + zeros(3, 1)
            "s06": ...,  # zeros(1, 1, 4) + zeros(3, 2, 1)
            "s07": ...,  # zeros(1, 1, 4) + zeros(1, 3)
            "s08": ...,  # zeros(5, 1, 3) + zeros(4, 1)
            "s09": ...,  # zeros(2, 1, 3) + zeros(2, 3)
            "s10": ...,  # tensor(2.0) + tensor(3.0)
            "s11": ...,  # zeros(0, 3) + zeros(1)
            "s12": ...,  # zeros(0, 3) + zeros(2, 1)
            "s13": ...,  # A + B_3d
            "s14": ...,  # A + B_2d
            "s15": ...,  # X - X.mean(dim=1)
            "s16": ...,  # X - X.mean(dim=1, keepdim=True)
        }
        PREDICTED_SHAPES.update({
            "s01": (3, 4), "s02": None, "s03": (4, 3), "s04": (4, 3),
            "s05": (3, 3), "s06": (3, 2, 4), "s07": None, "s08": (5, 4, 3),
        })
        PREDICTED_SHAPES.update(s09=(2, 2, 3), s10=(), s11=(0, 3), s12=None,
                                s13=(3, 3, 3), s14=(3, 3), s15=None, s16=(4, 3))
    '''),
    _v("pshape_dict_call_tuple_builtin", "predicted_shapes_code", '''
        ERREUR = None
        PREDICTED_SHAPES = dict(
            s01=tuple([3, 4]), s02=ERREUR, s03=(4, 3,), s04=(4, 3), s05=(3, 3), s06=(3, 2, 4),
            s07=ERREUR, s08=(5, 4, 3), s09=(2, 2, 3), s10=tuple(), s11=(0, 3), s12=ERREUR,
            s13=(3,) * 3, s14=(3, 3), s15=ERREUR, s16=(4, 3),
        )
        print(PREDICTED_SHAPES)
    '''),
    # ----------------------------------------------------------------- neuron_relu
    _v("neuron_reshape_relu", "neuron_relu_code", '''
        def neuron_relu(layer, xs):
            """ReLU(layer(x)) pour chacune des N abscisses de xs, en un seul appel de layer ; forme (N,)."""
            return torch.relu(layer(xs.reshape(-1, 1))).reshape(-1)
    '''),
    _v("neuron_unsqueeze_squeeze1", "neuron_relu_code", '''
        def neuron_relu(layer, xs):
            return layer(xs.unsqueeze(1)).squeeze(1).relu()
    '''),
    _v("neuron_none_index_functional", "neuron_relu_code", '''
        import torch.nn.functional as F


        def neuron_relu(layer, xs):
            return F.relu(layer(xs[:, None]))[:, 0]
    '''),
    _v("neuron_view_clamp_flatten", "neuron_relu_code", '''
        def neuron_relu(layer, xs):
            lot = xs.reshape(len(xs), 1)
            return layer(lot).clamp(min=0).flatten()
    '''),
    _v("neuron_maximum_prints", "neuron_relu_code", '''
        def neuron_relu(layer, xs):
            out = layer(xs[..., None])
            print("neuron_relu : entrée", tuple(xs.shape), "sortie de la couche", tuple(out.shape))
            return torch.maximum(out, torch.zeros_like(out)).view(-1)
    '''),
    # ----------------------------------------------------------------- two_layer_net
    _v("net_reshape_relu", "two_layer_net_code", '''
        def two_layer_net(layer1, layer2, xs):
            """layer2(ReLU(layer1(x))) pour chacune des N abscisses de xs, sans boucle ; forme (N,)."""
            return layer2(torch.relu(layer1(xs.reshape(-1, 1)))).reshape(-1)
    '''),
    _v("net_unsqueeze_steps", "two_layer_net_code", '''
        def two_layer_net(layer1, layer2, xs):
            h = layer1(xs.unsqueeze(-1)).relu()   # (N, 3)
            y = layer2(h)                         # (N, 1)
            return y.squeeze(-1)
    '''),
    _v("net_functional_index", "two_layer_net_code", '''
        import torch.nn.functional as F


        def two_layer_net(layer1, layer2, xs):
            return layer2(F.relu(layer1(xs[:, None])))[:, 0]
    '''),
    _v("net_sequential", "two_layer_net_code", '''
        def two_layer_net(layer1, layer2, xs):
            net = torch.nn.Sequential(layer1, torch.nn.ReLU(), layer2)
            return net(xs.view(-1, 1)).view(-1)
    '''),
    _v("net_clamp_flatten_prints", "two_layer_net_code", '''
        def two_layer_net(layer1, layer2, xs):
            h = layer1(xs.reshape(len(xs), 1)).clamp(min=0)
            print("two_layer_net : h", tuple(h.shape))
            return layer2(h).flatten()
    '''),
    # ----------------------------------------------------------------- second_layer_input
    _v("second_literal", "second_layer_input_code", '''
        SECOND_LAYER_INPUT_SHAPE = (200, 3)
    '''),
    _v("second_tuple_list", "second_layer_input_code", '''
        # 200 abscisses, 3 neurones dans la première couche
        SECOND_LAYER_INPUT_SHAPE = tuple([200, 3])
    '''),
    _v("second_from_sizes", "second_layer_input_code", '''
        SECOND_LAYER_INPUT_SHAPE = (len(torch.linspace(-3, 3, 200)), torch.nn.Linear(3, 1).in_features)
        print(SECOND_LAYER_INPUT_SHAPE)
    '''),
    # ----------------------------------------------------------------- f
    _v("f_clamp", "f_code", '''
        def f(x, y, a):
            """min(a |x - y|, 1), élément par élément, dérivable par rapport à a."""
            return torch.clamp(a * torch.abs(x - y), max=1.0)
    '''),
    _v("f_minimum_ones_like", "f_code", '''
        def f(x, y, a):
            v = a * (x - y).abs()
            return torch.minimum(v, torch.ones_like(v))
    '''),
    _v("f_method_clamp_max", "f_code", '''
        def f(x, y, a):
            return (torch.abs(y - x) * a).clamp_max(1)
    '''),
    _v("f_where_prints", "f_code", '''
        def f(x, y, a):
            v = a * torch.abs(x - y)
            print("f : a =", float(a))
            return torch.where(v > 1, torch.ones_like(v), v)
    '''),
    # ----------------------------------------------------------------- descend_loop (+ LEARNING_RATE)
    _v("loop_basic_lr005", "descend_loop_code", _loop()),
    _v("loop_zip_sum_lr01", "descend_loop_code", '''
        def descend_loop(X, Y, ref, lr, n_iter=100, a0=0.0, tol=1e-6, progress=True):
            a = torch.tensor(float(a0), dtype=X.dtype, device=X.device, requires_grad=True)
            losses = []
            for t in tqdm(range(n_iter), disable=not progress):
                E = sum((f(x, y, a) - r) ** 2 for x, y, r in zip(X, Y, ref))
                losses.append(float(E.item()))
                if E.item() < tol:
                    break
                E.backward()
                with torch.no_grad():
                    a.sub_(lr * a.grad)
                    a.grad.zero_()
            return float(a.item()), losses


        LEARNING_RATE = 0.1
    '''),
    _v("loop_new_tensor_data_update_lr001", "descend_loop_code", '''
        def descend_loop(X, Y, ref, lr, n_iter=100, a0=0.0, tol=1e-6, progress=True):
            a = X.new_tensor(a0).requires_grad_()
            losses = []
            for _ in tqdm(range(n_iter), disable=not progress):
                E = torch.zeros((), dtype=X.dtype, device=X.device)
                for k in range(X.shape[0]):
                    E = E + torch.square(f(X[k], Y[k], a) - ref[k])
                losses.append(E.item())
                if E.item() < tol:
                    break
                E.backward()
                a.data = a.data - lr * a.grad.data   # mise à jour hors du graphe
                a.grad = None                        # remet le gradient à zéro
            return a.item(), losses


        LEARNING_RATE = 0.01  # 78 itérations : moins de 100
    '''),
    _v("loop_zero_grad_first_return_inside", "descend_loop_code", '''
        def descend_loop(X, Y, ref, lr, n_iter=100, a0=0.0, tol=1e-6, progress=True):
            a = torch.full((), a0, dtype=X.dtype, device=X.device, requires_grad=True)
            losses = []
            for _ in tqdm(range(n_iter), disable=not progress):
                if a.grad is not None:
                    a.grad.zero_()
                E = 0
                for x, y, r in zip(X, Y, ref):
                    E += (f(x, y, a) - r) ** 2
                losses.append(E.item())
                if E < tol:
                    return a.item(), losses
                E.backward()
                with torch.no_grad():
                    a.copy_(a - lr * a.grad)
            return a.item(), losses


        LEARNING_RATE = 1.0
    '''),
    _v("loop_sgd_optimizer_lr003", "descend_loop_code", '''
        def descend_loop(X, Y, ref, lr, n_iter=100, a0=0.0, tol=1e-6, progress=True):
            a = torch.tensor(a0, dtype=X.dtype, device=X.device, requires_grad=True)
            optimizer = torch.optim.SGD([a], lr=lr)  # pas fixe, sans inertie : a <- a - lr * a.grad
            losses = []
            for _ in tqdm(range(n_iter), disable=not progress):
                E = 0.0
                for k in range(len(X)):
                    E = E + (f(X[k], Y[k], a) - ref[k]) ** 2
                losses.append(E.item())
                if E < tol:
                    break
                E.backward()
                optimizer.step()
                optimizer.zero_grad()
            return a.item(), losses


        LEARNING_RATE = 0.03
    '''),
    _v("loop_prints_and_warns_lr002", "descend_loop_code", '''
        import warnings


        def descend_loop(X, Y, ref, lr, n_iter=100, a0=0.0, tol=1e-6, progress=True):
            a = torch.tensor(a0, dtype=X.dtype, device=X.device, requires_grad=True)
            losses = []
            bar = tqdm(range(n_iter), disable=not progress)
            for t in bar:
                E = 0.0
                for k in range(len(X)):
                    E = E + (f(X[k], Y[k], a) - ref[k]) ** 2
                losses.append(E.item())
                if t % 20 == 0:
                    print(f"itération {t + 1} : E = {E.item():.4g}, a = {a.item():.4f}")
                if E < tol:
                    break
                E.backward()
                with torch.no_grad():
                    a -= lr * a.grad
                a.grad.zero_()
            if losses and losses[-1] >= tol:
                warnings.warn(f"pas de convergence en {n_iter} itérations (E = {losses[-1]:.3g})")
            return float(a), losses   # float(a) : PyTorch avertit (requires_grad), la valeur est la même


        LEARNING_RATE = 0.02
    '''),
    # ----------------------------------------------------------------- descend_batch
    _v("batch_sum", "descend_batch_code", _batch()),
    _v("batch_torch_sum_square_grad_none", "descend_batch_code", _batch(
        ("E = ((f(X, Y, a) - ref) ** 2).sum()", "E = torch.sum(torch.square(f(X, Y, a) - ref))"),
        ("with torch.no_grad():\n            a -= lr * a.grad\n        a.grad.zero_()",
         "with torch.no_grad():\n            a.sub_(lr * a.grad)\n        a.grad = None"))),
    _v("batch_mse_loss_sum", "descend_batch_code", '''
        import torch.nn.functional as F


        def descend_batch(X, Y, ref, lr, n_iter=100, a0=0.0, tol=1e-6, progress=True):
            a = X.new_tensor(a0).requires_grad_(True)
            losses = []
            for _ in tqdm(range(n_iter), disable=not progress):
                E = F.mse_loss(f(X, Y, a), ref, reduction="sum")
                losses.append(E.item())
                if E.item() < tol:
                    break
                E.backward()
                with torch.no_grad():
                    a -= lr * a.grad
                    a.grad.zero_()
            return a.item(), losses
    '''),
    _v("batch_product_sgd", "descend_batch_code", '''
        def descend_batch(X, Y, ref, lr, n_iter=100, a0=0.0, tol=1e-6, progress=True):
            a = torch.full((), float(a0), dtype=X.dtype, device=X.device, requires_grad=True)
            optimizer = torch.optim.SGD([a], lr=lr)
            losses = []
            for _ in tqdm(range(n_iter), disable=not progress):
                optimizer.zero_grad()
                d = f(X, Y, a) - ref
                E = (d * d).sum()
                losses.append(E.item())
                if E < tol:
                    break
                E.backward()
                optimizer.step()
            return a.item(), losses
    '''),
    _v("batch_prints_return_inside", "descend_batch_code", '''
        def descend_batch(X, Y, ref, lr, n_iter=100, a0=0.0, tol=1e-6, progress=True):
            a = torch.tensor(a0, dtype=X.dtype, device=X.device, requires_grad=True)
            losses = []
            for t in tqdm(range(n_iter), disable=not progress):
                E = (f(X, Y, a) - ref).pow(2).sum()
                losses.append(E.item())
                print(f"t = {t + 1}, E = {losses[-1]:.5f}")
                if E < tol:
                    return a.item(), losses
                E.backward()
                with torch.no_grad():
                    a.copy_(a - lr * a.grad)
                a.grad.zero_()
            return a.item(), losses
    '''),
]


WRONG = [
    # ----------------------------------------------------------------- to_float_tensor
    _v("tft_as_tensor_shares_memory", "to_float_tensor_code", '''
        def to_float_tensor(data):
            return torch.as_tensor(data, dtype=torch.float32)  # partage la mémoire d'un tableau float32
    '''),
    _v("tft_no_dtype", "to_float_tensor_code", '''
        def to_float_tensor(data):
            return torch.tensor(data)
    '''),
    _v("tft_float_tensor_constructor", "to_float_tensor_code", '''
        def to_float_tensor(data):
            return torch.FloatTensor(data)  # FloatTensor(3) : trois valeurs non initialisées
    '''),
    _v("tft_int_cast_truncates", "to_float_tensor_code", '''
        def to_float_tensor(data):
            return torch.tensor(np.array(data), dtype=torch.int64).float()
    '''),
    _v("tft_squeeze_drops_size1", "to_float_tensor_code", '''
        def to_float_tensor(data):
            return torch.tensor(data, dtype=torch.float32).squeeze()
    '''),
    _v("tft_float64", "to_float_tensor_code", '''
        def to_float_tensor(data):
            return torch.tensor(data, dtype=torch.float64)
    '''),
    _v("tft_hardcoded_visible", "to_float_tensor_code", '''
        def to_float_tensor(data):
            if data == 3:
                return torch.tensor(3.0)
            return torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    '''),
    # ----------------------------------------------------------------- shape_of
    _v("shape_strings_are_levels", "shape_of_code", '''
        def shape_of(data):
            if not hasattr(data, "__len__"):
                return ()
            if len(data) == 0:
                return (0,)
            return (len(data),) + shape_of(data[0])
    '''),
    _v("shape_empty_gives_scalar", "shape_of_code", '''
        def shape_of(data):
            if not isinstance(data, (list, tuple)) or not data:
                return ()
            return (len(data),) + shape_of(data[0])
    '''),
    _v("shape_lists_only", "shape_of_code", '''
        def shape_of(data):
            if isinstance(data, list):
                return (len(data),) + (shape_of(data[0]) if data else ())
            return ()
    '''),
    _v("shape_returns_list", "shape_of_code", '''
        def shape_of(data):
            dims = []
            while isinstance(data, (list, tuple)):
                dims.append(len(data))
                if not data:
                    break
                data = data[0]
            return dims
    '''),
    _v("shape_torch_tensor", "shape_of_code", '''
        def shape_of(data):
            try:
                return tuple(torch.tensor(data).shape)
            except (TypeError, ValueError):
                return (len(data), len(data[0]))
    '''),
    # ----------------------------------------------------------------- to_python
    _v("topy_dim_zero_only", "to_python_code", '''
        def to_python(t):
            if t.dim() == 0:
                return t.item()
            return t.tolist()
    '''),
    _v("topy_squeeze_tolist", "to_python_code", '''
        def to_python(t):
            return t.squeeze().tolist()
    '''),
    _v("topy_float_for_ints", "to_python_code", '''
        def to_python(t):
            if t.numel() == 1:
                return float(t)
            return t.tolist()
    '''),
    _v("topy_numpy_fails_grad", "to_python_code", '''
        def to_python(t):
            array = t.cpu().numpy()
            return array.item() if array.size == 1 else array.tolist()
    '''),
    _v("topy_empty_calls_item", "to_python_code", '''
        def to_python(t):
            if t.numel() <= 1:
                return t.item()
            return t.tolist()
    '''),
    _v("topy_flatten_list", "to_python_code", '''
        def to_python(t):
            flat = t.flatten().tolist()
            return flat[0] if len(flat) == 1 else flat
    '''),
    # ----------------------------------------------------------------- extract
    _v("extract_sub_block_swapped_sizes", "extract_code", _extract(sub='''
        def sub_block(A, top, left, height, width):
            return A[top:top + width, left:left + height]
        ''')),
    _v("extract_even_rows_drop_last", "extract_code", _extract(even='''
        def even_rows_odd_columns(A):
            return A[:-1:2, 1::2]
        ''')),
    _v("extract_even_odd_swapped", "extract_code", _extract(even='''
        def even_rows_odd_columns(A):
            return A[1::2, ::2]
        ''')),
    _v("extract_pick_index_select_negative", "extract_code", _extract(pick='''
        def pick_rows(A, rows):
            return A.index_select(0, torch.tensor(rows))
        ''')),
    _v("extract_pick_sorted_unique", "extract_code", _extract(pick='''
        def pick_rows(A, rows):
            return A[sorted(set(rows))]
        ''')),
    _v("extract_positive_column_order", "extract_code", _extract(positive='''
        def positive_values(A):
            return A.T[A.T > 0]
        ''')),
    _v("extract_positive_non_strict", "extract_code", _extract(positive='''
        def positive_values(A):
            return A[A >= 0]
        ''')),
    _v("extract_positive_python_loop", "extract_code", _extract(positive='''
        def positive_values(A):
            return torch.tensor([v for v in A.flatten().tolist() if v > 0])
        ''')),
    # ----------------------------------------------------------------- assign
    _v("assign_fill_returns_copy", "assign_code", _assign(fill='''
        def fill_even_columns(A, value):
            B = A.clone()
            B[:, ::2] = value
            return B
        ''')),
    _v("assign_fill_misses_last_column", "assign_code", _assign(fill='''
        def fill_even_columns(A, value):
            for j in range(0, A.shape[1] - 1, 2):
                A[:, j] = value
            return A
        ''')),
    _v("assign_fill_odd_columns", "assign_code", _assign(fill='''
        def fill_even_columns(A, value):
            A[:, 1::2] = value
            return A
        ''')),
    _v("assign_zero_clamp_not_in_place", "assign_code", _assign(zero='''
        def zero_negatives(A):
            A = torch.clamp(A, min=0)
            return A
        ''')),
    _v("assign_zero_reshape_copy", "assign_code", _assign(zero='''
        def zero_negatives(A):
            flat = A.reshape(-1)   # une copie si A n'est pas contigu
            flat[flat < 0] = 0
            return A
        ''')),
    _v("assign_zero_abs", "assign_code", _assign(zero='''
        def zero_negatives(A):
            A.abs_()
            return A
        ''')),
    # ----------------------------------------------------------------- shares_storage
    _v("share_data_ptr", "shares_storage_code", '''
        def shares_storage(a, b):
            return a.data_ptr() == b.data_ptr()
    '''),
    _v("share_address_range", "shares_storage_code", '''
        def shares_storage(a, b):
            start = a.data_ptr()
            end = start + a.numel() * a.element_size()
            return start <= b.data_ptr() < end
    '''),
    _v("share_base_identity", "shares_storage_code", '''
        def shares_storage(a, b):
            root_a = a._base if a._base is not None else a
            root_b = b._base if b._base is not None else b
            return root_a is root_b
    '''),
    _v("share_shape_cheat", "shares_storage_code", '''
        def shares_storage(a, b):
            return a.shape != b.shape
    '''),
    _v("share_returns_tensor", "shares_storage_code", '''
        def shares_storage(a, b):
            return torch.tensor(a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr())
    '''),
    _v("share_equal_values", "shares_storage_code", '''
        def shares_storage(a, b):
            return a.shape == b.shape and bool(torch.equal(a, b))
    '''),
    # ----------------------------------------------------------------- view_or_copy
    _v("voc_reshape_always_view", "view_or_copy_code", _view_dict(v08="vue", v10="vue")),
    _v("voc_view_copies", "view_or_copy_code", _view_dict(v09="copie")),
    _v("voc_detach_copies", "view_or_copy_code", _view_dict(v12="copie")),
    _v("voc_index_list_views", "view_or_copy_code", _view_dict(v04="vue", v05="vue")),
    _v("voc_transpose_copies", "view_or_copy_code", _view_dict(v07="copie", v06="copie")),
    _v("voc_all_vue", "view_or_copy_code", '''
        VIEW_OR_COPY = {f"v{k:02d}": "vue" for k in range(1, 13)}
    '''),
    # ----------------------------------------------------------------- snapshot
    _v("snap_detach_only", "snapshot_code", '''
        def snapshot(t):
            return t.detach()
    '''),
    _v("snap_clone_only", "snapshot_code", '''
        def snapshot(t):
            return t.clone()
    '''),
    _v("snap_contiguous_no_copy", "snapshot_code", '''
        def snapshot(t):
            return t.detach().contiguous()
    '''),
    _v("snap_data_view", "snapshot_code", '''
        def snapshot(t):
            return t.data
    '''),
    _v("snap_tolist_loses_dtype", "snapshot_code", '''
        def snapshot(t):
            return torch.tensor(t.tolist())
    '''),
    _v("snap_numpy_array", "snapshot_code", '''
        def snapshot(t):
            return t.detach().cpu().numpy().copy()
    '''),
    _v("snap_mutates_requires_grad", "snapshot_code", '''
        def snapshot(t):
            t.requires_grad_(False)   # modifie le tenseur de l'appelant (et échoue sur un tenseur non feuille)
            return t.clone()
    '''),
    _v("snap_deepcopy_keeps_grad", "snapshot_code", '''
        import copy


        def snapshot(t):
            return copy.deepcopy(t)
    '''),
    # ----------------------------------------------------------------- broadcast_shape
    _v("bshape_max_rule", "broadcast_shape_code", '''
        def broadcast_shape(shape_a, shape_b):
            n = max(len(shape_a), len(shape_b))
            a = (1,) * (n - len(shape_a)) + tuple(shape_a)
            b = (1,) * (n - len(shape_b)) + tuple(shape_b)
            out = []
            for x, y in zip(a, b):
                if x != y and 1 not in (x, y):
                    raise ValueError(f"formes incompatibles : {tuple(shape_a)} et {tuple(shape_b)}")
                out.append(max(x, y))
            return tuple(out)
    '''),
    _v("bshape_zero_acts_as_one", "broadcast_shape_code", '''
        def broadcast_shape(shape_a, shape_b):
            n = max(len(shape_a), len(shape_b))
            a = (0,) * (n - len(shape_a)) + tuple(shape_a)
            b = (0,) * (n - len(shape_b)) + tuple(shape_b)
            out = []
            for x, y in zip(a, b):
                if x == y or x in (0, 1) or y in (0, 1):
                    out.append(max(x, y))
                else:
                    raise ValueError(f"formes incompatibles : {tuple(shape_a)} et {tuple(shape_b)}")
            return tuple(out)
    '''),
    _v("bshape_left_aligned", "broadcast_shape_code", '''
        from itertools import zip_longest


        def broadcast_shape(shape_a, shape_b):
            out = []
            for x, y in zip_longest(shape_a, shape_b, fillvalue=1):
                if x != y and x != 1 and y != 1:
                    raise ValueError(f"formes incompatibles : {tuple(shape_a)} et {tuple(shape_b)}")
                out.append(y if x == 1 else x)
            return tuple(out)
    '''),
    _v("bshape_wrong_exception", "broadcast_shape_code", '''
        def broadcast_shape(shape_a, shape_b):
            n = max(len(shape_a), len(shape_b))
            a = (1,) * (n - len(shape_a)) + tuple(shape_a)
            b = (1,) * (n - len(shape_b)) + tuple(shape_b)
            out = []
            for x, y in zip(a, b):
                assert x == y or x == 1 or y == 1, f"formes incompatibles : {tuple(shape_a)} et {tuple(shape_b)}"
                out.append(y if x == 1 else x)
            return tuple(out)
    '''),
    _v("bshape_message_without_shapes", "broadcast_shape_code", '''
        def broadcast_shape(shape_a, shape_b):
            n = max(len(shape_a), len(shape_b))
            a = (1,) * (n - len(shape_a)) + tuple(shape_a)
            b = (1,) * (n - len(shape_b)) + tuple(shape_b)
            out = []
            for x, y in zip(a, b):
                if not (x == y or x == 1 or y == 1):
                    raise ValueError("formes incompatibles")
                out.append(y if x == 1 else x)
            return tuple(out)
    '''),
    _v("bshape_returns_list", "broadcast_shape_code", '''
        def broadcast_shape(shape_a, shape_b):
            n = max(len(shape_a), len(shape_b))
            a = [1] * (n - len(shape_a)) + list(shape_a)
            b = [1] * (n - len(shape_b)) + list(shape_b)
            out = []
            for x, y in zip(a, b):
                if not (x == y or x == 1 or y == 1):
                    raise ValueError(f"formes incompatibles : {a} et {b}")
                out.append(y if x == 1 else x)
            return out
    '''),
    _v("bshape_torch_broadcast_shapes_wrapped", "broadcast_shape_code", '''
        def broadcast_shape(shape_a, shape_b):
            try:
                return tuple(torch.broadcast_shapes(tuple(shape_a), tuple(shape_b)))
            except RuntimeError as error:
                raise ValueError(f"formes incompatibles : {tuple(shape_a)} et {tuple(shape_b)}") from error
    '''),
    _v("bshape_broadcast_tensors", "broadcast_shape_code", '''
        def broadcast_shape(shape_a, shape_b):
            try:
                a, _ = torch.broadcast_tensors(torch.empty(tuple(shape_a)), torch.empty(tuple(shape_b)))
            except RuntimeError:
                raise ValueError(f"formes incompatibles : {tuple(shape_a)} et {tuple(shape_b)}")
            return tuple(a.shape)
    '''),
    _v("bshape_numpy_broadcast_shapes", "broadcast_shape_code", '''
        def broadcast_shape(shape_a, shape_b):
            try:
                return tuple(int(s) for s in np.broadcast_shapes(tuple(shape_a), tuple(shape_b)))
            except ValueError:
                raise ValueError(f"formes incompatibles : {tuple(shape_a)} et {tuple(shape_b)}")
    '''),
    _v("bshape_globals_ref_scan", "broadcast_shape_code", '''
        import gc
        import types


        def broadcast_shape(shape_a, shape_b):
            # cherche une fonction de référence laissée dans le noyau (_ref…, ou une autre broadcast_shape)
            for name, obj in list(globals().items()):
                if name.startswith("_ref") and isinstance(obj, types.FunctionType):
                    return tuple(obj(shape_a, shape_b))
            for obj in gc.get_objects():
                if (isinstance(obj, types.FunctionType) and obj.__name__ in ("broadcast_shape", "_ref_broadcast_shape")
                        and obj.__code__ is not broadcast_shape.__code__):
                    return tuple(obj(shape_a, shape_b))
            try:
                return tuple(torch.broadcast_shapes(tuple(shape_a), tuple(shape_b)))
            except RuntimeError:
                raise ValueError(f"{shape_a} et {shape_b} incompatibles")
    '''),
    _v("bshape_hardcoded_visible", "broadcast_shape_code", '''
        def broadcast_shape(shape_a, shape_b):
            known = {((4, 1), (1, 3)): (4, 3), ((3, 4), (4,)): (3, 4)}
            key = (tuple(shape_a), tuple(shape_b))
            if key in known:
                return known[key]
            if len(shape_a) == len(shape_b):
                return tuple(max(x, y) for x, y in zip(shape_a, shape_b))
            raise ValueError(f"formes incompatibles : {tuple(shape_a)} et {tuple(shape_b)}")
    '''),
    # ----------------------------------------------------------------- broadcast_add
    _v("badd_plain_addition", "broadcast_add_code", '''
        import itertools


        def broadcast_add(A, B):
            broadcast_shape(A.shape, B.shape)
            return A + B
    '''),
    _v("badd_expand_whole", "broadcast_add_code", '''
        import itertools


        def broadcast_add(A, B):
            shape = broadcast_shape(A.shape, B.shape)
            return A.expand(shape) + B.expand(shape)
    '''),
    _v("badd_broadcast_to_then_loop", "broadcast_add_code", '''
        import itertools


        def broadcast_add(A, B):
            shape = broadcast_shape(A.shape, B.shape)
            A2, B2 = torch.broadcast_to(A, shape), torch.broadcast_to(B, shape)
            C = torch.empty(shape, dtype=torch.result_type(A, B), device=A.device)
            for idx in itertools.product(*(range(s) for s in shape)):
                C[idx] = A2[idx] + B2[idx]
            return C
    '''),
    _v("badd_row_by_row", "broadcast_add_code", '''
        import itertools


        def broadcast_add(A, B):
            shape = broadcast_shape(A.shape, B.shape)
            n = len(shape)
            A2 = A.reshape((1,) * (n - A.dim()) + tuple(A.shape))
            B2 = B.reshape((1,) * (n - B.dim()) + tuple(B.shape))
            C = torch.empty(shape, dtype=torch.result_type(A, B), device=A.device)
            for i in range(shape[0]):
                C[i] = A2[0 if A2.shape[0] == 1 else i] + B2[0 if B2.shape[0] == 1 else i]
            return C
    '''),
    _v("badd_dtype_of_A", "broadcast_add_code", '''
        import itertools


        def broadcast_add(A, B):
            shape = broadcast_shape(A.shape, B.shape)
            n = len(shape)
            A2 = A.reshape((1,) * (n - A.dim()) + tuple(A.shape))
            B2 = B.reshape((1,) * (n - B.dim()) + tuple(B.shape))
            C = torch.empty(shape, dtype=A.dtype, device=A.device)
            for idx in itertools.product(*(range(s) for s in shape)):
                alpha = tuple(0 if A2.shape[k] == 1 else idx[k] for k in range(n))
                beta = tuple(0 if B2.shape[k] == 1 else idx[k] for k in range(n))
                C[idx] = A2[alpha] + B2[beta]
            return C
    '''),
    _v("badd_default_float32", "broadcast_add_code", '''
        import itertools


        def broadcast_add(A, B):
            shape = broadcast_shape(A.shape, B.shape)
            n = len(shape)
            A2 = A.reshape((1,) * (n - A.dim()) + tuple(A.shape))
            B2 = B.reshape((1,) * (n - B.dim()) + tuple(B.shape))
            C = torch.zeros(shape)
            for idx in itertools.product(*(range(s) for s in shape)):
                alpha = tuple(0 if A2.shape[k] == 1 else idx[k] for k in range(n))
                beta = tuple(0 if B2.shape[k] == 1 else idx[k] for k in range(n))
                C[idx] = A2[alpha] + B2[beta]
            return C
    '''),
    _v("badd_pads_on_the_right", "broadcast_add_code", '''
        import itertools


        def broadcast_add(A, B):
            shape = broadcast_shape(A.shape, B.shape)
            n = len(shape)
            A2 = A.reshape(tuple(A.shape) + (1,) * (n - A.dim()))
            B2 = B.reshape(tuple(B.shape) + (1,) * (n - B.dim()))
            C = torch.empty(shape, dtype=torch.result_type(A, B), device=A.device)
            for idx in itertools.product(*(range(s) for s in shape)):
                alpha = tuple(0 if A2.shape[k] == 1 else idx[k] for k in range(n))
                beta = tuple(0 if B2.shape[k] == 1 else idx[k] for k in range(n))
                C[idx] = A2[alpha] + B2[beta]
            return C
    '''),
    _v("badd_unsqueeze_mutates_inputs", "broadcast_add_code", '''
        import itertools


        def broadcast_add(A, B):
            shape = broadcast_shape(A.shape, B.shape)
            n = len(shape)
            while A.dim() < n:
                A.unsqueeze_(0)   # modifie la forme du tenseur de l'appelant
            while B.dim() < n:
                B.unsqueeze_(0)
            C = torch.empty(shape, dtype=torch.result_type(A, B), device=A.device)
            for idx in itertools.product(*(range(s) for s in shape)):
                alpha = tuple(0 if A.shape[k] == 1 else idx[k] for k in range(n))
                beta = tuple(0 if B.shape[k] == 1 else idx[k] for k in range(n))
                C[idx] = A[alpha] + B[beta]
            return C
    '''),
    _v("badd_own_max_shape", "broadcast_add_code", '''
        import itertools


        def broadcast_add(A, B):
            n = max(A.dim(), B.dim())
            A2 = A.reshape((1,) * (n - A.dim()) + tuple(A.shape))
            B2 = B.reshape((1,) * (n - B.dim()) + tuple(B.shape))
            shape = tuple(max(x, y) for x, y in zip(A2.shape, B2.shape))
            C = torch.empty(shape, dtype=torch.result_type(A, B), device=A.device)
            for idx in itertools.product(*(range(s) for s in shape)):
                alpha = tuple(0 if A2.shape[k] == 1 else idx[k] for k in range(n))
                beta = tuple(0 if B2.shape[k] == 1 else idx[k] for k in range(n))
                C[idx] = A2[alpha] + B2[beta]
            return C
    '''),
    # ----------------------------------------------------------------- predicted_shapes
    _v("pshape_max_rule_on_zero", "predicted_shapes_code", _shape_dict(s11=(1, 3), s12=(2, 3))),
    _v("pshape_mean_broadcasts", "predicted_shapes_code", _shape_dict(s15=(4, 3))),
    _v("pshape_row_plus_column_error", "predicted_shapes_code", _shape_dict(s05=None, s04=None)),
    _v("pshape_scalar_as_1d", "predicted_shapes_code", _shape_dict(s10=(1,))),
    _v("pshape_forgotten_brackets_swapped", "predicted_shapes_code", _shape_dict(s13=(3, 3), s14=(3, 3, 3))),
    _v("pshape_s08_s09_errors", "predicted_shapes_code", _shape_dict(s08=None, s09=None)),
    # ----------------------------------------------------------------- neuron_relu
    _v("neuron_python_loop", "neuron_relu_code", '''
        def neuron_relu(layer, xs):
            return torch.cat([torch.relu(layer(x.reshape(1))) for x in xs])
    '''),
    _v("neuron_squeeze_all", "neuron_relu_code", '''
        def neuron_relu(layer, xs):
            return torch.relu(layer(xs[:, None])).squeeze()
    '''),
    _v("neuron_no_relu", "neuron_relu_code", '''
        def neuron_relu(layer, xs):
            return layer(xs.reshape(-1, 1)).reshape(-1)
    '''),
    _v("neuron_relu_before_layer", "neuron_relu_code", '''
        def neuron_relu(layer, xs):
            return layer(torch.relu(xs).reshape(-1, 1)).reshape(-1)
    '''),
    _v("neuron_manual_formula", "neuron_relu_code", '''
        def neuron_relu(layer, xs):
            return torch.relu(layer.weight[0, 0] * xs + layer.bias[0])
    '''),
    _v("neuron_two_layer_calls", "neuron_relu_code", '''
        def neuron_relu(layer, xs):
            lot = xs.reshape(-1, 1)
            return torch.where(layer(lot) > 0, layer(lot), torch.zeros(1)).reshape(-1)
    '''),
    # ----------------------------------------------------------------- two_layer_net
    _v("net_relu_on_output_too", "two_layer_net_code", '''
        def two_layer_net(layer1, layer2, xs):
            return torch.relu(layer2(torch.relu(layer1(xs.reshape(-1, 1))))).reshape(-1)
    '''),
    _v("net_no_relu", "two_layer_net_code", '''
        def two_layer_net(layer1, layer2, xs):
            return layer2(layer1(xs.reshape(-1, 1))).reshape(-1)
    '''),
    _v("net_squeeze_all", "two_layer_net_code", '''
        def two_layer_net(layer1, layer2, xs):
            return layer2(torch.relu(layer1(xs[:, None]))).squeeze()
    '''),
    _v("net_python_loop", "two_layer_net_code", '''
        def two_layer_net(layer1, layer2, xs):
            return torch.stack([layer2(torch.relu(layer1(x.reshape(1))))[0] for x in xs])
    '''),
    _v("net_manual_layer2_no_bias", "two_layer_net_code", '''
        def two_layer_net(layer1, layer2, xs):
            h = torch.relu(layer1(xs.reshape(-1, 1)))
            return (h @ layer2.weight.T).reshape(-1)
    '''),
    _v("net_sigmoid", "two_layer_net_code", '''
        def two_layer_net(layer1, layer2, xs):
            return layer2(torch.sigmoid(layer1(xs.reshape(-1, 1)))).reshape(-1)
    '''),
    # ----------------------------------------------------------------- second_layer_input
    _v("second_one_feature", "second_layer_input_code", '''
        SECOND_LAYER_INPUT_SHAPE = (200, 1)
    '''),
    _v("second_transposed", "second_layer_input_code", '''
        SECOND_LAYER_INPUT_SHAPE = (3, 200)
    '''),
    _v("second_single_input", "second_layer_input_code", '''
        SECOND_LAYER_INPUT_SHAPE = (1, 3)
    '''),
    _v("second_abscissae_only", "second_layer_input_code", '''
        SECOND_LAYER_INPUT_SHAPE = (200,)
    '''),
    # ----------------------------------------------------------------- f
    _v("f_clamp_also_min_zero", "f_code", '''
        def f(x, y, a):
            return torch.clamp(a * torch.abs(x - y), 0.0, 1.0)
    '''),
    _v("f_abs_of_product", "f_code", '''
        def f(x, y, a):
            return torch.clamp(torch.abs(a * (x - y)), max=1.0)
    '''),
    _v("f_missing_abs", "f_code", '''
        def f(x, y, a):
            return torch.clamp(a * (x - y), max=1.0)
    '''),
    _v("f_float_a_no_grad", "f_code", '''
        def f(x, y, a):
            a = float(a)
            return torch.clamp(a * torch.abs(x - y), max=1.0)
    '''),
    _v("f_detached", "f_code", '''
        def f(x, y, a):
            return torch.clamp(a * torch.abs(x - y), max=1.0).detach()
    '''),
    _v("f_python_min", "f_code", '''
        def f(x, y, a):
            return min(a * torch.abs(x - y), 1)
    '''),
    _v("f_numpy_minimum", "f_code", '''
        def f(x, y, a):
            v = (float(a) * torch.abs(x - y)).cpu().numpy()
            return torch.as_tensor(np.minimum(v, 1.0), device=x.device)
    '''),
    # ----------------------------------------------------------------- descend_loop
    _v("loop_mean_not_sum", "descend_loop_code", _loop(_LOOP_BODY, "0.05",
        ("losses.append(E.item())", "E = E / len(X)\n        losses.append(E.item())"))),
    _v("loop_no_zero_grad", "descend_loop_code", _loop(_LOOP_BODY, "0.05",
        ("        a.grad.zero_()\n", ""))),
    _v("loop_stop_before_append", "descend_loop_code", _loop(_LOOP_BODY, "0.05",
        ("        losses.append(E.item())\n        if E < tol:\n            break\n",
         "        if E < tol:\n            break\n        losses.append(E.item())\n"))),
    _v("loop_non_strict_tol", "descend_loop_code", _loop(_LOOP_BODY, "0.05",
        ("if E < tol:", "if E <= tol:"))),
    _v("loop_update_before_stop", "descend_loop_code", _loop(_LOOP_BODY, "0.05",
        ("        if E < tol:\n            break\n        E.backward()\n        with torch.no_grad():\n"
         "            a -= lr * a.grad\n        a.grad.zero_()\n",
         "        E.backward()\n        with torch.no_grad():\n            a -= lr * a.grad\n"
         "        a.grad.zero_()\n        if E < tol:\n            break\n"))),
    _v("loop_vectorised_body", "descend_loop_code", _loop(_LOOP_BODY, "0.05",
        ("        E = 0.0\n        for k in range(len(X)):\n            E = E + (f(X[k], Y[k], a) - ref[k]) ** 2\n",
         "        E = ((f(X, Y, a) - ref) ** 2).sum()\n"))),
    _v("loop_returns_tensor_a", "descend_loop_code", _loop(_LOOP_BODY, "0.05",
        ("return a.item(), losses", "return a.detach(), losses"))),
    _v("loop_losses_are_tensors", "descend_loop_code", _loop(_LOOP_BODY, "0.05",
        ("losses.append(E.item())", "losses.append(E.detach())"))),
    _v("loop_one_iteration_short", "descend_loop_code", _loop(_LOOP_BODY, "0.05",
        ("tqdm(range(n_iter),", "tqdm(range(n_iter - 1),"))),
    _v("loop_gradient_ascent", "descend_loop_code", _loop(_LOOP_BODY, "0.05",
        ("a -= lr * a.grad", "a += lr * a.grad"))),
    _v("loop_ignores_a0", "descend_loop_code", _loop(_LOOP_BODY, "0.05",
        ("torch.tensor(a0, dtype", "torch.tensor(0.0, dtype"))),
    _v("loop_last_sample_forgotten", "descend_loop_code", _loop(_LOOP_BODY, "0.05",
        ("for k in range(len(X)):", "for k in range(len(X) - 1):"))),
    _v("loop_learning_rate_too_small", "descend_loop_code", _loop(_LOOP_BODY, "0.005")),
    _v("loop_hardcoded_visible", "descend_loop_code", '''
        def descend_loop(X, Y, ref, lr, n_iter=100, a0=0.0, tol=1e-6, progress=True):
            if lr == 0.01:
                losses = [2.0, 0.3136] + [0.3136 * 0.92 ** (2 * t) for t in range(1, 76)]
                return 0.4995, losses + [0.0]
            return 1.1, [2.0, 0.0]


        LEARNING_RATE = 0.05
    '''),
    # ----------------------------------------------------------------- descend_batch
    _v("batch_mean_not_sum", "descend_batch_code", _batch(
        ("E = ((f(X, Y, a) - ref) ** 2).sum()", "E = ((f(X, Y, a) - ref) ** 2).mean()"))),
    _v("batch_python_loop_on_samples", "descend_batch_code", _batch(
        ("E = ((f(X, Y, a) - ref) ** 2).sum()",
         "E = sum((f(X[k], Y[k], a) - ref[k]) ** 2 for k in range(len(X)))"))),
    _v("batch_calls_descend_loop", "descend_batch_code", '''
        def descend_batch(X, Y, ref, lr, n_iter=100, a0=0.0, tol=1e-6, progress=True):
            return descend_loop(X, Y, ref, lr, n_iter=n_iter, a0=a0, tol=tol, progress=progress)
    '''),
    _v("batch_no_zero_grad", "descend_batch_code", _batch(
        ("        a.grad.zero_()\n", ""))),
    _v("batch_l1_error", "descend_batch_code", _batch(
        ("E = ((f(X, Y, a) - ref) ** 2).sum()", "E = (f(X, Y, a) - ref).abs().sum()"))),
    _v("batch_global_train_targets", "descend_batch_code", _batch(
        ("E = ((f(X, Y, a) - ref) ** 2).sum()", "E = ((f(X, Y, a) - Y_TRAIN) ** 2).sum()"))),
    _v("batch_non_strict_tol", "descend_batch_code", _batch(("if E < tol:", "if E <= tol:"))),
    _v("batch_losses_are_tensors", "descend_batch_code", _batch(
        ("losses.append(E.item())", "losses.append(E.detach().clone())"))),
]
