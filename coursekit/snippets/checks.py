# Outil de notation des cellules de test (cellule fournie, ne pas modifier).
import contextlib
import io
import math
import os
import warnings


class Checks:
    """Barème d'une cellule de test : chaque vérification rapporte sa part des points.

    `with checks.visible("…"):` entoure une vérification visible : dans votre notebook, un échec
    arrête la cellule (à la fin de celle-ci) avec son message ; `@checks.hidden(points, "…")`
    marque une vérification cachée. `checks.score()` renvoie le total obtenu, que nbgrader lit
    comme la note de la cellule. Un échec n'empêche jamais les vérifications suivantes.

    En notation automatique, le correcteur exécute ces vérifications hors de votre noyau : il
    appelle vos fonctions sur ses propres entrées et ne reçoit que les valeurs qu'elles renvoient.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.earned = 0.0
        self.total = 0.0
        self.failures: list[str] = []
        self.visible_failures: list[str] = []
        self.hidden_checks = 0
        self._namespace: dict = {}
        self._references: dict = {}
        _MARGINS.clear()  # the bounds of this test cell only

    @contextlib.contextmanager
    def visible(self, description: str, points: float = 0.0):
        """Une vérification visible ; à la notation, un échec ne coûte que `points`."""
        self.total += points
        _check_started()
        try:
            with _quiet():
                yield
        except Exception as error:  # the message is reported by score()
            self.visible_failures.append(f"{description} : {_message(error)}")
        else:
            self.earned += points

    def hidden(self, points: float, description: str):
        """Décorateur : exécute tout de suite la vérification cachée et compte ses points."""
        def run(test):
            self.check(points, description, test)
            return test
        return run

    def check(self, points: float, description: str, test) -> None:
        """Exécute `test()` sans rien écrire sur stderr ; des points s'il ne lève rien."""
        self.total += points
        self.hidden_checks += 1
        _check_started()
        try:
            with _quiet(), self.isolated():
                test()
        except Exception as error:  # an exception in student code costs this check only
            self.failures.append(f"{description} : {_message(error)}")
        else:
            self.earned += points

    def use_references(self, namespace: dict, **references) -> None:
        """Enregistre les objets de référence à installer dans `namespace` pendant `isolated()`."""
        self._namespace, self._references = namespace, references

    @contextlib.contextmanager
    def isolated(self):
        """Installe les références (s'il y en a) le temps du bloc, puis remet les objets d'origine."""
        saved = {name: self._namespace[name] for name in self._references if name in self._namespace}
        self._namespace.update(self._references)
        try:
            yield
        finally:
            for name in self._references:
                if name in saved:
                    self._namespace[name] = saved[name]
                else:
                    self._namespace.pop(name, None)

    def score(self) -> float | None:
        """Affiche le bilan et renvoie les points obtenus (None dans le notebook de l'étudiant)."""
        failures = self.visible_failures + self.failures
        report = "\n".join(f"  ✗ {failure}" for failure in failures)
        if self.hidden_checks == 0:  # the student's notebook: hidden checks were removed
            if failures:
                raise AssertionError(f"{self.name} : vérification visible échouée.\n{report}")
            print(f"{self.name} : vérifications visibles réussies.")
            return None
        if self.earned == 0:
            raise AssertionError(f"{self.name} : aucune vérification réussie.\n{report}")
        print(f"{self.name} : {self.earned:g} / {self.total:g} point(s)")
        if report:
            print(report)
        if os.environ.get("COURSEKIT_MARGINS"):  # the validity harness records how close each bound came
            for what, margin in _MARGINS:
                print(f"marge | {what} | {margin!r}")
        return float(self.earned)


def _check_started() -> None:
    """En notation, chaque vérification dispose du temps limite de la cellule."""


@contextlib.contextmanager
def _quiet():
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def _message(error: Exception) -> str:
    return str(error) if isinstance(error, AssertionError) else f"{type(error).__name__} : {error}"


# -- ce qui passe entre vos fonctions et les vérifications --------------------------------------

_PLAIN = (type(None), bool, int, float, complex, str, bytes, slice, type(Ellipsis),
          torch.Size, torch.dtype, torch.device)


