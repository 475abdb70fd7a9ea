"""A fork server for kernels: pay `import torch` once per slot, not once per submission.

One zygote runs per job slot, inside its own bubblewrap sandbox (see sandbox.py), as root of
that sandbox only: it sees the Python installation and system libraries read-only, plus its
slot's scratch and socket folders, and keeps just the capabilities it needs to give a child
its own IPC namespace, drop it to the slot's uid, kill it and clean up after it. It imports
torch, numpy, matplotlib, ipykernel and what the assignment's teacher notebook imports once. For each
submission it forks a child that becomes a fresh ipykernel: the child leaves the zygote's
session and the zygote's IPC namespace (no message queue or shared memory segment outlives its
submission), drops to the unprivileged uid with no capabilities and no way to regain any, sets
the resource limits, and starts the kernel from the already imported modules (about 0.3 s
instead of seconds). Between two submissions the zygote kills every other process of its PID
namespace and empties the writable folders, so nothing of one student is left for the next.

It runs as `python -c <this file's source> <settings JSON>` in a sandbox where the grader's
package is not visible: this module imports only the standard library at the top (the modules
it preloads are named in its settings) and nothing from coursekit; the grader imports it only
for `remove_tree`.

Protocol on stdin/stdout, one JSON object per line, each answer echoing the request's "id":
  {"cmd": "start", "connection_file": ..., "env": {...}}   -> {"pid": n}
  {"cmd": "poll"}                                          -> {"alive": bool}
  {"cmd": "reset"}                                         -> {"ok": true}
"""
from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sys

PR_SET_NO_NEW_PRIVS = 38
CLONE_NEWIPC = 0x08000000


def _preload(modules: list[str]) -> None:
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    import importlib

    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401
    import torch  # noqa: F401
    from ipykernel import kernelapp  # noqa: F401
    for name in modules:  # a module missing here fails in the student's cell, where it belongs
        try:
            importlib.import_module(name)
        except Exception:
            pass


_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


def remove_tree(path: str, keep_root: bool = False) -> None:
    """Delete `path` and everything below it (only its content with `keep_root`), never following
    a symbolic link. Iterative, with one open folder at a time: a student may leave a chain of
    thousands of folders, deeper than `shutil.rmtree`'s recursion or than PATH_MAX. Each folder
    is read once. What cannot be removed is left in place; nothing raises."""
    try:
        fd = os.open(path, _DIRECTORY)
    except OSError:  # gone, or not a folder
        if not keep_root:
            try:
                os.unlink(path)
            except OSError:
                pass
        return
    levels: list[tuple[str, list[str]]] = [("", _clear_files(fd))]  # (folder name, its folders still to remove)
    while True:
        name, pending = levels[-1]
        if pending:
            below = pending.pop()
            try:
                child = os.open(below, _DIRECTORY, dir_fd=fd)
            except OSError:
                continue
            os.close(fd)
            fd = child
            levels.append((below, _clear_files(fd)))
            continue
        if len(levels) == 1:  # back at the root, which is now as empty as it can be
            os.close(fd)
            if not keep_root:
                try:
                    os.rmdir(path)
                except OSError:
                    pass
            return
        try:
            parent = os.open("..", _DIRECTORY, dir_fd=fd)  # nothing runs that could move it: the submission is over
        except OSError:
            os.close(fd)
            return
        os.close(fd)
        fd = parent
        levels.pop()
        try:
            os.rmdir(name, dir_fd=fd)
        except OSError:
            pass


def _clear_files(fd: int) -> list[str]:
    """Unlink every entry of the open folder but its subfolders, which are returned."""
    folders = []
    try:
        with os.scandir(fd) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.name)
                else:
                    try:
                        os.unlink(entry.name, dir_fd=fd)
                    except OSError:
                        pass
    except OSError:
        pass
    return folders


