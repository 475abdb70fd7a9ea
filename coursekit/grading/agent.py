"""The kernel side of out-of-kernel judging: calls on the grader's behalf, raw values back.

The grader judges a test cell in its own process (judge.py). Whatever the cell needs from
the student's kernel — calling a student function on inputs the grader chose, reading an
attribute, creating an object there — travels as one request to this agent, which runs in
the kernel and answers with *raw values*: numbers, strings, containers and the bytes of
tensors and arrays, in a tagged format read by exact type, never by the objects' own
methods (a student's tensor subclass or `__repr__` cannot change what is sent). Objects
that are not values (a model, a function, a DataLoader) stay in the kernel and travel as
numbered references.

The agent holds no expected value, no reference and no test source: forging its answers
would take computing the right results, which is the exercise. It is a trusted *tool*
only in the sense that a broken agent makes checks fail, never pass.

This file is also the codec of the grader's side (`encode` / `decode` are shared). The
kernel receives it as source text at start-up and must therefore import nothing of the
`coursekit` package (the sandbox does not even contain it).
"""
from __future__ import annotations

import base64
import builtins
import functools
import json
import math
import sys
import traceback

MODULE_NAME = "_coursekit_agent"
GRADER_MODULE = "coursekit.grading.agent"  # this file's name on the grader's side
MAX_INLINE_BYTES = 8 * 2**20  # results larger than this are fetched only on demand
MAX_VALUE_BYTES = 64 * 2**20  # the largest value the grader accepts to read
MAX_DEPTH = 64                # nesting of containers, both ways

_SCALARS = (type(None), bool, int, float, complex, str, bytes)


class NotAValue(TypeError):
    """The object is not a plain value (a model, a function…): it can only be referenced."""


# -- encoding (both sides) -----------------------------------------------------------------

def _torch():
    return sys.modules.get("torch")


def _numpy():
    return sys.modules.get("numpy")


def encode(obj, refer=None, depth: int = 0):
    """A JSON-able tree for `obj`, read by exact type. `refer(obj) -> tree` stands in for what
    is not a value (a reference); without it such an object raises `NotAValue`."""
    if depth > MAX_DEPTH:
        raise NotAValue("valeur trop profondément imbriquée")
    kind = type(obj)
    if obj is None:
        return {"t": "none"}
    if kind is bool:
        return {"t": "bool", "v": obj}
    if kind is int:
        return {"t": "int", "v": str(int.__repr__(obj))}
    if kind is float:
        return {"t": "float", "v": float.hex(obj)}
    if kind is complex:
        return {"t": "complex", "v": [float.hex(obj.real), float.hex(obj.imag)]}
    if kind is str:
        return {"t": "str", "v": str.__str__(obj)}
    if kind is bytes:
        return {"t": "bytes", "v": base64.b64encode(obj).decode()}
    if kind is list or kind is tuple:
        items = [encode(item, refer, depth + 1) for item in (list.__iter__(obj) if kind is list else tuple.__iter__(obj))]
        return {"t": kind.__name__, "v": items}
    if kind is dict:
        return {"t": "dict", "v": [[encode(k, refer, depth + 1), encode(v, refer, depth + 1)]
                                   for k, v in dict.items(obj)]}
    if kind is slice:
        return {"t": "slice", "v": [encode(obj.start, refer, depth + 1), encode(obj.stop, refer, depth + 1),
                                    encode(obj.step, refer, depth + 1)]}
    if obj is Ellipsis:
        return {"t": "ellipsis"}
    torch, numpy = _torch(), _numpy()
    if torch is not None:
        if kind is torch.Size:
            return {"t": "size", "v": [int(d) for d in tuple.__iter__(obj)]}
        if kind is torch.dtype:
            return {"t": "dtype", "v": str(obj).removeprefix("torch.")}
        if kind is torch.device:
            return {"t": "device", "v": str(obj)}
        if isinstance(obj, torch.Tensor):
            return _encode_tensor(torch, obj, refer)
    if numpy is not None:
        if kind is numpy.ndarray:
            array = numpy.ascontiguousarray(obj)
            if array.dtype.kind in "biufc?":
                return {"t": "ndarray", "dtype": array.dtype.str, "shape": list(array.shape),
                        "v": base64.b64encode(array.tobytes()).decode()}
        elif isinstance(obj, numpy.generic) and kind.__module__ == "numpy" and obj.dtype.kind in "biufc?":
            return {"t": "npscalar", "dtype": obj.dtype.str, "v": base64.b64encode(obj.tobytes()).decode()}
    if refer is None:
        raise NotAValue(f"un objet de type {kind.__qualname__} n'est pas une valeur")
    return refer(obj)


