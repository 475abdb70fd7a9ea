"""Judging test cells outside the student's kernel: the verdict the student cannot forge.

A test cell is written once, with the `Checks` API of the stamped helper cell (`with
checks.visible(…)`, `@checks.hidden(points, …)`, `value`, `remote`, `expect_*`). Stock
nbgrader runs it in the student's kernel, as any cell. Our engine runs it here instead, in
a trusted process that never executes the student's code:

- the names the teacher's helper cells and `trusted`-tagged cells define (torch, `Checks`,
  the data of the TP) are this process's own, built from the teacher notebook;
- every other name the cell reads (`MSE`, `train`, …) is a `RemoteRef` into the student's
  kernel: calling it sends the grader's inputs to the kernel's agent (agent.py), which calls
  the student's function and sends back raw values (or a reference to what is not a value);
- comparisons, expected values, references, points and messages stay here; the cell's
  outputs (report, score, error) are written by the grader, never by the kernel.

A call whose arguments are all local values returns a local value (a copy: nothing the
grader holds can alias it); a call that involves kernel objects returns a `RemoteRef`,
read with `value(…)`. The worker speaks JSON lines on stdin/stdout (see `main`).
"""
from __future__ import annotations

import ast
import base64
import builtins
import contextlib
import dis
import importlib
import io
import json
import marshal
import pickle
import sys
import time
import types

import nbformat
import zmq

from . import agent
from ..notebooks import grade_id, is_answer_cell, is_test_cell
from ..stamping import PREFIX as HELPER_PREFIX
from ..submissions import strip_solution_markers
from .agent import decode, encode
from .zygote import serve

AGENT_CALL = f"__import__({agent.MODULE_NAME!r}).agent.handle({{!r}})"
TRUSTED_TAG = "trusted"
STUDENT_OUTPUT_CHARS = 20_000  # what the student's own prints may add to one test cell
RECOVERY_SECONDS = 10  # an interrupted call must return within this, or the kernel is lost


class StudentError(Exception):
    """The student's code raised in the kernel. Each kind of error the kernel reports gets a
    class of the same name, a subclass of the builtin exception of that name when there is one,
    so that `except ValueError` and the checks' messages work as they would in the kernel."""

    def __init__(self, error: dict) -> None:
        frames = "".join(f"\n{frame}" for frame in error.get("frames", []))
        super().__init__(str(error.get("message", "")) + frames)


_STUDENT_ERRORS: dict[str, type] = {}


def student_error(error: dict) -> StudentError:
    kind = str(error.get("type", "Exception"))
    kind = kind if kind.isidentifier() and len(kind) <= 60 else "Exception"
    if kind not in _STUDENT_ERRORS:
        builtin = TypeError if kind == "NotAValue" else getattr(builtins, kind, None)
        try:  # `except ValueError` in a check catches the kernel's ValueError
            if not (isinstance(builtin, type) and issubclass(builtin, Exception)):
                raise TypeError
            _STUDENT_ERRORS[kind] = type(kind, (StudentError, builtin), {"__module__": "noyau", "__str__": StudentError.__str__})
        except TypeError:  # an exception class whose layout cannot be mixed in
            _STUDENT_ERRORS[kind] = type(kind, (StudentError,), {"__module__": "noyau"})
    return _STUDENT_ERRORS[kind](error)


