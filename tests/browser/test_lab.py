"""Do the lessons work in a real JupyterLab, in a real browser?

Executing notebooks with nbclient cannot see what breaks in the browser: a widget shown as the
text "FloatSlider(value=1.0, ...)" because the front end and the kernel disagree, a figure that
does not render, nbgrader's Validate button missing. This test runs every lesson in JupyterLab
under Debian's headless Chromium, driven by Playwright (nothing is downloaded at run time).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert.filters.markdown_mistune import MarkdownWithMath

from autograder.grader.course import Course
from autograder.grader.inert_exporter import InertMarkdownRenderer
from tests.browser.lab_server import LabServer
from tests.lessons.notebook_rules import LESSON_NAMES, ROOT, notebook_path

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = ROOT / "build" / "screenshots"
RUN_TIMEOUT_S = 90
LESSONS = [name for name in LESSON_NAMES if notebook_path(name).exists()]

# What a widget that failed to render leaves on the page instead of the control.
UNRENDERED_WIDGET = ("Loading widget...", "Error displaying widget", "Slider(value=", "Dropdown(")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("no browser: /usr/bin/chromium is missing (apt-get install chromium)")
    root = Course.create(tmp_path_factory.mktemp("lab-root") / "course").root
    if LESSONS:
        bin_dir = os.path.dirname(sys.executable)
        subprocess.run(
            [sys.executable, "-m", "nbgrader", "generate_assignment", LESSONS[0], "--force"],
            cwd=root,
            env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"]},
            check=True,
            capture_output=True,
            timeout=300,
        )
    with LabServer(root, tmp_path_factory.mktemp("lab-scratch")) as server:
        yield server


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def open_notebook(browser, lab, path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # A workspace of its own per page: a shared one would reopen the previous notebook too.
    workspace = path.replace("/", "-").replace(".", "-")
    page.goto(lab.url(f"lab/workspaces/{workspace}/tree/{path}"))
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function("window.jupyterapp !== undefined", timeout=30_000)
    # Wait for the kernel to be ready before running anything.
    page.wait_for_function(
        """() => {
            const panel = window.jupyterapp.shell.currentWidget;
            return panel && panel.sessionContext && panel.sessionContext.session &&
                   panel.sessionContext.session.kernel &&
                   panel.sessionContext.session.kernel.status === 'idle';
        }""",
        timeout=60_000,
    )
    return page


def run_all_and_wait(page):
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    # Every code cell's prompt shows an execution count, and the kernel is idle again.
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            const panel = window.jupyterapp.shell.currentWidget;
            const idle = panel.sessionContext.session.kernel.status === 'idle';
            return idle && prompts.length > 0 &&
                   prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=RUN_TIMEOUT_S * 1000,
        polling=500,
    )


def image_sources(page):
    return page.eval_on_selector_all(
        ".jp-OutputArea-output img", "imgs => imgs.map(i => i.src.length + ':' + i.src.slice(-64))"
    )


def move_a_widget(page):
    """Press the right arrow on the first slider handle; return False if there is none."""
    handle = page.query_selector(".jp-OutputArea-output .noUi-handle")
    if handle is None:
        return False
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    return True


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_runs_with_live_widgets_and_figures(lesson, lab, browser):
    """Run All in JupyterLab: no error, widgets live, figures as images, a slider redraws."""
    page = open_notebook(browser, lab, f"lessons/{lesson}/{lesson}.ipynb")
    try:
        run_all_and_wait(page)
        errors = page.query_selector_all(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        )
        assert not errors, f"{lesson}: error output: {errors[0].inner_text()[:300]}"
        text = "\n".join(o.inner_text() for o in page.query_selector_all(".jp-OutputArea"))
        for sign in UNRENDERED_WIDGET:
            assert sign not in text, f"{lesson}: a widget did not render ({sign!r} on the page)"
        widget_outputs = page.query_selector_all(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.widget-view+json']"
        )
        for output in widget_outputs:
            assert output.query_selector(".jupyter-widgets, .widget-box, .jupyter-widget"), (
                f"{lesson}: a widget output holds no live widget: {output.inner_text()[:200]}"
            )
        images = page.query_selector_all(".jp-OutputArea-output img")
        assert images, f"{lesson}: no figure rendered as an image"
        for img in images:
            assert img.evaluate("i => i.complete && i.naturalWidth > 0"), f"{lesson}: broken image"
        before = image_sources(page)
        if move_a_widget(page):
            deadline = time.monotonic() + 20
            while image_sources(page) == before and time.monotonic() < deadline:
                time.sleep(0.5)
            assert image_sources(page) != before, f"{lesson}: moving the slider redrew nothing"
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        first_widget = page.query_selector(".jp-OutputArea-output .jupyter-widgets")
        if first_widget:
            first_widget.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"{lesson}.png"))
        page.close()


@pytest.mark.skipif(not LESSONS, reason="no lesson written yet")
def test_released_notebook_has_nbgrader_validate_button(lab, browser):
    """Does a student-version notebook show nbgrader's Validate button in its toolbar?"""
    lesson = LESSONS[0]
    page = open_notebook(browser, lab, f"release/{lesson}/{lesson}.ipynb")
    try:
        button = page.wait_for_selector(
            ".jp-NotebookPanel-toolbar >> text=Validate", timeout=30_000
        )
        assert button.is_visible()
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"release_{lesson}.png"))
        page.close()