def _encode_tensor(torch, tensor, refer):
    """Bytes and metadata read with every `__torch_function__` override disabled."""
    with torch._C.DisableTorchFunction():
        if tensor.layout != torch.strided or tensor.is_quantized or tensor.is_meta:
            if refer is None:
                raise NotAValue("tenseur non dense")
            return refer(tensor)
        flat = torch.Tensor.detach(tensor).cpu().reshape(-1)
        data = flat.new_empty(flat.shape).copy_(flat)  # unit stride, whatever the source's strides
        raw = data.view(torch.uint8).numpy().tobytes() if data.numel() else b""
        return {"t": "tensor", "dtype": str(tensor.dtype).removeprefix("torch."),
                "shape": [int(d) for d in tensor.shape], "device": tensor.device.type,
                "requires_grad": bool(tensor.requires_grad), "grad_fn": tensor.grad_fn is not None,
                "parameter": isinstance(tensor, torch.nn.Parameter),
                "v": base64.b64encode(raw).decode()}


def decode(tree, resolve=None, depth: int = 0, device=None, allow_pickle: bool = False):
    """The value a tree stands for; `resolve(tree)` turns references ("ref", "path") into objects.
    Decoding never calls code chosen by the sender: tags map to a fixed set of constructors."""
    if depth > MAX_DEPTH:
        raise ValueError("encoded value nested too deeply")
    tag = tree["t"]
    v = tree.get("v")
    if tag == "none":
        return None
    if tag == "bool":
        return bool(v)
    if tag == "int":
        return int(str(v))
    if tag == "float":
        return float.fromhex(v)
    if tag == "complex":
        return complex(float.fromhex(v[0]), float.fromhex(v[1]))
    if tag == "str":
        return str(v)
    if tag == "bytes":
        return base64.b64decode(v)
    if tag in ("list", "tuple"):
        items = [decode(item, resolve, depth + 1, device, allow_pickle) for item in v]
        return items if tag == "list" else tuple(items)
    if tag == "dict":
        return {decode(k, resolve, depth + 1, device, allow_pickle): decode(x, resolve, depth + 1, device, allow_pickle)
                for k, x in v}
    if tag == "slice":
        return slice(*(decode(part, resolve, depth + 1, device, allow_pickle) for part in v))
    if tag == "ellipsis":
        return Ellipsis
    if tag == "pickle":
        if not allow_pickle:  # only the grader's requests may carry objects; never what a kernel sends
            raise ValueError("unexpected pickled object")
        import io
        return _FromGrader(io.BytesIO(base64.b64decode(v)), resolve).load()
    if tag in ("ref", "path"):
        if resolve is None:
            raise NotAValue(f"un objet de type {tree.get('type', '?')} n'est pas une valeur")
        return resolve(tree)
    numpy = __import__("numpy")
    if tag in ("ndarray", "npscalar"):
        dtype = numpy.dtype(str(tree["dtype"]))
        if dtype.kind not in "biufc?":
            raise ValueError(f"unsupported array dtype {dtype}")
        raw = base64.b64decode(v)
        shape = tuple(int(d) for d in tree.get("shape", ()))
        if len(raw) != dtype.itemsize * math.prod(shape):
            raise ValueError("array bytes do not match their shape")
        array = numpy.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        return array if tag == "ndarray" else array[()]
    torch = __import__("torch")
    if tag == "size":
        return torch.Size(int(d) for d in v)
    if tag == "dtype":
        dtype = getattr(torch, str(v), None)
        if not isinstance(dtype, torch.dtype):
            raise ValueError(f"unknown dtype {v!r}")
        return dtype
    if tag == "device":
        return torch.device(str(v))
    if tag == "tensor":
        return _decode_tensor(torch, tree, device)
    raise ValueError(f"unknown tag {tag!r}")


