"""Does every lesson's check pass the answer key, name each catalogued mistake, give every
verdict in one shape, and are its cases and stored wrong answers true?

The generic half of every lesson's check tests, run over all six lessons and found from the
lessons' data (CASES, MISTAKES) and autograder/grader/mistakes/: adding a Mistake and its
implementation is all it takes to be tested here. What only one lesson needs (its stored right
numbers and their independent judges) stays in that lesson's test_<lesson>.py.

A class stub (lesson 01's Value, checked as "Value" and "Value_backward") is handed to its check
as a class, and its cases build small graphs with it: a Case's one argument is a function of
the class. Its mistakes are classes Value__<key>. What makes sense only for a function (a
forgotten `return`, a renamed copy) is left to test_chain_rule.py.
"""

import importlib
import inspect
import re
import types
import warnings

import numpy as np
import pytest

import reference as R
from autograder.checks.core import CheckFailure
from autograder.grader.verify.harness import owner

LESSONS = (
    "chain_rule",
    "softmax",
    "cross_entropy",
    "output_layer",
    "hidden_layers",
    "full_network",
)
CHECK_MODULES = {m: importlib.import_module(f"autograder.checks.{m}") for m in LESSONS}
MISTAKE_MODULES = {m: importlib.import_module(f"autograder.grader.mistakes.{m}") for m in LESSONS}


def checked_stubs(module):
    """The stubs a lesson's check module has a check_<stub> for, in source order."""
    C = CHECK_MODULES[module]
    return [
        name.removeprefix("check_")
        for name, fn in sorted(
            inspect.getmembers(C, inspect.isfunction), key=lambda f: f[1].__code__.co_firstlineno
        )
        if name.startswith("check_") and fn.__module__ == C.__name__
    ]


STUBS = [(module, stub) for module in LESSONS for stub in checked_stubs(module)]
CATALOG = [
    (module, stub, m.key)
    for module in LESSONS
    for stub, entries in CHECK_MODULES[module].MISTAKES.items()
    for m in entries
]


def is_class(stub):
    return inspect.isclass(getattr(R, owner(stub)))


def answer(stub):
    """The answer key's function (or class) for a stub."""
    return getattr(R, owner(stub))


FUNCTION_STUBS = [(module, stub) for module, stub in STUBS if not is_class(stub)]


def mistake(module, stub, key):
    return next(m for m in CHECK_MODULES[module].MISTAKES[stub] if m.key == key)


# Entries recognised by their numbers (the others have a test of their own in the check).
BY_NUMBERS = [row for row in CATALOG if mistake(*row).wrong is not None]


def check(module, stub):
    return getattr(CHECK_MODULES[module], f"check_{stub}")


def mistaken(module, stub, key):
    return getattr(MISTAKE_MODULES[module], f"{owner(stub)}__{key}")


def planted(fn, stub):
    """A copy of fn named like the stub, as a student's function would be (fn itself, shared
    by other tests, keeps its name). A class is handed over as it is."""
    if inspect.isclass(fn):
        return fn
    copy = types.FunctionType(fn.__code__, fn.__globals__, stub, fn.__defaults__, fn.__closure__)
    copy.__kwdefaults__ = fn.__kwdefaults__
    return copy


def ids(rows):
    return ["-".join(str(part) for part in row) for row in rows]


# ---------------------------------------------------------------- an independent comparison


def assert_same(got, want, where="result", atol=1e-9):
    """got equals want (the stored data) where want says something: dicts on want's keys,
    lists of arrays entry by entry, numbers with numpy's testing tolerance (atol: a case that
    declares a looser one, gradient_check's rounding-sized errors stored as 0, passes it).
    Written apart from compare.py, which is under test."""
    if isinstance(want, dict):
        assert isinstance(got, dict), f"{where}: {type(got).__name__} is not a dict"
        for k in want:
            assert k in got, f"{where} has no {k!r}"
            assert_same(got[k], want[k], f"{where}[{k!r}]", atol)
        return
    if isinstance(want, list | tuple) and any(isinstance(w, np.ndarray | dict) for w in want):
        assert len(got) == len(want), f"{where}: {len(got)} parts, expected {len(want)}"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_same(g, w, f"{where}[{i}]", atol)
        return
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    if want.ndim == 0:
        got = got.reshape(())  # a loss may come back as an array holding one number
    assert got.shape == want.shape, f"{where}: shape {got.shape}, expected {want.shape}"
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=atol, equal_nan=True, err_msg=where)


def same(got, want):
    try:
        assert_same(got, want)
    except AssertionError:
        return False
    return True


