"""Teacher notebooks follow the course conventions; fast checks that read files only."""
import re

import nbformat
import pytest

from coursekit import notebooks, stamping
from coursekit.paths import assignment_ids, release_notebook, source_notebook

ASSIGNMENTS = assignment_ids()
BEGIN_END = re.compile(r"### (BEGIN|END) (SOLUTION|HIDDEN TESTS)")


@pytest.fixture(params=ASSIGNMENTS)
def assignment(request) -> str:
    return request.param


def test_there_is_at_least_one_assignment():
    assert "tp2_fonctions_derivables" in ASSIGNMENTS


def test_source_is_normalised(assignment):
    path = source_notebook(assignment)
    nb = notebooks.read(path)
    nbformat.validate(nb)
    assert path.read_text(encoding="utf-8") == notebooks.normalized_text(nb), (
        f"{path} has outputs or volatile metadata: run `make release`")


def test_shared_helpers_are_stamped(assignment):
    nb = notebooks.read(source_notebook(assignment))
    assert {"setup", "checks"} <= set(stamping.helper_cells(nb))
    assert stamping.stale_helpers(nb) == [], "stale helper cells: run `make release`"


def test_grade_ids_are_unique_and_points_total_twenty(assignment):
    nb = notebooks.read(source_notebook(assignment))
    ids = [notebooks.grade_id(c) for c in nb.cells if notebooks.grade_id(c)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-zA-Z0-9_-]+", i) for i in ids)
    points = sum(float(notebooks.nbgrader_meta(c)["points"]) for c in notebooks.graded_cells(nb))
    assert points == 20


def test_every_code_answer_is_followed_by_its_test_cell(assignment):
    cells = [c for c in notebooks.read(source_notebook(assignment)).cells if notebooks.grade_id(c)]
    for cell, following in zip(cells, cells[1:] + [None]):
        if cell.cell_type == "code" and notebooks.is_answer_cell(cell):
            assert following is not None and notebooks.is_test_cell(following), (
                f"{notebooks.grade_id(cell)} has no test cell right after it")


def test_test_cells_score_through_checks(assignment):
    for cell in notebooks.read(source_notebook(assignment)).cells:
        if notebooks.is_test_cell(cell):
            assert "### BEGIN HIDDEN TESTS" in cell.source, f"{notebooks.grade_id(cell)} has no hidden test"
            assert cell.source.rstrip().endswith("checks.score()"), (
                f"{notebooks.grade_id(cell)} must end with checks.score() so partial credit is read")


def _hidden_lines(source_nb) -> set[str]:
    """Lines that only ever appear inside solution or hidden-test regions."""
    inside, outside = set(), set()
    for cell in source_nb.cells:
        region = None
        for line in cell.source.split("\n"):
            match = BEGIN_END.search(line)
            if match:
                region = match.group(2) if match.group(1) == "BEGIN" else None
                continue
            whole_markdown_answer = cell.cell_type == "markdown" and notebooks.is_answer_cell(cell)
            (inside if region or whole_markdown_answer else outside).add(line.strip())
    return {line for line in inside - outside if len(line) > 12}


def test_release_hides_solutions_and_hidden_tests(assignment):
    source_nb = notebooks.read(source_notebook(assignment))
    text = release_notebook(assignment).read_text(encoding="utf-8")
    release_nb = notebooks.read(release_notebook(assignment))
    assert not BEGIN_END.search(text)
    released_lines = {line.strip() for cell in release_nb.cells for line in cell.source.split("\n")}
    hidden = _hidden_lines(source_nb)
    source_lines = {line.strip() for cell in source_nb.cells for line in cell.source.split("\n")}
    assert len(hidden) > 50 and hidden <= source_lines, "the leak detector found nothing to look for"
    leaked = sorted(hidden & released_lines)
    assert not leaked, f"solution or hidden-test lines in the release: {leaked[:5]}"


