"""Is a feedback page inert whatever the submission held, and does it still show everything?

Each hostile input is put where a student can put it (a markdown cell, an output, metadata, a
note quoting a file name), the page is written by the exporter nbgrader's GenerateFeedback
uses (InertHTMLExporter, nbgrader's feedback template), and judged by page_audit (the standard
library's HTML parser, not the sanitiser under test): no script, no event handler, no
javascript: URL, no frame/object/embed, a CSP that forbids scripts, and the hostile text still
readable as text.
"""

import base64
import copy
import io
import re

import jinja2
import matplotlib
import nbformat
import pytest
from bs4 import BeautifulSoup, NavigableString
from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from nbformat import from_dict
from nbformat.v4 import (
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
    new_raw_cell,
)
from nbgrader.converters import GenerateFeedback

from autograder.grader import inert_exporter
from autograder.grader.course import load_config
from autograder.grader.inert import PYTHON_METADATA
from autograder.grader.inert_exporter import REMEMBERED_CHARS, InertHTMLExporter
from autograder.grader.inert_html import inert_document
from autograder.grader.steps import AddNotesCell, GradingContext
from tests.autograder.grader.page_audit import assert_inert, audit
from tests.lessons.notebook_rules import LESSON_NAMES, ROOT, notebook_path

SCRIPT = "<script>alert('script')</script>"
IMG_ONERROR = "<img src=x onerror=alert('img')>"
SVG_ONLOAD = "<svg onload=alert('svg')><circle r=5 /></svg>"
IFRAME = '<iframe src="https://example.org/" srcdoc="<script>alert(1)</script>"></iframe>'
STYLE = "<style>body { background: url(https://example.org/beacon); }</style>"
STYLE_ATTR = '<p style="width: expression(alert(1)); background: url(javascript:alert(2))">p</p>'
META_REFRESH = '<meta http-equiv="refresh" content="0; url=https://example.org/">'
JS_LINK = "[click me](javascript:alert('link'))"
JS_ANCHOR = "<a href=\"javascript:alert('a')\">anchor</a>"
INLINE = (
    "some <b onmouseover=\"alert('b')\">bold</b> and <details open ontoggle=alert(5)>x</details>"
)
OBJECT = '<object data="data:text/html,<script>alert(6)</script>"></object><embed src=x.swf>'

MARKDOWN_CASES = {
    "script tag": SCRIPT,
    "img onerror": IMG_ONERROR,
    "svg onload": SVG_ONLOAD,
    "iframe": IFRAME,
    "style element": STYLE,
    "style attribute": STYLE_ATTR,
    "meta refresh": META_REFRESH,
    "javascript: link": JS_LINK,
    "javascript: anchor": JS_ANCHOR,
    "inline html": INLINE,
    "object and embed": OBJECT,
    "html in a heading": f"# Title {SCRIPT}",
    "html in a table": f"| a | b |\n|---|---|\n| {IMG_ONERROR} | 2 |",
    "html in math": f"$x {IMG_ONERROR}$ and $${SCRIPT}$$",
    "mermaid block": f"```mermaid\ngraph TD; A-->B\n{SCRIPT}\n```",
    "remote image": "![beacon](https://example.org/beacon.png)",
    "missing attachment": "![pasted](attachment:nothere.png)",
    "data: link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
}


