"""Reading what a student handed in: a notebook, or a sentence saying why it is not one.

A file that cannot be read as a notebook (not text, not JSON, not a notebook, not valid for
nbformat) or that is missing is not an error of the grader: it becomes a stand-in, the lesson's
notebook with its solutions cleared, whose test cells fail with that sentence, so it is graded
(0) and the student reads why.
"""

import json

import nbformat
from nbgrader.preprocessors import ClearSolutions

from autograder.grader.cells import error_output, is_test_cell


class Unreadable(Exception):
    """The submitted file is not a notebook the grader can run; the message says why."""


def read_submission(path, limits=None):
    """The notebook at `path`, or Unreadable with a sentence naming the problem.

    limits: a submission_limits.SubmissionLimits, checked before the file is read and again
    once its JSON is parsed (before nbformat's validation, whose cost grows with the source).
    """
    if limits is not None:
        limits.check_file(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise Unreadable(f"{path.name} is not a text file, so not a notebook") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise Unreadable(f"{path.name} is nested too deeply to be a notebook") from None
    except json.JSONDecodeError as err:
        raise Unreadable(
            f"{path.name} is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg}); "
            "it may have been cut short or edited outside Jupyter"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise Unreadable(f"{path.name} is JSON but not a notebook (it has no list of cells)")
    if "nbformat" not in data:
        # nbformat would take it for format 1 and lose (or choke on) its cells
        raise Unreadable(f"{path.name} is not a well-formed notebook: it has no nbformat version")
    if limits is not None:
        limits.check_notebook(path.name, data)
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # nbformat raises several kinds; all mean the same here
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        if len(first) > 200:  # schema errors quote the whole offending cell
            first = first[:200] + " ..."
        raise Unreadable(f"{path.name} is not a well-formed notebook: {first}") from None
    return nb


def read_or_explain(path, limits=None):
    """(notebook, None), or (None, the sentence) when `path` is missing, unreadable or past
    `limits` (a SubmissionLimits)."""
    if not path.is_file():
        folder = path.parent
        found = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        return None, f"no {path.name} was submitted (found: {', '.join(found) or 'nothing'})"
    try:
        return read_submission(path, limits), None
    except Unreadable as err:
        return None, str(err)


def stand_in(source_path, config):
    """The lesson's notebook at `source_path` with its solutions cleared (nbgrader's rule)."""
    nb = nbformat.read(source_path, as_version=4)
    nb, _ = ClearSolutions(config=config).preprocess(nb, {})
    return nb


def fail_tests(nb, reason):
    """Every test cell of `nb` gets one error output saying `reason` (so it scores 0)."""
    for cell in nb.cells:
        if is_test_cell(cell):
            cell.outputs = [error_output("NotGraded", reason)]