class KernelLost(Exception):
    """The kernel stopped answering: it died, or a call ran past the cell's time limit."""

    def __init__(self, message: str, timed_out: bool) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class Channel:
    """Requests to the agent of one kernel, over the kernel's own Jupyter channels."""

    def __init__(self) -> None:
        self.client = None
        self.epoch = 0
        self.deadline = float("inf")
        self.lost: KernelLost | None = None
        self.forbid: list[str] = []
        self.forbidden_calls: set[str] = set()
        self.student_chars = 0
        self.budget = float("inf")
        self.timeouts = 0
        self.sent: set[str] = set()  # requests whose output may still arrive
        self.last: str | None = None
        self.references = References()
        self.record: list[str] = []
        self.recorded: list = []
        self.operands_of = ""
        self.operands: list = []

    def connect(self, connection_info: dict) -> None:
        from jupyter_client.blocking.client import BlockingKernelClient
        self.close()
        info = dict(connection_info)
        info["key"] = info["key"].encode() if isinstance(info.get("key"), str) else info.get("key", b"")
        self.client = BlockingKernelClient()
        self.client.load_connection_info(info)
        self.client.start_channels(hb=False)
        self.poller = zmq.Poller()
        for channel in (self.client.shell_channel, self.client.stdin_channel):
            self.poller.register(channel.socket, zmq.POLLIN)
        self.lost, self.sent, self.last = None, set(), None

    def close(self) -> None:
        if self.client is not None:
            self.client.stop_channels()
            self.client = None

    def request(self, message: dict) -> dict:
        """Send one request, wait for its answer, echo the student's prints; raise what it raised."""
        if self.lost is not None:
            raise self.lost
        if self.client is None:
            raise KernelLost("no kernel", timed_out=False)
        if time.monotonic() >= self.deadline:
            raise KernelLost(f"temps limite dépassé ({self.budget:g} s)", timed_out=True)
        self.epoch += 1
        if self.forbid:
            message = {**message, "forbid": list(self.forbid)}
        if self.record:
            message = {**message, "record": list(self.record)}
        if self.operands_of:
            message = {**message, "operands_of": self.operands_of}
        text = json.dumps(message)
        msg_id = self.client.execute("", silent=True, store_history=False, allow_stdin=True,
                                     user_expressions={"r": AGENT_CALL.format(text)})
        self.sent.add(msg_id)
        self.last = msg_id
        reply = self._reply(msg_id)
        self.drain_output(wait_for=None)
        result = reply["content"].get("user_expressions", {}).get("r", {})
        if result.get("status") != "ok":
            raise student_error({"type": "AgentError", "message": "l'outil de vérification du noyau ne répond plus "
                                f"({result.get('ename', reply['content'].get('ename'))})"})
        try:
            answer = json.loads(ast.literal_eval(result["data"]["text/plain"]))
        except (ValueError, SyntaxError, KeyError, TypeError):
            raise student_error({"type": "AgentError", "message": "réponse illisible du noyau"}) from None
        self.forbidden_calls.update(str(c) for c in answer.get("forbidden", []))
        self.recorded.extend(answer.get("ops", []))
        self.operands.extend(([decode(t) for t in trees], bool(grad)) for trees, grad in answer.get("operands", []))
        if not answer.get("ok"):
            raise student_error(answer.get("error", {}))
        return answer

    def _reply(self, msg_id: str) -> dict:
        """Wait for the reply to `msg_id`, answering the kernel's callbacks meanwhile."""
        shell, stdin, poller = self.client.shell_channel, self.client.stdin_channel, self.poller
        while True:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                self._interrupt(msg_id)
                self.timeouts += 1
                raise KernelLost(f"temps limite dépassé ({self.budget:g} s) : l'appel a été interrompu",
                                 timed_out=True)
            ready = dict(poller.poll(timeout=min(remaining, 3600) * 1000))
            if stdin.socket in ready:
                self._answer_callback(stdin.get_msg(timeout=0))
            if shell.socket in ready:
                reply = shell.get_msg(timeout=0)
                if reply.get("parent_header", {}).get("msg_id") == msg_id:
                    return reply

    def _answer_callback(self, msg: dict) -> None:
        """An input request: a stand-in asking for a reference result, or the student's input()."""
        prompt = str(msg.get("content", {}).get("prompt", ""))
        if not prompt.startswith(agent.CALLBACK_PROMPT):
            self.client.input("\x04")  # the student's own input(): end of file
            return
        try:
            answer = {"ok": True, **self.references.answer(json.loads(prompt[len(agent.CALLBACK_PROMPT):]))}
        except Exception as error:  # noqa: BLE001 -- raised again in the kernel, by the stand-in
            answer = {"ok": False, "type": type(error).__name__, "message": str(error)}
        self.client.input(json.dumps(answer))

    def start_check(self) -> None:
        """Each check has the cell's time limit for its calls."""
        self.deadline = time.monotonic() + self.budget

    def _interrupt(self, msg_id: str) -> None:
        """Interrupt the student's call; the kernel is lost unless it answers within seconds."""
        try:
            self.client.control_channel.send(self.client.session.msg("interrupt_request", content={}))
        except Exception:  # noqa: BLE001 -- a dead kernel cannot be interrupted
            pass
        end = time.monotonic() + RECOVERY_SECONDS
        while time.monotonic() < end:
            try:
                reply = self.client.get_shell_msg(timeout=max(0.01, end - time.monotonic()))
            except Exception:  # queue.Empty
                break
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return
        self.lost = KernelLost("le noyau ne répond plus", timed_out=True)

    def drain_output(self, wait_for: str | None) -> None:
        """Echo the student's prints of our requests; with `wait_for`, until that request's
        idle status (the kernel publishes it after the reply), else only what has arrived."""
        if wait_for is not None and wait_for not in self.sent:
            wait_for = None  # its idle status has already been read
        end = time.monotonic() + (5 if wait_for else 0)
        while True:
            try:
                msg = self.client.get_iopub_msg(timeout=max(0.0, end - time.monotonic()))
            except Exception:  # queue.Empty
                return
            parent = msg.get("parent_header", {}).get("msg_id")
            if parent not in self.sent:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream" and content.get("name") == "stdout":
                self._echo(str(content.get("text", "")))
            elif kind == "status" and content.get("execution_state") == "idle":
                self.sent.discard(parent)
                if parent == wait_for:
                    return

    def _echo(self, text: str) -> None:
        room = STUDENT_OUTPUT_CHARS - self.student_chars
        if room > 0:
            sys.stdout.write(text[:room])
            self.student_chars += min(len(text), room)


