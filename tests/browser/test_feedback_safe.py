"""Can an instructor open the feedback of a hostile class in a browser without running it?

A class of lesson 04 submissions, each hiding HTML and script where a student can (markdown
cells, rich outputs, an exception message, printed text, the notebook's metadata, the name of
the file handed in), is graded by `python -m autograder grade`. Every feedback page is then
opened from disk in Debian's headless Chromium (Playwright), network cut off, and must: raise
no dialog (every payload calls alert), log no console error and no Content-Security-Policy
violation (a violation means something tried to run or load), hold no element or attribute
from student HTML in its DOM, still show the student's text as text, the mistake's hint, and
the figure as an image.
"""

import os
import subprocess
import sys

import pytest

from autograder.grader.course import Course
from autograder.grader.math_ml import TAGS as MATHML_TAGS
from autograder.grader.release import release
from autograder.grader.sample_class import (
    completed,
    mistaken_source,
    mistakes,
    replace_stub,
    submit,
    with_body,
)
from tests.browser.test_lab import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSON = "04_output_layer"

MARKDOWN = """# Notes <script>alert('md script')</script>

<img src=x onerror="alert('md img')"> <svg onload="alert('md svg')"></svg>
<iframe srcdoc="<script>alert('md iframe')</script>"></iframe>
<meta http-equiv="refresh" content="0; url=https://example.org/">
<style>body { background: url(https://example.org/beacon.png) }</style>

[a link](javascript:alert('md link')) and <a href="javascript:alert('md a')">anchor</a>
and <b onmouseover="alert('md b')">bold</b> and ![beacon](https://example.org/beacon.png)

```mermaid
<img src=x onerror="alert('mermaid')">
```

Formulas: $\\text{<img src=x onerror="alert('tex text')">}$ and
$$\\href{javascript:alert('tex href')}{x} + \\unknownmacro{<script>alert('tex')</script>}$$
"""

OUTPUTS = """%matplotlib inline
import matplotlib.pyplot as plt
import ipywidgets
from IPython.display import HTML, SVG, Javascript, Markdown, display

figure, axes = plt.subplots(figsize=(3, 2))
axes.plot([0, 1, 2], [0, 1, 0])
plt.show()
display(HTML("<b>html output</b><script>alert('html script')</script>"
             "<img src=x onerror=\\"alert('html img')\\">"))
display(Javascript("alert('javascript output')"))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/>'
            '<script>alert("svg script")</script></svg>'))
display(Markdown("<img src=x onerror=\\"alert('markdown output')\\">"))
display(ipywidgets.IntSlider(description="slider"))
print("<script>alert('stdout')</script>")
"""

ERROR_BODY = 'raise ValueError("<img src=x onerror=\\"alert(\'evalue\')\\"> is not allowed")'
HOSTILE_NAME = "<img src=x onerror=alert('file name')>.ipynb"

# What each student's page must show as text, read by a person.
SHOWN = {
    "markdown": ["<script>alert('md script')</script>", "<iframe srcdoc="],
    "outputs": ["<b>html output</b>", "<script>alert('stdout')</script>", "slider"],
    "error": ["is not allowed"],
    "file_name": [HOSTILE_NAME],
}


