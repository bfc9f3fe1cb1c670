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
from html.parser import HTMLParser

import nh3

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
# An <img> tag as nh3 writes it: every attribute value double-quoted, with any '"' in it
# escaped, so a '>' or ' alt="' can only stand inside quotes or be the tag's own.
IMG_TAG = re.compile(r'<img\b((?:[^>"]|"[^"]*")*)>')
HAS_ALT = re.compile(r'\salt="')


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


def _with_alt(match):
    attributes = match.group(1)
    if HAS_ALT.search(attributes):
        return match.group(0)
    return f'<img{attributes} alt="{NO_ALT}">'


class _Head(HTMLParser):
    """Reads a page's head, and no further: the title's text, the text of each <style> in the
    head, and where the body's content starts (`body_at`, None if the page has no <body>).

    Only the head is parsed here (a page's body is tens of thousands of tags, the code's
    highlighting, which nh3 parses anyway); the body is taken as the text between its tags.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.sheets, self.body_at = None, [], None
        self._in_head, self._inside = False, None

    def read(self, page):
        try:
            self.feed(page)
            self.close()
        except _BodyFound:
            # getpos() counts lines by "\n" alone (str.splitlines would also split at \r,
            # \x0c, \u2028 ...): find the line's start the same way.
            line, column = self.getpos()
            start = 0
            for _ in range(line - 1):
                start = page.index("\n", start) + 1
            self.body_at = start + column + len(self.get_starttag_text())
        return self

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            raise _BodyFound
        if tag == "head":
            self._in_head = True
        elif self._in_head and tag == "style":
            self.sheets.append([])
            self._inside = "style"
        elif self._in_head and tag == "title" and self.title is None:
            self.title = []
            self._inside = "title"

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False
        if tag == self._inside:
            self._inside = None

    def handle_data(self, data):
        if self._inside == "style":
            self.sheets[-1].append(data)
        elif self._inside == "title":
            self.title.append(data)


class _BodyFound(Exception):
    pass


def inert_document(page):
    """A whole feedback page rebuilt inert: CSP first in its head, its body sanitised.

    page: the HTML nbconvert wrote. Returns the page to write in its place. Images without
    alt text get nbconvert's (the exporter in inert_exporter.py leaves it to this pass).
    """
    head = _Head().read(page)
    title = "".join(head.title or ())
    sheets = [
        FONT_FACE.sub("", text)
        for text in ("".join(parts) for parts in head.sheets)
        if not STYLE_END.search(text)
    ]
    if head.body_at is None:
        body = page
    else:
        end = page.rfind("</body>")
        body = page[head.body_at : end if end >= head.body_at else len(page)]
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
        f"<body>{IMG_TAG.sub(_with_alt, inert_body(body))}</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)