class References:
    """Grader-side references that stand in for a student's function while a check runs
    (an error is then counted once, in its own exercise). The kernel holds only stand-ins
    that ask for each result; the references never leave this process."""

    def __init__(self) -> None:
        self.functions: dict[str, object] = {}
        self.contexts: dict[int, SavedContext] = {}

    def answer(self, question: dict) -> dict:
        import torch
        reference = self.functions[question["name"]]
        if question["kind"] == "update":
            return self._update(reference, question)
        args, kwargs, _ = _decode_arguments(question)
        leaves = agent._tensors((args, kwargs), [])
        if "ctx" in question:  # a Function's forward or backward: its context lives here
            args = [self.contexts.setdefault(int(question["ctx"]), SavedContext()), *args]
        if question["kind"] == "call":
            result = reference(*args, **kwargs)
            return {"value": encode(result), "after": encode(leaves)}
        if question["kind"] == "forward":
            with torch.no_grad():
                return {"value": encode(reference(*args, **kwargs))}
        wanted = [leaf.requires_grad_(True) for leaf, needs in zip(leaves, question["requires"])
                  if needs and (leaf.is_floating_point() or leaf.is_complex())]
        with torch.enable_grad():
            outputs = reference(*args, **kwargs)
        outputs = list(outputs) if isinstance(outputs, (tuple, list)) else [outputs]
        grads_out = decode(question["grads"])
        pairs = [(o, g) for o, g in zip(outputs, grads_out) if isinstance(o, torch.Tensor) and o.requires_grad
                 and g is not None]
        grads = torch.autograd.grad([o for o, _ in pairs], wanted, [g for _, g in pairs], allow_unused=True) \
            if pairs and wanted else [None] * len(wanted)
        by_leaf = dict(zip(map(id, wanted), grads))
        return {"value": encode([by_leaf.get(id(leaf)) for leaf in leaves])}

    @staticmethod
    def _update(reference, question: dict) -> dict:
        """An in-place reference: the tensors come with their gradients, a module as a stand-in
        holding its parameters; the reference's changes to both go back."""
        args, kwargs, modules = _decode_arguments(question)
        leaves = agent._tensors((args, kwargs), [])
        for leaf, grad in zip(leaves, decode(question["grads"])):
            leaf.grad = grad
        result = reference(*args, **kwargs)
        return {"value": encode(result), "after": encode([leaf.detach() for leaf in leaves]),
                "after_grads": encode([leaf.grad for leaf in leaves]),
                "modules": [encode([[p.detach(), p.grad] for p in module.parameters()]) for module in modules]}


