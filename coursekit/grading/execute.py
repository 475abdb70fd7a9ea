"""Executing one repaired submission in a warm sandboxed kernel.

nbclient runs the answer and read-only cells, as in nbgrader's Execute step. Test cells
written with the out-of-kernel check API never run in the kernel: a judge worker
(judge.py) runs them in a trusted process that calls the student's functions through the
kernel's agent, and the outputs it returns (report, score, error) are what nbgrader
scores. Besides: outputs past the notebook's budget are dropped (a notice says so; errors
are always kept); the tamper canary is read before every test cell that still runs in the
kernel and at the end; and a cell that never ran (the kernel died, the submission ran out
of time) receives an error output, because nbgrader gives full marks to a test cell
without an error.
"""
from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from dataclasses import dataclass, field

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode

from . import canary
from .judging import JudgeProcess
from .kernels import GraderFailure, Kernel
from .sandbox import Limits
from ..notebooks import grade_id, is_test_cell

log = logging.getLogger(__name__)

TIMEOUT_ERROR = {"ename": "CellTimeoutError",
                 "evalue": "Temps limite dépassé : la cellule a été interrompue.", "traceback": []}


@dataclass
class Execution:
    """What happened while a submission ran; `problems` are (English log, French message) pairs."""
    notebook: NotebookNode
    seconds: float = 0.0
    problems: list[tuple[str, str]] = field(default_factory=list)
    flagged: dict[str, list[str]] = field(default_factory=dict)  # test cell -> canary changes
    cut_short: bool = False  # the kernel died or the submission ran out of time


class CappedClient(NotebookClient):
    """A NotebookClient that keeps at most `output_bytes` of outputs for the whole notebook and
    says which cells ran out of time. nbclient answers a timeout with `error_on_timeout` as the
    reply but adds no error output; its `on_cell_executed` hook sees that reply, recognised by a
    key no kernel can know (a student's own `CellTimeoutError` is an ordinary error)."""

    def __init__(self, nb: NotebookNode, output_bytes: int, **kwargs) -> None:
        self.token = secrets.token_hex(8)
        super().__init__(nb, error_on_timeout={**TIMEOUT_ERROR, "coursekit_timeout": self.token},
                         on_cell_executed=self._on_cell_executed, **kwargs)
        self.output_budget = output_bytes
        self.dropped_bytes = 0
        self.timed_out = False

    def _on_cell_executed(self, cell, cell_index, execute_reply) -> None:
        self.timed_out = execute_reply.get("content", {}).get("coursekit_timeout") == self.token

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(json.dumps(content.get("data", content.get("text", "")), default=str))
        if msg["msg_type"] not in ("error", "execute_result") and size > self.output_budget:
            if self.dropped_bytes == 0:
                outs.append(nbformat.v4.new_output(
                    "stream", name="stdout",
                    text="\n[… sortie tronquée : le reste de l'affichage dépasse la limite autorisée …]\n"))
            self.dropped_bytes += size
            return None
        self.output_budget -= min(size, self.output_budget)
        return super().output(outs, msg, display_id, cell_index)


async def _probe(kernel: Kernel) -> dict:
    reply = await kernel.client.execute_interactive("", silent=True, store_history=False, timeout=30,
                                                    user_expressions={"canary": canary.EXPRESSION})
    return canary.read(reply)


def _mark_not_run(cell: NotebookNode, reason_fr: str, keep_outputs: bool = False,
                  ename: str = "CellNotExecuted") -> None:
    """An error output, so that nbgrader scores the cell 0 instead of full marks."""
    error = nbformat.v4.new_output("error", ename=ename, evalue=reason_fr, traceback=[reason_fr])
    cell.outputs = (list(cell.get("outputs", [])) if keep_outputs else []) + [error]


async def _judge_cell(judge: JudgeProcess, kernel: Kernel, gid: str, timeout: float, budget: float,
                      define_only: bool) -> dict:
    """The judge's verdict on one test cell; a kernel that dies meanwhile stops it."""
    task = asyncio.ensure_future(judge.cell(gid, timeout, budget, define_only))
    while True:
        done, _ = await asyncio.wait({task}, timeout=0.5)
        if done:
            return task.result()
        if not await kernel.manager.is_alive():
            await judge.kill()
            await asyncio.gather(task, return_exceptions=True)
            raise DeadKernelError(f"the kernel died while {gid} was judged")


