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
"""

import copy

from jinja2 import BytecodeCache, pass_context
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbformat import from_dict

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
        renderer = InertMarkdownRenderer(
            attachments=cell.get("attachments", {}),
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
        )
        return MarkdownWithMath(renderer=renderer).render(source)

    def from_notebook_node(self, nb, resources=None, **kw):
        # HTMLExporter picks the code highlighter from the notebook's language before any
        # preprocessor runs: give it the course's (a made-up lexer name only warns, but still).
        nb = copy.deepcopy(nb)
        nb.metadata = from_dict(PYTHON_METADATA)
        # HTMLExporter's own from_notebook_node, less its pass over the page with
        # BeautifulSoup (alt text for images, tabindex), which inert_document does in its own.
        lexer = PYTHON_METADATA["language_info"]["pygments_lexer"]
        highlight_code = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
        )
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return inert_document(page), resources
