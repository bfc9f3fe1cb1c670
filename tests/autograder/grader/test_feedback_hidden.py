"""Does HideHiddenTests keep every hidden test out of the feedback, and touch nothing else?

The error outputs here are shaped like IPython's: colour codes, and a frame that quotes the
lines around the failing assert, hidden ones included.
"""

import copy
import re

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.grader.feedback import HideHiddenTests

VISIBLE = "check_relu(relu)"
HIDDEN = [
    "from reference import relu as relu_ref",
    "rng = np.random.default_rng(2031)",
    "z = rng.normal(size=(4, 3))",
    "assert np.allclose(relu(z), relu_ref(z)), 'relu(z) differs from the expected values'",
]
MESSAGE = "relu(z) differs from the expected values"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def hidden_test_source(hidden=HIDDEN):
    return "\n".join(
        ['"""Does relu match on random inputs?"""', VISIBLE, "### BEGIN HIDDEN TESTS"]
        + hidden
        + ["### END HIDDEN TESTS", ""]
    )


def ipython_traceback(source, failing_line, ename="AssertionError", evalue=MESSAGE):
    """A traceback as IPython 8 prints it: a frame quoting two lines each side of the failure."""
    lines = source.split("\n")
    frame = [f"Cell \x1b[0;32mIn[7], line {failing_line}\x1b[0m"]
    for number in range(max(1, failing_line - 2), min(len(lines), failing_line + 2) + 1):
        mark = "----> " if number == failing_line else "      "
        frame.append(f"\x1b[1;32m{mark}{number}\x1b[0m \x1b[38;5;66m{lines[number - 1]}\x1b[0m")
    return [
        "\x1b[0;31m" + "-" * 75 + "\x1b[0m",
        f"\x1b[0;31m{ename}\x1b[0m                            Traceback (most recent call last)",
        "\n".join(frame),
        f"\x1b[0;31m{ename}\x1b[0m: {evalue}",
    ]


