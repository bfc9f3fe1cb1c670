"""Does the checks engine (core, cases, catalogue, compare, warning_free) behave as every
lesson relies on, on small made-up stubs whose verdicts are written out by hand?"""

import numpy as np
import pytest

from autograder.checks.cases import Case, fresh
from autograder.checks.catalogue import Mistake, failure, mistake_named
from autograder.checks.compare import check_case, expect, fmt
from autograder.checks.core import CheckFailure, call_stub
from autograder.checks.warning_free import numpy_warnings, warning_free

DOUBLE = Case("pair", ([1.0, 2.0],), [2.0, 4.0], "x = [1, 2]")
CATALOGUE = {
    "double": (
        Mistake("halved", "this halves x.", [0.5, 1.0], on=("pair",)),
        Mistake("negated", "the sign is flipped.", lambda want: -want),
        Mistake("in_place", "x changed.", None),
    )
}


def verdict(got, case=DOUBLE, catalogue=CATALOGUE):
    with pytest.raises(CheckFailure) as info:
        expect(got, case, stub="double", catalogue=catalogue)
    return str(info.value), info.value.key


# ---------------------------------------------------------------- fmt


def test_fmt_keeps_any_array_on_one_line():
    """Nested arrays read as [[a, b], [c, d]] at 4 significant digits, -0 as 0."""
    assert fmt(np.array([[1.0, -0.0], [1 / 3, 2e26]])) == "[[1, 0], [0.3333, 2e+26]]"
    assert fmt(np.ones((2, 2, 2))) == "[[[1, 1], [1, 1]], [[1, 1], [1, 1]]]"
    assert fmt(0.87758256189, 6) == "0.877583"
    assert fmt([np.nan, np.inf]) == "[nan, inf]"


def test_fmt_shortens_a_large_array_to_its_first_entries_and_shape():
    assert fmt(np.arange(100.0).reshape(10, 10)) == "[0, 1, 2, 3, 4, 5, ...] (shape (10, 10))"


# ---------------------------------------------------------------- expect


def test_a_right_result_passes_within_the_tolerance():
    expect(np.array([2.0, 4.0 + 1e-9]), DOUBLE, stub="double", catalogue=CATALOGUE)


def test_a_stored_mistake_is_named_with_its_hint_and_the_numbers():
    assert verdict([0.5, 1.0]) == (
        "double: this halves x. (for x = [1, 2]: got [0.5, 1])",
        "halved",
    )


def test_a_related_mistake_is_named_from_the_right_answer():
    assert verdict([-2.0, -4.0]) == (
        "double: the sign is flipped. (for x = [1, 2]: got [-2, -4])",
        "negated",
    )


def test_a_mistake_is_tried_only_on_the_cases_it_is_on():
    """halved's numbers belong to the case "pair": on another case they name nothing."""
    other = Case("other", ([1.0, 2.0],), [2.0, 4.0], "another x = [1, 2]")
    message, key = verdict([0.5, 1.0], case=other)
    assert key is None and message.startswith("double is off for another x = [1, 2]: ")


def test_a_new_catalogue_entry_is_tried_without_any_other_change():
    """Adding one Mistake to the catalogue is all it takes for expect to name it."""
    grown = {"double": (*CATALOGUE["double"], Mistake("plus_one", "adds 1.", lambda w: w / 2 + 1))}
    assert verdict([2.0, 3.0])[1] is None
    assert verdict([2.0, 3.0], catalogue=grown)[1] == "plus_one"


def test_an_unexplained_result_gets_expected_got_and_the_largest_difference():
    assert verdict([2.0, 4.5]) == (
        "double is off for x = [1, 2]: expected [2, 4], got [2, 4.5] "
        "(largest difference 0.5 at index [1]).",
        None,
    )


def test_a_wrong_shape_is_named_with_the_fix():
    message, _ = verdict([[2.0, 4.0]])
    assert message == (
        "double is off for x = [1, 2]: expected shape (2,), got shape (1, 2). Check which axis "
        "you sum or reduce over, and compare with the docstring's shapes."
    )


def test_nan_where_the_answer_is_finite_points_at_exp_log_or_division():
    message, _ = verdict([np.nan, 4.0])
    assert message == (
        "double is off for x = [1, 2]: expected [2, 4], got [nan, 4] (nan or inf where the "
        "answer is finite). Look for an overflowing exp, a log of 0, or a division by 0."
    )


@pytest.mark.parametrize(
    ("got", "kind"), [("two, four", "str"), (np.array([2j, 4j]), "an array of complex128")]
)
def test_a_result_that_is_not_real_numbers_says_what_it_is(got, kind):
    assert verdict(got)[0] == f"double is off for x = [1, 2]: expected numbers, got {kind}."


def test_none_asks_for_the_return_statement():
    assert verdict(None) == (
        "double returned None: did you forget the `return` statement at the end?",
        "returned_none",
    )


def test_a_number_may_come_back_as_an_array_holding_it():
    loss = Case("one", ([0.5],), 0.25, "p = 0.5")
    expect(np.array([0.25]), loss, stub="loss", catalogue={})
    with pytest.raises(CheckFailure, match=r"expected one number, got an array of shape \(2,\)"):
        expect(np.array([0.25, 0.25]), loss, stub="loss", catalogue={})