class _FromGrader(__import__("pickle").Unpickler):
    """Reads an object the grader pickled (`remote(…)`): its own functions arrive as code (see
    `rebuild_function`), and its references to kernel objects as the objects themselves."""

    def __init__(self, file, resolve) -> None:
        super().__init__(file)
        self.resolve = resolve

    def find_class(self, module: str, name: str):
        if module == GRADER_MODULE:  # this file, as the grader imports it
            if name in ("rebuild_function", "set_function_state"):
                return globals()[name]
            if name == "kernel_object":
                return lambda path: self.resolve({"t": "path", "path": path})
            raise ValueError(f"unexpected object {name!r}")
        return super().find_class(module, name)


def rebuild_function(code: bytes, name: str, qualname: str, defaults, kwdefaults, free: int, namespace: dict):
    """A function of the grader's test cell, rebuilt in the kernel from its compiled code, its
    defaults and the globals it reads (in `namespace`); `set_function_state` then fills the
    `free` cells it closes over."""
    import marshal
    import types
    namespace["__builtins__"] = builtins
    cells = tuple(types.CellType() for _ in range(free)) if free else None
    function = types.FunctionType(marshal.loads(code), namespace, name, defaults, cells)
    function.__qualname__, function.__kwdefaults__ = qualname, kwdefaults
    return function


def set_function_state(function, state) -> None:
    closure, attributes = state
    for cell, item in zip(function.__closure__ or (), closure):
        cell.cell_contents = item
    vars(function).update(attributes)


def kernel_object(path: dict):
    """Stands, in what the grader pickles, for a kernel object it holds a reference to (the
    kernel's unpickler resolves it)."""
    raise RuntimeError("resolved by the kernel's unpickler only")


def _decode_tensor(torch, tree, device):
    dtype = getattr(torch, str(tree["dtype"]), None)
    if not isinstance(dtype, torch.dtype):
        raise ValueError(f"unknown dtype {tree['dtype']!r}")
    shape = [int(d) for d in tree["shape"]]
    raw = base64.b64decode(tree["v"])
    itemsize = torch.empty((), dtype=dtype).element_size()
    if len(raw) != itemsize * math.prod(shape):
        raise ValueError("tensor bytes do not match their shape")
    flat = torch.frombuffer(bytearray(raw), dtype=torch.uint8) if raw else torch.empty(0, dtype=torch.uint8)
    tensor = flat.view(dtype).reshape(shape) if raw else torch.empty(shape, dtype=dtype)
    target = device if device is not None else tree.get("device", "cpu")
    if target != "cpu":
        try:
            tensor = tensor.to(target)
        except (RuntimeError, AssertionError):  # that device does not exist on this side
            pass
    if tree.get("parameter"):
        return torch.nn.Parameter(tensor, requires_grad=bool(tree.get("requires_grad")))
    if tree.get("requires_grad") and (dtype.is_floating_point or dtype.is_complex):
        tensor.requires_grad_(True)
        if tree.get("grad_fn"):  # a result inside a graph stays one: requires_grad, a grad_fn, not a leaf
            tensor = tensor.clone()
    return tensor


# -- the agent (kernel side) ------------------------------------------------------------------