def result_of(fn, case):
    """fn on a fresh copy of the case's arguments, quietly, as the check sees the result (a
    class: the case's graph built with it)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = case.args[0](fn) if inspect.isclass(fn) else fn(*case.arguments())
    return dict(zip(case.returns, got, strict=True)) if case.returns else got


# ---------------------------------------------------------------- right and wrong stubs


@pytest.mark.parametrize(("module", "stub"), STUBS, ids=ids(STUBS))
def test_answer_key_passes_with_one_line(module, stub, capsys):
    """Does the reference implementation pass, printing exactly one line and nothing to stderr?"""
    check(module, stub)(answer(stub))
    out = capsys.readouterr()
    assert out.err == ""
    assert out.out.count("\n") == 1 and out.out.startswith("\u2713 " + stub), out.out


@pytest.mark.parametrize(("module", "stub", "key"), CATALOG, ids=ids(CATALOG))
def test_each_mistake_is_recognised(module, stub, key):
    """Does the check, run on the mistaken implementation, name exactly that mistake, in one
    line: "<stub>: <hint>", then the evidence in parentheses?"""
    wrong = planted(mistaken(module, stub, key), stub)
    with pytest.raises(CheckFailure) as info:
        check(module, stub)(wrong)
    message = str(info.value)
    assert info.value.key == key, message
    hint = mistake(module, stub, key).hint
    assert message == f"{stub}: {hint}" or (
        message.startswith(f"{stub}: {hint} (") and message.endswith(")")
    ), message
    assert "\n" not in message


@pytest.mark.parametrize(("module", "stub"), STUBS, ids=ids(STUBS))
def test_unimplemented_stub_is_named(module, stub):
    """Does a stub that still raises NotImplementedError get not_implemented and its name?"""

    def still_a_stub(*args):
        raise NotImplementedError()

    still_a_stub.__name__ = stub
    with pytest.raises(CheckFailure) as info:
        check(module, stub)(still_a_stub)
    assert info.value.key == "not_implemented"
    assert f"{stub} is not implemented yet" in str(info.value)


@pytest.mark.parametrize(("module", "stub"), FUNCTION_STUBS, ids=ids(FUNCTION_STUBS))
def test_stub_returning_none_is_asked_for_its_return(module, stub):
    """Does a stub that computes the answer but forgets `return` get returned_none, one
    sentence naming it?"""
    answer_key = getattr(R, stub)

    def forgot_return(*args):
        answer_key(*args)

    forgot_return.__name__ = stub
    with pytest.raises(CheckFailure) as info:
        check(module, stub)(forgot_return)
    assert info.value.key == "returned_none", str(info.value)
    assert str(info.value) == (
        f"{stub} returned None: did you forget the `return` statement at the end?"
    )


def test_in_place_stub_returning_none_is_asked_for_its_return():
    """Does a relu that clips its argument in place and returns nothing get returned_none too
    (call_stub leaves such a None to the check, and expect names it)?"""

    def relu(a):
        np.maximum(a, 0.0, out=a)

    with pytest.raises(CheckFailure) as info:
        CHECK_MODULES["hidden_layers"].check_relu(relu)
    assert info.value.key == "returned_none", str(info.value)
    assert str(info.value) == (
        "relu returned None: did you forget the `return` statement at the end?"
    )


# ---------------------------------------------------------------- one shape for every verdict


def nudged(value):
    """The answer key's result, every number moved by 1% + 0.01: a wrong answer no catalogue
    entry explains."""
    if isinstance(value, dict):
        return {k: nudged(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(nudged(v) for v in value)
    return np.asarray(value, dtype=np.float64) * 1.01 + 0.01


def variants(module, stub):
    """Stubs that provoke every kind of verdict: each catalogued mistake, an unrecognised wrong
    answer, a wrong shape, an error, a result that is not numbers, NotImplementedError, None."""
    answer_key = getattr(R, stub)

    def off(*args):
        return nudged(answer_key(*args))

    def flat(*args):
        result = answer_key(*args)
        return np.ravel(result)[:-1] if isinstance(result, np.ndarray) else (result, result)

    def raises(*args):
        raise ValueError("a message\nover two lines")

    def text(*args):
        return "not numbers"

    def unimplemented(*args):
        raise NotImplementedError()

    def forgot_return(*args):
        answer_key(*args)

    made = {f"mistake {key}": mistaken(module, stub, key) for _, s, key in CATALOG if s == stub}
    made.update(
        off=off, flat=flat, raises=raises, text=text, unimplemented=unimplemented,
        forgot_return=forgot_return,
    )  # fmt: skip
    return {name: planted(fn, stub) for name, fn in made.items()}


VERDICTS = [
    (module, stub, name) for module, stub in FUNCTION_STUBS for name in variants(module, stub)
]


@pytest.mark.parametrize(("module", "stub", "variant"), VERDICTS, ids=ids(VERDICTS))
def test_every_verdict_is_one_line_in_one_shape(module, stub, variant):
    """Is every verdict one line, starting with the stub's name, in one of the shapes
    "<stub>: <hint> (...)", "<stub> is off for <input>: expected ..., got ...", or a sentence
    about the call itself ("<stub> is not implemented yet: ...", "<stub>(...) raised ...")?"""
    fn = variants(module, stub)[variant]
    with pytest.raises(CheckFailure) as info:
        check(module, stub)(fn)
    message, key = str(info.value), info.value.key
    assert "\n" not in message and message == message.strip(), message
    s = re.escape(stub)
    hints = {m.key: m.hint for m in CHECK_MODULES[module].MISTAKES[stub]}
    if key in hints:
        assert re.fullmatch(rf"{s}: {re.escape(hints[key])}( \(.+\))?", message), message
    elif variant in ("off", "flat", "text"):
        off = rf"{s} is off for .+: expected .+, got .+[.)]"
        assert re.fullmatch(off, message), message
        if variant == "off":
            assert re.search(r"\(largest difference \S+( at index \[[\d, ]+\])?\)\.$", message)
    else:
        call = rf"{s}( is not implemented yet: | returned None: |\(.*\) raised ).+[.?]"
        assert re.fullmatch(call, message), message


# ---------------------------------------------------------------- the lessons' data


@pytest.mark.parametrize("module", LESSONS)
def test_catalog_and_mistaken_implementations_match(module):
    """Has every checked stub cases and >= 3 entries with distinct keys, and every entry a
    mistaken implementation (defined in the mistakes module itself, with the stub's signature)
    and vice versa?"""
    C, M = CHECK_MODULES[module], MISTAKE_MODULES[module]
    stubs = checked_stubs(module)
    assert set(C.MISTAKES) == set(stubs) == set(C.CASES)
    for stub in stubs:
        keys = [m.key for m in C.MISTAKES[stub]]
        assert len(keys) >= 3, stub
        assert len(set(keys)) == len(keys), stub
    members = inspect.getmembers(M, inspect.isfunction) + inspect.getmembers(M, inspect.isclass)
    assert all(fn.__module__ == M.__name__ for _, fn in members)
    implemented = {name for name, _ in members if "__" in name}
    assert implemented == {f"{owner(s)}__{k}" for m, s, k in CATALOG if m == module}
    for _, stub, key in (row for row in CATALOG if row[0] == module):
        if is_class(stub):
            continue  # a class: its methods are the right engine's, one of them changed
        got = inspect.signature(mistaken(module, stub, key))
        assert got == inspect.signature(getattr(R, stub)), f"{stub}__{key}"


CASES = [
    (module, stub, case.name)
    for module in LESSONS
    for stub, cases in CHECK_MODULES[module].CASES.items()
    for case in cases
]


def case_named(module, stub, name):
    return next(c for c in CHECK_MODULES[module].CASES[stub] if c.name == name)


@pytest.mark.parametrize(("module", "stub", "case"), CASES, ids=ids(CASES))
def test_each_case_is_the_answer_keys(module, stub, case):
    """Does the answer key, given the case's arguments, return the case's right answer (so
    that every input is paired with its own answer)?"""
    case = case_named(module, stub, case)
    assert_same(result_of(answer(stub), case), case.want, atol=max(case.atol, 1e-9))


@pytest.mark.parametrize("module", LESSONS)
def test_case_names_are_unique_and_mistakes_name_real_cases(module):
    """Are a stub's case names distinct, and is every name in a Mistake's `on` one of them?"""
    C = CHECK_MODULES[module]
    for stub, cases in C.CASES.items():
        names = [c.name for c in cases]
        assert len(set(names)) == len(names), stub
        for m in C.MISTAKES[stub]:
            assert set(m.on or ()) <= set(names), (stub, m.key, m.on)


@pytest.mark.parametrize(("module", "stub", "key"), BY_NUMBERS, ids=ids(BY_NUMBERS))
def test_stored_wrong_answers_are_the_mistaken_implementations(module, stub, key):
    """On every case a mistake is tried on, is its stored (or related) wrong answer what the
    mistaken implementation returns there, unless that implementation is right there (or
    raises, which the check reports as such)? And does it show on at least one case?"""
    m = mistake(module, stub, key)
    tried = [c for c in CHECK_MODULES[module].CASES[stub] if m.on is None or c.name in m.on]
    shown = 0
    for case in tried:
        # a relation must work on every case it is tried on, whatever the student returned
        wrong = m.wrong(numbers(case.want)) if callable(m.wrong) else m.wrong
        try:
            got = result_of(mistaken(module, stub, key), case)
        except Exception:
            continue
        if same(got, case.want):
            continue
        assert_same(got, wrong, f"{stub}__{key} on {case.name}", atol=max(case.atol, 1e-9))
        shown += 1
    assert shown, f"{stub}__{key} gives no wrong answer on the cases {[c.name for c in tried]}"


def numbers(value):
    """Stored data as float arrays, the way relations are given the right answer."""
    if isinstance(value, dict):
        return {k: numbers(v) for k, v in value.items()}
    if isinstance(value, list | tuple) and any(isinstance(v, np.ndarray | dict) for v in value):
        return [numbers(v) for v in value]
    return np.asarray(value, dtype=np.float64)
