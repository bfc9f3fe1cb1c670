"""An independent judge of a feedback page: does it hold anything a browser would run or fetch?

Written on the standard library's html.parser, not on the sanitiser under test (nh3), so the
two do not share a blind spot. It lists problems as sentences, collects the page's visible
text (as a reader sees it, entities decoded) and its images, and reads the CSP meta tag.
"""

import re
from html.parser import HTMLParser

# Elements that run code, load or frame other documents, or submit data.
FORBIDDEN_TAGS = {
    *("script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form"),
    *("link", "svg", "noscript", "template", "input", "button", "textarea", "select"),
    *("audio", "video", "source", "track", "portal", "area", "map", "marquee"),
}
# Formulas may be MathML, presentation elements only: no <semantics>/<annotation-xml> (which
# carry other markup), no <maction>, no HTML inside (mutation XSS lives in such mixtures).
MATHML = {
    *("math", "mi", "mn", "mo", "ms", "mtext", "mspace", "mrow", "mfrac", "msqrt", "mroot"),
    *("msub", "msup", "msubsup", "munder", "mover", "munderover", "mmultiscripts"),
    *("mprescripts", "none", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom"),
    *("menclose", "merror"),
}
URL_ATTRIBUTES = {
    *("href", "src", "action", "formaction", "xlink:href", "data", "background", "poster"),
    *("lowsrc", "dynsrc", "srcset", "ping", "cite", "longdesc", "codebase", "manifest"),
}
HEAD_META = {"charset", "content-security-policy", "referrer", "viewport"}
# CSS that runs code or loads something (Bootstrap's print rules only *select* a[href^=...]).
BAD_CSS = re.compile(
    r"expression\s*\(|url\s*\(\s*['\"]?\s*javascript:|@import|-moz-binding|behavior\s*:", re.I
)
CONTROL = re.compile(r"[\x00-\x20]+")
IMAGE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml);base64,")


class PageAudit(HTMLParser):
    """Feed it a page; read .problems, .text, .formulas, .images, .csp afterwards."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.pieces = []
        self.images = []  # the src of every <img>
        self.csp = None
        self.in_head = False
        self.raw = None  # inside <style>/<script>: their text is not visible text
        self.math = 0  # open <math> elements
        self.formulas = []  # the text of each formula (not part of .text)

    @property
    def text(self):
        return "".join(self.pieces)

    def handle_starttag(self, tag, attrs):
        self.check(tag, dict(attrs), attrs)

    def handle_startendtag(self, tag, attrs):
        self.check(tag, dict(attrs), attrs)

    def check(self, tag, named, attrs):
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element: {named}")
        if tag == "math":
            self.math += 1
            self.formulas.append("")
        elif self.math and tag not in MATHML:
            self.problems.append(f"<{tag}> inside a formula")
        if tag == "style":
            self.raw = "style"
            if not self.in_head:
                self.problems.append("<style> element outside the page's head")
        if tag == "meta":
            self.check_meta(named)
        if tag == "img":
            self.images.append(named.get("src") or "")
        for name, value in attrs:
            self.check_attribute(tag, name, value or "")

    def check_meta(self, named):
        equiv = (named.get("http-equiv") or "").lower()
        kind = "charset" if "charset" in named else equiv or (named.get("name") or "").lower()
        if equiv == "refresh" or kind not in HEAD_META or not self.in_head:
            self.problems.append(f"<meta> {named}")
        if equiv == "content-security-policy":
            self.csp = named.get("content", "")

    def check_attribute(self, tag, name, value):
        name = name.lower()
        bare = CONTROL.sub("", value).lower()
        if name.startswith("on"):
            self.problems.append(f"event handler {name}={value!r} on <{tag}>")
        if name == "srcdoc":
            self.problems.append(f"srcdoc on <{tag}>")
        if name in URL_ATTRIBUTES:
            if bare.startswith(("javascript:", "vbscript:")):
                self.problems.append(f"{name}={value!r} on <{tag}>")
            if bare.startswith("data:") and not (tag == "img" and IMAGE_DATA.match(bare)):
                self.problems.append(f"data URL {name}={value[:60]!r} on <{tag}>")
            if tag == "img" and name == "src" and not IMAGE_DATA.match(bare):
                self.problems.append(f"<img> loads {value[:60]!r}, not a data: image")
        if name == "style" and (BAD_CSS.search(value) or "url(" in bare):
            self.problems.append(f"style={value!r} on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "math":
            self.math = max(0, self.math - 1)
        if tag == self.raw:
            self.raw = None
        if tag == "head":
            self.in_head = False

    def handle_data(self, data):
        if self.raw == "style":
            if BAD_CSS.search(data):
                self.problems.append(f"style sheet with {BAD_CSS.search(data).group(0)!r}")
        elif self.math:
            self.formulas[-1] += data
        elif not self.in_head:
            self.pieces.append(data)


def audit(page):
    """The PageAudit of a whole page."""
    judge = PageAudit()
    judge.feed(page)
    judge.close()
    return judge


def csp_directives(csp):
    """{'script-src': ["'none'"], ...} from a Content-Security-Policy value."""
    directives = {}
    for part in (csp or "").split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_inert(page):
    """Fail naming every problem; return the audit (for its text and images)."""
    judge = audit(page)
    assert not judge.problems, "\n".join(judge.problems)
    policy = csp_directives(judge.csp)
    assert policy, "no Content-Security-Policy meta tag in the page's head"
    assert policy.get("script-src") == ["'none'"], policy
    assert policy.get("default-src") == ["'none'"], policy
    assert policy.get("img-src") == ["data:"], policy
    return judge