class Zygote:
    def __init__(self, uid: int, scratch: str, keep: list[str], rlimits: list[list]) -> None:
        self.uid, self.scratch, self.keep, self.rlimits = uid, scratch, set(keep), rlimits
        self.child: int | None = None

    def reset(self) -> None:
        """No process of the previous submission survives; its files are gone."""
        try:
            os.kill(-1, signal.SIGKILL)  # every process we can see except ourselves and PID 1
        except ProcessLookupError:
            pass
        while True:
            try:
                if os.waitpid(-1, 0)[0] == 0:
                    break
            except ChildProcessError:
                break
        self.child = None  # its IPC namespace (message queues, SysV shared memory) died with its processes
        for folder in ("/tmp", "/dev/shm"):
            remove_tree(folder, keep_root=True)
        for name in os.listdir(self.scratch):
            if name not in self.keep:
                remove_tree(os.path.join(self.scratch, name))

    def start(self, connection_file: str, env: dict) -> int:
        pid = os.fork()
        if pid == 0:
            try:
                self._become_kernel(connection_file, env)
            finally:
                os._exit(1)
        self.child = pid
        return pid

    def alive(self) -> bool:
        if self.child is None:
            return False
        try:
            done, _ = os.waitpid(self.child, os.WNOHANG)
        except ChildProcessError:
            done = self.child
        if done:
            self.child = None
        return self.child is not None

    def _become_kernel(self, connection_file: str, env: dict) -> None:
        os.setsid()
        try:  # when the slot's memory runs out, the kernel and its children go first, never the zygote
            with open("/proc/self/oom_score_adj", "w") as handle:
                handle.write("1000")
        except OSError:
            pass
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(CLONE_NEWIPC) != 0:  # SysV and POSIX IPC objects die with this kernel, unseen by the next
            raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWIPC) failed")
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        for path in (env["HOME"], env["TMPDIR"], env["IPYTHONDIR"], env["MPLCONFIGDIR"]):
            os.makedirs(path, exist_ok=True)
            os.chown(path, self.uid, self.uid)
        os.setgroups([])
        os.setgid(self.uid)
        os.setuid(self.uid)  # from uid 0 to another uid: every capability is dropped
        libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        for name, value in self.rlimits:  # Limits.rlimits(), computed by the grader
            resource.setrlimit(getattr(resource, f"RLIMIT_{name}"), (value, value))
        os.chdir(self.scratch)
        os.environ.clear()
        os.environ.update(env)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from ipykernel.kernelapp import IPKernelApp
        app = IPKernelApp.instance()
        app.initialize(["-f", connection_file])
        app.start()


def serve(handlers: dict, out, report_errors: bool) -> None:
    """The line protocol both the zygote and the judge workers speak: "ready", then for each
    JSON request on stdin the answer of `handlers[request["cmd"]](request)`, echoing its "id".
    With `report_errors`, a handler that raises answers {"error": ...} instead of ending the loop."""
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        handler = handlers.get(request["cmd"])
        try:
            answer = handler(request) if handler else {"error": f"unknown command {request['cmd']!r}"}
        except Exception as error:  # noqa: BLE001 -- reported to the coordinator, which logs it
            if not report_errors:
                raise
            answer = {"error": f"{type(error).__name__}: {error}"}
        answer["id"] = request.get("id")
        out.write(json.dumps(answer) + "\n")
        out.flush()


def main() -> None:
    settings = json.loads(sys.argv[1])
    _preload(settings.get("preload", []))
    zygote = Zygote(settings["uid"], settings["scratch"], settings["keep"], settings["rlimits"])
    os.chown(settings["scratch"], settings["uid"], settings["uid"])  # a fresh in-memory folder, the kernel's
    os.chmod(settings["scratch"], 0o700)

    def reset(request: dict) -> dict:
        zygote.reset()
        return {"ok": True}
    serve({"start": lambda request: {"pid": zygote.start(request["connection_file"], request["env"])},
           "poll": lambda request: {"alive": zygote.alive()},
           "reset": reset}, sys.stdout, report_errors=False)


if __name__ == "__main__":
    main()
