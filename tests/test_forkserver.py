"""The fork-server pool replaces a slot whose zygote died, and the batch goes on."""
from __future__ import annotations

import asyncio

import pytest

from coursekit.grading.forkserver import ForkServerPool
from coursekit.grading.sandbox import Sandbox, bubblewrap

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading"),
              pytest.mark.skipif(bubblewrap() is None, reason="bubblewrap is not available (or not root)")]


def test_a_dead_zygote_is_replaced_by_a_new_slot():
    async def scenario():
        pool = ForkServerPool(1, Sandbox(cell_timeout=20, total_seconds=60).limits())
        try:
            kernel = await pool.acquire()
            dead = kernel.slot
            dead.process.kill()  # as the OOM killer or a crash would
            await dead.process.wait()
            pool.release(kernel)  # its next kernel cannot be forked
            replacement = await pool.acquire()
            reply = await replacement.client.execute_interactive("x = 6 * 7", user_expressions={"x": "x"}, timeout=60)
            pool.release(replacement)
            return dead, replacement.slot, reply["content"]["user_expressions"]["x"]["data"]["text/plain"]
        finally:
            await pool.close()

    dead, fresh, answer = asyncio.run(scenario())
    assert fresh is not dead and dead.closed and answer == "42"
    assert fresh.uid != dead.uid or fresh.scratch != dead.scratch


def test_a_zygote_dying_under_a_submission_is_the_graders_failure_and_the_submission_runs_again():
    """Not the student's kernel dying: the submission is run again, whole, on a new kernel."""
    from nbformat.v4 import new_code_cell, new_notebook

    from coursekit.grading.executors import run_paired
    from coursekit.grading.judging import JudgePool

    limits = Sandbox(cell_timeout=20, total_seconds=60).limits()
    nb = new_notebook(cells=[new_code_cell("import time\ntime.sleep(4)\nx = 41"), new_code_cell("print(x + 1)")])

    async def scenario():
        pool, judges, taken = ForkServerPool(2, limits), JudgePool(1), []
        acquire = pool.acquire

        async def watched():
            kernel = await acquire()
            taken.append(kernel)
            return kernel
        pool.acquire = watched

        async def kill_the_first_zygote():
            while not taken:
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.5)
            taken[0].slot.process.kill()
        killer = asyncio.ensure_future(kill_the_first_zygote())
        try:
            return await run_paired(pool, judges, nb, limits, set(), None), taken
        finally:
            killer.cancel()
            await pool.close()
            await judges.close()

    run, taken = asyncio.run(scenario())
    assert len(taken) == 2 and taken[0].slot is not taken[1].slot
    assert not run.cut_short and not run.problems, run.problems
    assert [o.get("text") for o in nb.cells[1].outputs] == ["42\n"]
