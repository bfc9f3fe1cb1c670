"""Can a student read their feedback anywhere: offline, with the hint whole and the maths drawn?

A small class (lesson 02, math-heavy, with a catalogued mistake whose hint is long; lesson 04
correct) is graded by `python -m autograder grade`, and each feedback page is opened from disk
in Debian's headless Chromium with the network cut off. The hint must be shown whole: no output
line hides behind a horizontal scrollbar. Every formula of the lesson must be drawn (MathML, no
script, nothing fetched) and no raw `$...$` TeX may be left in the text.
"""

import os
import re
import subprocess
import sys

import pytest
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

from autograder.grader.course import Course
from autograder.grader.release import release
from autograder.grader.sample_class import (
    completed,
    mistaken_source,
    mistakes,
    replace_stub,
    submit,
)

# The offline browser of the safety test (its `graded` is this module's, as pytest resolves it).
from tests.browser.test_feedback_safe import browser, open_page  # noqa: F401
from tests.browser.test_lab import CHROMIUM, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSONS = ["02_softmax", "04_output_layer"]
RAW_TEX = re.compile(r"\$[^$\s][^$]*\$")


class FormulaCounter(IPythonRenderer):
    """Counts the formulas markdown holds, the way nbconvert's math-aware parser finds them."""

    def __init__(self):
        super().__init__(escape=True)
        self.count = 0

    def block_math(self, body):
        self.count += 1
        return ""

    def inline_math(self, body):
        self.count += 1
        return ""

    def latex_environment(self, name, body):
        self.count += 1
        return ""


def formulas(nb):
    """How many formulas the notebook's markdown cells hold."""
    counter = FormulaCounter()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            MarkdownWithMath(renderer=counter).render(cell.source)
    return counter.count


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """{student: (lesson, page, the hint the page must show whole or None, formulas)}."""
    if not CHROMIUM.exists():
        pytest.skip("no browser: /usr/bin/chromium is missing (apt-get install chromium)")
    course = Course.create(tmp_path_factory.mktemp("readable") / "course", LESSONS)
    release(course, LESSONS)
    hints = {}
    # The longest hint of lesson 02's catalogue: the one most likely to run off the page.
    stub, key, hint = max(mistakes("02_softmax"), key=lambda m: len(m[2]))
    submit(
        course,
        "mistaken",
        "02_softmax",
        replace_stub(
            completed(course, "02_softmax"), stub, mistaken_source("02_softmax", stub, key)
        ),
    )
    hints["mistaken"] = ("02_softmax", hint)
    submit(course, "right", "04_output_layer", completed(course, "04_output_layer"))
    hints["right"] = ("04_output_layer", None)
    bin_dir = os.path.dirname(sys.executable)
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "--course", str(course.root), "--jobs", "2"],
        env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {
        student: (
            lesson,
            course.feedback_file(student, lesson),
            hint,
            formulas(completed(course, lesson)),
        )
        for student, (lesson, hint) in hints.items()
    }


HIDDEN_OVERFLOW = """() => [...document.querySelectorAll('.output_area pre, .output pre')]
    .filter(pre => pre.scrollWidth > pre.clientWidth + 1)
    .map(pre => pre.innerText.slice(0, 80))"""

MATH_SIZES = """() => [...document.querySelectorAll('math')].map(m => {
    const box = m.getBoundingClientRect();
    return [box.width, box.height];
})"""


# The text of the markdown cells, formulas left out (a drawn formula's text is its symbols).
PROSE = """() => [...document.querySelectorAll('.text_cell_render')].map(cell => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll('math').forEach(m => m.remove());
    return copy.textContent;
}).join(' ')"""


@pytest.mark.parametrize("student", ["mistaken", "right"])
def test_feedback_reads_offline(student, graded, browser):  # noqa: F811 (the fixture)
    """The hint wraps and is visible whole; every formula is drawn; no raw TeX is left."""
    lesson, path, hint, count = graded[student]
    context, page, seen = open_page(browser, path)
    try:
        assert seen["requests"] == [], f"the page asked the network for {seen['requests']}"
        assert seen["errors"] == [], f"console errors: {seen['errors']}"
        assert page.evaluate(HIDDEN_OVERFLOW) == [], "output lines run past their box"
        if hint:
            shown = page.get_by_text(hint[:60]).first
            assert shown.is_visible(), "the hint is not shown"
            box = shown.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 1200, f"the hint is cut: {box}"
            assert hint.split()[-1] in shown.inner_text(), "the hint's end is not shown"
        sizes = page.evaluate(MATH_SIZES)
        assert len(sizes) >= count > 20, f"{len(sizes)} formulas drawn, the lesson has {count}"
        assert all(w > 0 and h > 0 for w, h in sizes), "a formula is not drawn"
        prose = page.evaluate(PROSE)
        assert not RAW_TEX.findall(prose), f"raw TeX left: {RAW_TEX.findall(prose)[:5]}"
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        if hint:  # the picture shows the hint, for a person to judge
            page.get_by_text(hint[:60]).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"feedback_readable_{student}.png"))
        context.close()
