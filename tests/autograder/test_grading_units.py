"""The grader's small parts, without a kernel: output cap, reading a submission, feedback, table."""

import json

import nbformat
import pytest
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder.feedback import HideHiddenTests
from autograder.grade import Graded
from autograder.output_cap import CellBudget, output_size, trim_output
from autograder.report import problem_lines, score_table
from autograder.run import Unreadable, describe_change, read_submission

# ------------------------------------------------------------------ output cap


def stream(text):
    return new_output("stream", name="stdout", text=text)


def test_a_long_stream_is_cut_to_the_budget():
    """Does a 1,000,000-character print keep exactly the budget, and say how much went?"""
    out = stream("x" * 1_000_000)
    assert trim_output(out, 20_000) == 980_000
    assert out.text == "x" * 20_000


def test_an_error_is_cut_in_evalue_and_traceback():
    """Is an error's message plus traceback cut to the budget, oldest lines kept?"""
    out = new_output("error", ename="ValueError", evalue="v" * 50, traceback=["t" * 100] * 10)
    assert output_size(out) == 50 + 1000
    cut = trim_output(out, 200)
    assert output_size(out) == 200 and cut == 850
    assert out.evalue == "v" * 50 and out.traceback == ["t" * 100, "t" * 50]


def test_rich_data_too_large_is_replaced_by_a_note():
    """Is an image over its allowance replaced by a plain note, not cut into a broken PNG?"""
    out = new_output("display_data", data={"image/png": "A" * 5000, "text/plain": "<Figure>"})
    trim_output(out, 1000)
    assert out.data == {"text/plain": "[output removed: too large to keep]"}


def test_text_and_figures_have_separate_allowances():
    """Does a cell keep a figure although its text allowance is spent, and vice versa?"""
    budget = CellBudget(limit=100, rich_limit=10_000)
    text = stream("y" * 150)
    figure = new_output("display_data", data={"image/png": "P" * 8000})
    budget.take(text)
    budget.take(figure)
    assert len(text.text) == 100 and figure.data["image/png"] == "P" * 8000
    assert budget.cut == 50
    later = stream("z" * 10)
    budget.take(later)
    assert later.text == "" and budget.cut == 60


# ------------------------------------------------------------------ reading a submission


def write(tmp_path, content, name="lesson.ipynb"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


def test_invalid_json_names_line_and_column(tmp_path):
    """Is a notebook cut off half way reported as invalid JSON with where it broke?"""
    text = nbformat.writes(new_notebook(cells=[new_code_cell("x = 1")]))
    path = write(tmp_path, text[: len(text) // 2])
    with pytest.raises(Unreadable, match=r"lesson.ipynb is not valid JSON \(line \d+, column \d+"):
        read_submission(path)


def test_json_that_is_not_a_notebook(tmp_path):
    """Is valid JSON without a list of cells reported as not a notebook?"""
    with pytest.raises(Unreadable, match="is JSON but not a notebook"):
        read_submission(write(tmp_path, json.dumps({"answer": 42})))


def test_a_binary_file(tmp_path):
    """Is a file that is not text (a zip renamed .ipynb) reported as such?"""
    with pytest.raises(Unreadable, match="is not a text file"):
        read_submission(write(tmp_path, b"PK\x03\x04\xff\xfe\x00binary"))


def test_a_notebook_that_breaks_the_format(tmp_path):
    """Is a notebook whose cells break nbformat's schema reported as not well-formed?"""
    data = json.loads(nbformat.writes(new_notebook(cells=[new_code_cell("x = 1")])))
    data["cells"][0]["cell_type"] = "spreadsheet"
    with pytest.raises(Unreadable, match="is not a well-formed notebook"):
        read_submission(write(tmp_path, json.dumps(data)))


def test_a_good_notebook_is_returned(tmp_path):
    """Is a valid notebook read back with its cells?"""
    nb = read_submission(write(tmp_path, nbformat.writes(new_notebook(cells=[new_code_cell("1")]))))
    assert [c.source for c in nb.cells] == ["1"]


def test_changes_are_described_for_people():
    """Do nbgrader's reported changes read as sentences naming the cell?"""
    assert describe_change("test_relu", "points", 2.0, 20.0) == (
        "the points of test_relu were changed to 20: the original 2 count"
    )
    assert "turned into a markdown cell" in describe_change(
        "test_relu", "cell_type", "code", "markdown"
    )


# ------------------------------------------------------------------ feedback without hidden tests

HIDDEN = "assert abs(relu(-3.0)) < 1e-12, 'relu(-3) should be 0'"


def grade_cell(source, outputs):
    cell = new_code_cell(source, outputs=outputs)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "test_relu", "points": 1}
    return cell


def test_hidden_region_and_its_traceback_are_removed():
    """Are the hidden lines gone from source and traceback, the message and prints kept?"""
    source = f"check_relu(relu)\n### BEGIN HIDDEN TESTS\n{HIDDEN}\n### END HIDDEN TESTS\n"
    error = new_output(
        "error",
        ename="AssertionError",
        evalue="relu(-3) should be 0",
        traceback=["----> 3 " + HIDDEN, "AssertionError: relu(-3) should be 0"],
    )
    cell = grade_cell(source, [stream("✓ relu passed\n"), error])
    cell, _ = HideHiddenTests().preprocess_cell(cell, {}, 0)
    assert HIDDEN not in cell.source and "HIDDEN" not in cell.source
    assert cell.source.strip() == "check_relu(relu)"
    text = json.dumps(cell.outputs)
    assert HIDDEN[:20] not in text
    assert cell.outputs[0].text == "✓ relu passed\n"
    assert cell.outputs[1].ename == "AssertionError"
    assert cell.outputs[1].evalue == "relu(-3) should be 0"


def test_cells_without_hidden_tests_are_untouched():
    """Are a plain code cell and a test cell with no hidden region left exactly as they were?"""
    error = new_output("error", ename="E", evalue="v", traceback=["line 1", "line 2"])
    plain = new_code_cell("print(1)\n### BEGIN HIDDEN TESTS", outputs=[error])
    visible = grade_cell("check_relu(relu)", [NotebookNode(error)])
    before = json.dumps([plain, visible], sort_keys=True)
    hide = HideHiddenTests()
    hide.preprocess_cell(plain, {}, 0)
    hide.preprocess_cell(visible, {}, 1)
    assert json.dumps([plain, visible], sort_keys=True) == before


# ------------------------------------------------------------------ the report


def test_score_table_marks_notes_missing_and_ungraded():
    """Does the table show score/max, '*' for notes, '-' for no submission, NOT GRADED?"""
    graded = [
        Graded("ada", "01_a", 13.0, 13.0),
        Graded("bob", "01_a", 11.0, 13.0, notes=["cell 3: the kernel died"]),
        Graded("bob", "02_b", None, None, notes=["not graded: ..."]),
    ]
    rows = score_table(graded).splitlines()
    assert rows[0].split() == ["student", "01_a", "02_b"]
    assert rows[1].split() == ["ada", "13/13", "-"]
    assert rows[2].split() == ["bob", "11/13*", "NOT", "GRADED*"]
    assert problem_lines(graded) == [
        "bob/01_a: cell 3: the kernel died",
        "bob/02_b: not graded: ...",
    ]
