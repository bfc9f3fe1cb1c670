"""The kernel's answer, parsed strictly into plain values the grader can judge.

The text comes from a kernel the student controls, so nothing in it is trusted: it is parsed
as JSON only (never pickle, never eval), every part is checked against harness.py's wire format,
sizes are bounded, and anything unexpected makes the whole answer `garbled` (a failed
verification, never a crash of the grader). The answer key's and the catalogued mistakes'
results take the same road (`run_here`), so all three are compared in one form:

  numbers        float, int, bool, or np.ndarray (a numpy scalar becomes a 0-d array, keeping
                 its dtype); None; str
  containers     list, tuple, dict (str keys, in order)
  Opaque(what)   a value that is not numbers: what it was ("str", "Tensor", "nesting ...")
  TooBig(shape)  an array larger than the budget
"""

import json
import math
from dataclasses import dataclass

import numpy as np

from autograder.grader.verify import harness

MAX_NUMBERS = 100_000  # numbers an answer may hold (the largest right answer holds < 2,000)
MAX_DIMS = 32

# Answer statuses harness.py writes. "skipped" (an input the kernel did not try, after one
# that stopped the batch) is never judged: submission.py refuses it before the judge sees it.
STATUSES = {
    "returned",
    "raised",
    "missing",
    "not_callable",
    "timeout",
    "died",
    "too_long",
    "skipped",
}


@dataclass(frozen=True)
class Opaque:
    """A returned value that is not numbers; `what` names it."""

    what: str


@dataclass(frozen=True)
class TooBig:
    """A returned array past the number budget, reported by its shape only."""

    shape: tuple
    size: int


@dataclass(frozen=True)
class Raised:
    """An exception: its class's name and its bases' (most specific first), and its message."""

    types: tuple
    message: str

    @property
    def name(self):
        return self.types[0] if self.types else "an exception"


@dataclass(frozen=True)
class Outcome:
    """One call's result, as the judge sees it.

    status: one of STATUSES, or "garbled" (the answer broke the wire format; `detail` says how).
    value: the returned value (status "returned"); error: a Raised (status "raised").
    warnings: numpy's warnings during the call. args: the arguments after the call, when asked.
    detail: for not_callable the type found, for died the exit code, for timeout the limit.
    """

    status: str
    value: object = None
    error: Raised | None = None
    warnings: tuple = ()
    args: tuple | None = None
    detail: object = None


class Garbled(ValueError):
    """The answer does not follow the wire format."""


def parse(text):
    """The Outcome an answer's text describes; status "garbled" when it breaks the format."""
    try:
        if not isinstance(text, str):
            raise Garbled(f"the answer is a {type(text).__name__}, not text")
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as err:
            raise Garbled(f"the answer is not JSON ({type(err).__name__})") from None
        return _outcome(data)
    except Garbled as err:
        return Outcome("garbled", detail=str(err))


def _outcome(data):
    if not isinstance(data, dict) or data.get("status") not in STATUSES:
        raise Garbled("the answer has no known status")
    status = data["status"]
    if status in ("missing", "skipped"):
        return Outcome(status)
    if status == "not_callable":
        return Outcome(status, detail=_string(data.get("type")))
    if status == "too_long":
        return Outcome(status)
    if status == "timeout":
        seconds = data.get("seconds")
        if type(seconds) not in (int, float) or not 0 <= seconds <= 1e6:  # NaN fails too
            raise Garbled("the time limit is not a number of seconds")
        return Outcome(status, detail=seconds)
    if status == "died":
        code = data.get("exit")
        if code is not None and (type(code) is not int or abs(code) > 1 << 16):
            raise Garbled("the exit code is not a small integer")
        return Outcome(status, detail=code)
    budget = [MAX_NUMBERS]
    warned = data.get("warnings", [])
    if not isinstance(warned, list) or len(warned) > 5:
        raise Garbled("the warnings are not a short list")
    warnings = tuple(_string(w) for w in warned)
    args = None
    if "args" in data:
        args = _value(data["args"], budget, 0)
        if not isinstance(args, list):
            raise Garbled("the arguments after the call are not a list")
        args = tuple(args)
    if status == "raised":
        error = data.get("error")
        if not isinstance(error, dict) or not isinstance(error.get("types"), list):
            raise Garbled("the exception is not described")
        types = tuple(_string(t) for t in error["types"][:20])
        return Outcome(
            status,
            error=Raised(types, _string(error.get("message", ""))),
            warnings=warnings,
            args=args,
        )
    if "value" not in data:
        raise Garbled("the answer has no value")
    return Outcome(status, value=_value(data["value"], budget, 0), warnings=warnings, args=args)