def _decode_arguments(question: dict) -> tuple[list, dict, list]:
    """A stand-in's arguments; a kernel module arrives as a module holding copies of its
    parameters (with their gradients), which a reference can read or update, not call."""
    import torch
    modules = []

    def module_of(tree):
        if "module" not in tree:
            raise LookupError("a kernel object reached the grader")
        module = torch.nn.Module()
        module.params = torch.nn.ParameterList(
            torch.nn.Parameter(decode(data).detach(), requires_grad=True) for data, _ in tree["module"])
        for parameter, (_, grad) in zip(module.params, tree["module"]):
            parameter.grad = decode(grad)
        modules.append(module)
        return module

    return decode(question["args"], module_of), decode(question["kwargs"], module_of), modules


class SavedContext:
    """The grader-side `ctx` of a reference Function's forward and backward."""

    def __init__(self) -> None:
        self.saved_tensors: tuple = ()

    def save_for_backward(self, *tensors) -> None:
        self.saved_tensors = tensors


# -- the grader's view of kernel objects --------------------------------------------------------

class RemoteRef:
    """An object of the student's kernel: a root (a global name, the namespace, a reference
    number) and a path of attributes and items, resolved there when it is used."""

    __slots__ = ("_channel", "_root", "_ops", "_cached")

    def __init__(self, channel: Channel, root: dict, ops: tuple = (), cached=None) -> None:
        object.__setattr__(self, "_channel", channel)
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_ops", ops)
        object.__setattr__(self, "_cached", cached)  # (epoch, encoded value) of a fresh answer

    def _tree(self) -> dict:
        ops = [[kind, key if kind == "attr" else _encode_local(key)[0]] for kind, key in self._ops]
        return {"root": self._root, "ops": ops}

    def __getattr__(self, name: str) -> "RemoteRef":
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return RemoteRef(self._channel, self._root, self._ops + (("attr", name),))

    def __getitem__(self, key) -> "RemoteRef":
        return RemoteRef(self._channel, self._root, self._ops + (("item", key),))

    def __setattr__(self, name: str, new) -> None:
        self._channel.request({"op": "setattr", "path": self._tree(), "name": name,
                               "value": _encode_local(new)[0]})

    def __setitem__(self, key, new) -> None:
        self._channel.request({"op": "setitem", "path": self._tree(), "key": _encode_local(key)[0],
                               "value": _encode_local(new)[0]})

    def __call__(self, *args, **kwargs):
        encoded_args, remote_args = zip(*(_encode_local(a) for a in args)) if args else ((), ())
        encoded_kwargs = [[k, *_encode_local(v)] for k, v in kwargs.items()]
        answer = self._channel.request({"op": "call", "path": self._tree(), "args": list(encoded_args),
                                        "kwargs": [[k, v] for k, v, _ in encoded_kwargs]})
        involves_kernel = "ref" in self._root or any(remote_args) or any(r for _, _, r in encoded_kwargs)
        if not involves_kernel and "value" in answer:
            return decode(answer["value"], self._resolver())
        return self._reference(answer)

    def _reference(self, answer: dict) -> "RemoteRef":
        cached = (self._channel.epoch, answer["value"]) if "value" in answer else None
        return RemoteRef(self._channel, {"ref": answer["ref"], "type": answer.get("type", "")}, (), cached)

    def _resolver(self):
        channel = self._channel
        return lambda tree: RemoteRef(channel, {"ref": tree["id"], "type": tree.get("type", "")})

    def __len__(self) -> int:
        return decode(self._channel.request({"op": "len", "path": self._tree()})["value"])

    def __iter__(self):
        answer = self._channel.request({"op": "iter", "path": self._tree()})
        return iter([self._reference(item) for item in answer["items"]])

    def __bool__(self) -> bool:
        raise TypeError("objet du noyau de l'étudiant : lisez-le avec value(…) avant de le tester")

    def __eq__(self, other) -> bool:
        raise TypeError("objet du noyau de l'étudiant : comparez value(…), ou same_object(a, b)")

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        root = self._root
        name = root.get("global") or (f"<{root.get('type') or 'objet'} n°{root['ref']}>" if "ref" in root else "kernel")
        return name + "".join(f".{key}" if kind == "attr" else f"[{key!r}]" for kind, key in self._ops)


