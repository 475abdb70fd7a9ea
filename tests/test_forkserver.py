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
            await pool.release(kernel)  # its next kernel cannot be forked
            replacement = await pool.acquire()
            reply = await replacement.client.execute_interactive("x = 6 * 7", user_expressions={"x": "x"}, timeout=60)
            await pool.release(replacement)
            return dead, replacement.slot, reply["content"]["user_expressions"]["x"]["data"]["text/plain"]
        finally:
            await pool.close()

    dead, fresh, answer = asyncio.run(scenario())
    assert fresh is not dead and dead.closed and answer == "42"
    assert fresh.uid != dead.uid or fresh.scratch != dead.scratch
