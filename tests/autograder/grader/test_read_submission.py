"""Does read_submission return good notebooks and name the problem with bad files? (no kernel)

Also: do describe_change's sentences say what nbgrader put back, the right way round?
"""

import copy
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.grader.steps import describe_change
from autograder.grader.submission import Unreadable, read_submission


def notebook():
    """A small valid notebook, as the dict json would load."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Lesson"),
            new_code_cell("x = 1\nprint(x)", outputs=[new_output("stream", text="1\n")]),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return json.loads(nbformat.writes(nb))


def write(tmp_path, content, name="lesson.ipynb"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, indent=1), encoding="utf-8")
    return path


def reason(path):
    with pytest.raises(Unreadable) as caught:
        read_submission(path)
    return str(caught.value)


# ------------------------------------------------------------------ not JSON


def test_invalid_json_names_the_line_and_column(tmp_path):
    """Does a stray comma in a notebook give 'not valid JSON' at that comma's line and column?"""
    lines = json.dumps(notebook(), indent=1).splitlines()
    row = next(i for i, line in enumerate(lines) if '"nbformat":' in line)
    lines[row] += ","  # '"nbformat": 4,,' : the second comma is the error
    column = len(lines[row])
    message = reason(write(tmp_path, "\n".join(lines)))
    assert message.startswith("lesson.ipynb is not valid JSON")
    assert f"(line {row + 1}, column {column}:" in message


def test_an_empty_file_is_invalid_json_at_its_start(tmp_path):
    """Is an empty file (an upload that failed) reported as invalid JSON at line 1, column 1?"""
    assert "not valid JSON (line 1, column 1:" in reason(write(tmp_path, ""))


def test_a_truncated_notebook_is_invalid_json(tmp_path):
    """Is a notebook cut short half way reported as invalid JSON, with a line inside it?"""
    text = json.dumps(notebook(), indent=1)
    half = text[: len(text) // 2]
    message = reason(write(tmp_path, half))
    assert "is not valid JSON (line " in message
    line = int(message.split("(line ")[1].split(",")[0])
    assert 1 <= line <= half.count("\n") + 1


# ------------------------------------------------------------------ JSON, but not a notebook


@pytest.mark.parametrize(
    "data",
    [[1, 2, 3], "cells", None, 42, {"answer": 42}, {"cells": "x = 1"}, {"cells": {"0": {}}}],
    ids=["list", "string", "null", "number", "no-cells", "cells-string", "cells-dict"],
)
def test_json_that_is_not_a_notebook(tmp_path, data):
    """Is valid JSON without a list of cells reported as JSON but not a notebook?"""
    message = reason(write(tmp_path, json.dumps(data)))
    assert message == "lesson.ipynb is JSON but not a notebook (it has no list of cells)"


# ------------------------------------------------------------------ not text


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe",  # a zip renamed .ipynb
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # a screenshot renamed .ipynb
        json.dumps(notebook()).replace("Lesson", "Le\u00e7on").encode("latin-1"),
    ],
    ids=["zip", "png", "latin-1"],
)
def test_a_file_that_is_not_utf8_text(tmp_path, content):
    """Is a file that does not decode as UTF-8 reported as not a text file?"""
    assert reason(write(tmp_path, content)) == "lesson.ipynb is not a text file, so not a notebook"


# ------------------------------------------------------------------ not a valid notebook


def broken(change):
    data = notebook()
    change(data)
    return data


@pytest.mark.parametrize(
    "data",
    [
        broken(lambda d: d["cells"][1].pop("outputs")),
        broken(lambda d: d["cells"][1].update(cell_type="spreadsheet")),
        broken(lambda d: d["cells"][1].update(execution_count="one")),
        broken(lambda d: d.pop("metadata")),
        broken(lambda d: d.update(nbformat=99)),
        broken(lambda d: d.pop("nbformat")),
    ],
    ids=["no-outputs", "cell-type", "execution-count", "no-metadata", "version-99", "no-version"],
)
def test_a_notebook_that_fails_validation(tmp_path, data):
    """Is JSON with a list of cells that breaks nbformat's schema reported as not well-formed?"""
    message = reason(write(tmp_path, data))
    assert message.startswith("lesson.ipynb is not a well-formed notebook: ")
    assert len(message) > len("lesson.ipynb is not a well-formed notebook: ")
    assert "\n" not in message


