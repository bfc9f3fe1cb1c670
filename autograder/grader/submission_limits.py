"""How much a handed-in notebook may hold: bytes on disk, cells, characters of source.

Checked before any kernel starts, and before the costly steps: the file's size before it is
read, the cells and their source right after json has parsed it (nbformat's validation, the
sanitising steps and the feedback page all take time in proportion to the source: a cell of
10^6 lines cost minutes and a 76 MB feedback page). A file past a limit is refused like an
unreadable one (submission.Unreadable): the student gets 0 and the sentence, which names the
limit and the fix.

The limits are ReadSubmission's traits (steps.py), so nbgrader_config.py can change them;
their defaults leave the largest lesson far inside (benchmarks/lesson_bounds.py).
"""

from dataclasses import dataclass

from autograder.grader.submission import Unreadable

MB = 1_000_000


@dataclass(frozen=True)
class SubmissionLimits:
    """max_bytes: the file's size; max_cells: cells of any kind; max_source_chars: the
    characters of every cell's source added up. 0 means no limit."""

    max_bytes: int = 0
    max_cells: int = 0
    max_source_chars: int = 0

    def check_file(self, path):
        """Unreadable if the file at `path` is larger than max_bytes (it is not read)."""
        size = path.stat().st_size
        if self.max_bytes and size > self.max_bytes:
            raise Unreadable(
                f"{path.name} is {size / MB:,.1f} MB, more than the {self.max_bytes / MB:g} MB "
                "the grader reads; clear its outputs (Kernel > Restart Kernel and Clear All "
                "Outputs), save it and hand it in again"
            )

    def check_notebook(self, name, data):
        """Unreadable if notebook JSON `data` (a dict with a list of cells) has too many cells
        or too much source; `name` is the file's name, for the sentence."""
        cells = data["cells"]
        if self.max_cells and len(cells) > self.max_cells:
            raise Unreadable(
                f"{name} has {len(cells):,} cells, more than the {self.max_cells:,} the grader "
                "runs; delete the cells you added to experiment and hand it in again"
            )
        if not self.max_source_chars:
            return
        total = 0
        for cell in cells:
            total += source_length(cell)
            if total > self.max_source_chars:
                raise Unreadable(
                    f"{name} holds more than {self.max_source_chars:,} characters of code and "
                    "text, more than the grader runs; remove pasted data or generated code and "
                    "hand it in again"
                )


def source_length(cell):
    """Characters of one cell's source, as JSON holds it (a string or a list of strings);
    0 for what is not a cell (nbformat's validation refuses it later)."""
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    if isinstance(source, str):
        return len(source)
    if isinstance(source, list):
        return sum(len(line) for line in source if isinstance(line, str))
    return 0