def plant(course):
    """The hostile class; returns {student: the hint their feedback must show, or None}."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_raw_cell

    stub, key, hint = mistakes(LESSON)[0]
    nb = replace_stub(completed(course, LESSON), stub, mistaken_source(LESSON, stub, key))
    nb.cells.insert(1, new_markdown_cell(MARKDOWN))
    nb.cells.insert(2, new_raw_cell("<script>alert('raw cell')</script>"))
    nb.metadata["title"] = "</title><script>alert('title')</script>"
    nb.cells[1].metadata["tags"] = ["x\" onmouseover=\"alert('tag')"]
    submit(course, "markdown", LESSON, nb)

    nb = completed(course, LESSON)
    nb.cells.insert(1, new_code_cell(OUTPUTS))
    submit(course, "outputs", LESSON, nb)

    submit(course, "error", LESSON, with_body(course, LESSON, "linear_forward", ERROR_BODY))

    folder = submit(course, "file_name", LESSON)
    (folder / HOSTILE_NAME).write_text("{}")
    return {"markdown": hint, "outputs": None, "error": None, "file_name": None}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """{student: (feedback page path, hint)} of the hostile class, graded for real."""
    if not CHROMIUM.exists():
        pytest.skip("no browser: /usr/bin/chromium is missing (apt-get install chromium)")
    course = Course.create(tmp_path_factory.mktemp("hostile") / "course", [LESSON])
    release(course, [LESSON])
    hints = plant(course)
    bin_dir = os.path.dirname(sys.executable)
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "--course", str(course.root), "--jobs", "2"],
        env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pages = {s: course.feedback_file(s, LESSON) for s in hints}
    return {s: (pages[s], hints[s]) for s in hints}


@pytest.fixture(scope="module")
def browser(graded):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            # No network for the page: nothing may be fetched, whatever the page asks for.
            args=[*CHROMIUM_ARGS, "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"],
            headless=True,
        )
        yield chromium
        chromium.close()


# Runs in the page before its own content (Playwright's init scripts are exempt from the
# page's CSP): counts the policy's refusals, each one something that tried to run or load.
COUNT_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""

FORBIDDEN = "script, iframe, frame, object, embed, svg, form, base, link, meta[http-equiv='refresh'], body style, template, noscript"  # noqa: E501
# Formulas are MathML (math_ml.py): inside <math>, nothing but presentation MathML.
NOT_MATHML = "math :not(" + ", ".join(sorted(MATHML_TAGS)) + ")"

HANDLERS_AND_URLS = """() => {
    const found = [];
    for (const el of document.querySelectorAll('*')) {
        for (const attr of el.attributes) {
            const value = attr.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
            if (attr.name.toLowerCase().startsWith('on')) found.push(el.tagName + ' ' + attr.name);
            if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attr.name)
                && (value.startsWith('javascript:') || value.startsWith('vbscript:')))
                found.push(el.tagName + ' ' + attr.name + '=' + attr.value);
        }
    }
    return found;
}"""


def open_page(browser, path):
    """A page on the file, with its dialogs, console errors and outside requests recorded."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    seen = {"dialogs": [], "errors": [], "requests": []}

    def block(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            seen["requests"].append(url)
            route.abort()

    context.route("**/*", block)
    page = context.new_page()
    page.add_init_script(COUNT_VIOLATIONS)
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(500)  # let onload/onerror handlers and timers fire, if any were live
    return context, page, seen


@pytest.mark.parametrize("student", list(SHOWN))
def test_feedback_page_is_inert_and_still_reads(student, graded, browser):
    """Open the page: no dialog, error, violation, request, student element; text still there."""
    path, hint = graded[student]
    context, page, seen = open_page(browser, path)
    try:
        assert seen["dialogs"] == [], f"{student}: a student script ran: {seen['dialogs']}"
        assert seen["errors"] == [], f"{student}: console errors: {seen['errors']}"
        assert page.evaluate("window.__violations") == [], f"{student}: CSP had to block"
        assert seen["requests"] == [], f"{student}: the page asked the network for {seen}"
        assert page.query_selector_all(FORBIDDEN) == [], f"{student}: a forbidden element"
        assert page.query_selector_all(NOT_MATHML) == [], f"{student}: markup inside a formula"
        assert page.evaluate(HANDLERS_AND_URLS) == []
        policy = page.get_attribute("meta[http-equiv='Content-Security-Policy']", "content")
        assert "script-src 'none'" in policy
        text = page.inner_text("body")
        for words in SHOWN[student]:
            assert words in text, f"{student}: {words!r} is not shown as text"
        assert "Score" in text
        if hint:
            assert page.get_by_text(hint[:60]).first.is_visible(), f"{student}: hint not shown"
        if student == "outputs":
            images = page.query_selector_all("img[src^='data:image/png;base64,']")
            assert images, "the figure is not shown"
            for img in images:
                assert img.evaluate("i => i.complete && i.naturalWidth > 0"), "broken figure"
            svg = page.query_selector_all("img[src^='data:image/svg+xml;base64,']")
            assert svg and svg[0].evaluate("i => i.complete && i.naturalWidth > 0")
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"feedback_{student}.png"
        first = page.query_selector(".text_cell_render, .output_area")
        if first:
            first.scroll_into_view_if_needed()
        page.screenshot(path=str(shot), full_page=student == "outputs")
        context.close()