def png_figure():
    """A real PNG (a matplotlib line plot, Agg backend), base64 as nbformat stores it."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(2, 1.5), dpi=50)
    axes.plot([0, 1, 2], [0, 1, 0])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()


def exporter(*preprocessors):
    """The exporter configured as GenerateFeedback configures it (nbgrader's template)."""
    converter = GenerateFeedback()
    inert = InertHTMLExporter(config=converter.config)
    for pp in preprocessors:
        inert.register_preprocessor(pp, enabled=True)
    return inert


def scores(notebook="04_output_layer"):
    """The resources nbgrader's GetGrades gives the feedback template."""
    return {"nbgrader": {"notebook": notebook, "score": 3, "max_score": 12, "late_penalty": 0}}


def feedback_page(nb, *preprocessors, resources=None):
    page, _ = exporter(*preprocessors).from_notebook_node(nb, resources=resources or scores())
    return page


def code(source="x", *outputs, **nbgrader):
    cell = new_code_cell(source, outputs=list(outputs), execution_count=1)
    if nbgrader:
        cell.metadata["nbgrader"] = nbgrader
    return cell


def display(data, metadata=None, kind="display_data"):
    extra = {"execution_count": 1} if kind == "execute_result" else {}
    return new_output(kind, data=data, metadata=metadata or {}, **extra)


def body(page):
    """The page after its head (whose Bootstrap sheet names an .alert class)."""
    return page.split("<body>", 1)[1]


TEX = re.compile(r"\$\$.+?\$\$|\$[^$]+\$|\\begin\{(\w+\*?)\}.+?\\end\{\1\}", re.DOTALL)


def without_tex(text):
    """(text with its TeX formulas taken out, [the formulas])."""
    found = [m.group(0) for m in TEX.finditer(text)]
    return TEX.sub("", text), found


def visible(text):
    """Text as the page shows it, whitespace runs as one space (the judge reads it so too)."""
    return " ".join(text.split())


@pytest.mark.parametrize("case", MARKDOWN_CASES)
def test_hostile_markdown_is_shown_as_text(case):
    """Is a markdown cell's HTML shown as the text the student typed, nothing of it live?"""
    source = MARKDOWN_CASES[case]
    page = feedback_page(new_notebook(cells=[new_markdown_cell(source)]))
    judge = assert_inert(page)
    # A formula shows its TeX as math symbols (MathML), as JupyterLab's MathJax does: spaces
    # are not symbols, and a quote is a prime.
    shown = judge.text + "".join(judge.formulas).replace("\u2032", "'")
    for tag in ("<script>", "<img src=x onerror", "<svg onload", "<iframe", "<style>", "<meta"):
        if tag in source:
            bare = tag.replace(" ", "") if "$" in source else tag
            assert bare in shown, f"{case}: {tag} not shown as text"


def test_markup_in_a_formulas_text_is_shown_as_its_tex():
    """latex2mathml writes the text of \\text{...} unescaped: a formula holding markup there is
    shown as its TeX, and what follows it stays outside every formula (unbalanced, it once
    swallowed the rest of the page)."""
    source = f"Before $\\text{{{IMG_ONERROR}}}$ and $$x$$\n\nAfter the formulas."
    page = feedback_page(new_notebook(cells=[new_markdown_cell(source)]))
    judge = assert_inert(page)
    assert f"$\\text{{{IMG_ONERROR}}}$" in visible(judge.text)
    before = page[: page.index("After the formulas")]
    assert before.count("<math") == before.count("</math>") == 1


def test_markdown_still_renders():
    """Do headings, emphasis, lists, code, tables, links and math still come out as such?"""
    source = (
        "# Backprop\n\nThe *chain* **rule**:\n\n- one\n- two\n\n`grad_w = x.T @ d`\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n[the notes](https://example.org/notes) "
        "and $\\frac{a}{b}$"
    )
    page = feedback_page(new_notebook(cells=[new_markdown_cell(source)]))
    judge = assert_inert(page)
    for tag in ("<h1", "<em>chain</em>", "<strong>rule</strong>", "<li>one</li>", "<code>"):
        assert tag in page, tag
    assert '<a href="https://example.org/notes"' in page
    assert "<table>" in page
    assert "<mfrac>" in page  # math drawn as MathML, no MathJax
    assert judge.formulas == ["ab"]


def test_html_output_is_shown_as_its_source_text():
    """Is an IPython.display.HTML output shown as its HTML text, with a note, never rendered?"""
    html_source = f"<b>bold</b>{SCRIPT}{IMG_ONERROR}"
    output = display({"text/html": html_source, "text/plain": "<IPython.core.display.HTML object>"})
    judge = assert_inert(feedback_page(new_notebook(cells=[code("x", output)])))
    assert html_source in judge.text
    assert "HTML output, shown as text" in judge.text


def test_html_output_with_a_text_form_shows_the_text_form():
    """Does a table (HTML and plain text, as pandas gives) show its plain text?"""
    output = display({"text/html": f"<table>{SCRIPT}</table>", "text/plain": "   a\n0  1"})
    judge = assert_inert(feedback_page(new_notebook(cells=[code("df", output)])))
    assert "0  1" in judge.text and "alert" not in judge.text


def test_javascript_output_is_left_out_with_a_note():
    """Is a Javascript output dropped, its code nowhere, a note in its place?"""
    output = display(
        {
            "application/javascript": "alert('js')",
            "text/plain": "<IPython.core.display.Javascript object>",
        }
    )
    page = feedback_page(new_notebook(cells=[code("x", output)]))
    judge = assert_inert(page)
    assert "alert('js')" not in page
    assert "JavaScript output was left out" in judge.text


def test_widget_view_keeps_only_its_text():
    """Is a widget view shown as its plain-text form, with no widget script or state?"""
    output = display(
        {
            "application/vnd.jupyter.widget-view+json": {
                "model_id": "abc",
                "version_major": 2,
                "version_minor": 0,
            },
            "text/plain": "FloatSlider(value=1.0, description='w')",
        }
    )
    nb = new_notebook(cells=[code("slider", output)])
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": {"abc": SCRIPT}}
    }
    page = feedback_page(nb)
    judge = assert_inert(page)
    assert "FloatSlider(value=1.0, description='w')" in judge.text
    assert "model_id" not in page and "widget-state" not in page


