"""Does the verifier's per-lesson table match the lessons, and are its inputs fresh and valid?

The lessons' notebooks are the judge of the table: their grade cells, their solution cells and
the stubs' signatures. The answer key is the judge of the inputs: every input must be one the
answer key accepts (or, where the stub must refuse it, one the answer key refuses).
"""

import ast
import inspect
import json

import numpy as np
import pytest

import reference as R
from autograder.grader.verify import answers, grade_cells, judge, knows
from autograder.grader.verify.harness import owner
from autograder.grader.verify.inputs import MODULES, lesson_inputs
from tests.lessons.notebook_rules import LESSON_NAMES, notebook_path, read, stubs_and_tests

SEEDS = range(5)


def grade_cell_sources(lesson):
    nb = read(notebook_path(lesson))
    return {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"
    }


@pytest.mark.parametrize("lesson", LESSON_NAMES)
def test_the_table_lists_every_grade_cell_and_its_stubs(lesson):
    """Every grade cell of the notebook is in the table, and each calls check_<stub>(<stub>)
    for exactly the stubs the table says it covers (a class stub: check_Value_backward(Value))."""
    sources = grade_cell_sources(lesson)
    table = grade_cells(lesson)
    assert set(table) == set(sources)
    for grade_id, stubs in table.items():
        called = {s for s in lesson_inputs(lesson).GRADE_CELLS[grade_id]}
        assert set(stubs) == called
        for stub in stubs:
            assert f"check_{stub}({owner(stub)})" in sources[grade_id], (grade_id, stub)


@pytest.mark.parametrize("lesson", LESSON_NAMES)
def test_the_stubs_are_the_notebooks_in_its_order_with_its_signatures(lesson):
    """STUBS names the notebook's solution cells in order; each spec's parameter names are the
    stub's (as the notebook defines it) and the answer key's. A class (lesson 01's Value) is
    one solution cell checked as several stubs, each called through a driver of the harness
    with one argument, its program."""
    nb = read(notebook_path(lesson))
    specs = lesson_inputs(lesson).STUBS
    assert list(dict.fromkeys(owner(s.name) for s in specs)) == list(stubs_and_tests(nb))
    cells = {stub: cell for stub, (cell, _) in stubs_and_tests(nb).items()}
    for spec in specs:
        cell = cells[owner(spec.name)]
        if inspect.isclass(getattr(R, owner(spec.name))):
            (definition,) = [n for n in ast.parse(cell.source).body if isinstance(n, ast.ClassDef)]
            assert definition.name == owner(spec.name) and spec.args == ("program",)
            continue
        (definition,) = [n for n in ast.parse(cell.source).body if isinstance(n, ast.FunctionDef)]
        assert tuple(a.arg for a in definition.args.args) == spec.args
        assert tuple(inspect.signature(getattr(R, spec.name)).parameters) == spec.args
        assert set(spec.unchanged) <= set(spec.args)


