"""Are the lesson notebooks stored clean, with valid nbgrader metadata and the course's shape?"""

import nbformat
import pytest

from tests.lessons.conftest import lesson_params
from tests.lessons.notebook_rules import (
    metadata_problems,
    notebook_path,
    read,
    storage_problems,
    stubs_and_tests,
    total_points,
)

LESSON_STUBS = {
    "01_chain_rule": {
        "numeric_derivative",
        "numeric_gradient",
        "d_exp_square",
        "d_exp_exp_square",
        "d_inv_exp_square",
    },
    "02_softmax": {"softmax", "softmax_jacobian", "softmax_backward"},
    "03_cross_entropy": {"cross_entropy", "cross_entropy_grad_probs", "cross_entropy_grad_logits"},
    "04_output_layer": {"linear_forward", "linear_backward"},
    "05_hidden_layers": {
        "sigmoid",
        "relu",
        "sigmoid_grad",
        "tanh_grad",
        "relu_grad",
        "activation_backward",
    },
    "06_full_network": {"forward", "backward", "sgd_step"},
}


@pytest.fixture(params=lesson_params())
def lesson(request):
    path = notebook_path(request.param)
    assert path.exists(), f"{path} is missing"
    return request.param, read(path)


def test_stored_clean(lesson):
    """Is the notebook free of outputs, execution counts and metadata beyond the kernel's?"""
    name, nb = lesson
    assert storage_problems(nb) == [], f"{name} is not stored clean"


def test_valid_nbformat(lesson):
    """Does the notebook validate against nbformat's schema?"""
    _, nb = lesson
    nbformat.validate(nb)


def test_nbgrader_metadata(lesson):
    """Unique grade_ids, points on grade cells, schema version 3, balanced markers."""
    name, nb = lesson
    assert metadata_problems(nb) == [], name


def test_every_stub_has_its_test_cell(lesson):
    """Each stub of the curriculum is a solution cell followed by a test_<stub> grade cell."""
    name, nb = lesson
    pairs = stubs_and_tests(nb)
    required = LESSON_STUBS[name]
    assert required <= set(pairs), f"{name} lacks stubs {sorted(required - set(pairs))}"
    for stub, (_, test_cell) in pairs.items():
        assert test_cell is not None, f"{name}: no grade cell test_{stub}"
        assert f"check_{stub}({stub})" in test_cell.source, f"test_{stub} must call check_{stub}"
        assert test_cell.source.lstrip().startswith('"""'), f"test_{stub} needs a docstring"


def test_points_per_lesson(lesson):
    """A lesson is worth 10 to 20 points."""
    name, nb = lesson
    assert 10 <= total_points(nb) <= 20, f"{name} is worth {total_points(nb)} points"


def test_lessons_never_import_the_answer_key(lesson):
    """No cell imports reference: students do not have it, and the grading kernel must not
    need it (the grader checks every stub against it in its own process)."""
    name, nb = lesson
    for cell in nb.cells:
        assert "import reference" not in cell.source and "from reference" not in cell.source, name


def test_no_hidden_tests_in_the_kernel(lesson):
    """No test cell carries hidden tests: what they checked, the grader verifies outside the
    kernel (autograder/grader/verify), so nothing secret runs where student code can see it."""
    name, nb = lesson
    for cell in nb.cells:
        assert "HIDDEN TESTS" not in cell.source, f"{name}: a hidden-test region is back"


def test_a_dirty_notebook_is_caught():
    """Would a notebook committed with outputs, counts or extra metadata fail the check?"""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(1)")
    cell.outputs = [nbformat.v4.new_output("stream", text="1\n")]
    cell.execution_count = 3
    cell.metadata["tags"] = ["x"]
    nb.cells = [cell]
    nb.metadata["widgets"] = {}
    assert len(storage_problems(nb)) == 4


def test_bad_nbgrader_metadata_is_caught():
    """Would duplicate ids, a pointless grade cell and a wrong schema version be caught?"""
    nb = nbformat.v4.new_notebook()
    meta = {"grade": True, "grade_id": "t", "locked": True, "schema_version": 2, "solution": False}
    nb.cells = [nbformat.v4.new_code_cell("pass", metadata={"nbgrader": dict(meta)}) for _ in "ab"]
    problems = metadata_problems(nb)
    assert any("used twice" in p for p in problems)
    assert any("without points" in p for p in problems)
    assert any("schema_version" in p for p in problems)
