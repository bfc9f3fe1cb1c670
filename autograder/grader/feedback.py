"""Feedback that never shows a hidden test.

nbgrader's feedback HTML is the autograded notebook, whose test cells hold the hidden tests
in full, and whose failed asserts print IPython tracebacks quoting the lines around the
failure. HideHiddenTests runs last in GenerateFeedback: it removes the hidden region from
every test cell (nbgrader's own ClearHiddenTests rule) and shortens every error in a test cell
to its one line, "AssertionError: <message>", which is what the student needs.
"""

from nbconvert.preprocessors import Preprocessor

from autograder.grader.cells import is_test_cell
from autograder.grader.hidden import without_hidden_tests


class HideHiddenTests(Preprocessor):
    """Strip hidden tests from test cells' source and tracebacks; keep every other output."""

    def preprocess_cell(self, cell, resources, index):
        if not is_test_cell(cell):
            return cell, resources
        cell, had_hidden = without_hidden_tests(cell, self.config)
        for out in cell.get("outputs", []):
            if had_hidden and out.get("output_type") == "error":
                out.traceback = [f"\x1b[0;31m{out.ename}\x1b[0m: {out.evalue}"]
        return cell, resources
