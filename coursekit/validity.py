"""Grading-validity harness: does a test cell fail a plausible wrong answer and pass an
alternative correct one?

A variant replaces one answer cell of the teacher notebook. The notebook is cut after the
last test cell of interest, its `experiment`-tagged cells (figures, long runs that no test
reads) are dropped, and it runs exactly as a submission does: in a warm sandboxed kernel of
the grading engine, under the course's limits and tamper canary. Each test cell is then
scored by nbgrader's own `determine_grade`, after nbgrader's `IgnorePattern` with the course
configuration; a test cell the canary flags scores 0, as in the gradebook.

One shortcut: the judged test cells placed before every changed cell and every test of
interest judge the teacher's own answers, and no kernel code reads what they do; the judge
only binds the names they define (references, helpers) for later cells, without running
their checks (most of a variant's time otherwise).
"""
from __future__ import annotations

import atexit
import copy
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping

from nbformat.v4 import new_code_cell
from nbgrader.preprocessors import IgnorePattern
from nbgrader.utils import determine_grade

from . import notebooks
from .course import Course
from .grading.executors import KernelRuntime
from .grading.judge import is_judged
from .grading.kernels import modules_to_preload
from .grading.sandbox import Limits
from .paths import REPO_ROOT, assignment_ids, source_notebook
from .stamping import PREFIX as HELPER_PREFIX
from .variants import source_of

EXPERIMENT_TAG = "experiment"


@lru_cache(maxsize=1)
def repository_course() -> Course:
    """The repository as a course: its nbgrader_config.py sets the limits and the scoring."""
    return Course.load(REPO_ROOT)


def scored_slice(assignment: str, replacements: Mapping[str, str], tests: Iterable[str]):
    """The code cells needed to score `tests`, with `replacements` applied."""
    nb = notebooks.read(source_notebook(assignment))
    wanted = set(tests)
    positions = [i for i, cell in enumerate(nb.cells) if notebooks.grade_id(cell) in wanted]
    missing = wanted - {notebooks.grade_id(nb.cells[i]) for i in positions}
    if missing:
        raise KeyError(f"{assignment} has no cell named {sorted(missing)}")
    unknown = set(replacements) - set(notebooks.cells_by_grade_id(nb))
    if unknown:
        raise KeyError(f"{assignment} has no answer cell named {sorted(unknown)}")
    kept = []
    for cell in nb.cells[: max(positions) + 1]:
        if cell.cell_type != "code" or EXPERIMENT_TAG in cell.metadata.get("tags", []):
            continue
        gid = notebooks.grade_id(cell)
        if gid in replacements:
            cell.source = replacements[gid]
        kept.append(cell)
    nb.cells = kept
    return nb


@dataclass
class Graded:
    """Scores of the test cells that ran, and their outputs to explain a surprise."""

    scores: dict[str, tuple[float, float]]
    outputs: dict[str, str]

    def total(self, tests: Iterable[str]) -> tuple[float, float]:
        pairs = [self.scores[t] for t in tests]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    def explain(self, tests: Iterable[str]) -> str:
        return "\n".join(f"[{t}] {self.scores[t][0]:g}/{self.scores[t][1]:g}\n{self.outputs[t]}" for t in tests)


def _output_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
        elif output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type == "execute_result":
            parts.append(output.data.get("text/plain", ""))
    return "".join(parts)[-1500:]


_RUNTIMES: dict[Limits, KernelRuntime] = {}


def _runtime(assignment: str) -> KernelRuntime:
    """One warm kernel pool per assignment's limits in this process, closed at exit."""
    limits = repository_course().limits(assignment)
    if limits not in _RUNTIMES:  # one pool for every TP: what any of them imports is preloaded
        preload = sorted({name for a in assignment_ids() for name in modules_to_preload(source_of(a))})
        _RUNTIMES[limits] = runtime = KernelRuntime(limits, 1, tuple(preload), judge_env={"COURSEKIT_MARGINS": "1"})
        atexit.register(runtime.close)
    return _RUNTIMES[limits]


def settled_cells(nb, replacements: Mapping[str, str], tests: Iterable[str]) -> frozenset[str]:
    """The judged test cells before every replaced cell and every test of interest: they judge
    the teacher's answers, so only the names they define matter to what follows."""
    wanted = set(replacements) | set(tests)
    first = next((i for i, cell in enumerate(nb.cells) if notebooks.grade_id(cell) in wanted), len(nb.cells))
    return frozenset(notebooks.grade_id(cell) for cell in nb.cells[:first] if is_judged(cell))


