"""A fork server for kernels: pay `import torch` once per slot, not once per submission.

One zygote runs per job slot, inside its own bubblewrap sandbox (see sandbox.py), as root of
that sandbox only: it sees the Python installation and system libraries read-only, plus its
slot's scratch and socket folders, and keeps just the capabilities it needs to drop a child
to the slot's uid, kill it and clean up after it. It imports torch, numpy, matplotlib,
ipykernel and what the assignment's teacher notebook imports once. For each
submission it forks a child that becomes a fresh ipykernel: the child leaves the zygote's
session, drops to the unprivileged uid with no capabilities and no way to regain any, sets
the resource limits, and starts the kernel from the already imported modules (about 0.3 s
instead of seconds). Between two submissions the zygote kills every other process of its PID
namespace and empties the writable folders, so nothing of one student is left for the next.

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
import shutil
import signal
import subprocess
import sys

PR_SET_NO_NEW_PRIVS = 38


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


def _empty(folder: str) -> None:
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass


class Zygote:
    def __init__(self, uid: int, scratch: str, keep: list[str], limits: dict) -> None:
        self.uid, self.scratch, self.keep, self.limits = uid, scratch, set(keep), limits
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
        self.child = None
        subprocess.run(["ipcrm", "--all"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # SysV IPC
        for folder in ("/tmp", "/dev/shm"):
            if os.path.isdir(folder):
                _empty(folder)
        for name in os.listdir(self.scratch):
            if name not in self.keep:
                path = os.path.join(self.scratch, name)
                shutil.rmtree(path, ignore_errors=True) if os.path.isdir(path) else os.unlink(path)

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
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        for path in (env["HOME"], env["TMPDIR"], env["IPYTHONDIR"], env["MPLCONFIGDIR"]):
            os.makedirs(path, exist_ok=True)
            os.chown(path, self.uid, self.uid)
        os.setgroups([])
        os.setgid(self.uid)
        os.setuid(self.uid)  # from uid 0 to another uid: every capability is dropped
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        mb = 2**20
        for limit, value in ((resource.RLIMIT_AS, self.limits["memory_mb"] * mb),
                             (resource.RLIMIT_CPU, self.limits["cpu_seconds"]),
                             (resource.RLIMIT_NPROC, self.limits["processes"]),
                             (resource.RLIMIT_FSIZE, self.limits["file_size_mb"] * mb),
                             (resource.RLIMIT_NOFILE, self.limits["open_files"]),
                             (resource.RLIMIT_CORE, 0)):
            resource.setrlimit(limit, (value, value))
        os.chdir(self.scratch)
        os.environ.clear()
        os.environ.update(env)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from ipykernel.kernelapp import IPKernelApp
        app = IPKernelApp.instance()
        app.initialize(["-f", connection_file])
        app.start()


def main() -> None:
    settings = json.loads(sys.argv[1])
    _preload(settings.get("preload", []))
    zygote = Zygote(settings["uid"], settings["scratch"], settings["keep"], settings["limits"])
    out = sys.stdout
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        if request["cmd"] == "start":
            answer = {"pid": zygote.start(request["connection_file"], request["env"])}
        elif request["cmd"] == "poll":
            answer = {"alive": zygote.alive()}
        elif request["cmd"] == "reset":
            zygote.reset()
            answer = {"ok": True}
        else:
            answer = {"error": f"unknown command {request['cmd']!r}"}
        answer["id"] = request.get("id")
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
