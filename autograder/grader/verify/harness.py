"""The short piece of code the grader runs inside a student's kernel: call one stub, report.

protocol.py sends this file's source with every request and runs it in a namespace of its own,
so it leaves no name behind in the student's. One request asks for one stub on all of its
inputs (a batch): each input is tried in a forked child process of its own, with its own time
limit and answer budget, so a stub that exits, crashes or hangs on one input takes down (or
holds up) only that child, never the kernel, and leaves the notebook's state as it was for the
next input. After an input that hung, ended its process or answered too much, the rest of the
batch is skipped (the grader stops judging a stub there anyway, and a hang would cost each).

Everything this code reports is untrusted: student code owns the kernel and may have replaced
any of it. The grader parses the answers strictly (protocol.unpack, answers.py) and judges
them in its own process (judge.py). The grader imports this module too: it writes the inputs in
this wire format, and passes the answer key's and the catalogued mistakes' results through the
same `call`, so that all three are compared in one form.

Request (JSON): {"stub", "cases": [[wire args], ...], "return_args", "max_numbers",
"timeout" (seconds per input)}. A class stub goes through its driver (DRIVEN, below).
Reply (JSON): {"answers": [text, ...]}, one answer's JSON text per case, in order, each
{"status": ...} as `call` and `call_in_child` write it, or {"status": "skipped"}; the whole
reply holds at most MAX_BATCH_CHARS characters.

Wire format, JSON (non-finite floats as NaN / Infinity):
  null, true/false, numbers, strings         themselves
  {"ndarray": {"dtype", "shape", "data"}}    a numeric array, data flattened in C order
  {"scalar": {"dtype", "value"}}             a numpy scalar (np.float64(0.5), np.int64(3))
  {"list": [...]}, {"tuple": [...]}          sequences
  {"dict": [[key, value], ...]}              a dict with str keys, in its order
  {"function": {"name", "A"}}                inputs only: a function built by make_function
  {"opaque": "type name"}                    answers only: a value that is none of the above
  {"too_big": {"shape", "size"}}             answers only: an array past the number budget
numpy and the standard library only: it must run in any student's kernel.
"""

import json
import os
import select
import signal
import sys
import time
import warnings

import numpy as np

MAX_ITEMS = 1000  # entries of one list or dict reported
MAX_DEPTH = 8  # nesting reported
MAX_TEXT = 300  # characters of an error message or warning
MAX_ANSWER_BYTES = 3_000_000  # what one child may send back before it is cut off
MAX_BATCH_CHARS = 3_500_000  # the whole reply to one request (protocol.py allows a little more)
STOP_AFTER = ("timeout", "died", "too_long")  # after these, the rest of a batch is skipped
SKIPPED = '{"status": "skipped"}'


# ---------------------------------------------------------------- functions sent as inputs


def make_function(spec):
    """A scalar function for numeric_derivative / numeric_gradient, from its wire spec.

    spec: {"name": "sin" | "exp" | "cubic"} (elementwise, any shape) or
          {"name": "weighted_sin_norm", "A": array}: X -> sum(sin(X) * A) + (sum X^2)^1.5,
          a number for X of A's shape.
    """
    name = spec["name"]
    if name == "sin":
        return np.sin
    if name == "exp":
        return np.exp
    if name == "cubic":
        return lambda t: t**3 - 2 * t
    if name == "weighted_sin_norm":
        A = from_wire(spec["A"])
        return lambda X: float(np.sum(np.sin(X) * A) + np.sum(X**2) ** 1.5)
    raise ValueError(f"unknown function {name!r}")


# ---------------------------------------------------------------- classes, through drivers

GRAPH_OPS = {  # op name -> what it does to its operands (Values, or numbers for constants)
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "sub": lambda a, b: a - b,
    "div": lambda a, b: a / b,
    "pow": lambda a, k: a**k,
    "neg": lambda a: -a,
    "exp": lambda a: a.exp(),
    "log": lambda a: a.log(),
    "relu": lambda a: a.relu(),
}


def run_graph(Value, program):
    """Build a graph from `program` with the class `Value`; read every node's data or grad.

    program: {"leaves": [numbers], "ops": [[op, operand, ...], ...], "read": "data" | "grad",
    "backward": how many times the last node's backward() runs before grads are read}.
    An operand is an int, the index of an earlier node (leaves first, then one node per op),
    or a float, a plain number (`v + 2.0`, or `2.0 - v` when it comes first).
    Returns {"v0.data": float, ...} (or "v0.grad"), one entry per node in order.
    """
    nodes = [Value(x) for x in program["leaves"]]
    for op, *operands in program["ops"]:
        args = [nodes[x] if type(x) is int else x for x in operands]
        nodes.append(GRAPH_OPS[op](*args))
    read = program["read"]
    for _ in range(program.get("backward", 0)):
        nodes[-1].backward()
    return {f"v{i}.{read}": float(getattr(node, read)) for i, node in enumerate(nodes)}