def _call_local(function, args):
    try:
        return function(*args)
    except Exception as error:  # noqa: BLE001 -- returned, as the kernel's are
        return error


def _encode_local(obj) -> tuple[dict, bool]:
    """Encode a grader-side value for the kernel; `RemoteRef`s travel as paths. The flag says
    whether a kernel object was involved."""
    involved = []

    def refer(item):
        if isinstance(item, RemoteRef):
            involved.append(True)
            return {"t": "path", "path": item._tree()}
        raise TypeError(f"{type(item).__qualname__} : seules des valeurs (ou des objets du noyau, créés par "
                        "remote(…)) peuvent être passées aux fonctions de l'étudiant")

    return encode(obj, refer), bool(involved)


def value(x):
    """The plain value of `x`: fetched from the kernel for a `RemoteRef` (a copy, which no
    kernel object can alias), recursively for containers, unchanged for local values."""
    if isinstance(x, RemoteRef):
        channel = x._channel
        if x._cached is not None and x._cached[0] == channel.epoch:
            return decode(x._cached[1])
        return decode(channel.request({"op": "value", "path": x._tree()})["value"])
    if type(x) in (list, tuple):
        return type(x)(value(item) for item in x)
    if type(x) is dict:
        return {k: value(v) for k, v in x.items()}
    return x


class _ToKernel(pickle.Pickler):
    """Pickles a grader object for the kernel. A function defined in a test cell (a model the
    student's descent is given, a recorder) travels as its compiled code, with its defaults,
    the values it closes over and the globals it reads: it runs in the kernel, next to the
    student's code, so it must hold nothing the student may not see. Modules travel by name,
    `RemoteRef`s as the kernel objects they stand for."""

    def __init__(self, file) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._reductions: dict[int, tuple] = {}  # one reduction per object: recursion ends in pickle's memo

    def reducer_override(self, obj):
        if isinstance(obj, RemoteRef):
            return agent.kernel_object, (obj._tree(),)
        if isinstance(obj, types.ModuleType):
            return importlib.import_module, (obj.__name__,)
        if isinstance(obj, types.FunctionType) and obj.__module__ == "__main__":
            if id(obj) not in self._reductions:  # state set once it exists: it may refer to itself
                self._reductions[id(obj)] = (agent.rebuild_function, _function_parts(obj), _function_state(obj),
                                             None, None, agent.set_function_state)
            return self._reductions[id(obj)]
        if isinstance(obj, type) and obj.__module__ == "__main__":
            raise pickle.PicklingError(f"class {obj.__qualname__} of a test cell cannot be sent to the kernel: "
                                       "send functions (a closure can hold the state)")
        return NotImplemented


def _function_parts(function: types.FunctionType) -> tuple:
    names = _global_names(function.__code__)
    namespace = {name: function.__globals__[name] for name in sorted(names) if name in function.__globals__}
    return (marshal.dumps(function.__code__), function.__name__, function.__qualname__, function.__defaults__,
            function.__kwdefaults__, len(function.__closure__ or ()), namespace)


def _function_state(function: types.FunctionType) -> tuple:
    """What the function closes over and its attributes (`model.calls = []`)."""
    try:
        closure = [cell.cell_contents for cell in function.__closure__ or ()]
    except ValueError:
        raise pickle.PicklingError(f"{function.__qualname__} closes over a name not yet assigned") from None
    return closure, dict(vars(function))