def test_widget_view_without_text_gets_a_note():
    output = display({"application/vnd.jupyter.widget-view+json": {"model_id": "abc"}})
    judge = assert_inert(feedback_page(new_notebook(cells=[code("w", output)])))
    assert "interactive widget" in judge.text


def test_markdown_and_latex_outputs_are_shown_as_text():
    markdown = display({"text/markdown": f"**hi** {SCRIPT}"})
    latex = display({"text/latex": f"$x$ {IMG_ONERROR}"}, kind="execute_result")
    judge = assert_inert(feedback_page(new_notebook(cells=[code("x", markdown, latex)])))
    assert f"**hi** {SCRIPT}" in judge.text and f"$x$ {IMG_ONERROR}" in judge.text


def test_unknown_output_type_is_left_out_with_its_name():
    output = display({"application/x-evil": SCRIPT})
    page = feedback_page(new_notebook(cells=[code("x", output)]))
    judge = assert_inert(page)
    assert "application/x-evil was left out" in judge.text
    assert "alert(" not in body(page)


def test_png_figure_still_shows_as_a_data_image():
    """Does a PNG figure come out as <img src="data:image/png;base64,..."> with its bytes?"""
    png = png_figure()
    output = display({"image/png": png, "text/plain": "<Figure size 100x75 with 1 Axes>"})
    judge = assert_inert(feedback_page(new_notebook(cells=[code("plt.show()", output)])))
    assert judge.images == [f"data:image/png;base64,{png}"]


def test_svg_with_script_is_only_an_image():
    """Is an SVG output drawn through <img> (which runs no script), never as inline <svg>?"""
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">{SCRIPT}<rect/></svg>'
    page = feedback_page(new_notebook(cells=[code("x", display({"image/svg+xml": svg}))]))
    judge = assert_inert(page)
    assert len(judge.images) == 1
    image = judge.images[0]
    assert image.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(image.split(",", 1)[1]).decode() == svg


@pytest.mark.parametrize(
    "metadata",
    [
        {"image/png": {"width": "1 onerror=alert(1)", "height": "2 onload=alert(2)"}},
        {"width": "1 onerror=alert(1)"},
        {"filenames": {"image/png": "javascript:alert(1)"}},
        {"image/png": {"alt": f'"{IMG_ONERROR}', "unconfined": "yes onclick=alert(1)"}},
    ],
)
def test_image_metadata_cannot_add_attributes(metadata):
    """Can output metadata (written unquoted or as the src by the template) add anything?"""
    output = display({"image/png": png_figure()}, metadata)
    judge = assert_inert(feedback_page(new_notebook(cells=[code("x", output)])))
    assert len(judge.images) == 1 and judge.images[0].startswith("data:image/png;base64,")


def test_image_size_that_is_a_number_is_kept():
    output = display({"image/png": png_figure()}, {"image/png": {"width": 300, "height": 200.0}})
    page = feedback_page(new_notebook(cells=[code("x", output)]))
    assert_inert(page)
    assert "width=300" in page.replace('"', "") and "height=200" in page.replace('"', "")


def test_image_data_that_is_not_base64_is_dropped():
    output = display({"image/png": '" onerror="alert(1)', "text/plain": "figure"})
    judge = assert_inert(feedback_page(new_notebook(cells=[code("x", output)])))
    assert judge.images == [] and "figure" in judge.text


def test_errors_streams_and_code_are_shown_as_text():
    """Are HTML in an exception's name, message, traceback, in printed text and code escaped?"""
    error = new_output(
        "error",
        ename=f"Bad{SCRIPT}",
        evalue=IMG_ONERROR,
        traceback=[f"\x1b[0;31mBad{SCRIPT}\x1b[0m: {IMG_ONERROR}"],
    )
    stream = new_output("stream", name="stdout", text=f"printed {SVG_ONLOAD}\n")
    source = f"print('</pre>{SCRIPT}')"
    judge = assert_inert(feedback_page(new_notebook(cells=[code(source, stream, error)])))
    for text in (f"Bad{SCRIPT}", IMG_ONERROR, f"printed {SVG_ONLOAD}", f"'</pre>{SCRIPT}'"):
        assert text in judge.text, text


