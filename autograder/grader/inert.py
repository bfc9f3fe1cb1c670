"""The notebook as feedback may show it: student content kept as text, never as live HTML.

Everything in a graded notebook came from the student, or from a kernel the student's code ran
in: cell sources, outputs, cell and notebook metadata, error names and messages, even execution
counts. InertNotebook is the last preprocessor before the feedback template, and leaves only
what the template turns into escaped text or into a data: image:

- outputs keep text/plain, image/png and image/jpeg (strict base64) and image/svg+xml (drawn
  through <img>, where an SVG runs no script); HTML, Markdown and LaTeX become text/plain (their
  source, as text) unless a real plain-text form is there; JavaScript, widget views and any
  other type are left out, and an output left empty says so in a bracketed note;
- image sizes become whole numbers (the template writes them unquoted: `width={{ w }}`);
- cell metadata keeps only nbgrader's (score, points, grade id, comment); the notebook keeps
  no metadata but a fixed Python kernelspec and language (the template picks the code
  highlighter from it); cell tags that are not plain names go (cell ids and execution
  counts need nothing: nbformat's schema, checked by nbconvert, allows only names and numbers);
- raw cells become escaped preformatted text; markdown attachments only PNG/JPEG images.

Markdown cells stay markdown: the exporter (inert_exporter.py) renders them with raw HTML
escaped. Sentences the grader writes into markdown (its notes) use markdown_text().
"""

import base64
import binascii
import html
import re

from nbconvert.preprocessors import Preprocessor
from nbformat import from_dict

IMAGES = ("image/png", "image/jpeg")  # raster images, written as data: URLs, kept if base64
SVG = "image/svg+xml"
SOURCE_TYPES = ("text/html", "text/markdown", "text/latex")  # shown as their source text
PLAIN = "text/plain"
NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # grade ids, cell tags
# What IPython prints for a display object that has no text form of its own.
PLACEHOLDER = re.compile(r"^<(IPython\.[\w.]+|[\w.]+) object( at 0x[0-9a-f]+)?>$")
MAX_SIDE = 10_000  # pixels: larger image sizes are dropped, the image keeps its natural size

PYTHON_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python", "pygments_lexer": "ipython3"},
}
NBGRADER_FLAGS = ("grade", "solution", "task", "locked")
NBGRADER_NUMBERS = ("points", "score", "schema_version")

NOTE_JAVASCRIPT = "[a JavaScript output was left out: feedback runs no code from a submission]"
NOTE_WIDGET = "[an interactive widget: it works only in a running notebook]"
NOTE_SOURCE = "[{kind} output, shown as text: feedback shows no {kind} from a submission]"
NOTE_OTHER = "[an output of type {mime} was left out of the feedback]"
SOURCE_KIND = {"text/html": "HTML", "text/markdown": "Markdown", "text/latex": "LaTeX"}

# CommonMark lets a backslash escape any ASCII punctuation; escaping all of it leaves no
# markup (links, images, emphasis, code, HTML, math delimiters) in the text.
MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_text(text):
    """`text` as markdown that renders exactly as the text: one line, no markup, no HTML.

    For sentences the grader puts into a markdown cell that may quote student-controlled
    text (a submitted file's name, an exception message).
    """
    one_line = re.sub(r"\s*[\r\n]+\s*", " ", str(text))
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", one_line)


def text_of(value):
    """A notebook string field as one str (nbformat allows a list of lines)."""
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return "" if value is None else str(value)