def _global_names(code: types.CodeType) -> set[str]:
    """The global names a function's code (and the code nested in it) reads or writes."""
    names = {i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "STORE_GLOBAL", "LOAD_NAME")}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def to_kernel(obj) -> dict:
    """The tree of a grader object that is not a value, pickled for the kernel (`_ToKernel`)."""
    buffer = io.BytesIO()
    _ToKernel(buffer).dump(obj)
    return {"t": "pickle", "v": base64.b64encode(buffer.getvalue()).decode()}


class _MarkedReference:
    def __init__(self, function) -> None:
        self.function = function


class InPlace(_MarkedReference):
    """A reference that updates its arguments in place (`in_place(reference)`)."""


class InKernel(_MarkedReference):
    """A reference that builds or trains a model, copied into the kernel (`in_kernel(reference)`)."""


def make_api(channel: Channel, context: dict, passed: dict[str, bool]) -> dict:
    """The judge's versions of the names whose kernel versions are in the checks snippet."""

    @contextlib.contextmanager
    def references(unless_passed: str = "", **functions):
        """While the block runs, the student's functions named here are stand-ins for these
        references, computed here, unless the student's own passed every check of the cell
        `unless_passed` (then using them costs nothing and no stand-in is needed)."""
        if unless_passed and passed.get(unless_passed):
            yield
            return
        registered, classes, updating, copies = channel.references.functions, {}, [], {}
        for name, reference in functions.items():
            if isinstance(reference, InKernel):  # it runs there: nothing to answer here
                copies[name] = to_kernel(reference.function)
            elif isinstance(reference, InPlace):
                updating.append(name)
                registered[name] = reference.function
            elif isinstance(reference, type):  # an autograd.Function: its methods are the references
                classes[name] = [m for m in ("forward", "backward", "apply") if hasattr(reference, m)]
                registered.update({f"{name}.{m}": getattr(reference, m) for m in classes[name]})
            else:
                registered[name] = reference
        channel.request({"op": "substitute", "names": sorted(functions), "classes": classes, "in_place": updating,
                         "copies": copies})
        try:
            yield
        finally:
            if channel.lost is None:
                channel.request({"op": "restore", "names": sorted(functions)})
            for name in functions:
                for key in [name, *(f"{name}.{m}" for m in classes.get(name, []))]:
                    registered.pop(key, None)
            if not registered:
                channel.references.contexts.clear()

    def call_each(function, calls: list) -> list:
        """`function(*args)` for each tuple of arguments, in one exchange with the kernel: the
        value, or the exception the call raised."""
        if not isinstance(function, RemoteRef):
            return [_call_local(function, args) for args in calls]
        encoded = [[[_encode_local(a)[0] for a in args], []] for args in calls]
        answer = channel.request({"op": "map", "path": function._tree(), "calls": encoded})
        resolver = function._resolver()
        return [decode(r["value"], resolver) if "value" in r else student_error(r["error"]) for r in answer["results"]]

    @contextlib.contextmanager
    def recorded_ops(*names: str):
        """The calls of these torch functions made in the kernel during the block."""
        saved, found = channel.record, []
        channel.record, channel.recorded = saved + list(names), found
        try:
            yield found
        finally:
            channel.record = saved

    @contextlib.contextmanager
    def recorded_operands(name: str):
        """The tensor operands (copies) of each call of the torch function `name` made in the
        kernel during the block, with whether gradients were being recorded."""
        saved, found = channel.operands_of, []
        channel.operands_of, channel.operands = name, found
        try:
            yield found
        finally:
            channel.operands_of = saved

    def remote(x):
        """A copy of `x` in the student's kernel, as a `RemoteRef`; an object that is not a
        value (a `torch.nn.Linear`, a function of the test cell) travels pickled (`to_kernel`),
        from the grader to the kernel only."""
        if isinstance(x, RemoteRef):
            return x
        try:
            tree = _encode_local(x)[0]
        except TypeError:
            tree = to_kernel(x)
        answer = channel.request({"op": "put", "value": tree})
        return RemoteRef(channel, {"ref": answer["ref"]})

    def same_object(a, b) -> bool:
        if isinstance(a, RemoteRef) and isinstance(b, RemoteRef):
            return decode(channel.request({"op": "same", "a": a._tree(), "b": b._tree()})["value"])
        return a is b

    @contextlib.contextmanager
    def forbidden(*dotted: str, why: str = ""):
        saved, calls = channel.forbid, channel.forbidden_calls
        channel.forbid, channel.forbidden_calls = saved + list(dotted), set()
        try:
            yield
        finally:
            seen = channel.forbidden_calls & set(dotted)
            channel.forbid, channel.forbidden_calls = saved, calls | channel.forbidden_calls
        context["_refuse_calls"](seen, why)

    return {"_check_started": channel.start_check,
            "value": value, "remote": remote, "in_place": InPlace, "in_kernel": InKernel, "same_object": same_object, "forbidden": forbidden,
            "references": references, "recorded_ops": recorded_ops, "recorded_operands": recorded_operands, "call_each": call_each, "kernel": RemoteRef(channel, {"ns": 1})}