def test_raw_cell_is_shown_as_text():
    judge = assert_inert(feedback_page(new_notebook(cells=[new_raw_cell(f"raw {SCRIPT}")])))
    assert f"raw {SCRIPT}" in judge.text


def test_notebook_metadata_is_ignored():
    """Can the notebook's title, kernel name or language info put anything on the page?"""
    nb = new_notebook(cells=[code("1 + 1", display({"text/plain": "2"}, kind="execute_result"))])
    nb.metadata["title"] = f"</title>{SCRIPT}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": SCRIPT, "language": SCRIPT}
    nb.metadata["language_info"] = {"name": SCRIPT, "pygments_lexer": f"no-such{SCRIPT}"}
    page = feedback_page(nb)
    assert_inert(page)
    assert "alert(" not in body(page)


def test_cell_metadata_cannot_add_attributes():
    """Can cell tags or nbgrader fields (grade id, comment) break out of an attribute?"""
    cell = code("x", display({"text/plain": "1"}, kind="execute_result"))
    cell.metadata["tags"] = ['a" onmouseover="alert(1)']
    graded = code("check()", grade=True, grade_id=f'x"><{SCRIPT}', points=2, score=1)
    graded.metadata["nbgrader"]["comment"] = f"see {SCRIPT}"
    graded.metadata["nbgrader"]["solution"] = True  # the template shows comments on answers
    # (Cell ids and execution counts need no test: nbformat's schema, which nbconvert checks
    # after every preprocessor, allows only names and integers.)
    nb = new_notebook(cells=[cell, graded])
    judge = assert_inert(feedback_page(nb))
    assert "see <script>" in judge.text  # the comment, escaped


def test_grader_notes_show_exactly_the_sentences():
    """Does a note quoting a hostile file name and message read exactly as written?"""
    notes = [
        f"no 04_output_layer.ipynb was submitted (found: {IMG_ONERROR}.ipynb, [x](javascript:1))",
        f"cell 3 (linear_forward): ValueError: {SCRIPT} *not* `code` $x$ \\ & ![i](https://e/x)",
        "line one\nline two",
    ]
    ctx = GradingContext(submitted=None, source=None, notes=notes)
    nb, _ = AddNotesCell().preprocess(new_notebook(), {"grading": ctx})
    page = feedback_page(nb)
    judge = assert_inert(page)
    shown = visible(judge.text)
    for note in notes:
        assert visible(note) in shown, note
    assert judge.images == [] and "href=" not in page  # no markdown link or image was made
    assert "<em>" not in page and "<code>" not in page


def test_preprocessor_output_registered_later_is_still_made_inert():
    """Does InertNotebook run after preprocessors nbgrader registers (HTML shown as text)?"""

    class AddsHTML(Preprocessor):
        def preprocess(self, nb, resources):
            nb.cells.append(code("x", display({"text/html": f"<b>late</b>{SCRIPT}"})))
            return nb, resources

    judge = assert_inert(feedback_page(new_notebook(cells=[]), AddsHTML()))
    assert f"<b>late</b>{SCRIPT}" in judge.text


