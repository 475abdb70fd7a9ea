"""A student's and an instructor's session in JupyterLab 4, in headless Chromium.

JupyterLab runs on loopback in a course folder. The student opens a blank copy of a release
notebook and runs all cells: the run stops on the first stub's `NotImplementedError` and on
nothing else. They type an answer, run again: its visible check passes and the run stops on
the next stub. nbgrader's Validate button reports the unfinished work, and success on a
finished copy. The instructor opens the formgrader from the Nbgrader menu and sees every
assignment. Screenshots of each step are kept in test-artifacts/jupyterlab/.
"""
from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from coursekit import notebooks
from coursekit.nbgrader_run import nbgrader_env
from coursekit.paths import REPO_ROOT, assignment_ids
from coursekit.release import generate_release, make_course_folder
from coursekit.submissions import strip_solution_markers, student_copy
from tests.chromium import CHROMIUM, CHROMIUM_ARGS, needs_chromium

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser"), needs_chromium]
ASSIGNMENT = "tp1_tenseurs_broadcasting"  # the quickest TP to run and validate
ARTIFACTS = REPO_ROOT / "test-artifacts" / "jupyterlab"
TOKEN = "course-browser-test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a course folder: every TP's source, the release of ASSIGNMENT, and a
    student's working copies (blank and finished) in travail/."""
    root = tmp_path_factory.mktemp("lab")
    course = make_course_folder(root / "course")
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(f"\nc.Exchange.root = {str(root / 'exchange')!r}\n")
    (root / "exchange").mkdir()
    generate_release(course, [ASSIGNMENT])
    release = notebooks.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    source = notebooks.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    notebooks.write(release, course / "travail" / f"{ASSIGNMENT}.ipynb")
    notebooks.write(student_copy(release, source), course / "travail" / "termine.ipynb")
    settings = root / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)  # no "Jupyter news?" pop-up over the screenshots
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false",
                                                                            "checkForUpdates": False}))
    env = nbgrader_env() | {"HOME": str(root / "home"), "JUPYTER_CONFIG_DIR": str(root / "home" / ".jupyter"),
                            "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"), "OMP_NUM_THREADS": "1"}
    port = _free_port()
    log = open(root / "jupyterlab.log", "w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--allow-root", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={course}"],
        cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=5)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(f"JupyterLab exited: {(root / 'jupyterlab.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield base, course, source
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open_notebook(browser, base: str, path: str):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(240_000)
    page.goto(f"{base}/lab/tree/{path}?reset&token={TOKEN}")  # reset: not the previous page's layout
    # loaded (more than the placeholder cell) and its kernel started, not just "idle" before it
    page.wait_for_function("document.querySelectorAll('.jp-NotebookPanel .jp-Cell').length > 1")
    page.get_by_text(re.compile(r"\(ipykernel\) \| Idle")).first.wait_for()
    return page


def _menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def _run_all_and_save(page, saved: Path, shot: str) -> notebooks.NotebookNode:
    """Run → Run All Cells, wait for the kernel to go idle, save, and read back the file."""
    before = saved.stat().st_mtime_ns
    _menu(page, "Run", "Run All Cells")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='busy']", state="attached")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    page.keyboard.press("Control+s")
    for _ in range(100):
        if saved.stat().st_mtime_ns != before:
            break
        time.sleep(0.2)
    time.sleep(0.5)
    page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / shot))
    return notebooks.read(saved)


def _errors(nb) -> list[tuple[int, int, str]]:
    """(execution count, cell index, exception name) of every error, in the order they ran. A
    check cell reports what its visible checks met inside its own AssertionError: that error
    is named after the first exception its message reports."""
    def name(output) -> str:
        if output.ename == "AssertionError":
            for inner in ("NotImplementedError", "NameError"):
                if f"{inner} :" in output.evalue:
                    return inner
        return output.ename
    return sorted((cell.get("execution_count") or 0, index, name(output)) for index, cell in enumerate(nb.cells)
                  for output in cell.get("outputs", []) if output.output_type == "error")