def bound_names(source):
    """Names a cell's code binds at top level (def, class, assignment, import, for, with)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics
        tree = ast.parse("\n".join(line for line in source.splitlines() if line[:1] != "%"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        for sub in ast.walk(node) if not isinstance(node, ast.FunctionDef) else ():
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                names.add(sub.id)
            if isinstance(sub, ast.alias):
                names.add(sub.asname or sub.name.split(".")[0])
    return names


def test_bound_names_sees_every_kind_of_binding():
    source = (
        "%matplotlib inline\nx = 1\ndef relu(a):\n    y = 2\nimport numpy as np\nfor k in []: pass"
    )
    assert bound_names(source) == {"x", "relu", "np", "k"}


@pytest.mark.parametrize("lesson", LESSON_NAMES)
def test_no_other_cell_rebinds_a_stub(lesson):
    """The verifier calls each stub by name after the last cell: only its solution cell may
    bind that name, or the grader would verify something else."""
    nb = read(notebook_path(lesson))
    stubs = {s.name for s in lesson_inputs(lesson).STUBS}
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.metadata.get("nbgrader", {}).get("solution"):
            continue
        clash = bound_names(cell.source) & stubs
        assert not clash, f"{lesson}: a cell that is not a solution binds {clash}"


def test_the_lessons_are_known_by_either_name():
    assert all(knows(name) for name in LESSON_NAMES) and all(knows(m) for m in MODULES)
    assert not knows("07_attention") and not knows("attention")
    with pytest.raises(ValueError, match="cannot verify lesson '07_attention'.*chain_rule"):
        lesson_inputs("07_attention")


@pytest.mark.parametrize("module", MODULES)
def test_the_answer_key_accepts_every_input(module):
    """Over several seeds, the answer key returns on every input, except the inputs a stub must
    refuse (must_mention), where it raises."""
    inputs = lesson_inputs(module)
    for seed in SEEDS:
        for spec in inputs.STUBS:
            cases = inputs.cases(np.random.default_rng(seed))[spec.name]
            assert len(cases) >= 3, spec.name
            for case in cases:
                want = judge.expected(spec, case)
                assert want.status == ("raised" if case.must_mention else "returned"), case
                assert case.label


def test_inputs_are_fresh_per_seed_and_repeatable():
    """The same seed gives the same inputs; another seed gives different numbers everywhere."""
    for module in MODULES:
        inputs = lesson_inputs(module)
        one = inputs.cases(np.random.default_rng(1))
        again = inputs.cases(np.random.default_rng(1))
        other = inputs.cases(np.random.default_rng(2))
        for stub in one:
            dump = [json.dumps(c.args) for c in one[stub]]
            assert dump == [json.dumps(c.args) for c in again[stub]], stub
            changed = [
                json.dumps(c.args) != json.dumps(d.args)
                for c, d in zip(one[stub], other[stub], strict=False)
                if not c.must_mention
            ]
            assert all(changed), (module, stub)


def test_the_inputs_hold_the_edge_values_they_promise():
    """Large logits (spread over 709 within a row and between rows), exact zeros in lesson 05,
    probabilities exactly 0 in lesson 03, steps far from 1e-5 in lesson 01."""
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        softmax = lesson_inputs("softmax").cases(rng)["softmax"]
        logits = [answers.decode(c.args[0]) for c in softmax]
        big = [z for z in logits if np.abs(z).max() > 700]
        assert big and all(np.ptp(z, axis=-1).min() > 709 for z in big)
        assert any(z.ndim == 2 and np.ptp(z.max(axis=1)) > 745 for z in big)
        for case in lesson_inputs("hidden_layers").cases(rng)["relu_grad"][1:]:
            assert 0.0 in answers.decode(case.args[0])
        last = lesson_inputs("hidden_layers").cases(rng)["sigmoid"][-1]
        assert {1000.0, -1000.0, 0.0} <= set(answers.decode(last.args[0]).ravel())
        ce = lesson_inputs("cross_entropy").cases(rng)["cross_entropy"][-1]
        assert (answers.decode(ce.args[0]) == 0.0).any()
        derivative = lesson_inputs("chain_rule").cases(rng)["numeric_derivative"]
        steps = [c.args[2] for c in derivative if len(c.args) == 3]
        assert max(steps) >= 5e-3 and 1e-5 in steps
        assert any(len(c.args) == 2 for c in derivative)  # the default h, too


def test_the_graphs_hold_what_they_promise():
    """Every graph for Value has a node used more than once, exp and log, and the judge's
    answer on it is finite; each submission has a plain number on each side of an operator;
    forward graphs read data, backward graphs grads, the last of them after two backward()."""
    for seed in SEEDS:
        cases = lesson_inputs("chain_rule").cases(np.random.default_rng(seed))
        for spec in lesson_inputs("chain_rule").STUBS[-2:]:
            reads = "data" if spec.name == "Value" else "grad"
            programs = [answers.decode(c.args[0]) for c in cases[spec.name]]
            assert {p["read"] for p in programs} == {reads}
            for case, program in zip(cases[spec.name], programs, strict=True):
                ops = program["ops"]
                used = [o for op in ops for o in op[1:] if type(o) is int]
                assert any(used.count(n) >= 2 for n in set(used)), ops  # a fan-out
                assert {"exp", "log"} <= {op[0] for op in ops}
                want = judge.expected(spec, case)
                assert np.isfinite(list(want.value.values())).all(), case.label
            constants = [[type(o) is float for o in op[1:]] for p in programs for op in p["ops"]]
            assert [True, False] in constants and [False, True] in constants
            times = [p["backward"] for p in programs]
            assert times == ([0] * 3 if reads == "data" else [1, 1, 1, 2])