# -- running test cells -------------------------------------------------------------------------

def is_judged(cell) -> bool:
    """Test cells written with the out-of-kernel API. Cells still written the older way
    (`checks.check(…)` with references swapped into the kernel's globals) run in the kernel
    until they are rewritten."""
    source = cell.source
    return is_test_cell(cell) and ("checks.visible(" in source or "@checks.hidden(" in source) \
        and "checks.check(" not in source and "use_references(" not in source


def defined_names(source: str) -> set[str]:
    """Names a cell binds in its global namespace (functions, classes, assignments, imports, loop
    and `with` targets), also inside its `if`, `for`, `with` and `try` blocks."""
    names: set[str] = set()

    def bound(target) -> set[str]:
        return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}

    def visit(statements) -> None:
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
                continue
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    names.update(bound(target))
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                names.update(bound(node.target))
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                names.update(n for item in node.items if item.optional_vars is not None for n in bound(item.optional_vars))
            for field in ("body", "orelse", "finalbody"):
                visit(getattr(node, field, []))
            for handler in getattr(node, "handlers", []):
                visit(handler.body)

    visit(ast.parse(source).body)
    return names


def definitions_only(tree: ast.Module) -> ast.Module:
    """The top-level statements of a test cell that bind names later cells may read (imports,
    helpers, references, constants), without its checks (`checks.visible` blocks,
    `@checks.hidden` functions) or its final score."""
    def is_check(node) -> bool:
        return any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr == "hidden"
                   for d in getattr(node, "decorator_list", []))

    kept = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Assign,
            ast.AnnAssign, ast.AugAssign)
    return ast.Module(body=[node for node in tree.body if isinstance(node, kept) and not is_check(node)],
                      type_ignores=[])


def _read_names(tree: ast.AST) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


