"""nbgrader's feedback exporter (nbconvert's HTMLExporter), made to write inert pages.

Three layers, each enough against the hostile inputs the tests plant, together so that a gap
in one is closed by the next:

1. InertNotebook (inert.py) runs after every configured preprocessor: outputs reduced to text
   and images, metadata to what the template reads.
2. Markdown (student cells, the grader's notes, nbgrader comments) is rendered with raw HTML
   escaped, so `<script>` in a cell is shown as the text "<script>", and formulas written as
   MathML (math_ml.py); links and images with
   harmful URLs (javascript:, data: other than images) are disarmed; a mermaid block is shown
   as code, not drawn; a missing attachment is an empty image, not a crash.
3. inert_html.inert_document rebuilds the written page: nh3 allowlist over the body, the
   template's style sheets, and a Content-Security-Policy that allows no script.

Use: GenerateFeedback.exporter_class = InertHTMLExporter (record.feedback does).

nbgrader builds a new exporter for every submission, and with it a new Jinja environment that
would compile the same nine templates again (about 0.15 s a page): the compiled templates are
kept for the process (TEMPLATES, keyed by name and source, so a changed template compiles
anew). The page is parsed once, by inert_document, not first by HTMLExporter as well.

Most of a page is the lesson's own text, the same for every student: its markdown (formulas
to MathML) and its code highlighted cost most of a page's time, so each is kept for the
process, keyed by everything its output depends on (_markdown_html, _highlighted); a
student's own text is just another key. Layer 3 still reads every page whole.
"""

import functools

from jinja2 import BytecodeCache, pass_context
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbformat import NotebookNode, from_dict

from autograder.grader.inert import IMAGES, PYTHON_METADATA, InertNotebook
from autograder.grader.inert_html import inert_document
from autograder.grader.math_ml import tex_to_mathml


class InertMarkdownRenderer(IPythonRenderer):
    """nbconvert's markdown renderer with raw HTML escaped and harmful URLs disarmed."""

    def __init__(self, attachments=None, **options):
        super().__init__(
            escape=True,
            allow_harmful_protocols=False,
            embed_images=False,
            attachments=attachments or {},
            **options,
        )

    # Formulas become MathML here: the page may run no MathJax (see math_ml).
    def block_math(self, body):
        return tex_to_mathml(body, display=True)

    def inline_math(self, body):
        return tex_to_mathml(body)

    def latex_environment(self, name, body):
        return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)

    def block_mermaidjs(self, code):
        # nbconvert writes a mermaid block's text unescaped for mermaid.js to draw.
        return super(IPythonRenderer, self).block_code(code, info="mermaid")

    def _embed_image_or_attachment(self, src):
        if not src.startswith("attachment:"):
            return src  # a URL: the sanitiser and the page's policy let only data: images load
        bundle = self.attachments.get(src[len("attachment:") :], {})
        for mime in IMAGES:
            if isinstance(bundle, dict) and isinstance(bundle.get(mime), str):
                return f"data:{mime};base64,{bundle[mime]}"
        return ""


# A text longer than this is rendered every time: the cache holds lesson-sized cells only, so
# a submission of huge cells cannot fill the worker's memory with them.
REMEMBERED_CHARS = 20_000
REMEMBERED_TEXTS = 2048  # per kind; the six lessons have 253 cells, the longest 3,505 characters


@functools.lru_cache(maxsize=REMEMBERED_TEXTS)
def _markdown_html(source, anchor_link_text, exclude_anchor_links):
    renderer = InertMarkdownRenderer(
        anchor_link_text=anchor_link_text, exclude_anchor_links=exclude_anchor_links
    )
    return MarkdownWithMath(renderer=renderer).render(source)


@functools.lru_cache(maxsize=REMEMBERED_TEXTS)
def _highlighted(lexer, options, source, language, magics_language):
    highlight = Highlight2HTML(pygments_lexer=lexer, extra_formatter_options=dict(options))
    metadata = {"magics_language": magics_language} if magics_language else None
    return highlight(source, language, metadata)


class RememberedHighlight(Highlight2HTML):
    """nbconvert's code highlighter, each text highlighted once per process: keyed by the
    lexer, the formatter's options, the source, its language and the only metadata the
    highlighter reads (a cell magic's language)."""

    def __call__(self, source, language=None, metadata=None):
        options = tuple(sorted(self.extra_formatter_options.items()))
        magics = (metadata or {}).get("magics_language")
        key = (self.pygments_lexer, options, source, language, magics)
        try:
            hash(key)
        except TypeError:  # a list in the cell's metadata, an option that is a dict
            key = None
        if key is None or len(source) > REMEMBERED_CHARS:
            return super().__call__(source, language, metadata)
        return _highlighted(*key)


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates kept in memory, for every environment of this process.

    Jinja keys each by the template's name and checks its source's checksum on loading.
    """

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = CompiledTemplates()


class InertHTMLExporter(HTMLExporter):
    """HTMLExporter whose pages hold no script and no HTML from the notebook (see module)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Either would put notebook text into the page unescaped.
        self.sanitize_html = True
        self.skip_svg_encoding = False
        self.embed_images = False

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = TEMPLATES  # before any template is loaded
        return environment

    def _preprocess(self, nb, resources):
        # nbconvert's hook that runs the registered preprocessors (nbgrader registers its own
        # after this exporter is built); InertNotebook must see what they all produced.
        nb, resources = super()._preprocess(nb, resources)
        return InertNotebook(parent=self).preprocess(nb, resources)

    @pass_context
    def markdown2html(self, context, source):
        """Markdown to HTML with raw HTML shown as text (replaces HTMLExporter's filter)."""
        cell = context.get("cell", {})
        attachments = cell.get("attachments", {})
        if not attachments and len(source) <= REMEMBERED_CHARS:
            return _markdown_html(source, self.anchor_link_text, self.exclude_anchor_links)
        renderer = InertMarkdownRenderer(
            attachments=attachments,
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
        )
        return MarkdownWithMath(renderer=renderer).render(source)

    def from_notebook_node(self, nb, resources=None, **kw):
        # HTMLExporter picks the code highlighter from the notebook's language before any
        # preprocessor runs: give it the course's (a made-up lexer name only warns, but still).
        # A shallow copy is enough to leave the caller's metadata alone: nbconvert deep-copies
        # the notebook before its preprocessors touch anything else.
        nb = NotebookNode(nb)
        nb.metadata = from_dict(PYTHON_METADATA)
        # HTMLExporter's own from_notebook_node, less its pass over the page with
        # BeautifulSoup (alt text for images, tabindex), which inert_document does in its own.
        lexer = PYTHON_METADATA["language_info"]["pygments_lexer"]
        highlight_code = self.filters.get(
            "highlight_code", RememberedHighlight(pygments_lexer=lexer, parent=self)
        )
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return inert_document(page), resources
