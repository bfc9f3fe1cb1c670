"""Does reading a submission refuse files past the limits, with the limit and the fix named?
(no kernel)

Expected counts are those written into each file by the test itself.
"""

import json
import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.grader.steps import ReadSubmission
from autograder.grader.submission import Unreadable, read_or_explain, read_submission
from autograder.grader.submission_limits import MB, SubmissionLimits, source_length


def write(tmp_path, cells, name="lesson.ipynb"):
    nb = new_notebook(cells=cells)
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def refusal(path, limits):
    with pytest.raises(Unreadable) as caught:
        read_submission(path, limits)
    return str(caught.value)


def test_a_file_past_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    """Is a 1.5 MB file refused at a 1 MB limit, with its size, and without reading it?"""
    path = write(tmp_path, [new_markdown_cell("a" * 1_500_000)])
    size = path.stat().st_size
    assert 1_500_000 < size < 1_600_000
    read = []
    monkeypatch.setattr(type(path), "read_text", lambda *a, **k: read.append(a) or "")
    message = refusal(path, SubmissionLimits(max_bytes=1 * MB))
    assert message.startswith(f"lesson.ipynb is {size / MB:.1f} MB, more than the 1 MB")
    assert "clear its outputs" in message
    assert read == []


def test_a_file_just_under_the_size_limit_is_read(tmp_path):
    path = write(tmp_path, [new_markdown_cell("a" * 900_000)])
    nb = read_submission(path, SubmissionLimits(max_bytes=1 * MB))
    assert len(nb.cells[0].source) == 900_000


def test_too_many_cells_are_refused_with_their_count(tmp_path):
    """1,001 cells at a limit of 1,000: refused, the sentence counts them; 1,000 are read."""
    path = write(tmp_path, [new_code_cell("x = 1") for _ in range(1001)])
    message = refusal(path, SubmissionLimits(max_cells=1000))
    assert message.startswith("lesson.ipynb has 1,001 cells, more than the 1,000")
    assert "delete the cells you added" in message
    path = write(tmp_path, [new_code_cell("x = 1") for _ in range(1000)])
    assert len(read_submission(path, SubmissionLimits(max_cells=1000)).cells) == 1000


def test_too_much_source_is_refused_across_cells(tmp_path):
    """Three cells of 40,000 characters pass 100,000 together: refused; two of them are read."""
    cells = [new_code_cell("#" * 40_000) for _ in range(3)]
    message = refusal(write(tmp_path, cells), SubmissionLimits(max_source_chars=100_000))
    assert message.startswith("lesson.ipynb holds more than 100,000 characters")
    assert "remove pasted data" in message
    nb = read_submission(write(tmp_path, cells[:2]), SubmissionLimits(max_source_chars=100_000))
    assert len(nb.cells) == 2


def test_a_million_source_lines_are_refused_quickly(tmp_path):
    """The issue's cell of 10^6 lines (tens of MB of feedback) is refused in well under 5 s."""
    path = write(tmp_path, [new_code_cell("x = 1\n" * 1_000_000)])
    start = time.perf_counter()
    _, reason = read_or_explain(path, ReadSubmission().limits())
    assert time.perf_counter() - start < 5
    assert f"more than {ReadSubmission().max_source_chars:,} characters" in reason


def test_source_as_a_list_of_lines_counts_the_same(tmp_path):
    """JSON may hold a source as a list of lines: are its characters counted as the string's?"""
    data = json.loads(nbformat.writes(new_notebook(cells=[new_code_cell("")])))
    data["cells"][0]["source"] = ["a = 1\n", "b = 22\n"]
    assert source_length(data["cells"][0]) == len("a = 1\nb = 22\n")
    assert source_length("not a cell") == 0
    assert source_length({"source": 3}) == 0


def test_no_limits_read_as_before(tmp_path):
    path = write(tmp_path, [new_code_cell("x = 1") for _ in range(3)])
    assert len(read_submission(path).cells) == 3
    assert len(read_submission(path, SubmissionLimits()).cells) == 3


def test_the_default_limits_leave_every_lesson_far_inside():
    """Are the lessons under 1/7 of every default limit (files as handed out, no outputs)?"""
    from autograder.grader.course import TEMPLATE, Course

    course = Course.open(TEMPLATE)
    limits = ReadSubmission().limits()
    for lesson in course.lessons():
        path = course.notebook("source", lesson)
        data = json.loads(path.read_text())
        assert path.stat().st_size * 7 < limits.max_bytes
        assert len(data["cells"]) * 7 < limits.max_cells
        assert sum(source_length(c) for c in data["cells"]) * 7 < limits.max_source_chars