def _execute(assignment: str, nb, settled: frozenset[str] = frozenset()) -> list[tuple[str, float, float, str]]:
    """Run a slice as a submission runs; (grade id, score, maximum, output) of each test cell
    that ran its checks, in order."""
    helpers = {gid for cell in nb.cells if (gid := notebooks.grade_id(cell) or "").startswith(HELPER_PREFIX)}
    run = _runtime(assignment).execute(nb, helpers, source_notebook(assignment).read_text(encoding="utf-8"), settled)
    ignore = IgnorePattern(config=repository_course().config)
    scored = []
    for index, cell in enumerate(nb.cells):
        if notebooks.is_test_cell(cell) and notebooks.grade_id(cell) not in settled:
            if ignore.enabled:
                cell, _ = ignore.preprocess_cell(cell, {}, index)
            score, max_score = determine_grade(cell)
            gid = notebooks.grade_id(cell)
            if gid in run.flagged:
                score = 0
            text = _output_text(cell) + "".join(f"\n[canary] {c}" for c in run.flagged.get(gid, []))
            scored.append((gid, float(score), float(max_score), text))
    return scored


def _graded(scored) -> Graded:
    graded = Graded({}, {})
    for gid, score, max_score, text in scored:
        graded.scores[gid] = (score, max_score)
        graded.outputs[gid] = text
    return graded


def run_and_score(assignment: str, replacements: Mapping[str, str], tests: Iterable[str]) -> Graded:
    """Execute the slice as a submission would run and score every test cell that ran its checks."""
    nb = scored_slice(assignment, replacements, tests)
    return _graded(_execute(assignment, nb, settled_cells(nb, replacements, tests)))


# The kernel side of RNG streams: every seed an answer sets (torch, its generators, random,
# NumPy) is mixed with the stream number, and the global generators restart from it, so one
# answer runs as under another seed, whatever mechanism it shuffles or initialises with.
STREAMS_SETUP = """\
def _coursekit_streams():
    import random, numpy, torch
    state = {"stream": 0}

    def mixed(seed):
        try:
            return (int(seed) * 1_000_003 + state["stream"] * 7_919) % 2**62
        except (TypeError, ValueError):  # None (fresh entropy) or a sequence: left as it is
            return seed

    base_generator, base_random = torch.Generator, random.Random
    seed_torch, seed_random, seed_numpy, default_rng = torch.manual_seed, random.seed, numpy.random.seed, numpy.random.default_rng

    class Generator(base_generator):
        def manual_seed(self, seed):
            return base_generator.manual_seed(self, mixed(seed))

    class Random(base_random):
        def seed(self, a=None, version=2):
            return base_random.seed(self, mixed(a), version)

    torch.Generator, random.Random = Generator, Random
    torch.manual_seed = lambda seed: seed_torch(mixed(seed))
    random.seed = lambda a=None, version=2: seed_random(mixed(a), version)
    numpy.random.seed = lambda seed=None: seed_numpy(None if seed is None else mixed(seed) % 2**32)
    numpy.random.default_rng = lambda seed=None: default_rng(mixed(seed))

    def start(stream):
        state["stream"] = stream
        seed_torch(stream)
        seed_random(stream)
        seed_numpy(stream)

    return start


_coursekit_stream = _coursekit_streams()
"""


def run_streams(assignment: str, replacements: Mapping[str, str], tests: Iterable[str],
                streams: Iterable[int]) -> list[Graded]:
    """The test cells `tests` graded once per RNG stream, in one kernel: the slice runs once,
    then for each stream its seeds are set and the test cells run again."""
    tests = tuple(tests)
    nb = scored_slice(assignment, replacements, tests)
    settled = settled_cells(nb, replacements, tests)
    originals = [cell for cell in nb.cells if notebooks.grade_id(cell) in tests]
    nb.cells.append(new_code_cell(STREAMS_SETUP))
    streams = list(streams)
    for stream in streams:
        nb.cells.append(new_code_cell(f"_coursekit_stream({stream})"))
        for cell in originals:
            repeated = copy.deepcopy(cell)
            repeated.pop("id", None)
            nb.cells.append(repeated)
    scored = [entry for entry in _execute(assignment, nb, settled) if entry[0] in tests]
    per_run = len(originals)
    return [_graded(scored[i:i + per_run]) for i in range(per_run, len(scored), per_run)]


def lost_cells(graded: Graded) -> set[str]:
    """The test cells of a correct answer's run that failed: a point lost, or a bound broken (a
    visible check carries no points, but a student whose correct answer breaks it sees an error)."""
    return ({gid for gid, (score, maximum) in graded.scores.items() if score < maximum}
            | {gid for (gid, _), margin in margins(graded).items() if margin < 0})


def margins(graded: Graded) -> dict[tuple[str, str], float]:
    """How far each bound a check printed (`expect_below`) stayed from failing, per test cell."""
    found = {}
    for gid, text in graded.outputs.items():
        for line in text.splitlines():
            if line.startswith("marge | "):
                _, what, margin = line.split(" | ")
                found[(gid, what)] = min(float(margin), found.get((gid, what), float("inf")))
    return found
