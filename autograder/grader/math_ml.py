"""Formulas in feedback as MathML, written when the page is: no script, no network.

A feedback page allows no script (inert_html's policy), so MathJax cannot typeset it, and a
page that fetched MathJax from a CDN would be unreadable offline or behind a campus proxy
anyway. Browsers draw MathML themselves (MathML Core), so each formula of the notebook's
markdown is converted here, with latex2mathml, and the page needs nothing more. A formula
latex2mathml cannot convert (a student's typo, a macro it does not know) stays as its TeX
text, escaped, in a <code class="tex">: readable, never a crash. So does a formula whose
MathML is not well-formed MathML alone: latex2mathml writes the text of \text{...} unescaped,
so `\text{<img ...>}` would put the student's markup, unbalanced, into the page, where an
HTML parser closes the formula somewhere else than where it began (swallowing the rest of
the page into it).
"""

import html
import xml.etree.ElementTree as ET

from latex2mathml.converter import convert

NAMESPACE = "http://www.w3.org/1998/Math/MathML"
# MathML elements and attributes a converted formula may hold (inert_html's allowlist takes
# them): what latex2mathml writes for TeX, presentation markup only (no <maction>, no
# <semantics> with annotations that could carry other markup).
TAGS = {
    *("math", "mi", "mn", "mo", "ms", "mtext", "mspace", "mrow", "mfrac", "msqrt", "mroot"),
    *("msub", "msup", "msubsup", "munder", "mover", "munderover", "mtable", "mtr", "mtd"),
    *("mstyle", "mpadded", "mphantom", "menclose", "merror"),
}
ATTRIBUTES = {
    *("display", "mathvariant", "stretchy", "fence", "separator", "form", "accent"),
    *("accentunder", "minsize", "maxsize", "lspace", "rspace", "width", "height", "depth"),
    *("displaystyle", "scriptlevel", "linethickness", "columnalign", "rowspacing"),
    *("columnspacing", "columnlines", "rowlines", "frame", "notation", "movablelimits"),
}


def tex_to_mathml(tex, display=False):
    """The MathML of one TeX formula (display: a block of its own), or its TeX as escaped
    text in <code class="tex"> when it cannot be converted."""
    try:
        mathml = convert(tex, display="block" if display else "inline")
    except Exception:  # noqa: BLE001 (student TeX: whatever fails, the TeX is shown instead)
        mathml = None
    if mathml is None or not _only_mathml(mathml):
        delimiter = "$$" if display else "$"
        return f'<code class="tex">{html.escape(delimiter + tex + delimiter)}</code>'
    # HTML makes <math> MathML without the namespace; with it, nbconvert's heading anchors
    # (ElementTree) would write <ns0:math>, which no browser draws.
    return mathml.replace(f' xmlns="{NAMESPACE}"', "", 1)


def _only_mathml(mathml):
    """Whether `mathml` is well-formed XML holding MathML elements of TAGS only."""
    try:
        root = ET.fromstring(mathml)
    except ET.ParseError:
        return False
    return all(element.tag.rpartition("}")[2] in TAGS for element in root.iter())