@pytest.mark.parametrize("lesson", [n for n in LESSON_NAMES if notebook_path(n).exists()])
def test_a_lesson_reads_the_same_as_with_plain_nbconvert(lesson):
    """Is a lesson's page word for word what nbconvert's own exporter shows, only inert?"""
    nb = nbformat.read(notebook_path(lesson), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.metadata.nbgrader["score"] = 0  # as nbgrader's GetGrades sets it
    config = GenerateFeedback().config
    plain, _ = HTMLExporter(config=config).from_notebook_node(nb, resources=scores(lesson))
    inert = feedback_page(nb, resources=scores(lesson))
    assert_inert(inert)
    assert audit(plain).problems, "the plain page should have scripts (MathJax), else no test"
    # Formulas: TeX for MathJax in the plain page, MathML here; the rest word for word (code
    # may hold "$" too, as in a plot's labels: it is taken out of both alike).
    plain_text, tex = without_tex(audit(plain).text)
    judge = audit(inert)
    inert_text, code_tex = without_tex(judge.text)
    assert visible(inert_text) == visible(plain_text)
    assert len(judge.formulas) == len(tex) - len(code_tex) > 10
    assert all(formula.strip() for formula in judge.formulas)


def test_nbgraders_own_feedback_command_uses_the_inert_exporter():
    """Does the course's nbgrader_config.py make `nbgrader generate_feedback` (and formgrader's
    button) write inert pages too, not only `python -m autograder grade`?"""
    config = load_config(ROOT)
    assert GenerateFeedback(config=config).exporter_class is InertHTMLExporter


def figure_and_prose():
    png = png_figure()
    return new_notebook(
        cells=[
            new_markdown_cell("# A title\n\nSome *prose* and $x^2$."),
            code("plt.show()", display({"image/png": png, "text/plain": "<Figure>"})),
            code("1 + 1", display({"text/plain": "2"}, kind="execute_result")),
        ]
    )


def document_tree(page):
    """A page as a browser reads it: every element with its attributes (in any order) and every
    text, spaces collapsed except inside <pre> (where they show). Serialisers differ only in
    what this leaves out (attribute order, spaces between tags)."""
    tree = []
    for node in BeautifulSoup(page, "html.parser").descendants:
        if isinstance(node, NavigableString):
            text = str(node) if node.find_parent("pre") else " ".join(node.split())
            if text:
                tree.append(("text", text))
        else:
            attributes = {
                k: " ".join(v) if isinstance(v, list) else v for k, v in node.attrs.items()
            }
            tree.append((node.name, sorted(attributes.items())))
    return tree


def test_page_is_nbconverts_own_path_made_inert():
    """Is the page what HTMLExporter's whole from_notebook_node (its BeautifulSoup pass, which
    ours leaves out, included) gives when inert_document rebuilds it, an image's alt text
    included? (Up to how the HTML is written: BeautifulSoup writes it anew.)"""
    nb = figure_and_prose()
    ours = exporter()
    page, _ = ours.from_notebook_node(nb, resources=scores())
    theirs = exporter()
    nb_python = copy.deepcopy(nb)
    nb_python.metadata = from_dict(PYTHON_METADATA)
    judged, _ = HTMLExporter.from_notebook_node(theirs, nb_python, resources=scores())
    assert document_tree(page) == document_tree(inert_document(judged))
    assert 'alt="No description has been provided for this image"' in page


def test_a_second_exporter_compiles_no_template(monkeypatch):
    """nbgrader builds an exporter per submission: does the next one reuse the compiled
    templates (and still write the same page)?"""
    nb = figure_and_prose()
    first = feedback_page(nb)

    def compile_again(*args, **kwargs):
        raise AssertionError("a template was compiled again")

    monkeypatch.setattr(jinja2.Environment, "compile", compile_again)
    assert feedback_page(nb) == first


def fail_if_rendered(monkeypatch):
    """From now on, rendering markdown or highlighting code fails the test."""

    def render_again(*args, **kwargs):
        raise AssertionError("a remembered text was rendered again")

    monkeypatch.setattr(inert_exporter.MarkdownWithMath, "render", render_again)
    monkeypatch.setattr(inert_exporter.Highlight2HTML, "__call__", render_again)


def test_a_lessons_text_is_rendered_once_per_process(monkeypatch):
    """Is a lesson's page, rendered again from what the first rendering remembered, the same
    page, with no markdown or code rendered again; and does a student's changed cell still
    show its own text (a new key, rendered anew)?"""
    nb = nbformat.read(notebook_path("04_output_layer"), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.metadata.nbgrader["score"] = 0  # as nbgrader's GetGrades sets it
    inert_exporter._markdown_html.cache_clear()
    inert_exporter._highlighted.cache_clear()
    first = feedback_page(nb)
    with monkeypatch.context() as patched:
        fail_if_rendered(patched)
        assert feedback_page(nb) == first
    prose = next(c for c in nb.cells if c.cell_type == "markdown")
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
    prose.source = "My own *derivation* of $h^T$."
    answer.source = "def linear_forward(W, b, h):\n    return 'mine'"
    changed = body(feedback_page(nb))
    assert "<em>derivation</em>" in changed and "'mine'</span>" in changed
    assert changed != body(first)


def test_a_huge_cell_is_rendered_but_not_remembered():
    """Can a submission of huge cells not fill a grading worker's memory through the cache,
    while its page still shows them?"""
    words = REMEMBERED_CHARS // 5 + 1
    huge = "word " * words
    before = (
        inert_exporter._markdown_html.cache_info().currsize,
        inert_exporter._highlighted.cache_info().currsize,
    )
    page = feedback_page(new_notebook(cells=[new_markdown_cell(huge), code(huge)]))
    assert body(page).count("word") == 2 * words  # as prose, and as highlighted code
    after = (
        inert_exporter._markdown_html.cache_info().currsize,
        inert_exporter._highlighted.cache_info().currsize,
    )
    assert after == before
