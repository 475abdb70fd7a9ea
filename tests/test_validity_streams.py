"""The RNG streams of the validity harness: every seed an answer sets follows the stream."""
import subprocess
import sys

from coursekit.validity import STREAMS_SETUP, Graded, margins

DRAWS = """
import random, numpy, torch
def draws():
    return (torch.randperm(6, generator=torch.Generator().manual_seed(0)).tolist(), torch.randperm(6).tolist(),
            random.Random(0).sample(range(6), 6), numpy.random.default_rng(0).permutation(6).tolist(),
            torch.argsort(torch.rand(6)).tolist(), (torch.manual_seed(3), torch.rand(2).tolist())[1])
_coursekit_stream(1); a = draws()
_coursekit_stream(2); b = draws()
_coursekit_stream(1); c = draws()
print(all(x != y for x, y in zip(a, b)), a == c)
"""


def test_streams_change_every_mechanism_and_repeat_for_the_same_stream():
    out = subprocess.run([sys.executable, "-c", STREAMS_SETUP + DRAWS], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]


def test_margins_are_read_from_the_check_report():
    graded = Graded({"t": (1.0, 1.0)}, {"t": "t : 1 / 1 point(s)\nmarge | perte finale | 0.125\n1.0"})
    assert margins(graded) == {("t", "perte finale"): 0.125}
