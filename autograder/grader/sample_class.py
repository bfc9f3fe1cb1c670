"""A class of sample submissions, for the grading demo, its tests and the benchmark.

Every submission is built from the course's own notebooks: the released (student) version with
its stubs filled in from the solution, then one thing changed: a stub replaced by a known
mistaken implementation (autograder/grader/mistakes/, the same code the checks are tested on),
a stub that kills its kernel, one that never returns, one that hoards memory, a file that is not a
notebook, and so on.
"""

import inspect
import re
from importlib import import_module

import nbformat

from autograder.grader.verify.harness import owner

EXIT_BODY = "import os\nos._exit(1)  # the kernel dies here"
LOOP_BODY = "while True:  # never returns\n    pass"
HOARD_BODY = "import numpy as np\nhoard = np.ones((1 << 16, 1 << 16))  # 32 GiB"


def module_of(lesson):
    """'04_output_layer' -> 'output_layer': the lesson's checks and mistakes module."""
    return lesson.split("_", 1)[1]


def read(course, step, lesson):
    """A lesson's notebook from a Course's 'source' or 'release' folder."""
    return nbformat.read(course.notebook(step, lesson), as_version=4)


def solution_cells(nb):
    """{stub name: cell} for every solution cell."""
    return {
        c.metadata["nbgrader"]["grade_id"]: c
        for c in nb.cells
        if c.get("metadata", {}).get("nbgrader", {}).get("solution")
    }


def completed(course, lesson):
    """The released notebook with every stub filled in from the solution: a correct student."""
    nb = read(course, "release", lesson)
    answers = solution_cells(read(course, "source", lesson))
    for stub, cell in solution_cells(nb).items():
        cell.source = answers[stub].source
    return nb


def replace_stub(nb, stub, source):
    """Put `source` in place of the stub's solution cell (a class stub's: its class's); return
    nb."""
    solution_cells(nb)[owner(stub)].source = source
    return nb


def mistaken_source(lesson, stub, key):
    """The source of a catalogued mistake, renamed to the stub's own name.

    A class stub's mistake (lesson 01's Value) comes with the source of its base classes from
    the same module, first, so that the cell defines everything it needs.
    """
    module = import_module(f"autograder.grader.mistakes.{module_of(lesson)}")
    name = owner(stub)
    fn = getattr(module, f"{name}__{key}")
    if not inspect.isclass(fn):
        return re.sub(rf"\bdef {re.escape(fn.__name__)}\(", f"def {name}(", inspect.getsource(fn))
    bases = [c for c in reversed(fn.__mro__[1:]) if c.__module__ == module.__name__]
    renamed = re.sub(rf"\bclass {re.escape(fn.__name__)}\b", f"class {name}", inspect.getsource(fn))
    return "\n\n".join([*(inspect.getsource(c) for c in bases), renamed])


def mistakes(lesson):
    """[(stub, key, hint)] of the lesson's catalogue, in its order ("Value_backward" is a part
    of the class in the solution cell "Value": harness.owner says which)."""
    catalog = import_module(f"autograder.checks.{module_of(lesson)}").MISTAKES
    return [(stub, m.key, m.hint) for stub, entries in catalog.items() for m in entries]


def with_body(course, lesson, stub, body):
    """A correct notebook whose `stub` runs `body` instead (the released stub's signature)."""
    nb = completed(course, lesson)
    stub_cell = solution_cells(read(course, "release", lesson))[stub]
    lines = stub_cell.source.splitlines()
    at = next(i for i, line in enumerate(lines) if "raise NotImplementedError" in line)
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines[at : at + 1] = [indent + line for line in body.splitlines()]
    return replace_stub(nb, stub, "\n".join(lines) + "\n")


def submit(course, student, lesson, nb=None, text=None):
    """Write a submission to submitted/<student>/<lesson>/<lesson>.ipynb (a notebook or text)."""
    path = course.notebook("submitted", lesson, student=student)
    path.parent.mkdir(parents=True, exist_ok=True)
    if nb is not None:
        nbformat.write(nb, path)
    elif text is not None:
        path.write_text(text)
    return path.parent


def demo_class(course, lessons):
    """Plant the demo's class in course/submitted/; return [(student, lesson, what)] planted.

    ada: every lesson complete and correct. untouched: the release as it was handed out.
    mistakes_1..3: every lesson correct but for one catalogued mistake, a different one each.
    crashes / loops (lesson 01): a stub that kills the kernel / never returns.
    careless (lesson 04): a notebook file cut off half way.
    hoards (lesson 04): a stub that asks for 32 GiB, far past the grader's memory limit.
    """
    planted = []
    for lesson in lessons:
        submit(course, "ada", lesson, completed(course, lesson))
        planted.append(("ada", lesson, "complete and correct"))
        submit(course, "untouched", lesson, read(course, "release", lesson))
        planted.append(("untouched", lesson, "the release, unchanged"))
        catalog = mistakes(lesson)
        for k in range(3):
            stub, key, _ = catalog[(k * len(catalog)) // 3]
            nb = replace_stub(completed(course, lesson), stub, mistaken_source(lesson, stub, key))
            submit(course, f"mistakes_{k + 1}", lesson, nb)
            planted.append((f"mistakes_{k + 1}", lesson, f"{stub}: mistake '{key}'"))
    if "01_chain_rule" in lessons:
        lesson = "01_chain_rule"
        submit(course, "crashes", lesson, with_body(course, lesson, "d_exp_square", EXIT_BODY))
        planted.append(("crashes", lesson, "d_exp_square kills the kernel (os._exit)"))
        submit(course, "loops", lesson, with_body(course, lesson, "d_inv_exp_square", LOOP_BODY))
        planted.append(("loops", lesson, "d_inv_exp_square never returns"))
    if "04_output_layer" in lessons:
        lesson = "04_output_layer"
        text = nbformat.writes(completed(course, lesson))
        submit(course, "careless", lesson, text=text[: len(text) // 2])
        planted.append(("careless", lesson, "the notebook file cut off half way"))
        submit(course, "hoards", lesson, with_body(course, lesson, "linear_forward", HOARD_BODY))
        planted.append(("hoards", lesson, "linear_forward asks for 32 GiB of memory"))
    return planted