def is_base64(value):
    """True if value is a str of strict base64 (line breaks allowed), and not empty."""
    if not isinstance(value, str) or not value.strip():
        return False
    try:
        base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def whole_number(value):
    """A positive pixel size as int, or None (the template writes it unquoted)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value != value or not 0 < value <= MAX_SIDE:  # value != value: NaN
        return None
    return int(value)


def image_metadata(metadata, mime):
    """Only width/height (whole numbers) and the 'unconfined' flag of one image type."""
    if not isinstance(metadata, dict):
        return {}
    own = metadata.get(mime) if isinstance(metadata.get(mime), dict) else {}
    kept = {}
    for key in ("width", "height"):
        size = whole_number(own.get(key, metadata.get(key)))
        if size is not None:
            kept[key] = size
    if own.get("unconfined") is True:
        kept["unconfined"] = True
    return kept


def inert_data(data, metadata):
    """(data, metadata) of a display output with only the types feedback shows safely."""
    data = data if isinstance(data, dict) else {}
    kept, kept_metadata = {}, {}
    for mime in IMAGES:
        if is_base64(data.get(mime)):
            kept[mime] = "".join(data[mime].split())
            kept_metadata[mime] = image_metadata(metadata, mime)
    if isinstance(data.get(SVG), str | list):
        kept[SVG] = text_of(data[SVG])  # the template writes it base64-encoded into <img src>
        kept_metadata[SVG] = image_metadata(metadata, SVG)
    plain = text_of(data[PLAIN]) if PLAIN in data else None
    if plain is not None and PLACEHOLDER.match(plain.strip()):
        plain = None
    if plain is None:
        source = next((m for m in SOURCE_TYPES if m in data), None)
        if source:
            kind = SOURCE_KIND[source]
            plain = NOTE_SOURCE.format(kind=kind) + "\n" + text_of(data[source])
        elif not kept:
            plain = note_for_left_out(data)
    if plain is not None:
        kept[PLAIN] = plain
    return kept, kept_metadata


def note_for_left_out(data):
    """The sentence shown for an output whose every type was left out."""
    if "application/javascript" in data:
        return NOTE_JAVASCRIPT
    if any("widget" in str(mime) for mime in data):
        return NOTE_WIDGET
    mimes = ", ".join(sorted(str(m)[:60] for m in data)) or "(none)"
    return NOTE_OTHER.format(mime=mimes)


def inert_output(output):
    """One output as feedback may show it, or None to leave it out."""
    kind = output.get("output_type")
    if kind == "stream":
        name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
        return {"output_type": "stream", "name": name, "text": text_of(output.get("text"))}
    if kind == "error":
        traceback = output.get("traceback")
        return {
            "output_type": "error",
            "ename": text_of(output.get("ename")),
            "evalue": text_of(output.get("evalue")),
            "traceback": [text_of(line) for line in traceback]
            if isinstance(traceback, list)
            else [],
        }
    if kind in ("display_data", "execute_result"):
        data, metadata = inert_data(output.get("data"), output.get("metadata"))
        shown = {"output_type": kind, "data": data, "metadata": metadata}
        if kind == "execute_result":
            shown["execution_count"] = output.get("execution_count")
        return shown
    return None


def inert_nbgrader(meta):
    """nbgrader's cell metadata with only what the feedback template reads, well typed."""
    if not isinstance(meta, dict):
        return None
    kept = {flag: meta[flag] for flag in NBGRADER_FLAGS if isinstance(meta.get(flag), bool)}
    for key in NBGRADER_NUMBERS:
        value = meta.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            kept[key] = value
    if isinstance(meta.get("grade_id"), str) and NAME.match(meta["grade_id"]):
        kept["grade_id"] = meta["grade_id"]
    elif "grade_id" in meta:
        kept["grade_id"] = "unnamed"
    if isinstance(meta.get("comment"), str):
        kept["comment"] = meta["comment"]  # the grader's comment; rendered as escaped markdown
    return kept


def inert_attachments(attachments):
    """Markdown attachments that are PNG or JPEG images in strict base64; nothing else."""
    kept = {}
    for name, bundle in (attachments or {}).items():
        if isinstance(bundle, dict):
            images = {m: "".join(bundle[m].split()) for m in IMAGES if is_base64(bundle.get(m))}
            if images:
                kept[str(name)] = images
    return kept


class InertNotebook(Preprocessor):
    """Reduce a graded notebook to content the feedback template shows as text or image.

    Runs after every other feedback preprocessor (InertHTMLExporter makes sure of it).
    """

    def preprocess(self, nb, resources):
        nb.metadata = from_dict(PYTHON_METADATA)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        metadata = {}
        nbgrader = inert_nbgrader(cell.get("metadata", {}).get("nbgrader"))
        if nbgrader is not None:
            metadata["nbgrader"] = nbgrader
        tags = cell.get("metadata", {}).get("tags")
        if isinstance(tags, list) and all(isinstance(t, str) and NAME.match(t) for t in tags):
            metadata["tags"] = list(tags)
        cell.metadata = from_dict(metadata)
        cell.source = text_of(cell.get("source"))
        if cell.cell_type == "code":
            outputs = (inert_output(o) for o in cell.get("outputs", []) if isinstance(o, dict))
            cell.outputs = [from_dict(o) for o in outputs if o is not None]
        elif cell.cell_type == "markdown":
            if "attachments" in cell:
                cell.attachments = inert_attachments(cell.attachments)
        else:
            # A raw cell: nbconvert writes raw HTML cells into the page as they are.
            cell.cell_type = "raw"
            cell.metadata["raw_mimetype"] = "text/html"
            cell.source = f"<pre>{html.escape(cell.source)}</pre>" if cell.source else ""
        return cell, resources