async def execute(nb: NotebookNode, kernel: Kernel, limits: Limits, helper_ids: set[str],
                  judge: JudgeProcess | None = None, teacher: str | None = None,
                  define_only: frozenset[str] = frozenset()) -> Execution:
    """Run every code cell of `nb` (in place) in `kernel`, the test cells that `teacher` (the
    teacher notebook's JSON) writes with the check API by `judge`; never raises for the
    student's doing (GraderFailure when the grader's own kernel provider failed under it). Judged cells in `define_only` (the validity harness's) only bind names."""
    result = Execution(nb)
    grader_failure = None
    judged: set[str] = set()
    if judge is not None and teacher is not None:
        judged = await judge.open(teacher)
        if judged:
            await judge.begin(kernel.client.get_connection_info())
    client = CappedClient(nb, int(limits.output_mb * 2**20), km=kernel.manager,
                          timeout=limits.cell_timeout, interrupt_on_timeout=True,
                          allow_errors=True, record_timing=False,
                          shutdown_kernel="immediate")
    client.reset_execution_trackers()
    client.kc = kernel.client
    baseline = dict(kernel.baseline)
    tampered: list[str] = []
    started = time.monotonic()
    deadline = started + limits.total_seconds
    code_cells = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    position = 0
    try:
        for position, (index, cell) in enumerate(code_cells):
            if grade_id(cell) in judged:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise asyncio.TimeoutError
                verdict = await _judge_cell(judge, kernel, grade_id(cell), min(limits.cell_timeout, remaining),
                                            remaining, grade_id(cell) in define_only)
                cell.outputs = [nbformat.from_dict(output) for output in verdict["outputs"]]
                cell.execution_count = position + 1
                if verdict["timeouts"]:
                    result.problems.append((f"{verdict['timeouts']} check(s) of {grade_id(cell)} exceeded "
                                            f"{limits.cell_timeout} s", f"Une vérification a dépassé le temps limite "
                                            f"de {limits.cell_timeout} s : elle a été interrompue."))
                if verdict["lost"]:
                    raise DeadKernelError(f"the kernel stopped answering in {grade_id(cell)}")
                continue
            if is_test_cell(cell):
                if not tampered:
                    tampered = canary.differences(baseline, await _probe(kernel))
                if tampered:
                    result.flagged[grade_id(cell)] = tampered
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise asyncio.TimeoutError
            client.timed_out = False  # (an empty cell returns before the hook)
            await asyncio.wait_for(client.async_execute_cell(cell, index, execution_count=position + 1),
                                   timeout=remaining)
            if client.timed_out:
                _mark_not_run(cell, TIMEOUT_ERROR["evalue"], keep_outputs=True, ename="CellTimeoutError")
                result.problems.append((f"cell {grade_id(cell) or index} exceeded {limits.cell_timeout} s",
                                        f"Une cellule a dépassé le temps limite de {limits.cell_timeout} s."))
            elif grade_id(cell) in helper_ids:
                baseline = canary.extend_baseline(baseline, await _probe(kernel))
        if not tampered:
            tampered = canary.differences(baseline, await _probe(kernel))
            if tampered:
                result.problems.append(("tampering detected after the last test cell: " + "; ".join(tampered),
                                        "Le code modifie les outils de vérification : revue manuelle."))
    except (DeadKernelError, asyncio.TimeoutError, RuntimeError, ConnectionError) as error:
        grader_failure = kernel.grader_failure()  # the zygote's death, not the student's doing
        # past the deadline it is the budget, whatever nbclient raised while being cancelled
        died = time.monotonic() < deadline and not isinstance(error, asyncio.TimeoutError)
        result.cut_short = True
        why_en = "the kernel died" if died else f"the submission exceeded its {limits.total_seconds} s budget"
        why_fr = ("le noyau Python s'est arrêté (sortie du programme, mémoire ou processus épuisés)" if died
                  else f"le dépôt a dépassé sa limite totale de {limits.total_seconds} s")
        index, cell = code_cells[position]
        result.problems.append((f"{why_en} in cell {grade_id(cell) or index}; later cells not run",
                                f"Exécution arrêtée : {why_fr}. Les cellules suivantes n'ont pas été exécutées."))
        _mark_not_run(cell, f"Cellule interrompue : {why_fr}.", keep_outputs=True)
        for _, later in code_cells[position + 1:]:
            _mark_not_run(later, f"Cellule non exécutée : {why_fr}.")
    if judged:
        try:
            await judge.end()
        except Exception as error:  # noqa: BLE001 -- the verdicts are in; a worker that fails now is replaced
            log.warning("judge worker did not close cleanly: %s", error)
    if result.cut_short and grader_failure:
        raise GraderFailure(grader_failure)
    if client.dropped_bytes:
        result.problems.append((f"{client.dropped_bytes} bytes of output dropped",
                                "Une partie de l'affichage, trop volumineuse, a été supprimée."))
    if tampered and result.flagged:
        result.problems.append(("tampering detected: " + "; ".join(tampered),
                                "Le code modifie les outils de vérification : ces cellules seront relues par "
                                "l'enseignant."))
    result.seconds = time.monotonic() - started
    return result