def value(x):
    """Copie de ce que renvoie une fonction, limitée aux valeurs : nombres, chaînes, listes,
    tuples, dictionnaires, tenseurs et tableaux NumPy (un modèle ou une fonction n'en sont pas)."""
    kind = type(x)
    if kind in _PLAIN:
        return x
    if kind in (list, tuple):
        return kind(value(item) for item in x)
    if kind is dict:
        return {value(k): value(v) for k, v in x.items()}
    if isinstance(x, torch.Tensor):
        with torch._C.DisableTorchFunction():
            copy = torch.Tensor.detach(x).clone()
            if isinstance(x, torch.nn.Parameter):
                return torch.nn.Parameter(copy, requires_grad=x.requires_grad)
            if not x.requires_grad:
                return copy
            copy.requires_grad_(True)  # a result inside a graph stays one (a grad_fn, not a leaf)
            return copy.clone() if x.grad_fn is not None else copy
    if kind is np.ndarray or (isinstance(x, np.generic) and kind.__module__ == "numpy"):
        return x.copy()
    raise TypeError(f"un objet de type {kind.__qualname__} n'est pas une valeur")


def remote(x):
    """Une copie de `x` du côté de vos fonctions (en notation, dans votre noyau) : valeurs,
    mais aussi objets comme une couche `torch.nn.Linear` ou une fonction de la cellule de test
    (un modèle à passer à vos fonctions, qui s'exécute alors dans votre noyau)."""
    try:
        return value(x)
    except TypeError:
        import copy
        return copy.deepcopy(x)


def same_object(a, b) -> bool:
    """`a is b`, que les objets soient ici ou dans votre noyau."""
    return a is b


class _Notebook:
    """`kernel.nom` : l'objet `nom` de votre notebook (en notation, celui de votre noyau)."""

    def __getattr__(self, name: str):
        namespace = globals()
        if name in namespace:
            return namespace[name]
        import builtins
        return getattr(builtins, name)


kernel = _Notebook()


@contextlib.contextmanager
def references(unless_passed: str = "", **functions):
    """Le temps du bloc, vos fonctions nommées ici sont remplacées par des versions de référence :
    une erreur n'est comptée qu'une fois, dans son propre exercice. En notation, les références
    restent chez le correcteur, et rien n'est remplacé si votre fonction a réussi toutes les
    vérifications de la cellule `unless_passed`."""
    namespace = globals()
    saved = {name: namespace[name] for name in functions if name in namespace}
    namespace.update(functions)
    try:
        yield
    finally:
        for name in functions:
            if name in saved:
                namespace[name] = saved[name]
            else:
                namespace.pop(name, None)


def in_place(reference):
    """Marque une référence qui modifie ses arguments sur place (des paramètres et leurs `.grad`,
    ceux d'un modèle), comme une mise à jour de descente : en notation, ces valeurs font l'aller-retour."""
    return reference


def in_kernel(reference):
    """Marque une référence qui construit ou entraîne un modèle (celle d'un exercice précédent) :
    en notation, elle est copiée dans votre noyau, comme remote(…), au lieu d'y répondre de loin."""
    return reference


@contextlib.contextmanager
def references_where_failed(**pairs):
    """`nom=(référence, cellule)` : comme `references`, chaque fonction remplacée par sa référence
    sauf si la vôtre a réussi toutes les vérifications de sa cellule (cellule vide : toujours)."""
    with contextlib.ExitStack() as stack:
        for name, (reference, cell) in pairs.items():
            stack.enter_context(references(unless_passed=cell, **{name: reference}))
        yield


# The ways to get a gradient without writing backward: forbidden where backward is the lesson.
AUTOGRAD_CALLS = ("torch.autograd.grad", "torch.autograd.backward", "torch.Tensor.backward", "torch.autograd.functional.vjp",
                  "torch.autograd.functional.jacobian", "torch.func.grad", "torch.func.vjp", "torch.func.jacrev")


def call_each(function, calls: list) -> list:
    """`function(*arguments)` pour chaque tuple d'arguments de `calls` : la valeur renvoyée, ou
    l'exception levée (en notation, en un seul échange avec votre noyau)."""
    results = []
    for arguments in calls:
        try:
            results.append(function(*arguments))
        except Exception as error:
            results.append(error)
    return results