class Agent:
    """Serves one grader's requests in the kernel; `handle` is its only entry point."""

    def __init__(self, namespace: dict) -> None:
        self.namespace = namespace
        self.objects: dict[int, object] = {}
        self._next = 0
        self._saved: dict[str, object] = {}
        self.contexts: dict[int, object] = {}  # the `ctx` objects passed to stand-in methods

    # references
    def keep(self, obj) -> int:
        self._next += 1
        self.objects[self._next] = obj
        return self._next

    def refer(self, obj) -> dict:
        return {"t": "ref", "id": self.keep(obj), "type": type(obj).__qualname__}

    def resolve(self, tree: dict):
        if tree["t"] == "path":
            return self._path(tree["path"])
        try:
            return self.objects[int(tree["id"])]
        except KeyError:
            raise LookupError(f"unknown reference {tree['id']}") from None

    def _decode(self, tree):
        return decode(tree, self.resolve, allow_pickle=True)  # requests come from the grader

    def _path(self, path):
        root = path["root"]
        if "ref" in root:
            obj = self.resolve({"t": "ref", "id": root["ref"]})
        elif "global" in root:
            name = root["global"]
            if name in self.namespace:
                obj = self.namespace[name]
            elif hasattr(builtins, name):
                obj = getattr(builtins, name)
            else:
                raise NameError(f"name '{name}' is not defined")
        else:  # the namespace itself: `kernel.<name>`
            obj = _Globals(self.namespace)
        return self._walk(obj, path["ops"])

    def _walk(self, obj, ops):
        for kind, key in ops:
            obj = getattr(obj, key) if kind == "attr" else obj[self._decode(key)]
        return obj

    def _answer(self, result, inline: bool) -> dict:
        number = self.keep(result)
        answer = {"ref": number, "type": type(result).__qualname__}
        if inline:
            try:
                value = encode(result, self.refer)
                if len(json.dumps(value)) <= MAX_INLINE_BYTES:
                    answer["value"] = value
            except NotAValue:
                pass
        return answer

    def handle(self, request_text: str) -> str:
        """One request (JSON), one answer (JSON); the student's exceptions become data."""
        guards = []
        try:
            request = json.loads(request_text)
            op = request["op"]
            guards = [_Guard(dotted, self.namespace) for dotted in request.get("forbid", [])]
            for guard in guards:
                guard.install()
            recorder = _recorder(request.get("record", []), str(request.get("operands_of", "")))
            try:
                if recorder is not None:
                    recorder.__enter__()
                if op == "call":
                    target = self._path(request["path"])
                    args = [self._decode(a) for a in request["args"]]
                    kwargs = {str(k): self._decode(v) for k, v in request["kwargs"]}
                    answer = self._answer(target(*args, **kwargs), request.get("inline", True))
                elif op == "map":
                    target = self._path(request["path"])
                    answer = {"results": [self._one_of_many(target, args, kwargs) for args, kwargs in request["calls"]]}
                elif op == "get":
                    answer = self._answer(self._path(request["path"]), True)
                elif op == "value":
                    answer = {"value": encode(self._path(request["path"]))}
                    if len(json.dumps(answer["value"])) > MAX_VALUE_BYTES:
                        raise NotAValue("valeur trop volumineuse pour être vérifiée")
                elif op == "put":
                    answer = {"ref": self.keep(self._decode(request["value"]))}
                elif op == "setattr":
                    setattr(self._path(request["path"]), request["name"], self._decode(request["value"]))
                    answer = {}
                elif op == "setitem":
                    self._path(request["path"])[self._decode(request["key"])] = self._decode(request["value"])
                    answer = {}
                elif op == "len":
                    answer = {"value": encode(len(self._path(request["path"])))}
                elif op == "iter":
                    items = list(self._path(request["path"]))
                    answer = {"items": [self._answer(item, True) for item in items]}
                elif op == "same":
                    answer = {"value": encode(self._path(request["a"]) is self._path(request["b"]))}
                elif op == "substitute":
                    classes, in_place = dict(request.get("classes", {})), set(request.get("in_place", []))
                    copies = dict(request.get("copies", {}))
                    for name in request["names"]:
                        copy = self._decode(copies[name]) if name in copies else None
                        self.substitute(name, classes.get(name), name in in_place, copy)
                    answer = {}
                elif op == "restore":
                    self.restore(request.get("names"))
                    answer = {}
                elif op == "release":
                    self.restore()
                    self.objects.clear()
                    self.contexts.clear()
                    answer = {}
                else:
                    raise ValueError(f"unknown operation {op!r}")
            finally:
                if recorder is not None:
                    recorder.__exit__(None, None, None)
                for guard in reversed(guards):
                    guard.remove()
            answer["ok"] = True
        except BaseException as error:  # noqa: BLE001 -- everything the student's code raises is data
            answer = {"ok": False, "error": _describe(error)}
        answer["forbidden"] = sorted({call for guard in guards for call in guard.calls})
        if recorder is not None:
            answer["ops"], answer["operands"] = recorder.found, recorder.operands
        return json.dumps(answer)

    def _one_of_many(self, target, args, kwargs) -> dict:
        try:
            result = target(*[self._decode(a) for a in args], **{str(k): self._decode(v) for k, v in kwargs})
            return {"value": encode(result, self.refer)}
        except Exception as error:  # noqa: BLE001 -- each call's failure is data
            return {"error": _describe(error)}

    # references computed by the grader, for the duration of a check
    def substitute(self, name: str, methods: list | None = None, in_place: bool = False, copy=None) -> None:
        """Replace the notebook's `name` by a stand-in that asks the grader for each result:
        a function, or with `methods` a class whose static methods are stand-ins (an
        `autograd.Function`: `forward(ctx, …)` and `backward(ctx, …)` keep their context here,
        and what the reference saves in it stays with the grader). An `in_place` stand-in
        updates its arguments (tensors, their gradients, a module's parameters) instead of
        joining the autograd graph. A `copy` (the grader's reference itself, sent because it builds or
        trains a model here) stands in as it is."""
        if name not in self._saved:
            self._saved[name] = self.namespace.get(name, _ABSENT)
        if copy is not None:
            self.namespace[name] = copy
        elif in_place:
            self.namespace[name] = _updating_stand_in(self, name)
        elif methods is None:
            self.namespace[name] = _stand_in(self, name)
        else:
            attributes = {str(m): staticmethod(_stand_in(self, f"{name}.{m}", with_context=m in _CONTEXT_METHODS))
                          for m in methods}
            self.namespace[name] = type(name, (), {"__module__": "__main__", **attributes})

    def restore(self, names: list | None = None) -> None:
        """Put back the notebook's own objects (those named, or all)."""
        for name in list(self._saved) if names is None else [n for n in names if n in self._saved]:
            original = self._saved.pop(name)
            if original is _ABSENT:
                self.namespace.pop(name, None)
            else:
                self.namespace[name] = original
        if not self._saved:
            self.contexts.clear()

    def callback(self, payload: dict):
        """One question to the grader, over the kernel's stdin channel (an input request)."""
        shell = sys.modules["IPython"].get_ipython()
        reply = json.loads(shell.kernel.raw_input(CALLBACK_PROMPT + json.dumps(payload)))
        if not reply.get("ok"):  # the reference raised: the same kind of error, where it is a builtin one
            kind = getattr(builtins, str(reply.get("type", "")), None)
            kind = kind if isinstance(kind, type) and issubclass(kind, Exception) else RuntimeError
            raise kind(str(reply.get("message", "la version de référence a échoué")))
        return reply


