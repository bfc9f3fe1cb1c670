"""Does the character cap measure, trim and budget outputs as output_cap says? (no kernel)"""

import copy

from nbformat.v4 import new_output

from autograder.grader.output_cap import (
    DEFAULT_LIMIT,
    RICH_LIMIT,
    CellBudget,
    cut_note,
    is_text,
    output_size,
    trim_output,
)


def stream(text, name="stdout"):
    return new_output("stream", name=name, text=text)


def error(evalue, traceback, ename="AssertionError"):
    return new_output("error", ename=ename, evalue=evalue, traceback=traceback)


def result(data):
    return new_output("execute_result", data=data, execution_count=7)


def display(data):
    return new_output("display_data", data=data)


# ------------------------------------------------------------------ output_size


def test_a_streams_size_is_its_text():
    """Is a stream output measured by the characters of its text (not its bytes)?"""
    assert output_size(stream("héllo\n")) == 6
    assert output_size(stream("")) == 0


def test_an_errors_size_is_its_message_plus_traceback():
    """Is an error measured by evalue plus every traceback line, the ename not counted?"""
    out = error("e" * 12, ["a" * 30, "b" * 40, ""], ename="VeryLongExceptionName")
    assert output_size(out) == 12 + 30 + 40


def test_a_results_size_sums_every_representation():
    """Is a rich output measured by the sum over its mime types, non-strings as their str?"""
    assert output_size(display({"image/png": "P" * 500, "text/plain": "<Figure>"})) == 508
    widget = {"model_id": "abc", "version_major": 2}
    out = display({"application/vnd.jupyter.widget-view+json": widget})
    assert output_size(out) == len(str(widget))
    assert output_size(result({})) == 0


def test_what_counts_as_text():
    """Are stream, error and plain-text-only results text, and anything with rich data not?"""
    assert is_text(stream("x")) and is_text(error("v", []))
    assert is_text(result({"text/plain": "1"}))
    assert not is_text(result({"text/plain": "df", "text/html": "<table/>"}))
    assert not is_text(display({"image/png": "P"}))


# ------------------------------------------------------------------ trim_output


def test_an_output_within_budget_is_left_alone():
    """Does an output that fits its budget come back unchanged, with nothing cut?"""
    for out in (
        stream("x" * 100),
        error("v" * 10, ["t" * 90]),
        display({"image/png": "P" * 100}),
    ):
        before = copy.deepcopy(out)
        assert trim_output(out, 100) == 0
        assert out == before


def test_a_stream_keeps_its_first_characters():
    """Does a long stream keep exactly its first `budget` characters and report the rest cut?"""
    text = "".join(f"line {i}\n" for i in range(10_000))
    out = stream(text, name="stderr")
    assert trim_output(out, 1234) == len(text) - 1234
    assert out.text == text[:1234] and out.name == "stderr"


def test_an_error_keeps_its_message_and_the_first_traceback_lines():
    """Is a long traceback cut after the message, oldest lines first, to exactly the budget?"""
    evalue = "grad_W has the wrong sign"
    traceback = [f"frame {i}: " + "t" * 90 for i in range(50)]
    out = error(evalue, traceback)
    size = len(evalue) + sum(len(line) for line in traceback)
    budget = len(evalue) + 2 * len(traceback[0]) + 17
    assert trim_output(out, budget) == size - budget
    assert out.ename == "AssertionError" and out.evalue == evalue
    assert out.traceback == [traceback[0], traceback[1], traceback[2][:17]]


def test_an_error_whose_message_alone_is_too_long():
    """Is an over-long message cut to the budget and the traceback dropped entirely?"""
    out = error("m" * 500, ["t" * 100] * 3)
    assert trim_output(out, 200) == 500 + 300 - 200
    assert out.evalue == "m" * 200 and out.traceback == []


def test_a_plain_text_result_is_cut_like_text():
    """Is an execute_result holding only text/plain cut to the budget, count and metadata kept?"""
    text = repr("a" * 5000)
    out = result({"text/plain": text})
    assert trim_output(out, 300) == len(text) - 300
    assert out.data == {"text/plain": text[:300]}
    assert out.execution_count == 7 and out.output_type == "execute_result"


