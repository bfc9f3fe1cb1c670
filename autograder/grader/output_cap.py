"""A character cap on cell outputs, so a submission that prints 50 MB stays a small file.

nbgrader's LimitOutput counts lines; one print of a 50 MB string is a single line. Here every
output is measured in characters, and a cell keeps at most `limit` characters of text (stream,
plain text, errors) and at most `RICH_LIMIT` of rich data (a figure's PNG is 50-100 KB): the
rest is cut and one line says how much.

A cell also keeps at most `max_outputs` outputs: 50,000 display() calls of a few characters
each are within the character cap, but every output costs the notebook and its feedback page
a few hundred bytes of markup. Past the count, what decides a grade is still kept (see
past_count), the rest is dropped and counted. An output shown under a display id can be
replaced later, from any cell (update_display_data): the replacement is charged to the cell
that shows it, in place of what it replaces (CellBudget.refund, then take).
"""

from nbformat import NotebookNode

# Per cell: far more than any lesson prints, far less than a runaway loop.
DEFAULT_LIMIT = 20_000
RICH_LIMIT = 2_000_000  # about twenty figures
# A lesson's cell has at most 3 outputs (benchmarks/lesson_bounds.py).
MAX_OUTPUTS = 200

TEXT_KEYS = ("text/plain",)


def is_text(out):
    """Stream and error outputs, and results that are plain text only, count as text."""
    if out.get("output_type") in ("stream", "error"):
        return True
    return set(out.get("data", {})) <= set(TEXT_KEYS)


def output_size(out):
    """Characters held by one output (stream text, rich data, error evalue and traceback)."""
    kind = out.get("output_type")
    if kind == "stream":
        return len(out.get("text", ""))
    if kind == "error":
        return len(out.get("evalue", "")) + sum(len(line) for line in out.get("traceback", []))
    return sum(len(v) if isinstance(v, str) else len(str(v)) for v in out.get("data", {}).values())


def trim_output(out, budget):
    """Trim `out` in place to at most `budget` characters; return how many were cut."""
    size = output_size(out)
    if size <= budget:
        return 0
    kind = out.get("output_type")
    if kind == "stream":
        out["text"] = out.get("text", "")[:budget]
    elif kind == "error":
        out["evalue"] = out.get("evalue", "")[:budget]
        left = budget - len(out["evalue"])
        kept = []
        for line in out.get("traceback", []):
            if left <= 0:
                break
            kept.append(line[:left])
            left -= len(kept[-1])
        out["traceback"] = kept
    elif is_text(out):
        out["data"] = {"text/plain": out["data"].get("text/plain", "")[:budget]}
    else:
        # Rich data cannot be cut in half (half a PNG is not an image): keep a plain note.
        out["data"] = {"text/plain": "[output removed: too large to keep]"}
        return size  # all of it went (the note is the grader's, and may outsize a tiny output)
    return size - output_size(out)


def cut_note(cut, dropped=0):
    """The stream output that says what was cut and how many outputs were dropped."""
    parts = [f"{cut:,} characters of output"] if cut else []
    if dropped:
        parts.append(f"{dropped:,} output{'s' if dropped > 1 else ''}")
    return NotebookNode(
        output_type="stream",
        name="stdout",
        text=f"\n[... {' and '.join(parts)} cut by the grader]\n",
    )


# Whatever a flood has spent, an error keeps this much (its message says why the test failed)
# and a cell's result this much (nbgrader reads partial credit from a test cell's result).
FLOOR = {"error": 2_000, "execute_result": 1_000}


class CellBudget:
    """What is left of one cell's two allowances, text and rich data.

    cut: characters cut so far; dropped: outputs left out past the count.
    """

    def __init__(self, limit=DEFAULT_LIMIT, rich_limit=RICH_LIMIT):
        self.left = {True: limit, False: rich_limit}
        self.cut = 0
        self.dropped = 0

    def take(self, out):
        """Trim `out` in place to what is left of its allowance, and spend it."""
        text = is_text(out)
        floor = FLOOR.get(out.get("output_type"), 0)
        self.cut += trim_output(out, max(self.left[text], floor, 0))
        self.left[text] -= output_size(out)

    def refund(self, out):
        """Give back what `out` spent: it is about to be replaced."""
        self.left[is_text(out)] += output_size(out)


def past_count(outs, out):
    """What to do with `out` arriving when a cell's `outs` are at the count limit.

    'merge': a stream whose text joins the cell's last stream of the same name (the text
    still counts against the character cap). 'keep': the cell's first stream of that name,
    first error or first result: nbgrader scores a test cell 0 for any error or stderr output,
    and reads partial credit from its first result, so dropping one could change the grade.
    'drop': anything else (displays, later errors and results).
    """
    kind = out.get("output_type")
    if kind == "stream":
        same = any(
            o.get("output_type") == "stream" and o.get("name") == out.get("name") for o in outs
        )
        return "merge" if same else "keep"
    if kind in ("error", "execute_result") and not any(o.get("output_type") == kind for o in outs):
        return "keep"
    return "drop"


def merge_stream(outs, out):
    """Append stream `out`'s text to the last stream of its name in `outs`."""
    last = next(
        o
        for o in reversed(outs)
        if o.get("output_type") == "stream" and o.get("name") == out.get("name")
    )
    last["text"] = last.get("text", "") + out.get("text", "")