CALLBACK_PROMPT = "\x00coursekit-callback:"
_CONTEXT_METHODS = ("forward", "backward")
_ABSENT = object()
MAX_RECORDED = 50
MAX_OPERAND_CALLS = 200


def _tensors(obj, found: list, depth: int = 0) -> list:
    """The tensors in `obj`, in the order the grader's side finds them too."""
    torch = _torch()
    if depth > MAX_DEPTH:
        return found
    if torch is not None and isinstance(obj, torch.Tensor):
        found.append(obj)
    elif type(obj) in (list, tuple):
        for item in obj:
            _tensors(item, found, depth + 1)
    elif type(obj) is dict:
        for item in obj.values():
            _tensors(item, found, depth + 1)
    return found


def _stand_in(agent: "Agent", name: str, with_context: bool = False):
    """A function that forwards its calls to the grader's reference `name`. Tensors it
    receives are updated in place as the reference updated them (a module travels as its
    parameters, which the reference may read); when a gradient is wanted,
    the call is an autograd Function whose backward also asks the grader. `with_context`:
    the first argument is a `ctx` object, sent as its identity (the grader holds its content)."""
    torch = _torch()

    def call(*args, **kwargs):
        payload = {"name": name}
        if with_context:
            if not args:
                raise TypeError(f"{name}() attend un contexte ctx comme premier argument")
            ctx, args = args[0], args[1:]
            agent.contexts[id(ctx)] = ctx  # kept alive, so its identity is not reused
            payload["ctx"] = id(ctx)
        leaves = _tensors((args, kwargs), [])
        payload.update(_encode_arguments(args, kwargs, []))
        if not with_context and torch.is_grad_enabled() and any(t.requires_grad for t in leaves):
            return _differentiable().apply(agent, payload, [t.requires_grad for t in leaves], *leaves)
        reply = agent.callback({**payload, "kind": "call"})
        with torch.no_grad():
            for leaf, after in zip(leaves, decode(reply["after"])):
                if not bool(torch.equal(leaf, after.to(leaf.device))):
                    leaf.copy_(after)
        return decode(reply["value"])

    call.__name__ = call.__qualname__ = name
    return call