def _string(value, limit=harness.MAX_TEXT):
    if not isinstance(value, str):
        raise Garbled("a text field is not text")
    return value[:limit]


def _value(data, budget, depth):
    """A wire value as a plain value; Garbled for anything off the format."""
    if depth > harness.MAX_DEPTH + 1:
        raise Garbled("the value is nested too deeply")
    if data is None or isinstance(data, bool | str):
        return data[: harness.MAX_TEXT] if isinstance(data, str) else data
    if isinstance(data, int | float):
        _spend(budget, 1)
        return data
    if not isinstance(data, dict) or len(data) != 1:
        raise Garbled("a value is neither plain nor one tagged object")
    ((tag, body),) = data.items()
    if tag == "ndarray":
        return _array(body, budget)
    if tag == "scalar":
        if not isinstance(body, dict):
            raise Garbled("a scalar is not described")
        return _array(
            {"dtype": body.get("dtype"), "shape": [], "data": [body.get("value")]}, budget
        )
    if tag in ("list", "tuple"):
        if not isinstance(body, list) or len(body) > harness.MAX_ITEMS:
            raise Garbled(f"a {tag} is not a list of at most {harness.MAX_ITEMS} items")
        items = [_value(item, budget, depth + 1) for item in body]
        return items if tag == "list" else tuple(items)
    if tag == "dict":
        if not isinstance(body, list) or len(body) > harness.MAX_ITEMS:
            raise Garbled("a dict is not a list of pairs")
        result = {}
        for pair in body:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise Garbled("a dict entry is not a [key, value] pair")
            result[_string(pair[0])] = _value(pair[1], budget, depth + 1)
        return result
    if tag == "opaque":
        return Opaque(_string(body))
    if tag == "too_big":
        if not isinstance(body, dict):
            raise Garbled("a too-big array is not described")
        shape = _shape(body.get("shape"))
        size = body.get("size")
        if type(size) is not int or size < 0:
            raise Garbled("a too-big array has no size")
        return TooBig(shape, size)
    raise Garbled(f"unknown tag {tag[:40]!r}")


def _spend(budget, count):
    budget[0] -= count
    if budget[0] < 0:
        raise Garbled(f"the answer holds more than {MAX_NUMBERS:,} numbers")


def _shape(shape):
    if not (isinstance(shape, list) and len(shape) <= MAX_DIMS):
        raise Garbled("a shape is not a short list")
    if not all(type(n) is int and 0 <= n < 2**63 for n in shape):
        raise Garbled("a shape holds something other than small whole numbers")
    return tuple(shape)


def _array(body, budget):
    if not isinstance(body, dict) or not isinstance(body.get("dtype"), str):
        raise Garbled("an array is not described")
    try:
        dtype = np.dtype(body["dtype"])
    except (TypeError, ValueError):
        raise Garbled("an array has an unknown dtype") from None
    if dtype.kind not in "biuf" or dtype.fields is not None:
        raise Garbled("an array's dtype is not numeric")
    shape = _shape(body.get("shape"))
    data = body.get("data")
    if not isinstance(data, list) or len(data) != math.prod(shape):
        raise Garbled("an array's data does not fit its shape")
    _spend(budget, len(data))
    if not all(type(x) in (int, float, bool) for x in data):
        raise Garbled("an array holds something other than numbers")
    try:
        with np.errstate(all="ignore"):
            return np.array(data, dtype=dtype).reshape(shape)
    except (ValueError, OverflowError, TypeError):
        raise Garbled("an array's numbers do not fit its dtype") from None


def run_here(fn, args_wire, return_args=False):
    """fn called in the grader's process on fresh copies of the wire inputs, as an Outcome.

    For the answer key and the catalogued mistakes: the same call and the same parsing as a
    student's stub gets, so the judge compares like with like.
    """
    args = [harness.from_wire(json.loads(json.dumps(arg))) for arg in args_wire]
    answer = harness.call(fn, args, return_args, MAX_NUMBERS, catch=Exception)
    return parse(json.dumps(answer))


def decode(wire):
    """A wire value (an input, say) as the judge sees values; Garbled if it breaks the format."""
    return _value(wire, [MAX_NUMBERS], 0)