def test_rich_data_over_budget_is_replaced_by_a_note():
    """Is a too-large figure replaced by a one-line plain note, not cut into a broken PNG?"""
    out = display({"image/png": "P" * 5000, "text/plain": "<Figure size 640x480>"})
    trim_output(out, 1000)
    assert list(out.data) == ["text/plain"]
    assert "removed" in out.data["text/plain"] and "P" not in out.data["text/plain"]


def test_the_cut_count_of_replaced_rich_data_is_what_was_removed():
    """When rich data is replaced by the note, is every character of it counted as cut?"""
    data = {"text/html": "<b>" + "h" * 200 + "</b>", "text/plain": "<HTML>"}
    removed = sum(len(v) for v in data.values())
    assert trim_output(display(dict(data)), 100) == removed
    # Even a tiny output, once the rich allowance is spent, counts as cut, never as negative.
    assert trim_output(display({"text/html": "<i>x</i>"}), 0) == len("<i>x</i>")


# ------------------------------------------------------------------ CellBudget


def test_the_default_allowances():
    """Does a fresh budget hold the module's text and rich allowances, nothing cut yet?"""
    budget = CellBudget()
    assert budget.left == {True: DEFAULT_LIMIT, False: RICH_LIMIT} and budget.cut == 0
    assert DEFAULT_LIMIT < RICH_LIMIT


def test_many_small_outputs_add_up_to_the_cap():
    """Do 1,000 prints of 10 characters keep the first 250 characters in all, the rest cut?"""
    budget = CellBudget(limit=250, rich_limit=1000)
    outs = [stream(f"{i:09d}\n") for i in range(1000)]
    for out in outs:
        budget.take(out)
    assert "".join(o.text for o in outs) == "".join(f"{i:09d}\n" for i in range(25))
    assert budget.cut == 1000 * 10 - 250
    assert budget.left[True] == 0


def test_text_and_rich_allowances_are_separate():
    """Is a figure kept after the text allowance is spent, and text kept after rich is spent?"""
    budget = CellBudget(limit=100, rich_limit=1000)
    flood = stream("y" * 150)
    budget.take(flood)
    figure = display({"image/png": "P" * 1000})
    budget.take(figure)
    assert flood.text == "y" * 100 and figure.data["image/png"] == "P" * 1000
    second = display({"image/png": "Q" * 10})
    budget.take(second)
    assert "Q" not in str(second.data)
    assert budget.cut == 50 + 10
    other = CellBudget(limit=100, rich_limit=1000)
    other.take(display({"image/png": "P" * 1500}))
    line = stream("still here\n")
    other.take(line)
    assert line.text == "still here\n" and other.cut == 1500


def test_an_error_keeps_its_floor_after_prints_spent_the_allowance():
    """Does an error after a flood keep up to 2,000 characters, so its message survives?"""
    budget = CellBudget(limit=100, rich_limit=1000)
    budget.take(stream("p" * 150))
    small = error("v" * 50, ["t" * 50])
    budget.take(small)
    assert small.evalue == "v" * 50 and small.traceback == ["t" * 50]
    large = error("w" * 1_500, ["u" * 1_000])
    budget.take(large)
    assert large.evalue == "w" * 1_500 and large.traceback == ["u" * 500]
    assert budget.cut == 50 + 500


def test_a_short_result_survives_a_flood():
    """Does a cell's short final result (nbgrader's partial credit) survive spent text?"""
    budget = CellBudget(limit=100, rich_limit=1000)
    budget.take(stream("p" * 150))
    result = new_output("execute_result", data={"text/plain": "0.5"}, execution_count=1)
    budget.take(result)
    assert result.data == {"text/plain": "0.5"}


def test_the_cut_note_says_how_much():
    """Does the note name the number of characters cut, with thousands separators?"""
    note = cut_note(49_980_001)
    assert note.output_type == "stream" and note.name == "stdout"
    assert "49,980,001 characters" in note.text