def _encode_arguments(args, kwargs, modules: list) -> dict:
    """A stand-in's arguments for the grader: values, and each module (appended to `modules`)
    as its parameters and their gradients."""
    torch = _torch()

    def as_parameters(obj):
        if not isinstance(obj, torch.nn.Module):
            raise NotAValue(f"un objet de type {type(obj).__qualname__} n'est pas une valeur")
        modules.append(obj)
        return {"t": "ref", "id": len(modules), "module": [[encode(p), encode(p.grad)] for p in obj.parameters()]}

    return {"args": encode(list(args), as_parameters), "kwargs": encode(kwargs, as_parameters)}


def _set_grad(tensor, grad) -> None:
    if grad is None:
        tensor.grad = None
    elif tensor.grad is not None and tensor.grad.shape == grad.shape:
        tensor.grad.copy_(grad)
    else:
        tensor.grad = grad.to(tensor.device, tensor.dtype)


def _updating_stand_in(agent: "Agent", name: str):
    """A stand-in for a reference that updates its arguments in place (a gradient step):
    tensors travel with their `.grad`, a module as its parameters and their gradients (the
    grader can update them, not call the module); what the reference changed is copied back."""
    torch = _torch()

    def call(*args, **kwargs):
        modules = []
        leaves = _tensors((args, kwargs), [])
        payload = {"name": name, "kind": "update", **_encode_arguments(args, kwargs, modules),
                   "grads": encode([leaf.grad for leaf in leaves])}
        reply = agent.callback(payload)
        with torch.no_grad():
            changed = zip(leaves, decode(reply["after"]), decode(reply["after_grads"]))
            changed = [*changed, *((p, d, g) for module, state in zip(modules, reply["modules"])
                                   for p, (d, g) in zip(module.parameters(), decode(state)))]
            for tensor, data, grad in changed:
                tensor.copy_(data)
                _set_grad(tensor, grad)
        return decode(reply["value"])

    call.__name__ = call.__qualname__ = name
    return call


@functools.lru_cache(maxsize=1)
def _differentiable():
    """The autograd Function of stand-ins, defined once torch is there."""
    torch = _torch()

    class Differentiable(torch.autograd.Function):
        """Values and gradients of a grader-side reference, computed by the grader."""

        @staticmethod
        def forward(ctx, agent, payload, requires, *leaves):
            ctx.agent, ctx.payload, ctx.requires = agent, payload, requires
            ctx.devices = [leaf.device for leaf in leaves]
            reply = agent.callback({**payload, "kind": "forward"})
            return decode(reply["value"])

        @staticmethod
        def backward(ctx, *grad_outputs):
            reply = ctx.agent.callback({**ctx.payload, "kind": "backward", "requires": ctx.requires,
                                        "grads": encode(list(grad_outputs))})
            grads = [g if g is None else g.to(device) for g, device in zip(decode(reply["value"]), ctx.devices)]
            return (None, None, None, *grads)

    return Differentiable