@contextlib.contextmanager
def recorded_ops(*names: str):
    """Les appels à ces fonctions de torch faits dans le bloc : [nom, formes (ou types) des
    opérandes, forme (ou type) du résultat]."""
    from torch.overrides import TorchFunctionMode
    found = []

    class _Recorder(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            result = func(*args, **kwargs)
            if getattr(func, "__name__", "") in names and len(found) < 50:
                found.append([func.__name__, [_shape_or_type(x) for x in list(args) + list(kwargs.values())],
                              _shape_or_type(result)])
            return result

    with _Recorder():
        yield found


@contextlib.contextmanager
def recorded_operands(name: str):
    """Les opérandes tenseurs (copies) de chaque appel à la fonction de torch `name` fait dans le
    bloc, et si les gradients étaient suivis : [(opérandes, suivi)]."""
    from torch.overrides import TorchFunctionMode
    found = []

    class _Recorder(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            result = func(*args, **kwargs)
            if getattr(func, "__name__", "") == name and len(found) < 200:
                found.append(([x.detach().clone() if isinstance(x, torch.Tensor) else None
                               for x in list(args) + list(kwargs.values())], torch.is_grad_enabled()))
            return result

    with _Recorder():
        yield found


def _shape_or_type(x):
    return [int(d) for d in x.shape] if isinstance(x, torch.Tensor) else type(x).__name__


@contextlib.contextmanager
def forbidden(*dotted: str, why: str = ""):
    """Le temps du bloc, appeler l'une de ces fonctions (« torch.broadcast_shapes »…) lève une
    erreur ; à la fin du bloc, tout appel constaté fait échouer la vérification."""
    import sys
    calls, saved = set(), []
    for name in dotted:
        module, _, attribute = name.rpartition(".")
        owner = sys.modules.get(module.split(".")[0])
        for part in module.split(".")[1:]:
            owner = getattr(owner, part, None)
        if owner is None or not hasattr(owner, attribute):
            continue

        def refuse(*args, _name=name, **kwargs):
            calls.add(_name)
            raise RuntimeError(f"{_name} est interdit dans cet exercice")

        saved.append((owner, attribute, getattr(owner, attribute), attribute in vars(owner)))
        setattr(owner, attribute, refuse)
    try:
        yield
    finally:
        for owner, attribute, original, own in reversed(saved):
            if own:
                setattr(owner, attribute, original)
            else:  # inherited (a method of torch.Tensor's base class): uncover it again
                delattr(owner, attribute)
    _refuse_calls(calls, why)


def _refuse_calls(calls, why: str) -> None:
    if calls:
        raise AssertionError(f"appel interdit : {', '.join(sorted(calls))}" + (f" ({why})" if why else ""))


# -- comparaisons, avec des messages en français ------------------------------------------------

_MARGINS: list = []  # (what, how far the value stayed from its bound), for the validity harness


def expect_below(got, bound: float, what: str) -> None:
    """`got` < `bound` : une borne fixée sur de nombreux tirages aléatoires de la solution."""
    got = float(value(got))
    _MARGINS.append((what, bound - got))
    expect(got < bound, f"{what} : attendu < {_number(float(bound))}, obtenu {_number(got)}")


def expect_above(got, bound: float, what: str) -> None:
    """`got` > `bound` : une borne fixée sur de nombreux tirages aléatoires de la solution."""
    got = float(value(got))
    _MARGINS.append((what, got - bound))
    expect(got > bound, f"{what} : attendu > {_number(float(bound))}, obtenu {_number(got)}")


def expect(condition: bool, message: str) -> None:
    """Échoue avec `message` si la condition est fausse."""
    if not condition:
        raise AssertionError(message)


def expect_tensor(got, what: str, shape=None, dtype=None):
    """La valeur de `got`, qui doit être un tenseur (de cette forme et de ce dtype si donnés)."""
    got = value(got)
    expect(isinstance(got, torch.Tensor), f"{what} : un tenseur est attendu, obtenu {type(got).__name__}")
    if shape is not None:
        expect(tuple(got.shape) == tuple(shape), f"{what} : forme attendue {tuple(shape)}, obtenu {tuple(got.shape)}")
    if dtype is not None:
        expect(got.dtype == dtype, f"{what} : dtype attendu {dtype}, obtenu {got.dtype}")
    return got


def _number(x) -> str:
    """Un nombre écrit à la française (virgule décimale)."""
    return f"{x:.6g}".replace(".", ",") if isinstance(x, float) else str(x)


def expect_close(got, want, what: str, rtol: float = 1e-5, atol: float = 1e-8):
    """`got` proche de `want` : même type (tenseur ou nombre), même forme, |got − want| ≤ atol + rtol·|want|."""
    got = value(got)
    if isinstance(want, torch.Tensor):
        got = expect_tensor(got, what, shape=want.shape)
        a, b = got.detach().double().cpu(), want.detach().double().cpu()
        close = torch.isclose(a, b, rtol=rtol, atol=atol, equal_nan=True)
        if not bool(close.all()):
            tolerance = f"tolérance {_number(atol)} + {_number(rtol)} × |attendu|"
            if a.dim() == 0:
                raise AssertionError(f"{what} : attendu {_number(b.item())}, obtenu {_number(a.item())} ({tolerance})")
            index = tuple(int(i) for i in (~close).nonzero()[0].tolist())
            raise AssertionError(
                f"{what} : valeurs attendues {_short(b)}, obtenu {_short(a)} ; premier écart en {index} : "
                f"attendu {_number(b[index].item())}, obtenu {_number(a[index].item())} ({tolerance})")
        return got
    expect(isinstance(got, (int, float)) and not isinstance(got, bool) or isinstance(got, np.floating),
           f"{what} : un nombre Python est attendu, obtenu {type(got).__name__}")
    expect(math.isclose(float(got), float(want), rel_tol=rtol, abs_tol=atol),
           f"{what} : attendu {_number(float(want))}, obtenu {_number(float(got))}")
    return got


def _short(t) -> str:
    values = t.flatten()[:6].tolist()
    text = " ; ".join(_number(float(v)) for v in values)
    return f"[{text}{' ; …' if t.numel() > 6 else ''}] (forme {tuple(t.shape)})"


def expect_equal(got, want, what: str):
    """`got == want` pour des valeurs Python (nombres, tuples, listes, dictionnaires)."""
    got = value(got)
    expect(got == want, f"{what} : attendu {want!r}, obtenu {got!r}")
    return got


def expect_gradients(function, inputs, what: str, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3):
    """Comme `torch.autograd.gradcheck` : les gradients que calcule backward à travers
    `function` (branchée dans l'autograd, par exemple `MSE.apply`) sont ceux des différences
    finies de forward, en float64 ; chaque entrée (un tenseur) doit recevoir son gradient."""
    inputs = [torch.as_tensor(x).detach().to(torch.float64) for x in inputs]
    leaves = [remote(x.clone().requires_grad_(True)) for x in inputs]
    output = function(*leaves)
    out = expect_tensor(output, f"{what} : sortie")
    weights = torch.randn(out.shape, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    output.backward(weights)
    calls = []
    for i, x in enumerate(inputs):
        for j in range(x.numel()):
            for step in (eps, -eps):
                moved = [y.clone() for y in inputs]
                moved[i].view(-1)[j] += step
                calls.append(tuple(moved))
    outcomes = iter(call_each(function, calls))
    for i, x in enumerate(inputs):
        grad = value(leaves[i].grad)
        expect(grad is not None, f"{what} : pas de gradient pour l'entrée n° {i + 1} (backward renvoie un gradient par entrée)")
        numeric = torch.zeros(x.numel(), dtype=torch.float64)
        for j in range(x.numel()):
            plus, minus = next(outcomes), next(outcomes)
            for outcome in (plus, minus):
                if isinstance(outcome, Exception):
                    raise AssertionError(f"{what} : forward a échoué ({_message(outcome)})")
            numeric[j] = ((value(plus).double() - value(minus).double()) * weights).sum() / (2 * eps)
        expect_close(grad, numeric.reshape(x.shape), f"{what} : gradient de l'entrée n° {i + 1} (différences finies)", rtol=rtol, atol=atol)
