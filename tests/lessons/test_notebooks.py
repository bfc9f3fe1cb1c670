"""Are the lesson notebooks stored clean, with valid nbgrader metadata and the course's shape?"""

import re

import nbformat
import pytest

from autograder.grader.course import Course
from autograder.grader.verify.inputs import lesson_inputs
from tests.lessons.conftest import lesson_params
from tests.lessons.notebook_rules import (
    ROOT,
    UNGRADED,
    metadata_problems,
    nbgrader_cells,
    notebook_path,
    read,
    regions,
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
        "Value",
    },
    "02_softmax": {"softmax", "softmax_jacobian", "softmax_backward"},
    "03_cross_entropy": {
        "cross_entropy",
        "cross_entropy_grad_probs",
        "cross_entropy_grad_logits",
        "softmax_cross_entropy",
    },
    "04_output_layer": {"linear_forward", "linear_backward"},
    "05_hidden_layers": {
        "sigmoid",
        "relu",
        "sigmoid_grad",
        "tanh_grad",
        "relu_grad",
        "activation_backward",
    },
    "06_full_network": {"forward", "backward", "gradient_check", "sgd_step"},
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


# ---------------------------------------------------------------- the notation page

NOTATION = ROOT / "lessons" / "00_notation.ipynb"
# Released beside each lesson's notebook (release.ship_pages), where a student who fetched one
# lesson folder has it.
NOTATION_LINK = "](00_notation.ipynb)"


def test_notation_page_is_clean_read_only_and_not_a_lesson():
    """Is the notation page stored clean, markdown only (nothing to run or grade), and outside
    every lesson folder, so that nbgrader and the grader never take it for an assignment?"""
    nb = read(NOTATION)
    nbformat.validate(nb)
    assert storage_problems(nb) == []
    assert {c.cell_type for c in nb.cells} == {"markdown"}
    assert not nbgrader_cells(nb)
    assert "00_notation" not in Course.open(ROOT).lessons()


def test_notation_page_covers_symbols_layers_and_other_courses():
    """Does the page hold the symbol table, each layer's forward/backward and the map to
    CS231n, d2l and Ng?"""
    text = "\n".join(c.source for c in read(NOTATION).cells)
    for needed in ("## 1 · Symbols", "## 2 · One example and a batch", "## 3 · Every layer",
                   "CS231n", "d2l", "Ng", r"\varepsilon", "`grad_W = grad_A.T @ H`"):  # fmt: skip
        assert needed in text, needed


def test_every_lesson_links_the_notation_page(lesson):
    """Does each lesson's first cell point to the one notation page?"""
    name, nb = lesson
    assert NOTATION_LINK in nb.cells[0].source, f"{name}: no link to the notation page"


def test_no_lesson_uses_the_retired_symbols(lesson):
    """One notation: no y-hat except where a source's own symbol is quoted, no nabla without a
    subscript (the old "∇a" shorthand), no finite-difference step called h."""
    name, nb = lesson
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if r"\hat y" in line:
                assert "source" in line.lower() or "$p$" in line, f"{name}: {line}"
            assert not re.search(r"\\nabla [a-zA-Z](?!\()", line), f"{name}: {line}"
            assert "x + h)" not in line and "x+h)" not in line, f"{name}: {line}"


def test_every_code_cell_is_locked_or_a_solution(lesson):
    """Demo cells are read-only: every code cell is an nbgrader cell, locked unless it is a
    solution the student writes."""
    name, nb = lesson
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader")
        assert meta is not None, (
            f"{name}: a code cell without nbgrader metadata:\n{cell.source[:80]}"
        )
        assert meta.get("locked") or meta.get("solution"), f"{name}: {meta.get('grade_id')}"


def exercises(nb):
    """The numbers of the exercises listed under the lesson's "## Exercises" heading."""
    text = next(c.source for c in nb.cells if "## Exercises" in c.source)
    listed = text.split("## Exercises", 1)[1]
    return [int(n) for n in re.findall(r"^(\d+)\. ", listed, flags=re.MULTILINE)]


def test_every_exercise_has_a_worked_solution(lesson):
    """Does the instructor's version end with one markdown cell tagged instructor-only (the
    release leaves it out) holding a worked solution "**n.**" for each exercise n, and none
    for an exercise that does not exist?"""
    name, nb = lesson
    numbers = exercises(nb)
    assert numbers == list(range(1, len(numbers) + 1)) and numbers, f"{name}: {numbers}"
    tagged = [c for c in nb.cells if "instructor-only" in c.metadata.get("tags", [])]
    assert [c.get("id") for c in tagged] == ["exercise-solutions"], f"{name}: {len(tagged)}"
    (cell,) = tagged
    assert cell.cell_type == "markdown" and "nbgrader" not in cell.metadata
    solved = [int(n) for n in re.findall(r"^\*\*(\d+)\.\*\*", cell.source, flags=re.MULTILINE)]
    assert solved == numbers, f"{name}: solutions {solved} for exercises {numbers}"


def test_one_written_question_graded_by_hand(lesson):
    """Has every lesson one written answer for the formgrader: a markdown cell that is nbgrader's
    manually graded answer (solution and grade, with points), after a locked question that
    names those points, its solution region holding a model answer and a rubric whose points
    add up to the cell's? And is it out of the verifier's table (nothing to verify)?"""
    name, nb = lesson
    written = [
        (i, c)
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade")
    ]
    assert len(written) == 1, f"{name}: {len(written)} written answers"
    (i, cell) = written[0]
    meta = cell.metadata.nbgrader
    assert meta["solution"] and not meta["locked"] and meta["points"] > 0
    question = nb.cells[i - 1]
    assert question.metadata.nbgrader["locked"] and not question.metadata.nbgrader["grade"]
    assert f"## Written question ({meta['points']} points, graded by hand)" in question.source
    (region,) = regions(cell.source, "SOLUTION")
    assert "**Model answer.**" in region
    rubric = re.search(r"\*\*Rubric \((\d+) points\)\.\*\*(.*)", region, flags=re.DOTALL)
    assert rubric and int(rubric[1]) == meta["points"], f"{name}: rubric points"
    assert len(re.findall(r"\b1 point:", rubric[2])) == meta["points"], f"{name}: rubric items"
    assert meta["grade_id"] not in lesson_inputs(name).GRADE_CELLS


@pytest.mark.parametrize("lesson", ["03_cross_entropy", "06_full_network"])
def test_later_engine_is_lesson_01s_cell_ungraded(lesson):
    """Is a later lesson's engine (03's, 06's) lesson 01's Value cell word for word (one owner:
    lesson 01), in an ungraded solution cell, so that the release hands it out with its methods
    to complete, as lesson 01 does, and never as lesson 01's answer?"""
    cells = {
        name: {c.get("id"): c for c in read(notebook_path(name)).cells}
        for name in ("01_chain_rule", lesson)
    }
    ours, theirs = cells["01_chain_rule"]["engine-value"], cells[lesson]["engine-value"]
    assert ours.source == theirs.source
    meta = theirs.metadata.nbgrader
    assert meta["solution"] and not meta["grade"] and meta["grade_id"].startswith(UNGRADED)
    assert len(regions(theirs.source, "SOLUTION")) == 5
