"""Do the checks keep their import rule: the standard library, numpy and autograder.checks,
nothing else, so that they run in a student's folder with numpy alone?

Each test starts a fresh Python, imports there, and looks at sys.modules: what a module
loads, not what its source says it imports.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CHECKS = sorted(
    "autograder.checks" + ("" if p.stem == "__init__" else f".{p.stem}")
    for p in (ROOT / "autograder" / "checks").glob("*.py")
)


def fresh_python(code):
    """Run code in a new interpreter that finds this checkout first; return its stdout."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_there_are_checks_to_import():
    """Does the list below hold the engine and the six lessons (so the test is not empty)?"""
    engine = {"core", "compare", "cases", "catalogue", "warning_free"}
    lessons = {"chain_rule", "softmax", "cross_entropy", "output_layer", "hidden_layers"}
    assert {f"autograder.checks.{m}" for m in engine | lessons | {"full_network"}} < set(CHECKS)


@pytest.mark.parametrize("module", CHECKS)
def test_a_checks_module_loads_only_stdlib_numpy_and_the_checks(module):
    """Importing a checks module in a fresh Python adds no other top-level package to
    sys.modules (IPython included: it is only used when it is already running)."""
    out = fresh_python(
        "import json, sys\n"
        "before = set(sys.modules)\n"
        f"import {module}\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    loaded = json.loads(out)
    assert module in loaded
    foreign = [
        name
        for name in loaded
        if name.split(".")[0] not in (*sys.stdlib_module_names, "numpy")
        and name != "autograder"
        and not name.startswith("autograder.checks")
    ]
    assert foreign == [], f"{module} loads {foreign}"


def test_under_ipython_a_verdict_is_shown_without_a_traceback():
    """Imported inside a running IPython shell, do the checks register their display for
    CheckFailure (one line, no traceback), as a notebook's kernel needs?"""
    out = fresh_python(
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "from autograder.checks.core import CheckFailure\n"
        "print(CheckFailure in shell.custom_exceptions)\n"
    )
    assert out.strip() == "True"