def grade_cell(source, outputs, grade=True):
    cell = new_code_cell(source, outputs=outputs, execution_count=7)
    cell.metadata["nbgrader"] = {
        "grade": grade,
        "grade_id": "test_relu",
        "locked": True,
        "points": 2,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    return cell


def stream(text, name="stdout"):
    return new_output("stream", name=name, text=text)


def hide(cell):
    cell, _ = HideHiddenTests().preprocess_cell(cell, {}, 0)
    return cell


def plain(traceback):
    return ANSI.sub("", "\n".join(traceback))


def failing_cell():
    source = hidden_test_source()
    failing_line = source.split("\n").index(HIDDEN[-1]) + 1
    error = new_output(
        "error",
        ename="AssertionError",
        evalue=MESSAGE,
        traceback=ipython_traceback(source, failing_line),
    )
    return grade_cell(source, [stream("relu passed the visible check\n"), error])


def test_the_traceback_really_quotes_hidden_lines():
    """Does the test's traceback quote hidden lines before hiding (else the test proves nothing)?"""
    text = plain(failing_cell().outputs[1].traceback)
    assert HIDDEN[-1] in text and HIDDEN[-2] in text and "BEGIN HIDDEN TESTS" not in text


def test_no_hidden_line_is_left_in_source_or_traceback():
    """After hiding, do neither the source nor any output contain a line of the hidden tests?"""
    cell = hide(failing_cell())
    shown = cell.source + "\n" + plain(cell.outputs[1].traceback) + repr(cell.outputs)
    for line in HIDDEN:
        assert line not in shown
    assert "reference" not in shown and "HIDDEN TESTS" not in shown
    assert cell.source == '"""Does relu match on random inputs?"""\n' + VISIBLE + "\n"


def test_the_error_keeps_its_name_and_message():
    """Does the student still see 'AssertionError: <the assert's message>'?"""
    cell = hide(failing_cell())
    error = cell.outputs[1]
    assert error.output_type == "error"
    assert error.ename == "AssertionError" and error.evalue == MESSAGE
    assert plain(error.traceback) == f"AssertionError: {MESSAGE}"


def test_stream_outputs_are_untouched():
    """Are the visible check's printed lines kept exactly, in their place?"""
    before = failing_cell()
    after = hide(copy.deepcopy(before))
    assert after.outputs[0] == before.outputs[0]
    assert [o.output_type for o in after.outputs] == ["stream", "error"]


def test_a_failure_in_the_visible_check_is_shortened_too():
    """Is an error raised by the visible check (whose frame quotes the first hidden line) cut?"""
    source = hidden_test_source()
    failing_line = source.split("\n").index(VISIBLE) + 1
    error = new_output(
        "error",
        ename="CheckFailure",
        evalue="relu(-1.0) gave -1.0; negative inputs should give 0",
        traceback=ipython_traceback(source, failing_line, "CheckFailure", "relu(-1.0) ..."),
    )
    assert HIDDEN[0] in plain(error.traceback)
    cell = hide(grade_cell(source, [error]))
    assert HIDDEN[0] not in plain(cell.outputs[0].traceback)
    assert cell.outputs[0].evalue == "relu(-1.0) gave -1.0; negative inputs should give 0"


def test_every_hidden_region_of_a_cell_goes():
    """With two hidden regions in one cell, are both removed and the visible lines between kept?"""
    source = "\n".join(
        [VISIBLE, "### BEGIN HIDDEN TESTS", HIDDEN[0], "### END HIDDEN TESTS"]
        + ["print('between')", "### BEGIN HIDDEN TESTS", HIDDEN[3], "### END HIDDEN TESTS"]
    )
    cell = hide(grade_cell(source, []))
    assert cell.source == VISIBLE + "\nprint('between')"


def test_a_non_grade_cell_is_left_exactly_as_it_was():
    """Is a cell that is not a test cell (here a solution cell with an error) left unchanged?"""
    error = new_output("error", ename="ValueError", evalue="bad shape", traceback=["a", "b", "c"])
    solution = new_code_cell("def relu(z):\n    return z", outputs=[stream("hi\n"), error])
    solution.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "relu"}
    no_metadata = new_code_cell("1 / 0", outputs=[copy.deepcopy(error)])
    markdown = new_markdown_cell("### BEGIN HIDDEN TESTS\nnot code\n### END HIDDEN TESTS")
    for cell in (solution, no_metadata, markdown):
        before = copy.deepcopy(cell)
        assert hide(cell) == before


def test_a_test_cell_without_hidden_tests_is_left_exactly_as_it_was():
    """Does a test cell with no hidden region keep its source and full traceback?"""
    source = '"""Does relu keep positives?"""\ncheck_relu(relu)\n'
    error = new_output(
        "error",
        ename="CheckFailure",
        evalue="relu(2.0) gave 0.0",
        traceback=ipython_traceback(source, 2, "CheckFailure", "relu(2.0) gave 0.0"),
    )
    cell = grade_cell(source, [stream("checking\n"), error])
    before = copy.deepcopy(cell)
    assert hide(cell) == before


def test_a_whole_notebook_changes_only_its_hidden_test_cells():
    """Run over a notebook, does only the test cell with hidden tests change?"""
    setup = new_code_cell("import numpy as np", outputs=[stream("ready\n")])
    clean_test = grade_cell(VISIBLE, [stream("ok\n")])
    clean_test.metadata.nbgrader["grade_id"] = "test_visible_only"
    nb = new_notebook(cells=[new_markdown_cell("# ReLU"), setup, failing_cell(), clean_test])
    before = copy.deepcopy(nb)
    nb, _ = HideHiddenTests().preprocess(nb, {})
    for index in (0, 1, 3):
        assert nb.cells[index] == before.cells[index]
    assert nb.cells[2] != before.cells[2]
    assert all(line not in repr(nb) for line in HIDDEN)
