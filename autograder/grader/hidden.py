"""The hidden-test regions of test cells, removed with nbgrader's own rule (its public API).

The region between nbgrader's BEGIN/END HIDDEN TESTS delimiters is what the student never saw.
The grader removes it in two places: to know what a test cell looked like when handed out (so
an edited one can be recognised), and from the feedback a student reads.
"""

import copy

from nbgrader.preprocessors import ClearHiddenTests


def without_hidden_tests(cell, config=None):
    """A copy of `cell` with its hidden-test region removed, and whether it had one."""
    cleared = copy.deepcopy(cell)
    cleared, _ = ClearHiddenTests(config=config).preprocess_cell(cleared, {}, 0)
    return cleared, cleared.source != cell.source
