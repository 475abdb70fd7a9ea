"""Each TP's solution runs, as a student would run it, in an environment holding only what
Google Colab preinstalls (tests/colab/requirements.txt, at Colab's versions) in a fresh
virtual environment, with this repository not importable and a stand-in `google.colab`
module so that the setup cell takes its Colab path."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from coursekit import notebooks
from coursekit.paths import REPO_ROOT, assignment_ids, release_notebook, source_notebook
from coursekit.submissions import student_copy

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("colab-env")]
REQUIREMENTS = REPO_ROOT / "tests" / "colab" / "requirements.txt"
PROBE = """
import importlib.util, json, IPython, ipykernel, numpy
print(json.dumps({"colab": EN_COLAB, "coursekit": importlib.util.find_spec("coursekit") is not None,
                  "nbgrader": importlib.util.find_spec("nbgrader") is not None,
                  "ipython": IPython.__version__, "ipykernel": ipykernel.__version__, "numpy": numpy.__version__}))
"""


@pytest.fixture(scope="module")
def colab_kernel(tmp_path_factory) -> tuple[KernelSpecManager, dict[str, str]]:
    root = tmp_path_factory.mktemp("colab-env")
    venv = root / "venv"
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              "-r", str(REQUIREMENTS)], capture_output=True, text=True, timeout=1500)
    assert install.returncode == 0, f"cannot install Colab's packages:\n{install.stderr[-3000:]}"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "google" / "colab").mkdir(parents=True, exist_ok=True)
    (site / "google" / "colab" / "__init__.py").write_text('"""Stand-in: only its presence matters."""\n')
    spec_dir = root / "kernels" / "colab"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (Colab)", "language": "python"}))
    home = root / "home"
    home.mkdir()
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           "MPLBACKEND": "module://matplotlib_inline.backend_inline", "OMP_NUM_THREADS": "1"}
    return KernelSpecManager(kernel_dirs=[str(root / "kernels")]), env


@pytest.mark.parametrize("assignment", assignment_ids())
def test_solution_runs_with_only_colab_packages(colab_kernel, assignment, tmp_path):
    specs, env = colab_kernel
    nb = student_copy(notebooks.read(release_notebook(assignment)), notebooks.read(source_notebook(assignment)))
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    manager = KernelManager(kernel_name="colab", kernel_spec_manager=specs)
    NotebookClient(nb, km=manager, timeout=300, allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute(env=env)
    errors, stderr = [], []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                errors.append(f"{notebooks.grade_id(cell) or cell.source[:60]!r}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                stderr.append(f"{notebooks.grade_id(cell) or cell.source[:60]!r}: {output.text[:300]}")
    assert not errors, "\n".join(errors)
    assert not stderr, "the student would see warnings:\n" + "\n".join(stderr)
    setup = next(c for c in nb.cells if notebooks.grade_id(c) == "helper_setup")
    assert "(Google Colab)" in "".join(o.get("text", "") for o in setup.outputs)
    probe = json.loads(nb.cells[-1].outputs[0].text)
    assert probe["colab"] and not probe["coursekit"] and not probe["nbgrader"], probe
    assert probe["ipython"].startswith("7.") and probe["numpy"] == "2.0.2", f"not Colab's stack: {probe}"