# Per markdown cell in JupyterLab: its headings' text (formulas and the anchor sign left out)
# and how many formulas MathJax typeset.
LAB_MARKDOWN = """() => [...document.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown')]
    .map(cell => {
        const copy = cell.cloneNode(true);
        copy.querySelectorAll('mjx-container').forEach(m => m.remove());
        const headings = [...copy.querySelectorAll('h1, h2, h3, h4, h5, h6')]
            .map(h => h.textContent.replace('\u00b6', '').replace(/\\s+/g, ' ').trim());
        return [headings, cell.querySelectorAll('mjx-container').length];
    })"""


def feedback_markdown(nb):
    """[[headings], formulas] per markdown cell, as the feedback pages render them."""
    rendered = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        renderer = InertMarkdownRenderer(attachments=cell.get("attachments", {}))
        soup = BeautifulSoup(MarkdownWithMath(renderer=renderer).render(cell.source), "html.parser")
        formulas = len(soup.find_all("math"))
        for formula in soup.find_all("math"):
            formula.decompose()
        headings = [
            " ".join(h.get_text().replace("\u00b6", "").split())
            for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
        ]
        rendered.append([headings, formulas])
    return rendered


@pytest.mark.parametrize("lesson", LESSONS)
def test_markdown_reads_the_same_in_lab_and_in_feedback(lesson, lab, browser):
    """Does every markdown cell show the same headings and the same number of formulas in
    JupyterLab (MathJax) as in the feedback pages (MathML written by the grader)?"""
    want = feedback_markdown(nbformat.read(notebook_path(lesson), as_version=4))
    page = open_notebook(browser, lab, f"lessons/{lesson}/{lesson}.ipynb")
    try:
        total = sum(formulas for _, formulas in want)
        # MathJax typesets after the cells render: wait until every formula is there.
        page.wait_for_function(
            f"document.querySelectorAll('.jp-MarkdownCell mjx-container').length >= {total}",
            timeout=60_000,
        )
        got = page.evaluate(LAB_MARKDOWN)
        assert len(got) == len(want), f"{lesson}: {len(got)} markdown cells shown, {len(want)}"
        for index, (lab_cell, feedback_cell) in enumerate(zip(got, want, strict=True)):
            assert lab_cell == feedback_cell, f"{lesson}, markdown cell {index}"
    finally:
        page.close()