def _stops_on_stub(nb, answer: int) -> bool:
    """The run stops on the stub's NotImplementedError, raised by the answer cell or by its
    check right after it (a stub inside a function raises when the check calls it).

    ipykernel aborts the rest of a "Run All" only for requests already received when the error
    happens; one arriving later still runs, and can only fail for want of an unanswered name.
    """
    errors = _errors(nb)
    if not errors or errors[0][1:] not in ((answer, "NotImplementedError"), (answer + 1, "NotImplementedError")):
        return False
    return all(name in ("NotImplementedError", "NameError") for _, _, name in errors[1:])


def _first_code_answers(nb, count: int) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and notebooks.is_answer_cell(c)][:count]


def _validate_button(page):
    return page.get_by_role("button", name="Validate").locator("visible=true").first


def _validate(page, shot: str) -> str:
    _validate_button(page).click()
    dialog = page.wait_for_selector(".jp-Dialog", timeout=300_000)
    time.sleep(0.5)
    page.screenshot(path=str(ARTIFACTS / shot))
    text = dialog.inner_text()
    page.keyboard.press("Escape")
    return text


def test_student_runs_fills_in_and_validates(lab, browser):
    base, course, source = lab
    saved = course / "travail" / f"{ASSIGNMENT}.ipynb"
    page = _open_notebook(browser, base, f"travail/{ASSIGNMENT}.ipynb")
    page.screenshot(path=str(ARTIFACTS / "1_notebook_ouvert.png"))
    assert _validate_button(page).is_visible(), "nbgrader's Validate button is missing"

    first, second = _first_code_answers(notebooks.read(saved), 2)
    nb = _run_all_and_save(page, saved, "2_tout_executer.png")
    assert _stops_on_stub(nb, first), f"a blank release must stop on its first stub and on nothing else: {_errors(nb)}"
    assert all(c.get("execution_count") for c in nb.cells[:first] if c.cell_type == "code"), "cells before it ran"

    answer = strip_solution_markers(notebooks.cells_by_grade_id(source)[notebooks.grade_id(nb.cells[first])].source)
    page.locator(".jp-Notebook .jp-Cell").nth(first).locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(answer)
    page.keyboard.press("Escape")
    nb = _run_all_and_save(page, saved, "3_reponse_remplie.png")
    assert nb.cells[first].source.strip() == answer.strip(), "the typed answer was not saved as typed"
    assert _stops_on_stub(nb, second), f"after the first answer: {_errors(nb)}"

    verdict = _validate(page, "4_validation_incomplete.png")
    assert "Validation" in verdict and "Success" not in verdict, verdict
    assert "NotImplementedError" in verdict, f"the verdict should point at the unfinished stubs: {verdict}"
    assert "Exercice 2 — " in verdict and "(cellule " in verdict, f"each failing exercise is named: {verdict}"
    assert "Traceback" not in verdict and "checks = Checks(" not in verdict, f"no test source, no traceback: {verdict}"
    page.close()

    page = _open_notebook(browser, base, "travail/termine.ipynb")
    verdict = _validate(page, "5_validation_reussie.png")
    assert "Success! Your notebook passes all the tests." in verdict, verdict
    page.close()


def test_instructor_sees_every_assignment_in_the_formgrader(lab, browser):
    base, _, _ = lab
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(240_000)
    page.goto(f"{base}/lab?reset&token={TOKEN}")
    page.wait_for_selector(".lm-MenuBar-itemLabel")
    _menu(page, "Nbgrader", "Formgrader")
    frame = page.frame_locator("iframe").first
    for assignment in assignment_ids():
        frame.get_by_text(assignment, exact=True).wait_for()
    assert "does not exist" not in frame.locator("body").inner_text(), "the exchange warning is showing"
    page.screenshot(path=str(ARTIFACTS / "6_formgrader.png"))
    page.close()