def _recorder(names: list, operands_of: str = ""):
    """A TorchFunctionMode that notes calls of the named torch functions and the shapes of
    their operands; for the function `operands_of`, the tensor operands themselves (values)
    and whether gradients were being recorded."""
    if not names and not operands_of:
        return None
    from torch.overrides import TorchFunctionMode
    torch = _torch()
    wanted = set(names)

    class Recorder(TorchFunctionMode):
        def __init__(self):
            super().__init__()
            self.found, self.operands = [], []

        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            result = func(*args, **kwargs)
            name = getattr(func, "__name__", "")
            operands = list(args) + list(kwargs.values())
            if name in wanted and len(self.found) < MAX_RECORDED:
                self.found.append([name, [_shape_or_type(torch, x) for x in operands], _shape_or_type(torch, result)])
            if name == operands_of and len(self.operands) < MAX_OPERAND_CALLS:
                self.operands.append([[encode(x) if isinstance(x, torch.Tensor) else {"t": "none"} for x in operands],
                                      torch.is_grad_enabled()])
            return result

    return Recorder()


def _shape_or_type(torch, x):
    return [int(d) for d in x.shape] if isinstance(x, torch.Tensor) else type(x).__name__


class _Globals:
    """Attribute access on the notebook's namespace (the root of `kernel.<name>` paths)."""

    def __init__(self, namespace: dict) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str):
        try:
            return self._namespace[name]
        except KeyError:
            if hasattr(builtins, name):
                return getattr(builtins, name)
            raise NameError(f"name '{name}' is not defined") from None


class _Guard:
    """A forbidden call, for the duration of one request: calling it is recorded and raises.

    A tripwire, not a wall: code that reaches the original some other way is not seen."""

    def __init__(self, dotted: str, namespace: dict) -> None:
        module_name, _, attribute = dotted.rpartition(".")
        self.dotted, self.attribute, self.calls = dotted, attribute, set()
        self.owner = _lookup(module_name)
        self.original = getattr(self.owner, attribute, None) if self.owner is not None else None
        self.own = self.owner is not None and attribute in vars(self.owner)

    def install(self) -> None:
        if self.original is None:
            return
        guard = self

        def forbidden(*args, **kwargs):
            guard.calls.add(guard.dotted)
            raise RuntimeError(f"{guard.dotted} est interdit dans cet exercice")

        try:
            setattr(self.owner, self.attribute, forbidden)
        except (AttributeError, TypeError):
            self.original = None

    def remove(self) -> None:
        if self.original is not None:
            if self.own:
                setattr(self.owner, self.attribute, self.original)
            else:  # the attribute came from a base class: uncover it again
                delattr(self.owner, self.attribute)


def _lookup(dotted: str):
    parts = dotted.split(".")
    obj = sys.modules.get(parts[0])
    for part in parts[1:]:
        obj = getattr(obj, part, None) if obj is not None else None
    return obj


def _describe(error: BaseException) -> dict:
    """Type, message and the student's own frames (the kernel's `<ipython-input>` cells)."""
    frames = [f"  ligne {frame.lineno}, dans {frame.name} : {frame.line}"
              for frame in traceback.extract_tb(error.__traceback__)
              if frame.filename.startswith(("<ipython-input", "/tmp/ipykernel", "<cell"))
              or "ipykernel_" in frame.filename]
    try:
        message = str(error)
    except Exception:  # noqa: BLE001 -- a hostile __str__
        message = "(message illisible)"
    return {"type": type(error).__name__, "message": message[:2000], "frames": frames[-5:]}


def install(namespace: dict):
    """Make the agent importable in the kernel as `_coursekit_agent` (called at warm-up)."""
    import types
    module = types.ModuleType(MODULE_NAME)
    module.__dict__.update({name: value for name, value in globals().items() if not name.startswith("__")})
    module.agent = Agent(namespace)
    sys.modules[MODULE_NAME] = module
    return module.agent
