"""Tamper canary: did the student's code change what the tests rely on?

A test cell can only be trusted if `assert`, the comparison functions, the `Checks` helper
and IPython's code path (input and AST transformers, the compiler, event hooks) are the
ones the course shipped. The probe below runs in the kernel as a *user expression* (which
IPython evaluates without passing it through input transformers) and returns fingerprints;
the grader keeps the baseline taken before the student's first line, outside the kernel,
and compares. It is a canary, not a proof: code determined to hide can still try, but any
ordinary patch, wrapper or transformer shows up.
"""
from __future__ import annotations

import ast

# Names whose identity must not change; dotted paths are looked up from their module.
WATCHED = {
    "builtins": ["abs", "all", "any", "isinstance", "float", "int", "len", "sum", "max", "min", "round",
                 "print", "repr", "str", "type", "getattr", "exec", "eval", "compile", "__import__",
                 "AssertionError", "Exception", "BaseException"],
    "math": ["isclose", "isfinite", "isnan"],
    "torch": ["allclose", "equal", "isclose", "all", "any", "eq", "abs", "max", "testing.assert_close",
              "Tensor.allclose", "Tensor.equal", "Tensor.item", "Tensor.all", "Tensor.__eq__", "Tensor.__bool__",
              "autograd.gradcheck"],
    "numpy": ["allclose", "isclose", "array_equal", "testing.assert_allclose", "testing.assert_array_equal",
              "all", "any"],
    "contextlib": ["redirect_stderr", "contextmanager"],
    "warnings": ["catch_warnings", "simplefilter"],
}
SHELL_METHODS = ["run_cell", "run_cell_async", "run_ast_nodes", "run_code", "transform_cell",
                 "transform_ast", "should_run_async", "showtraceback", "_showtraceback"]
CHECKS_METHODS = ["__init__", "check", "score", "isolated", "use_references"]
# Event callbacks that the kernel's own libraries register (inline figures, widgets).
TRUSTED_CALLBACK_MODULES = ("matplotlib", "matplotlib_inline", "ipykernel", "IPython", "ipywidgets",
                            "tqdm", "comm")

_PROBE = r'''
def _probe(watched, shell_methods, checks_methods):
    import builtins, sys, hashlib
    def fp(obj):
        code = getattr(obj, "__code__", None) or getattr(getattr(obj, "__wrapped__", None), "__code__", None)
        parts = [type(obj).__qualname__, str(id(obj))]
        if code is not None:
            parts.append(hashlib.sha1(code.co_code).hexdigest()[:16])
        return ":".join(parts)
    out = {}
    for module_name, names in watched.items():
        module = sys.modules.get(module_name)
        for name in names:
            obj = module
            for part in name.split("."):
                obj = getattr(obj, part, None) if obj is not None else None
            out[module_name + "." + name] = fp(obj) if obj is not None else "absent"
    ip = sys.modules["IPython"].get_ipython()
    out["ipython.input_transformers_cleanup"] = [fp(t) for t in ip.input_transformers_cleanup]
    out["ipython.input_transformers_post"] = [fp(t) for t in ip.input_transformers_post]
    out["ipython.ast_transformers"] = [fp(t) for t in ip.ast_transformers]
    out["ipython.compile"] = type(ip.compile).__qualname__ + ":" + str(getattr(ip.compile, "flags", ""))
    out["ipython.instance_overrides"] = sorted(k for k in vars(ip) if k in shell_methods)
    for name in shell_methods:
        out["ipython.shell." + name] = fp(getattr(type(ip), name, None))
    out["ipython.events"] = sorted(
        event + "|" + str(getattr(cb, "__module__", "?")) + "|" + str(getattr(cb, "__qualname__", type(cb).__qualname__))
        for event, callbacks in ip.events.callbacks.items() for cb in callbacks)
    out["sys.trace"] = repr(sys.gettrace()) + repr(sys.getprofile())
    checks = ip.user_ns.get("Checks")
    if isinstance(checks, type) and checks.__module__ == "__main__":
        out["Checks"] = fp(checks)
        for name in checks_methods:
            out["Checks." + name] = fp(vars(checks).get(name))
    return out
'''
EXPRESSION = (
    "(lambda g: (__import__('builtins').exec(" + repr(_PROBE) + ", g), "
    f"g['_probe']({WATCHED!r}, {SHELL_METHODS!r}, {CHECKS_METHODS!r}))[1])({{}})"
)


def read(reply: dict) -> dict:
    """The probe's fingerprints from an execute_reply (empty when the probe itself failed)."""
    result = reply.get("content", {}).get("user_expressions", {}).get("canary", {})
    if result.get("status") != "ok":
        return {"probe": f"failed: {result.get('ename')}: {result.get('evalue')}"}
    return ast.literal_eval(result["data"]["text/plain"])


def extend_baseline(baseline: dict, current: dict) -> dict:
    """Add fingerprints that appear later (the `Checks` helper) without trusting changed ones."""
    return {**current, **baseline}


def differences(baseline: dict, current: dict) -> list[str]:
    """What changed since the baseline, in English, for the instructor's report."""
    changes = []
    for key, before in baseline.items():
        after = current.get(key, "absent")
        if key == "ipython.events":
            added = [e for e in after if e not in before
                     and not e.split("|")[1].split(".")[0] in TRUSTED_CALLBACK_MODULES]
            if added:
                changes.append(f"IPython event callbacks added: {', '.join(added)}")
        elif after != before:
            changes.append(f"{key} changed" + (f": {after}" if key.startswith("ipython.") else ""))
    if "probe" in current:
        changes.append(f"canary probe {current['probe']}")
    return changes
