"""The grading steps that are the grader's own, as nbconvert preprocessors.

Each takes (nb, resources) and gives them back, as nbgrader's steps do; the pipeline
(pipeline.py) declares their order. What a step learns about the submission travels in
`resources["grading"]` (a GradingContext), and sentences for people go to its `notes`.
"""

import copy
from dataclasses import dataclass, field
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import OverwriteCells
from traitlets import Integer

from autograder.grader.cells import grade_id, is_test_cell
from autograder.grader.hidden import without_hidden_tests
from autograder.grader.inert import markdown_text
from autograder.grader.submission import fail_tests, read_or_explain, stand_in
from autograder.grader.submission_limits import MB, SubmissionLimits
from autograder.grader.timings import Phases
from autograder.grader.verify import apply_verdicts


@dataclass
class GradingContext:
    """One notebook of one submission, as the steps see it.

    submitted: the handed-in file. source: the lesson's notebook in the source folder.
    unreadable: the sentence when `submitted` could not be read (the notebook is then a
    stand-in whose tests fail). notes: what happened, for the student and the summary.
    """

    submitted: Path
    source: Path
    unreadable: str | None = None
    refused: str | None = None  # set in advance: grade the stand-in, whatever was handed in
    verify_lesson: str | None = None  # the lesson whose stubs the grader verified (execute.py)
    verdicts: list | None = None  # [verify.Verdict], None if verification never ran
    notes: list = field(default_factory=list)
    phases: Phases = field(default_factory=Phases)  # kernel, execute, verify (execute.py)
    _handed_out: object = field(default=None, repr=False)

    def handed_out(self, config):
        """A copy of the lesson as handed out (solutions cleared, tests whole), read once."""
        if self._handed_out is None:
            self._handed_out = stand_in(self.source, config)
        return copy.deepcopy(self._handed_out)


def context(resources):
    return resources["grading"]


class ReadSubmission(Preprocessor):
    """Replace the (empty) notebook by the submitted one, or by a stand-in that explains.

    A file past a limit below is refused as unreadable (0, and a sentence), before any kernel
    starts. The largest lesson (06), saved with its outputs, is 0.63 MB, 56 cells and 64,813
    characters of source (benchmarks/lesson_bounds.py): the size and cell defaults are 40 and
    18 times that. The source limit is 7.7 times, the tightest, because the feedback page costs
    time in proportion to the source: 300,000 characters of code take about 10 s to render,
    1,000,000 took 35 s (so 500,000 about 17 s).
    """

    max_file_mb = Integer(
        25, help="Size (MB) of a handed-in notebook file past which it is refused. 0: any."
    ).tag(config=True)
    max_cells = Integer(
        1000, help="Cells a handed-in notebook may have; more are refused. 0: any."
    ).tag(config=True)
    max_source_chars = Integer(
        500_000,
        help="Characters of source (all cells together) a handed-in notebook may have; more "
        "are refused. 0: any.",
    ).tag(config=True)

    def limits(self):
        return SubmissionLimits(self.max_file_mb * MB, self.max_cells, self.max_source_chars)

    def preprocess(self, nb, resources):
        ctx = context(resources)
        if ctx.refused:
            nb, reason = None, ctx.refused
        else:
            nb, reason = read_or_explain(ctx.submitted, self.limits())
        if nb is None:
            ctx.unreadable = f"not graded: {reason}"
            ctx.notes.append(f"{reason}: every test scores 0")
            return ctx.handed_out(self.config), resources
        return nb, resources


class NoteEditedTests(Preprocessor):
    """Note every test cell whose source differs from the handed-out one (restored later)."""

    def preprocess(self, nb, resources):
        ctx = context(resources)
        if ctx.unreadable:
            return nb, resources
        handed_out = {}
        for cell in ctx.handed_out(self.config).cells:
            if is_test_cell(cell):
                cleared, _ = without_hidden_tests(cell, self.config)
                handed_out[grade_id(cell)] = cleared.source.strip()
        for cell in nb.cells:
            gid = grade_id(cell)
            # Only the first cell of an id is that test; a copy is RestoreReleasedCells' business.
            if gid in handed_out and cell.get("source", "").strip() != handed_out.pop(gid):
                ctx.notes.append(f"test cell {gid} was edited: the grader ran the original test")
        return nb, resources


def describe_change(name, attr, old, new):
    """A sentence for one change nbgrader's OverwriteCells put back."""
    if attr == "points":
        return f"the points of {name} were changed to {new:g}: the original {old:g} count"
    if attr == "cell_type":
        return f"cell {name} was turned into a {new} cell: the grader put back the {old} cell"
    return f"cell {name} was changed ({attr}): the grader put back the original"


class RestoreCells(OverwriteCells):
    """nbgrader's OverwriteCells (locked and test cells as released), noting what it put back."""

    def preprocess(self, nb, resources):
        self._resources = resources
        return super().preprocess(nb, resources)

    def report_change(self, name, attr, old, new):
        super().report_change(name, attr, old, new)
        # A checksum change is not news: the gradebook's checksum covers the hidden tests,
        # which the student never had. Edits are found by NoteEditedTests instead.
        if attr != "checksum":
            context(self._resources).notes.append(describe_change(name, attr, old, new))


class FailUnreadable(Preprocessor):
    """A stand-in's test cells each fail with the sentence saying why nothing was run."""

    def preprocess(self, nb, resources):
        ctx = context(resources)
        if ctx.unreadable:
            fail_tests(nb, ctx.unreadable)
        return nb, resources


class ApplyVerdicts(Preprocessor):
    """Each test cell of a verified lesson earns its points only if the stubs it covers were
    right when the grader called them (verify.apply_verdicts); nothing else buys points."""

    def preprocess(self, nb, resources):
        ctx = context(resources)
        if ctx.verify_lesson:
            apply_verdicts(nb, ctx.verify_lesson, ctx.verdicts)
        return nb, resources


class AddNotesCell(Preprocessor):
    """Put the notes in a 'Grader's notes' cell at the top, where the feedback shows them."""

    def preprocess(self, nb, resources):
        notes = context(resources).notes
        if notes:
            # Notes quote student-controlled text (file names, exception messages): never markup.
            lines = "\n".join(f"- {markdown_text(note)}" for note in notes)
            heading = "**Grader's notes** (read these first)"
            nb.cells.insert(0, new_markdown_cell(f"{heading}\n\n{lines}"))
        return nb, resources
