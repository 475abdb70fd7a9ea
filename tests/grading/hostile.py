"""The damaged and hostile submissions the grading engine must survive.

Each kind builds one submission from the release (blank) and the solved copy, and states
the autograded total it must receive, its status and a phrase the instructor's reasons
must contain. Resource attacks are placed after working answers, so the points earned
before them show that the rest of the notebook was graded.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable

import nbformat

from coursekit.notebooks import cells_by_grade_id, grade_id

from tests.colab.save import save_as_colab
from .mini_course import AUTO_POINTS, SECRET, TEST_POINTS

Notebook = nbformat.NotebookNode


@dataclass(frozen=True)
class Kind:
    name: str
    build: Callable[[Notebook, Notebook, dict], "bytes | Notebook"]
    total: float            # autograded points it must get
    status: str             # graded | review | unreadable
    reason: str = ""        # phrase expected in the reasons ("" = no constraint)
    filename: str | None = None
    forbidden_output: tuple[str, ...] = ()   # must not appear in the autograded notebook's outputs
    expected_output: tuple[str, ...] = ()    # must appear there (the attack was tried and stopped)
    needs_sandbox: bool = False              # only bubblewrap can stop it (rlimits alone cannot)
    needs_cgroups: bool = False              # only a per-submission control group can stop it


def _copy(nb: Notebook) -> Notebook:
    return copy.deepcopy(nb)


def _insert_after(nb: Notebook, gid: str, source: str) -> Notebook:
    nb = _copy(nb)
    index = next(i for i, c in enumerate(nb.cells) if grade_id(c) == gid)
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(source))
    return nb


def _set_answer(nb: Notebook, gid: str, source: str) -> Notebook:
    nb = _copy(nb)
    cells_by_grade_id(nb)[gid].source = source
    return nb


def _drop(nb: Notebook, gid: str) -> Notebook:
    nb = _copy(nb)
    nb.cells = [c for c in nb.cells if grade_id(c) != gid]
    return nb


def _strip_metadata(nb: Notebook) -> Notebook:
    nb = _copy(nb)
    for cell in nb.cells:
        cell.metadata = {}
    nb.metadata = {"language_info": {"name": "python"}}
    return nb


def _v3(nb: Notebook) -> bytes:
    from nbformat.v4.convert import downgrade  # nbformat's own v4 -> v3 conversion
    import json
    downgraded = downgrade(_copy(nb))
    return json.dumps(downgraded).encode()


def _retype_markdown(nb: Notebook) -> Notebook:
    nb = _copy(nb)
    cell = cells_by_grade_id(nb)["scale_code"]
    cell.cell_type = "markdown"
    for key in ("outputs", "execution_count"):
        cell.pop(key, None)
    return nb


def _reorder(nb: Notebook) -> Notebook:
    nb = _copy(nb)
    cells = cells_by_grade_id(nb)
    a, b = nb.cells.index(cells["add_code"]), nb.cells.index(cells["scale_code"])
    nb.cells[a], nb.cells[b] = nb.cells[b], nb.cells[a]
    return nb


def _duplicate(nb: Notebook) -> Notebook:
    nb = _copy(nb)
    cell = cells_by_grade_id(nb)["mean_code"]
    first = copy.deepcopy(cell)
    first.source = "def mean_of(t):\n    return t.sum()  # premier essai"
    first.id = "copy-of-mean"
    nb.cells.insert(nb.cells.index(cell), first)
    return nb


def _edit_points(nb: Notebook) -> Notebook:
    nb = _copy(nb)
    cells_by_grade_id(nb)["add_tests"].metadata["nbgrader"]["points"] = 300
    return nb


def _edit_test(blank: Notebook, solution: Notebook) -> Notebook:
    nb = _set_answer(solution, "mean_code", "def mean_of(t):\n    return t.sum()")
    cells_by_grade_id(nb)["mean_tests"].source = "# tout va bien\n3.0"
    return nb


def _invalid_json(nb: Notebook) -> bytes:
    return nbformat.writes(nb).encode()[:-200]


def _reads(paths: dict) -> str:
    return "\n".join(
        f"try:\n    print({label!r}, open({path!r}, 'rb').read()[:200])\nexcept Exception as e:\n"
        f"    print('blocked', {label!r}, type(e).__name__)"
        for label, path in paths.items())


MEAN_BUG = "def mean_of(t):\n    return t.sum() / 2"
SCALE_BUG = "def scale(t, k):\n    return t + k"

KINDS: list[Kind] = [
    Kind("solution", lambda b, s, ctx: s, AUTO_POINTS, "graded"),
    Kind("blank", lambda b, s, ctx: b, 0, "graded"),
    Kind("invalid_json", lambda b, s, ctx: _invalid_json(s), 0, "unreadable", "invalid JSON"),
    Kind("empty_file", lambda b, s, ctx: b"", 0, "unreadable", "empty"),
    Kind("nbformat_3", lambda b, s, ctx: _v3(s), AUTO_POINTS, "graded", "nbformat 3"),
    Kind("not_utf8", lambda b, s, ctx: nbformat.writes(s).encode("cp1252", errors="replace"), AUTO_POINTS, "graded",
         "not valid UTF-8"),
    Kind("metadata_stripped", lambda b, s, ctx: _strip_metadata(s), AUTO_POINTS, "graded", "matched by content"),
    Kind("colab_saved", lambda b, s, ctx: save_as_colab(s), AUTO_POINTS, "graded"),
    Kind("duplicated_cell", lambda b, s, ctx: _duplicate(s), AUTO_POINTS, "graded", "appears 2 times"),
    Kind("deleted_test_cell", lambda b, s, ctx: _drop(s, "scale_tests"), AUTO_POINTS, "graded",
         "test cell scale_tests was deleted"),
    Kind("deleted_answer_cell", lambda b, s, ctx: _drop(s, "scale_code"), AUTO_POINTS - TEST_POINTS["scale_tests"],
         "graded", "answer cell scale_code is missing"),
    Kind("inserted_cells", lambda b, s, ctx: _insert_after(_insert_after(s, "add_code", "helper = 41 + 1"),
                                                           "mean_tests", "print(helper)"),
         AUTO_POINTS, "graded", "extra code cell"),
    Kind("reordered_cells", lambda b, s, ctx: _reorder(s), AUTO_POINTS, "graded", "reordered"),
    Kind("code_cell_to_markdown", lambda b, s, ctx: _retype_markdown(s), AUTO_POINTS, "graded",
         "turned into markdown"),
    Kind("points_edited", lambda b, s, ctx: _edit_points(s), AUTO_POINTS, "graded", "points of add_tests edited"),
    Kind("test_cell_edited", lambda b, s, ctx: _edit_test(b, s), AUTO_POINTS - TEST_POINTS["mean_tests"], "graded",
         "test cell mean_tests was edited"),
    Kind("infinite_loop", lambda b, s, ctx: _set_answer(s, "scale_code", "while True:\n    pass"),
         AUTO_POINTS - TEST_POINTS["scale_tests"], "graded", "exceeded"),
    Kind("uninterruptible_loop", lambda b, s, ctx: _insert_after(
        s, "mean_tests", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"),
         TEST_POINTS["add_tests"] + TEST_POINTS["mean_tests"], "review", "budget"),
    Kind("os_exit", lambda b, s, ctx: _insert_after(s, "mean_tests", "import os\nos._exit(3)"),
         TEST_POINTS["add_tests"] + TEST_POINTS["mean_tests"], "review", "kernel died"),
    Kind("sys_exit", lambda b, s, ctx: _insert_after(s, "mean_tests", "import sys\nsys.exit(1)"),
         AUTO_POINTS, "graded"),
    Kind("memory_bomb", lambda b, s, ctx: _insert_after(
        s, "scale_tests", "hog = []\nwhile True:\n    hog.append(torch.empty(2**28))"), AUTO_POINTS, "graded",
         expected_output=("allocate",)),
    Kind("fork_bomb", lambda b, s, ctx: _insert_after(
        s, "scale_tests", "import os\nfor _ in range(10000):\n    try:\n        if os.fork() == 0:\n"
                        "            import time\n            time.sleep(600)\n            os._exit(0)\n"
                        "    except OSError as error:\n        print('fork refused', type(error).__name__)\n"
                        "        break"), AUTO_POINTS, "graded", expected_output=("fork refused",)),
    Kind("disk_filler", lambda b, s, ctx: _insert_after(
        s, "scale_tests", "import os\nfor where in ('.', '/tmp', '/dev/shm'):\n    try:\n        for n in range(20):\n"
                        "            with open(os.path.join(where, f'lest{n}'), 'wb') as handle:\n"
                        "                handle.write(b'x' * 100_000_000)\n        print('2 GB written in', where)\n"
                        "    except OSError as error:\n        print('disk full', error.errno, 'in', where)"),
         AUTO_POINTS, "graded", forbidden_output=("2 GB written",),
         expected_output=("disk full 28 in .", "disk full 28 in /tmp", "disk full 28 in /dev/shm"), needs_sandbox=True),
    Kind("children_share_memory", lambda b, s, ctx: _insert_after(
        s, "scale_tests", "import os, signal\npids = []\nfor _ in range(3):  # 1.8 GB each, under the per-process cap\n"
                        "    pid = os.fork()\n    if pid == 0:\n        try:\n            block = bytearray(1800 * 2**20)\n"
                        "            for i in range(0, len(block), 4096):\n                block[i] = 1\n"
                        "            import time\n            time.sleep(5)\n        finally:\n            os._exit(0)\n"
                        "    pids.append(pid)\nkilled = sum(os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) == -signal.SIGKILL "
                        "for p in pids)\nprint('a child was killed' if killed else 'all children lived')"),
         AUTO_POINTS, "graded", expected_output=("a child was killed",), needs_sandbox=True, needs_cgroups=True),
    Kind("endless_thread", lambda b, s, ctx: _insert_after(
        s, "add_tests", "import threading, time\nthreading.Thread(target=lambda: [time.sleep(0.5) for _ in "
                        "iter(int, 1)]).start()"), AUTO_POINTS, "graded"),
    Kind("huge_print", lambda b, s, ctx: _insert_after(s, "add_tests", "print('x' * 100_000_000)"),
         AUTO_POINTS, "graded", "output dropped"),
    Kind("huge_image", lambda b, s, ctx: _insert_after(
        s, "add_tests", "from IPython.display import Image, display\nimport os\n"
                        "display(Image(data=b'\\x89PNG\\r\\n\\x1a\\n' + os.urandom(30_000_000), format='png'))"),
         AUTO_POINTS, "graded", "output dropped"),
    Kind("reads_course_files", lambda b, s, ctx: _insert_after(s, "add_tests", _reads(ctx["paths"])),
         AUTO_POINTS, "graded", forbidden_output=(SECRET, "SQLite format", "helper = 41"),
         expected_output=("blocked source", "blocked gradebook", "blocked other_student"), needs_sandbox=True),
    Kind("network_access", lambda b, s, ctx: _insert_after(
        s, "add_tests", "import socket\ntry:\n    socket.create_connection(('127.0.0.1', "
                        f"{ctx['port']}), timeout=3)\n    print('CONNECTED')\nexcept OSError as e:\n"
                        "    print('blocked', type(e).__name__)"), AUTO_POINTS, "graded",
         forbidden_output=("CONNECTED",), expected_output=("blocked",), needs_sandbox=True),
    Kind("patched_allclose", lambda b, s, ctx: _insert_after(
        _set_answer(s, "mean_code", MEAN_BUG), "add_tests",
        "import torch\ntorch.allclose = lambda *args, **kwargs: True"),
         TEST_POINTS["add_tests"], "review", "torch.allclose changed"),
    Kind("assert_rewriting_transformer", lambda b, s, ctx: _insert_after(
        _set_answer(s, "scale_code", SCALE_BUG), "add_tests",
        "def _no_asserts(lines):\n    return [l.replace('assert ', 'pass  # ') for l in lines]\n"
        "get_ipython().input_transformers_post.append(_no_asserts)"),
         TEST_POINTS["add_tests"], "review", "input_transformers_post"),
    Kind("wrong_file_name", lambda b, s, ctx: s, AUTO_POINTS, "graded", "named", filename="tp0 (1).ipynb"),
    # 1500 nested folders left in the kernel's home: past the recursion of shutil.rmtree and PATH_MAX
    Kind("deep_folder_chain", lambda b, s, ctx: _insert_after(
        s, "scale_tests", "import os\nhome = os.getcwd()\nfor _ in range(1500):\n    os.mkdir('dddd')\n    os.chdir('dddd')\n"
                          "os.chdir(home)"), AUTO_POINTS, "graded"),
]