STRUCTURED = Case(
    "net",
    (),
    {"probs": [0.5, 0.5], "cache": {"h": [np.zeros(2), np.ones(3)]}},
    "the net",
    returns=("probs", "cache"),
)


def structured_verdict(got):
    with pytest.raises(CheckFailure) as info:
        expect(got, STRUCTURED, stub="forward", catalogue={})
    return str(info.value)


def test_a_structure_is_compared_part_by_part_and_the_part_is_named():
    expect(([0.5, 0.5], {"h": [[0, 0], [1, 1, 1]], "extra": 1}), STRUCTURED, stub="f", catalogue={})
    assert structured_verdict(([0.5, 0.5], {"h": [[0, 0], [1, 1, 2]]})) == (
        "forward is off for the net, in cache['h'][1]: expected [1, 1, 1], got [1, 1, 2] "
        "(largest difference 1 at index [2])."
    )
    assert structured_verdict(([0.5, 0.5], {"h": [[0, 0]]})) == (
        "forward is off for the net, in cache['h']: expected a list of 2 arrays, got a list of 1."
    )
    assert structured_verdict(([0.5, 0.5], {"a": 1})) == (
        "forward is off for the net, in cache: expected the keys ['h'], got the keys ['a'] "
        "(missing ['h'])."
    )
    assert structured_verdict([0.5, 0.5]) == (
        "forward is off for the net, in probs: expected shape (2,), got shape (). Check which "
        "axis you sum or reduce over, and compare with the docstring's shapes."
    )
    assert structured_verdict("probs") == (
        "forward is off for the net: expected 2 values (probs, cache), got str. "
        "End with `return probs, cache`."
    )


# ---------------------------------------------------------------- cases, calls, lookups


def test_fresh_copies_and_keeps_integer_labels_integer():
    stored = {"W": [[1.0, 2.0]], "h": [np.zeros(2), np.ones(3)]}
    copy = fresh(stored)
    copy["h"][0][0] = 5.0
    assert stored["h"][0][0] == 0.0 and copy["W"].dtype == np.float64
    assert fresh([0, 1, 2]).dtype.kind == "i"
    assert fresh(0.5) == 0.5 and fresh("relu") == "relu" and fresh(np.sin) is np.sin


def test_check_case_hands_the_stub_a_copy_each_time():
    def double(x):
        out = 2 * x
        x[:] = 0  # scribbles on its argument
        return out

    assert check_case(double, DOUBLE, stub="double", catalogue=CATALOGUE).tolist() == [2, 4]
    assert DOUBLE.args == ([1.0, 2.0],)
    check_case(double, DOUBLE, stub="double", catalogue=CATALOGUE)


def test_an_error_in_the_stub_is_one_line_naming_the_error_and_the_shapes():
    def double(x, activation):
        raise ValueError("first line\n  second line")

    with pytest.raises(CheckFailure) as info:
        call_stub(double, np.zeros((2, 3)), "relu", name="double")
    assert str(info.value) == (
        "double(array of shape (2, 3), str) raised ValueError: first line second line. Read "
        "the docstring for the expected shapes, and run your function on this input by hand to "
        "find the line."
    )


def test_something_that_is_not_a_function_is_named():
    with pytest.raises(CheckFailure, match=r"^double should be a function, got int: define it"):
        call_stub(3, name="double")


def test_a_mistake_is_looked_up_by_key_and_a_missing_key_says_so():
    assert mistake_named(CATALOGUE, "double", "in_place").hint == "x changed."
    made = failure(CATALOGUE, "double", "in_place", "x came back as [0, 0]")
    assert (str(made), made.key) == ("double: x changed. (x came back as [0, 0])", "in_place")
    with pytest.raises(KeyError, match="no mistake 'halfed' for double"):
        mistake_named(CATALOGUE, "double", "halfed")


# ---------------------------------------------------------------- warnings


def noisy(x):
    return np.exp(x * 1000.0)


def test_warnings_are_caught_whatever_the_session_silenced():
    with np.errstate(all="ignore"):
        assert numpy_warnings(noisy, np.array([1.0])) == ["overflow encountered in exp"]
    assert numpy_warnings(noisy, np.array([-1.0])) == []  # underflow to 0 is fine


def test_a_warning_is_a_verdict_named_by_key_or_in_general():
    case = Case("big", ([1.0],), [np.inf], "x = [1]")
    with pytest.raises(CheckFailure) as info:
        warning_free(noisy, case, stub="double", catalogue=CATALOGUE, key="in_place")
    assert (
        str(info.value)
        == "double: x changed. (for x = [1]: numpy said 'overflow encountered in exp')"
    )
    with pytest.raises(
        CheckFailure, match=r"^double is right for x = \[1\] but emits a warning \("
    ):
        warning_free(noisy, case, stub="double")
    warning_free(noisy, Case("small", ([-1.0],), [0.0], "x = [-1]"), stub="double")