class Judge:
    """The trusted side of one assignment: its test cells and the context they run in."""

    def __init__(self, teacher: nbformat.NotebookNode) -> None:
        cells = teacher["cells"]
        self.tests = {grade_id(c): c.source for c in cells if is_judged(c)}
        self.student_names = set()
        for cell in cells:
            if cell.cell_type == "code" and is_answer_cell(cell):
                self.student_names |= defined_names(strip_solution_markers(cell.source))
        self.channel = Channel()
        self.context = {"__name__": "__main__", "__builtins__": builtins}
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            for cell in cells:
                trusted = (grade_id(cell) or "").startswith(HELPER_PREFIX) or TRUSTED_TAG in cell.metadata.get("tags", [])
                if cell.cell_type == "code" and trusted:
                    exec(compile(cell.source, f"<{grade_id(cell) or 'cellule fournie'}>", "exec"), self.context)
        self.passed: dict[str, bool] = {}
        self.points = {grade_id(c): float(c.metadata.nbgrader.get("points", 0)) for c in cells if is_judged(c)}
        self.context.update(make_api(self.channel, self.context, self.passed))
        self.namespace: dict = {}

    def begin(self, connection_info: dict) -> None:
        """A new submission: a fresh namespace, the kernel's channels."""
        self.channel.connect(connection_info)
        self.namespace = dict(self.context)
        self.passed.clear()

    def end(self) -> None:
        self.channel.close()

    def run(self, grade_id: str, timeout: float, define_only: bool = False) -> dict:
        """Run one test cell here; returns its nbformat outputs and what stopped it. With
        `define_only` (the validity harness, for cells that judge the teacher's own answers,
        which pass) only the names it defines for later cells are bound and the cell counts as
        passed: no check runs."""
        source = self.tests[grade_id]
        tree = ast.parse(source)
        if define_only:
            tree = definitions_only(tree)
        for name in (_read_names(tree) - set(self.namespace) - set(dir(builtins))) | self.student_names:
            if name not in self.context or name in self.student_names:
                self.namespace[name] = RemoteRef(self.channel, {"global": name})
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        channel = self.channel
        channel.budget, channel.timeouts, channel.student_chars = timeout, 0, 0
        channel.start_check()
        buffer = io.StringIO()
        outputs, result, error = [], None, None
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()):
            try:
                exec(compile(tree, f"<{grade_id}>", "exec"), self.namespace)
                if last is not None:
                    result = eval(compile(ast.Expression(last.value), f"<{grade_id}>", "eval"), self.namespace)
            except Exception as exc:  # noqa: BLE001 -- the cell's own failure is its verdict
                error = exc
        try:
            if channel.lost is None:
                channel.start_check()
                with contextlib.redirect_stdout(buffer):
                    channel.request({"op": "release"})
                    channel.drain_output(wait_for=channel.last)
        except (StudentError, KernelLost):
            pass
        channel.deadline = float("inf")
        if define_only:
            self.passed[grade_id] = error is None
            return {"outputs": [], "lost": channel.lost is not None, "timeouts": channel.timeouts}
        self.passed[grade_id] = error is None and (result is None or float(result) >= self.points[grade_id] - 1e-9)
        if buffer.getvalue():
            outputs.append({"output_type": "stream", "name": "stdout", "text": buffer.getvalue()})
        if error is not None:
            message = str(error)
            outputs.append({"output_type": "error", "ename": type(error).__name__, "evalue": message,
                            "traceback": [f"{type(error).__name__}: {message}"]})
        elif result is not None:
            outputs.append({"output_type": "execute_result", "execution_count": None, "metadata": {},
                            "data": {"text/plain": repr(result)}})
        return {"outputs": outputs, "lost": channel.lost is not None, "timeouts": channel.timeouts}


def main() -> None:
    """The judge worker: one JSON request per line on stdin, one answer per line on stdout.

      {"cmd": "open", "notebook": <teacher notebook JSON>}            -> {"ok": true}
      {"cmd": "begin", "connection": <kernel connection info>}        -> {"ok": true}
      {"cmd": "cell", "cell": <grade id>, "timeout": <seconds per check>, "define_only": b}
                                                 -> {"outputs": [...], "lost": b, "timeouts": n}
      {"cmd": "end"}                                                  -> {"ok": true}
    """
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing but answers on the protocol stream
    judge: Judge | None = None

    def open_notebook(request: dict) -> dict:
        nonlocal judge
        judge = Judge(nbformat.reads(request["notebook"], as_version=4))
        return {"ok": True, "cells": sorted(judge.tests)}

    def begin(request: dict) -> dict:
        judge.begin(request["connection"])
        return {"ok": True}

    def end(request: dict) -> dict:
        judge.end()
        return {"ok": True}
    serve({"open": open_notebook, "begin": begin, "end": end,
           "cell": lambda request: judge.run(request["cell"], float(request["timeout"]), bool(request.get("define_only")))},
          out, report_errors=True)


if __name__ == "__main__":
    main()
