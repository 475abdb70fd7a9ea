"""How Google Colab and JupyterLab save the same notebook, for round-trip grading tests.

Colab writes nbformat 4.0 (`nbformat_minor` 0, so no cell `id` field: its own short id goes
into each cell's metadata), replaces the notebook metadata with its own (`colab` provenance,
`accelerator`, widget state, a bare `kernelspec`), adds `colab`, `outputId` and
`executionInfo` (user name, timestamps) to executed code cells, drops the metadata it does
not support (`deletable`, `editable`; in the worst case every other key, `nbgrader`
included), renders `tqdm.auto` bars as widgets, and names a copy "Copie de <nom>.ipynb".
JupyterLab keeps nbformat 4.5 with random cell ids and every metadata key.
"""
from __future__ import annotations

import copy
import json
import random
import string

from nbformat import NotebookNode

from coursekit.notebooks import is_answer_cell

COLAB_COPY_PREFIX = "Copie de "


def _token(rng: random.Random, length: int = 12) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits + "-_") for _ in range(length))


def _outputs(cell: NotebookNode, count: int, rng: random.Random, colab: bool) -> list[dict]:
    """What a run left in a cell: text, a figure, a progress bar, or the stub's error."""
    if "NotImplementedError" in cell.source and is_answer_cell(cell):
        return [{"output_type": "error", "ename": "NotImplementedError", "evalue": "",
                 "traceback": ["\u001b[0;31mNotImplementedError\u001b[0m: "]}]
    outputs: list[dict] = [{"output_type": "stream", "name": "stdout", "text": [f"résultat {count}\n", "ok\n"]}]
    if "plt." in cell.source:
        outputs.append({"output_type": "display_data", "metadata": {"needs_background": "light"} if colab else {},
                        "data": {"image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
                                 "text/plain": ["<Figure size 640x480 with 1 Axes>"]}})
    if "tqdm(" in cell.source:
        bar = {"text/plain": ["100%|██████████| 50/50 [00:01<00:00, 42.0it/s]"]}
        if colab:
            bar["application/vnd.jupyter.widget-view+json"] = {"model_id": _token(rng, 32), "version_major": 2,
                                                               "version_minor": 0}
        outputs.append({"output_type": "display_data", "metadata": {}, "data": bar})
    return outputs


def save_as_jupyterlab(nb: NotebookNode, seed: int = 0) -> bytes:
    """The notebook after Run All and Save in JupyterLab 4."""
    rng = random.Random(seed)
    nb = copy.deepcopy(nb)
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                   "language_info": {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                                     "mimetype": "text/x-python", "name": "python", "version": "3.11.7"}}
    count = 0
    for cell in nb.cells:
        cell["id"] = _token(rng, 8).lower()
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            cell.outputs = _outputs(cell, count, rng, colab=False)
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode()


def save_as_colab(nb: NotebookNode, keep_nbgrader: bool = True, seed: int = 0) -> bytes:
    """The notebook after Run All and *Télécharger le fichier .ipynb* in Colab."""
    rng = random.Random(seed)
    nb = copy.deepcopy(nb)
    widgets = {}
    cells = []
    count = 0
    for cell in nb.cells:
        metadata = {"id": _token(rng)}
        if keep_nbgrader and "nbgrader" in cell.metadata:
            metadata["nbgrader"] = cell.metadata["nbgrader"]  # deletable / editable are dropped
        saved = {"cell_type": cell.cell_type, "metadata": metadata, "source": cell.source.splitlines(keepends=True)}
        if cell.cell_type == "code":
            count += 1
            metadata.update({
                "colab": {"base_uri": "https://localhost:8080/", "height": rng.choice([35, 147, 430])},
                "outputId": f"{_token(rng, 8)}-{_token(rng, 4)}-{_token(rng, 4)}",
                "executionInfo": {"status": "ok", "timestamp": 1790000000000 + count * 1000, "user_tz": -60,
                                  "elapsed": rng.randint(10, 5000),
                                  "user": {"displayName": "Élève Test", "userId": "0123456789"}}})
            saved["execution_count"] = count
            saved["outputs"] = _outputs(cell, count, rng, colab=True)
            for output in saved["outputs"]:
                view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
                if view:
                    widgets[view["model_id"]] = {"model_module": "@jupyter-widgets/controls",
                                                 "model_name": "HBoxModel", "model_module_version": "1.5.0",
                                                 "state": {"children": [], "layout": "IPY_MODEL_x"}}
        cells.append(saved)
    colab_nb = {"nbformat": 4, "nbformat_minor": 0,
                "metadata": {"colab": {"provenance": [{"file_id": _token(rng, 33), "timestamp": 1789999000000}],
                                       "toc_visible": True, "gpuType": "T4"},
                             "kernelspec": {"name": "python3", "display_name": "Python 3"},
                             "language_info": {"name": "python"}, "accelerator": "GPU",
                             "widgets": {"application/vnd.jupyter.widget-state+json": widgets}},
                "cells": cells}
    return (json.dumps(colab_nb, indent=2, ensure_ascii=False) + "\n").encode()
