"""The last pass alone (inert_document), and the grader's markdown escaping (markdown_text).

inert_document must make a page inert even if every earlier layer let HTML through, so here it
gets raw hostile HTML straight, judged by page_audit (html.parser, not nh3).
"""

import pytest
from nbconvert.filters.markdown_mistune import MarkdownWithMath

from autograder.grader.inert import markdown_text
from autograder.grader.inert_exporter import InertMarkdownRenderer
from autograder.grader.inert_html import inert_document
from tests.autograder.grader.page_audit import assert_inert, audit

VECTORS = [
    "<img src=x onerror=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<a href=' javascript:alert(1)'>a</a>",
    "<a href='jav&#x09;ascript:alert(1)'>b</a>",
    "<a href='JaVaScRiPt:alert(1)'>c</a>",
    "<a href='data:text/html,<script>alert(1)</script>'>d</a>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<object data='data:text/html,<script>alert(1)</script>'></object>",
    "<embed src='https://example.org/x.swf'>",
    "<form action='javascript:alert(1)'><button>go</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    "<body onload=alert(1)>",
    "<base href='https://example.org/'>",
    "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>",
    "<link rel=stylesheet href='https://example.org/x.css'>",
    "<style>@import 'https://example.org/x.css'; * { x: expression(alert(1)) }</style>",
    "<div style='background:url(javascript:alert(1)); width: expression(alert(1))'>s</div>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<img src='data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='>",
    "<img src='https://example.org/beacon.png'>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>m</marquee>",
    "<a href=x onmouseover=alert(1)>e</a>",
]

TEMPLATE_HEAD = """<!DOCTYPE html><html><head><meta charset="utf-8" />
<title>04_output_layer</title>
<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js"></script>
<script type="text/x-mathjax-config">init_mathjax();</script>
<link rel="stylesheet" href="https://example.org/x.css">
<style type="text/css">.highlight { color: #333 }</style>
<style>div.prompt { min-width: 21ex; }</style>
</head>"""


def page_with(body):
    return f"{TEMPLATE_HEAD}<body><h4>Score</h4><p>kept text</p>{body}</body></html>"


@pytest.mark.parametrize("vector", VECTORS)
def test_each_vector_is_removed(vector):
    """Does the last pass alone leave nothing executable, and keep the page's own text?"""
    cleaned = inert_document(page_with(vector))
    assert "kept text" in assert_inert(cleaned).text


def test_all_vectors_together():
    assert_inert(inert_document(page_with("".join(VECTORS))))


@pytest.mark.parametrize("vector", [v for v in VECTORS if not v.startswith("<!--")])
def test_the_judge_finds_each_vector_before_the_pass(vector):
    """Does page_audit flag the vector in a page the pass has not seen (else no test)?"""
    assert audit(f"<html><head></head><body>{vector}</body></html>").problems


def test_head_keeps_title_and_style_sheets_but_no_script():
    cleaned = inert_document(page_with(""))
    head = cleaned.split("<body>", 1)[0]
    assert "<title>04_output_layer</title>" in head
    assert ".highlight { color: #333 }" in head and "min-width: 21ex" in head
    assert "<script" not in head and "<link" not in head


def test_policy_comes_first_in_the_head():
    """Is the CSP meta tag before every style, title or body (it only governs what follows)?"""
    cleaned = inert_document(page_with(""))
    policy = cleaned.index("Content-Security-Policy")
    assert policy < cleaned.index("<title>") < cleaned.index("<style>") < cleaned.index("<body>")


def test_a_style_sheet_that_closes_itself_early_is_dropped():
    head = TEMPLATE_HEAD.replace(
        "</head>", "<style>a{}</style ><img src=x onerror=alert(1)></style></head>"
    )
    assert_inert(inert_document(f"{head}<body>b</body></html>"))


def test_title_is_text():
    page = "<html><head><title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"
    cleaned = inert_document(page + "</head><body>x</body></html>")
    assert_inert(cleaned)
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in cleaned


def test_the_body_is_found_past_a_head_with_unusual_line_breaks():
    """Does the body start where <body> ends, whatever line breaks the head holds (\\r, form
    feed, U+2028 break lines for str.splitlines but not for the HTML parser's count)?"""
    head = "<html><head><title>a\u2028b\rc\x0cd</title><style>x {}\n\u2028</style>\n</head>"
    cleaned = inert_document(head + '\n<body class="z">\n<p>the body</p></body></html>')
    body = cleaned.split("<body>", 1)[1]
    assert body.strip().startswith("<p>the body</p>")
    assert "x {}" not in body


def test_a_page_without_body_is_cleaned_whole():
    assert_inert(inert_document("".join(VECTORS)))


def test_figures_links_colours_and_anchors_survive():
    """Are a data: PNG, an http link, a #anchor, a coloured traceback span and classes kept?"""
    png = "data:image/png;base64,iVBORw0KGgo="
    body = (
        f'<div class="output_png"><img src="{png}" alt="figure" width="300"></div>'
        '<a name="test_relu"></a><a href="#test_relu">Test cell</a>'
        '<a href="https://numpy.org/doc/">numpy</a>'
        '<pre><span class="ansi-red-fg">Error</span>'
        '<span style="color: rgb(95,135,135)">line</span></pre>'
    )
    cleaned = inert_document(page_with(body))
    judge = assert_inert(cleaned)
    assert judge.images == [png]
    for kept in (
        'class="output_png"',
        'width="300"',
        'name="test_relu"',
        'href="#test_relu"',
        'href="https://numpy.org/doc/"',
        'class="ansi-red-fg"',
        "color:",
    ):
        assert kept in cleaned, kept


def render(markdown):
    return MarkdownWithMath(renderer=InertMarkdownRenderer()).render(markdown)


@pytest.mark.parametrize(
    "text",
    [
        "no 04_output_layer.ipynb was submitted (found: <img src=x onerror=alert(1)>.ipynb)",
        "[a link](https://example.org) and ![an image](https://example.org/x.png)",
        "*emphasis* **strong** `code` ~~gone~~ _under_ # not a heading",
        "$x^2$ and $$y$$ and \\(z\\) and a \\ backslash and & ampersand &amp; entity",
        "1. not a list | not | a table |",
        "<https://example.org/autolink> www.example.org",
        "ends with a backslash \\",
    ],
)
def test_markdown_text_reads_exactly_as_written(text):
    """Rendered, does markdown_text(text) show exactly `text`, with no element made from it?"""
    rendered = render(markdown_text(text))
    judge = audit(rendered)
    assert judge.text.strip() == text
    assert rendered.startswith("<p>") and rendered.count("<") == 2, rendered  # <p>...</p> only


def test_markdown_text_keeps_a_note_on_one_line():
    assert render(markdown_text("line one\n\n- line two")).count("<p>") == 1