DRIVEN = {  # stub -> (the class the student defines, the driver that exercises it)
    "Value": ("Value", run_graph),
    "Value_backward": ("Value", run_graph),
}


def owner(stub):
    """The name the student defines for `stub`: 'Value' for 'Value_backward', else stub."""
    return DRIVEN[stub][0] if stub in DRIVEN else stub


def resolve(stub, namespace):
    """What the grader calls for `stub`: namespace's function, or its class behind a driver.

    Raises KeyError when the namespace does not define the stub (or its class).
    """
    if stub not in DRIVEN:
        return namespace[stub]
    name, driver = DRIVEN[stub]
    target = namespace[name]
    if not callable(target):
        return target  # reported as not callable, like a function stub that is not one
    return lambda *args: driver(target, *args)


# ---------------------------------------------------------------- the wire format


def from_wire(data):
    """Python and numpy values from their wire form (inputs, written by the grader)."""
    if isinstance(data, dict):
        ((tag, body),) = data.items()
        if tag == "ndarray":
            return np.array(body["data"], dtype=body["dtype"]).reshape(body["shape"])
        if tag == "scalar":
            return np.dtype(body["dtype"]).type(body["value"])
        if tag == "list":
            return [from_wire(item) for item in body]
        if tag == "tuple":
            return tuple(from_wire(item) for item in body)
        if tag == "dict":
            return {key: from_wire(value) for key, value in body}
        if tag == "function":
            return make_function(body)
        raise ValueError(f"unknown wire tag {tag!r}")
    return data


def to_wire(value, budget, depth=0):
    """The wire form of a value a stub returned.

    budget: [values still allowed], shared by the whole answer: every value costs 1, an array
    its size, so no answer grows past it (what does not fit is reported by its shape or type).
    """
    budget[0] -= 1
    if budget[0] < 0:
        return {"opaque": "more values than the grader reads"}
    if depth > MAX_DEPTH:
        return {"opaque": f"nesting deeper than {MAX_DEPTH} levels"}
    if value is None or isinstance(value, bool | str):
        return value if not isinstance(value, str) else value[:MAX_TEXT]
    if isinstance(value, int | float) and type(value) in (int, float):
        if isinstance(value, int) and abs(value) >= 2**53:
            return {"opaque": "int too large for a float"}
        return value
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return {"scalar": {"dtype": value.dtype.name, "value": _plain(np.asarray(value))}}
    if isinstance(value, np.ndarray):
        array = np.asarray(value)  # a subclass (np.matrix) as a plain array
        if array.dtype.kind not in "biuf":
            return {"opaque": f"array of dtype {array.dtype}"}
        if array.size > budget[0]:
            return {"too_big": {"shape": list(array.shape), "size": int(array.size)}}
        budget[0] -= array.size
        return {
            "ndarray": {
                "dtype": array.dtype.name,
                "shape": list(array.shape),
                "data": _plain(array.ravel()),
            }
        }
    if type(value) in (list, tuple):
        if len(value) > MAX_ITEMS:
            return {"opaque": f"{type(value).__name__} of {len(value)} items"}
        items = []
        for item in value:
            items.append(to_wire(item, budget, depth + 1))
            if budget[0] < 0:  # the rest would only repeat "more values than ..."
                break
        return {type(value).__name__: items}
    if type(value) is dict:
        if len(value) > MAX_ITEMS:
            return {"opaque": f"dict of {len(value)} items"}
        pairs = []
        for key, item in value.items():
            key = key[:MAX_TEXT] if type(key) is str else f"<{type(key).__name__} key>"
            pairs.append([key, to_wire(item, budget, depth + 1)])
            if budget[0] < 0:
                break
        return {"dict": pairs}
    return {"opaque": type(value).__name__[:MAX_TEXT]}


def _plain(array):
    """Python numbers from a numeric array (a long double as a float, so JSON can hold it)."""
    if array.dtype.kind == "f":
        array = array.astype(np.float64)
    return array.tolist()


def _text(thing):
    try:
        return str(thing)[:MAX_TEXT]
    except BaseException:  # a hostile __str__
        return "<unprintable>"


# ---------------------------------------------------------------- one call


