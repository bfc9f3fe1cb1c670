"""Cheats a student could add to lesson 04's notebook: each is one code cell.

Every one of them was tried against grading that trusts the kernel (issue 14): they replace
the checks, numpy's comparisons or the import machinery, or use IPython's own hooks to blank
test cells, swallow failures or print a score. `raw` says what each does to nbgrader's
output-based score (determine_grade on the executed notebook before the grader's verdicts):

  "more"    it beats output-based grading (the cheat is real);
  "same"    it gains nothing even there (aimed at hidden tests, which are gone, or at the
            grader's own code in the kernel);
  "crash"   nbgrader's determine_grade itself raises on the notebook.

where: "first" (before the lesson's set-up cell: an import hook must be in place before the
checks are imported), "after_setup", or "last" (after every cell of the lesson).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Cheat:
    source: str
    raw: str
    where: str = "after_setup"


CHEATS = {
    "replace_checks": Cheat(
        """
check_linear_forward = check_linear_backward = lambda fn, **parts: print("\u2713 all good")
""",
        "more",
    ),
    "patch_the_check_module": Cheat(
        """
import sys
checks = sys.modules["autograder.checks.output_layer"]
checks.expect = lambda *args, **kwargs: None
""",
        "more",
    ),
    "patch_numpy_comparisons": Cheat(
        """
import numpy
always = lambda a, b, *args, **kwargs: numpy.ones(numpy.broadcast(a, b).shape, dtype=bool)
numpy.allclose = lambda *args, **kwargs: True
numpy.isclose = always
numpy.array_equal = lambda *args, **kwargs: True
numpy.testing.assert_allclose = lambda *args, **kwargs: None
numpy.testing.assert_array_equal = lambda *args, **kwargs: None
""",
        "more",
    ),
    "import_hook": Cheat(
        """
import builtins, types
real_import = builtins.__import__

def quiet_import(name, globals=None, locals=None, fromlist=(), level=0):
    module = real_import(name, globals, locals, fromlist, level)
    if name.startswith("autograder.checks"):
        fake = types.ModuleType(name)
        for attr in dir(module):
            value = getattr(module, attr)
            setattr(fake, attr, (lambda fn, **parts: None) if attr.startswith("check_") else value)
        return fake
    if name == "reference":  # the answer key, as the hidden tests imported it
        fake = types.ModuleType(name)
        fake.linear_backward = lambda *args: linear_backward(*args)
        return fake
    return module

builtins.__import__ = quiet_import
""",
        "more",
        where="first",
    ),
    "swallow_failures": Cheat(
        """
import sys

def swallow(shell, etype, value, tb, tb_offset=None):
    frame = sys._getframe(1)
    while frame is not None:  # clear the failure IPython is about to report
        result = frame.f_locals.get("result")
        if hasattr(result, "error_in_exec"):
            result.error_in_exec = None
        frame = frame.f_back
    return []

get_ipython().set_custom_exc((Exception,), swallow)
""",
        "more",
    ),
    "blank_test_cells": Cheat(
        """
def blank_tests(lines):
    return [] if any(line.startswith("check_") for line in lines) else lines

get_ipython().input_transformers_cleanup.append(blank_tests)
""",
        "more",
    ),
    "swap_checks_before_each_cell": Cheat(
        """
import sys, types

def swap(info):
    fake = types.ModuleType("autograder.checks.output_layer")
    fake.check_linear_forward = fake.check_linear_backward = lambda fn, **parts: None
    sys.modules["autograder.checks.output_layer"] = fake
    get_ipython().user_ns.update(
        check_linear_forward=fake.check_linear_forward,
        check_linear_backward=fake.check_linear_backward,
    )

get_ipython().events.register("pre_run_cell", swap)
""",
        "more",
    ),
    "partial_credit_first": Cheat(
        """
def credit(info):
    # An execute_result before the check's error: determine_grade reads the first one.
    if info.raw_cell.startswith('\"\"\"'):
        get_ipython().displayhook(2 if "linear_backward" in info.raw_cell else 4)

get_ipython().events.register("pre_run_cell", credit)
""",
        "more",
    ),
    "partial_credit_too_much": Cheat(
        """
def credit(info):
    if info.raw_cell.startswith('\"\"\"'):
        get_ipython().displayhook(999)

get_ipython().events.register("pre_run_cell", credit)
""",
        "crash",
    ),
    "read_history_and_frames": Cheat(
        """
import inspect, os

def snoop(info):
    # Whatever the kernel ever ran or holds, printed into the student's own feedback.
    print([cell for cell in In if "reference" in cell or "HIDDEN" in cell])
    print([f.frame.f_code.co_name for f in inspect.stack()])
    print(sorted(os.listdir(".")))

get_ipython().events.register("post_run_cell", snoop)
""",
        "same",
    ),
    "forge_the_grader_answers": Cheat(
        """
import builtins, json
real_exec = builtins.exec

def forging_exec(source, globals=None, locals=None, *rest):
    request = globals.get("REQUEST", "") if isinstance(globals, dict) else ""
    if '"stub": "linear_backward"' in request:  # the grader's code: answer in its place
        answer = {"status": "returned", "warnings": [], "value": {"tuple": [0.0, 0.0, 0.0]}}
        count = len(json.loads(request)["cases"])  # one well-formed answer for every input
        reply = {"answers": [json.dumps(answer)] * count}
        forged = "publish(" + repr(json.dumps(reply)) + ")"
        source = source.replace("publish(serve(REQUEST, NAMESPACE))", forged)
    return real_exec(source, globals, locals, *rest)

builtins.exec = forging_exec
""",
        "same",
    ),
    "no_fork": Cheat(
        """
import os
del os.fork  # the grader's calls then run in the kernel itself
""",
        "same",
    ),
}

# Closed by the jail: outside it, the grading kernel could import the answer key (the editable
# install puts it on the path) and a stub cell importing the answer key's function would be
# verified as right; in the jail `import reference` fails. This replaces the linear_backward
# cell.
ANSWER_KEY_STUB = "from reference import linear_backward\n"