def test_release_uses_french_stubs(assignment):
    release_nb = notebooks.read(release_notebook(assignment))
    for cell in release_nb.cells:
        if notebooks.is_answer_cell(cell):
            stub = "# VOTRE CODE ICI" if cell.cell_type == "code" else "VOTRE RÉPONSE ICI"
            assert stub in cell.source, f"{notebooks.grade_id(cell)} lacks the French stub"


def test_release_has_no_outputs(assignment):
    for cell in notebooks.read(release_notebook(assignment)).cells:
        assert not cell.get("outputs"), f"{notebooks.grade_id(cell)} has outputs in the release"


def test_release_installs_nothing_and_needs_no_repository_file(assignment):
    """Colab already has every package the TP uses; a student's copy stands alone."""
    for cell in notebooks.read(release_notebook(assignment)).cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.split("\n"):
            assert not re.match(r"\s*[!%]\s*(pip|conda|apt)", line), f"{assignment}: installs something: {line!r}"
            assert not re.search(r"^\s*(import|from)\s+(coursekit|nbgrader|tests)\b|sys\.path|\.\./|open\(['\"]", line), (
                f"{assignment}: depends on a file or package of this repository: {line!r}")


def _bound_names(tree) -> set[str]:
    """Every name a cell binds, at any depth (assignments, loop and comprehension targets,
    functions and their arguments, classes, imports, exception names)."""
    import ast
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