def call(fn, args, return_args, max_numbers, catch=BaseException):
    """fn(*args) in this process; the answer as a dict of wire values.

    {"status": "returned", "value", "warnings", ["args"]} or {"status": "raised", "error":
    {"types": the exception's class and its bases, "message"}, "warnings"}. numpy's warnings
    are recorded as the default settings give them (an overflow warns, an underflow does not),
    whatever the notebook set. With return_args, "args" holds the arguments after the call, to
    show whether the stub changed them in place. catch: what counts as the function's own
    failure (in the kernel, anything; the grader's own calls leave Ctrl-C alone).
    """
    budget = [max_numbers]
    with (
        warnings.catch_warnings(record=True) as caught,
        np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"),
    ):
        warnings.simplefilter("always")
        try:
            value = fn(*args)
        except catch as err:  # in the kernel, KeyboardInterrupt and SystemExit are the stub's
            answer = {
                "status": "raised",
                "error": {
                    "types": [cls.__name__ for cls in type(err).__mro__][:20],
                    "message": _text(err),
                },
            }
        else:
            answer = {"status": "returned", "value": to_wire(value, budget)}
    answer["warnings"] = [_text(w.message) for w in caught[:5]]
    if return_args:
        answer["args"] = to_wire(list(args), budget)
    return answer


class _Sink:
    """Where a stub's prints go: nowhere (they are no part of the answer)."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


def call_in_child(fn, args, return_args, max_numbers, timeout, max_bytes=MAX_ANSWER_BYTES):
    """call() in a forked child process; (the answer as JSON text, its status if this process
    wrote it: "timeout", "too_long", "died"; None when the child's answer is passed on).

    The child gets the notebook's state as it was and sends its answer through a pipe. A child
    that exits, dies of a signal, runs past `timeout` seconds or sends more than `max_bytes`
    is reported as such (and killed); the kernel itself is never touched.
    """
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():  # Python 3.12+ warns about forking a threaded process;
        warnings.simplefilter("ignore", DeprecationWarning)  # the child runs one thread only
        pid = os.fork()
    if pid == 0:  # the child: answer, then leave without running any clean-up of the kernel's
        status = 0
        try:
            os.close(read_end)
            sys.stdout = sys.stderr = _Sink()
            data = json.dumps(call(fn, args, return_args, max_numbers)).encode()
            while data:
                data = data[os.write(write_end, data) :]
        except BaseException:
            status = 70
        finally:
            os._exit(status)
    os.close(write_end)
    chunks, size, answer = [], 0, None
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                answer = {"status": "timeout", "seconds": timeout}
                break
            ready, _, _ = select.select([read_end], [], [], left)
            if ready:
                chunk = os.read(read_end, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    answer = {"status": "too_long", "bytes": size}
                    break
    finally:
        os.close(read_end)
        if answer is not None:
            os.kill(pid, signal.SIGKILL)
        try:
            _, wait_status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(wait_status)
        except ChildProcessError:  # SIGCHLD ignored: the child was reaped already
            code = None
    if answer is not None:
        return json.dumps(answer), answer["status"]
    if not chunks or code != 0:
        return json.dumps({"status": "died", "exit": code}), "died"
    return b"".join(chunks).decode(), None


def serve(request_text, namespace):
    """The kernel side of one request: its stub, looked up by name, called on every case;
    the reply's JSON text, {"answers": [one answer's JSON text per case]}.

    A class stub ("Value_backward") is looked up by its class's name and called through its
    driver (DRIVEN), which is this module's, never the student's.
    """
    request = json.loads(request_text)
    cases = request["cases"]
    try:
        fn = resolve(request["stub"], namespace)
    except KeyError:
        return _reply([json.dumps({"status": "missing"})], len(cases))
    if not callable(fn):
        found = {"status": "not_callable", "type": type(fn).__name__[:MAX_TEXT]}
        return _reply([json.dumps(found)], len(cases))
    options = (request["return_args"], request["max_numbers"])
    texts, left = [], MAX_BATCH_CHARS - 2 * len(cases) - 20  # the reply's own brackets
    for wire_args in cases:
        args = [from_wire(arg) for arg in wire_args]
        if not hasattr(os, "fork"):
            answer = call(fn, args, *options)
            text, status = json.dumps(answer), None
            if "KeyboardInterrupt" in answer.get("error", {}).get("types", ()):
                status = "timeout"  # the grader interrupted a hung call: stop, as after one
        else:
            limit = min(MAX_ANSWER_BYTES, left)
            text, status = call_in_child(fn, args, *options, request["timeout"], limit)
        size = len(json.dumps(text))  # as it will stand in the reply, escapes and all
        if size > left:
            text, status = json.dumps({"status": "too_long", "bytes": size}), "too_long"
            size = len(json.dumps(text))
        left -= size + 2
        texts.append(text)
        if status in STOP_AFTER:
            break
    return _reply(texts, len(cases))


def _reply(texts, count):
    """The reply's JSON text: `texts`, then SKIPPED for each case not tried."""
    return json.dumps({"answers": texts + [SKIPPED] * (count - len(texts))})


ANSWER_MIME = "application/x.backprop-verify+text"  # the display output that carries the answer


def publish(text):
    """Send the answer to the grader as a display output of its own MIME type."""
    from IPython.display import publish_display_data

    publish_display_data({ANSWER_MIME: text})