def test_a_notebook_without_its_format_version_is_not_read_as_format_1(tmp_path):
    """Is a notebook missing "nbformat" refused by name, not read as format 1 with its code lost?"""
    data = notebook()
    data["cells"] = [c for c in data["cells"] if c["cell_type"] == "code"]
    del data["nbformat"]
    message = reason(write(tmp_path, data))
    assert message == "lesson.ipynb is not a well-formed notebook: it has no nbformat version"


def test_the_reason_stays_short_when_the_broken_cell_is_large(tmp_path):
    """Is the reason one short sentence even when the invalid cell holds 90,000 characters?"""
    data = notebook()
    data["cells"][1]["source"] = "x = 1\n" * 15_000
    data["cells"][1]["cell_type"] = "spreadsheet"
    message = reason(write(tmp_path, data))
    assert message.startswith("lesson.ipynb is not a well-formed notebook: ")
    assert len(message) <= 300 and "\n" not in message


# ------------------------------------------------------------------ a good notebook


def test_a_valid_notebook_is_returned_as_it_was(tmp_path):
    """Is a valid notebook returned whole: cells, sources, outputs and metadata?"""
    data = notebook()
    nb = read_submission(write(tmp_path, data, name="06_full_network.ipynb"))
    assert isinstance(nb, nbformat.NotebookNode) and nb.nbformat == 4
    assert nb == nbformat.reads(json.dumps(data), as_version=4)
    assert [c.source for c in nb.cells] == ["# Lesson", "x = 1\nprint(x)"]
    assert nb.cells[1].outputs[0].text == "1\n"


def test_a_notebook_of_an_older_minor_version_without_cell_ids(tmp_path):
    """Is a format 4.4 notebook (no cell ids, from an older Jupyter) accepted?"""
    data = notebook()
    data["nbformat_minor"] = 4
    for cell in data["cells"]:
        del cell["id"]
    nb = read_submission(write(tmp_path, data))
    assert [c.source for c in nb.cells] == ["# Lesson", "x = 1\nprint(x)"]


def test_reading_does_not_change_the_file(tmp_path):
    """Does reading a submission leave the student's file byte for byte as it was?"""
    path = write(tmp_path, notebook())
    before = path.read_bytes()
    read_submission(path)
    assert path.read_bytes() == before


def test_a_copy_of_the_data_is_not_shared(tmp_path):
    """Are two reads of one file independent notebooks (editing one leaves the other)?"""
    path = write(tmp_path, notebook())
    first, second = read_submission(path), read_submission(path)
    first.cells[1].source = "changed"
    assert second.cells[1].source == "x = 1\nprint(x)"
    assert copy.deepcopy(second) == second


# ------------------------------------------------------------------ describe_change


def test_changed_points_name_both_values_the_right_way_round():
    """Do changed points say the student's value and that the original counts?"""
    # nbgrader's OverwriteCells calls report_change(name, attr, original, submitted)
    assert describe_change("test_relu", "points", 2.0, 20.0) == (
        "the points of test_relu were changed to 20: the original 2 count"
    )
    assert describe_change("test_loss", "points", 1.5, 0.0) == (
        "the points of test_loss were changed to 0: the original 1.5 count"
    )


def test_a_changed_cell_type_says_what_was_put_back():
    """Does a test cell turned into markdown read as put back to a code cell?"""
    assert describe_change("test_relu", "cell_type", "code", "markdown") == (
        "cell test_relu was turned into a markdown cell: the grader put back the code cell"
    )


@pytest.mark.parametrize("attr", ["locked", "checksum", "source"])
def test_other_changes_name_the_cell_and_the_attribute(attr):
    """Does any other change name the cell and what changed, without the raw values?"""
    sentence = describe_change("setup", attr, "OLD-VALUE", "NEW-VALUE")
    assert sentence == f"cell setup was changed ({attr}): the grader put back the original"
