"""The last pass over a feedback page: an allowlist of tags, and a policy that forbids scripts.

Whatever the earlier steps missed, this pass decides what reaches the browser. The page is
rebuilt from two parts of nbconvert's output:

- the head keeps only the page title (as text) and the template's <style> sheets (Bootstrap,
  the code highlighter's colours, nbgrader's layout; not Bootstrap's icon font), behind a
  Content-Security-Policy meta tag, and the course's own sheet (READABLE); its <script> tags
  go (MathJax from a CDN: formulas are MathML already, see math_ml.py);
- the body goes through nh3 (the ammonia sanitiser) with an allowlist of the tags and
  attributes the feedback template and markdown produce, and the MathML of formulas. No
  script, no event handler, no iframe/object/embed/form/meta/base/svg; links only to
  #anchors, http(s) and mailto; images only from data: URLs of image types; inline styles only
  for colours, weight and alignment (the colours of tracebacks).

The policy (CSP) allows no script at all: feedback is a static page that needs none. Styles may
be inline (the template's sheets are); images only data: URLs; nothing may be fetched, framed,
submitted or used as a base URL, so even CSS that slipped through could not load anything.
"""

import html
import re

import nh3
from bs4 import BeautifulSoup

from autograder.grader import math_ml

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'none'",
        "object-src 'none'",
        "frame-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "font-src 'none'",
        "connect-src 'none'",
        "form-action 'none'",
        "base-uri 'none'",
    ]
)

TAGS = {
    *("a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup"),
    *("dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i"),
    *("img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span"),
    *("strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr"),
    *("u", "ul", "var", "main", "section"),
    *math_ml.TAGS,
}
ATTRIBUTES = {
    "*": {"class", "id", "title", "style"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    **{tag: math_ml.ATTRIBUTES for tag in math_ml.TAGS},
}
STYLE_PROPERTIES = {
    "color",
    "background-color",
    "font-weight",
    "font-style",
    "text-decoration",
    "text-align",
}
IMAGE_URL = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=\s]*$")
LINK_URL = re.compile(r"^(#|https?://|mailto:)", re.IGNORECASE)
STYLE_END = re.compile(r"</style", re.IGNORECASE)
# Bootstrap's icon font: the policy forbids loading it (no page uses an icon), and Chromium
# reports every refused font as an error on the console, where real trouble should stand out.
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)


# Feedback is read for its messages: a hint, a traceback or a long printed line wraps instead of
# hiding behind a horizontal scrollbar (the template's sheets keep output lines as printed).
READABLE = """
.jp-OutputArea-output pre, .jp-RenderedText pre, pre {
  white-space: pre-wrap;
  overflow-wrap: break-word;
}
.jp-OutputArea-output { overflow-x: visible; }
math[display="block"] { margin: 0.6em 0; overflow-x: auto; }
code.tex { white-space: pre-wrap; }
"""


def url_filter(tag, attribute, value):
    """nh3's attribute callback: images only from data: URLs, links only to safe places."""
    if attribute == "src":
        return value if tag == "img" and IMAGE_URL.match(value) else None
    if attribute == "href":
        return value if LINK_URL.match(value.strip()) else None
    return value


CLEANER = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    attribute_filter=url_filter,
    url_schemes={"http", "https", "mailto", "data"},
    filter_style_properties=STYLE_PROPERTIES,
    strip_comments=True,
)


NO_ALT = "No description has been provided for this image"  # nbconvert's words
MATH_BLOCK = re.compile(r"<math\b.*?</math>", re.DOTALL)
TAG_NAME = re.compile(r"</?([A-Za-z][\w:-]*)")
ANY_TAG = re.compile(r"<[^>]*>")


def _presentation_only(match):
    # HTML may sit inside a formula (MathML's <mtext> admits it), and parsers that disagree
    # about such mixtures are how sanitised markup comes back to life (mutation XSS). A formula
    # holding anything but MathML is shown as its bare text. nh3 writes every tag as <name ...>
    # or </name>, so reading its output with a pattern is safe here.
    block = match.group(0)
    if all(name.lower() in math_ml.TAGS for name in TAG_NAME.findall(block)):
        return block
    return ANY_TAG.sub("", block)  # nh3 left the text escaped


def inert_body(fragment):
    """An HTML fragment with nothing executable left (see TAGS, ATTRIBUTES, url_filter), whose
    formulas hold only MathML."""
    return MATH_BLOCK.sub(_presentation_only, CLEANER.clean(fragment))


def inert_document(page):
    """A whole feedback page rebuilt inert: CSP first in its head, its body sanitised.

    page: the HTML nbconvert wrote. Returns the page to write in its place.
    """
    soup = BeautifulSoup(page, "html.parser")
    # nbconvert's HTMLExporter gives every image without one this alt text (the exporter in
    # inert_exporter.py leaves it to this one parse); its tabindex the sanitiser drops anyway.
    for image in soup.find_all("img"):
        image.attrs.setdefault("alt", NO_ALT)
    head = soup.head
    title = head.title.get_text() if head and head.title else ""
    sheets = [
        FONT_FACE.sub("", style.get_text())
        for style in (head.find_all("style") if head else [])
        if not STYLE_END.search(style.get_text())
    ]
    body = soup.body.decode_contents() if soup.body else page
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(CSP)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
        f"<title>{html.escape(title)}</title>",
        *(f"<style>{sheet}</style>" for sheet in sheets),
        f"<style>{READABLE}</style>",
        "</head>",
        f"<body>{inert_body(body)}</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)