@pytest.mark.parametrize("assignment", assignment_ids())
def test_visible_checks_read_only_names_the_release_defines(assignment):
    """What the student runs (the release: hidden regions removed) reads only names that the
    release's cells or the student's answers define, never one that only a hidden region defines."""
    import ast
    import builtins
    cells = [c for c in notebooks.read(release_notebook(assignment)).cells if c.cell_type == "code"]
    trees = {id(c): ast.parse(c.source) for c in cells}
    defined = set(dir(builtins)) | {"get_ipython", "display", "In", "Out"}
    for tree in trees.values():
        defined |= _bound_names(tree)
    for cell in notebooks.read(source_notebook(assignment)).cells:  # what the students' answers define
        if cell.cell_type == "code" and notebooks.is_answer_cell(cell):
            defined |= _bound_names(ast.parse(cell.source))
    for cell in cells:
        if notebooks.is_test_cell(cell):
            read = {n.id for n in ast.walk(trees[id(cell)]) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
            assert not read - defined, f"{notebooks.grade_id(cell)} reads {sorted(read - defined)}, defined only in hidden tests"


@pytest.mark.parametrize("assignment", assignment_ids())
def test_no_cell_rebinds_a_name_of_the_checks_helper(assignment):
    """Stock nbgrader runs the test cells in the student's kernel: a teacher cell that binds `value`,
    `remote` or `expect` at top level (a timing cell's `value = total_loss(…)`) breaks every later check."""
    import ast
    from coursekit.grading.judge import defined_names
    source = stamping.snippet("checks")
    modules = {alias.asname or alias.name for node in ast.parse(source).body if isinstance(node, ast.Import) for alias in node.names}
    helper = defined_names(source) - modules  # importing the same module again is harmless
    for cell in notebooks.read(source_notebook(assignment)).cells:
        if cell.cell_type == "code" and not (notebooks.grade_id(cell) or "").startswith(stamping.PREFIX):
            clash = sorted(defined_names(cell.source) & helper)
            assert not clash, f"{notebooks.grade_id(cell) or cell.source.splitlines()[0]} rebinds {clash}, names of the checks helper"


@pytest.mark.parametrize("assignment", assignment_ids())
def test_timings_shown_to_students_are_warmed_up_and_repeated(assignment):
    """A single cold measurement can be ten times off (the first call pays PyTorch's set-up), and
    the ratio a statement promises does not show: timings go through the setup cell's best_time."""
    for cell in notebooks.read(source_notebook(assignment)).cells:
        if cell.cell_type == "code" and not (notebooks.grade_id(cell) or "").startswith(stamping.PREFIX):
            assert not re.search(r"perf_counter|time\.time\(|%%?time", cell.source), \
                f"{notebooks.grade_id(cell) or cell.source.splitlines()[0]} times a single run: use best_time"


def test_no_paragraph_of_the_statement_is_written_twice(assignment):
    """A paragraph pasted twice (TP2 once had the same one three times in a row) reads as an error."""
    seen: dict[str, int] = {}
    for index, cell in enumerate(notebooks.read(source_notebook(assignment)).cells):
        if cell.cell_type == "markdown":
            for paragraph in (p.strip() for p in cell.source.split("\n\n")):
                if len(paragraph) >= 80:
                    assert paragraph not in seen, f"cells {seen[paragraph]} and {index} repeat: {paragraph[:80]}…"
                    seen[paragraph] = index


DECIMAL_POINT = re.compile(r"(?<![\w.,])\d+\.\d+(?![\w.])")


def test_prose_writes_decimal_commas(assignment):
    """French prose writes 0,5 (and 0{,}5 in equations); code spans and blocks keep the point, and
    so do section numbers (« ### 1.2 ») and versions (« PyTorch 2.0 »)."""
    for index, cell in enumerate(notebooks.read(source_notebook(assignment)).cells):
        if cell.cell_type != "markdown" or cell.metadata.get("nbgrader", {}).get("solution"):
            continue
        fenced = False
        for line in cell.source.splitlines():
            if line.lstrip().startswith("```"):
                fenced = not fenced
            if fenced or line.lstrip().startswith(("#", "```")):
                continue
            prose = re.sub(r"`[^`]*`", "", line)
            prose = re.sub(r"(PyTorch|torch|Python|nbformat) \d+\.\d+", "", prose)
            assert not DECIMAL_POINT.search(prose), f"cell {index}: decimal point in French prose: {line.strip()[:100]}"


# One French term per concept (COURSE.md §3, docs/notation): the loss is « coût », one (input, target) pair an
# « exemple », accuracy « exactitude », the device « matériel » (with `device` in code). Read in the prose, the
# comments and the strings of every cell (hidden check messages reach the student too) but the stamped helpers.
FORBIDDEN_TERMS = {
    r"\bpertes?\b": "« coût » (the loss)",
    r"\béchantillons?\b": "« exemple » (one pair) or « jeu de données » (all of them)",
    r"\bprécisions? (de test|d'apprentissage|de validation|finales?|sur)\b|% de précision": "« exactitude » (accuracy)",
    r"\b(le|du|un|au|même) device\b": "« matériel » (`device` in code)",
}


def test_one_term_per_concept(assignment):
    for index, cell in enumerate(notebooks.read(source_notebook(assignment)).cells):
        if (notebooks.grade_id(cell) or "").startswith(stamping.PREFIX):
            continue
        text = re.sub(r"`[^`\n]*`", "", cell.source) if cell.cell_type == "markdown" else cell.source
        for pattern, term in FORBIDDEN_TERMS.items():
            found = re.search(pattern, text, flags=re.IGNORECASE)
            assert not found, f"cell {index}: « {found.group(0)} »: write {term}"


# A number a cell prints or draws is read by the student as French: `fr(x, 2)` (or `_number(x)` in a check), not
# `{x:.2f}`, `{x:.1%}` or `{x:.1e}`, which write a decimal point. Whole numbers (`:.0f`) and tqdm's postfix are fine.
POINT_FORMAT = re.compile(r"\{[^{}:!]+:[<>^]?\d*\.(?:[1-9]\d*f|\d+[%e])\}")


def test_printed_numbers_use_decimal_commas(assignment):
    for index, cell in enumerate(notebooks.read(source_notebook(assignment)).cells):
        if cell.cell_type != "code" or (notebooks.grade_id(cell) or "").startswith(stamping.PREFIX):
            continue
        for line in cell.source.splitlines():
            if 'replace(".", ",")' in line or "replace('.', ',')" in line or "set_postfix" in line:
                continue
            found = POINT_FORMAT.search(line)
            assert not found, f"cell {index}: « {found.group(0)} » writes a decimal point: use fr(…)"
