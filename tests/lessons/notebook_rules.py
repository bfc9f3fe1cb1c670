"""What a lesson notebook must be, as functions that list the problems they find.

Kept apart from the tests so that the tests can also show each rule catches a bad notebook.
"""

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
LESSON_NAMES = (
    "01_chain_rule",
    "02_softmax",
    "03_cross_entropy",
    "04_output_layer",
    "05_hidden_layers",
    "06_full_network",
)
NOTEBOOK_METADATA = {"kernelspec", "language_info"}
CELL_METADATA = {"nbgrader", "tags"}
CELL_TAGS = {"instructor-only"}  # the release drops such a cell (nbgrader_config.py)
NBGRADER_KEYS = {"grade", "grade_id", "locked", "schema_version", "solution", "task", "points"}
REGION = re.compile(r"^\s*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$", re.MULTILINE)


def notebook_path(lesson):
    return ROOT / "lessons" / lesson / f"{lesson}.ipynb"


def read(path):
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


def storage_problems(nb):
    """Outputs, execution counts or extra metadata: a notebook must be stored clean."""
    problems = []
    extra = set(nb.metadata) - NOTEBOOK_METADATA
    if extra:
        problems.append(
            f"notebook metadata has {sorted(extra)} (keep only {sorted(NOTEBOOK_METADATA)})"
        )
    for i, cell in enumerate(nb.cells):
        if cell.get("outputs"):
            problems.append(f"cell {i} has outputs")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {i} has an execution count")
        extra = set(cell.metadata) - CELL_METADATA
        if extra:
            problems.append(f"cell {i} metadata has {sorted(extra)}")
        tags = set(cell.metadata.get("tags", [])) - CELL_TAGS
        if tags:
            problems.append(f"cell {i} has the tags {sorted(tags)}")
    return problems


def nbgrader_cells(nb):
    return [c for c in nb.cells if "nbgrader" in c.metadata]


def regions(source, kind):
    """The text between ### BEGIN <kind> and ### END <kind> markers of one cell's source."""
    pattern = rf"### BEGIN {kind}\s*\n(.*?)^\s*### END {kind}"
    return re.findall(pattern, source, flags=re.DOTALL | re.MULTILINE)


def metadata_problems(nb):
    """nbgrader metadata that nbgrader would reject or that breaks the course's conventions."""
    problems = []
    ids = []
    for cell in nbgrader_cells(nb):
        meta = cell.metadata["nbgrader"]
        gid = meta.get("grade_id", "<no grade_id>")
        ids.append(gid)
        if set(meta) - NBGRADER_KEYS:
            problems.append(f"{gid}: unknown nbgrader keys {sorted(set(meta) - NBGRADER_KEYS)}")
        if meta.get("schema_version") != 3:
            problems.append(f"{gid}: schema_version is {meta.get('schema_version')}, not 3")
        if meta.get("grade") and not meta.get("points", 0) > 0:
            problems.append(f"{gid}: a grade cell without points")
        if meta.get("grade") and not meta.get("solution") and not meta.get("locked"):
            problems.append(f"{gid}: a test cell must be locked")
        if meta.get("solution") and cell.cell_type == "code":
            # a class's cell (lesson 01's Value) has one region in each method to complete, so
            # that the student version still defines the class, its methods raising
            count, limit = len(regions(cell.source, "SOLUTION")), methods(cell.source) or 1
            if not 1 <= count <= limit:
                problems.append(
                    f"{gid}: a solution cell needs one BEGIN/END SOLUTION region (a class: at "
                    "most one per method)"
                )
        markers = REGION.findall(cell.source)
        if len(markers) % 2:
            problems.append(f"{gid}: unbalanced BEGIN/END markers")
    duplicates = sorted({g for g in ids if ids.count(g) > 1})
    if duplicates:
        problems.append(f"grade_ids used twice: {duplicates}")
    return problems


def methods(source):
    """How many methods a cell's top-level classes define (0 for a cell without a class)."""
    return (
        len(re.findall(r"^    def \w+\(", source, flags=re.MULTILINE))
        if re.search(r"^class \w+", source, flags=re.MULTILINE)
        else 0
    )


UNGRADED = "ungraded_"  # grade_id prefix of a solution cell no check grades (the gradient checks
# of lessons 02-05, lesson 03's and 06's copies of lesson 01's engine): practice, not a stub


def is_stub(cell):
    """A solution code cell a check grades: not one whose grade_id starts with UNGRADED."""
    meta = cell.metadata.get("nbgrader", {})
    return (
        cell.cell_type == "code"
        and meta.get("solution")
        and not meta.get("grade_id", "").startswith(UNGRADED)
    )


def check_cells(nb):
    """{stub name: [its test cells]}: test_<stub>, or test_<stub>__<part> for each part of a
    stub whose answer is graded part by part (linear_backward in 04, softmax_cross_entropy in
    03, forward in 06)."""
    found = {}
    for cell in nbgrader_cells(nb):
        if is_stub(cell):
            stub = cell.metadata["nbgrader"]["grade_id"]
            found[stub] = [
                c
                for c in nbgrader_cells(nb)
                if c.metadata["nbgrader"]["grade_id"] == f"test_{stub}"
                or c.metadata["nbgrader"]["grade_id"].startswith(f"test_{stub}__")
            ]
    return found


def stubs_and_tests(nb):
    """{stub name: (solution cell, its first test cell or None)}, in the notebook's order."""
    by_id = {c.metadata["nbgrader"]["grade_id"]: c for c in nbgrader_cells(nb)}
    return {
        stub: (by_id[stub], tests[0] if tests else None) for stub, tests in check_cells(nb).items()
    }


def total_points(nb):
    return sum(
        c.metadata["nbgrader"].get("points", 0)
        for c in nbgrader_cells(nb)
        if c.metadata["nbgrader"].get("grade")
    )


def secret_lines(nb):
    """Lines that appear only inside solution or hidden-test regions of the source notebook.

    These must not survive into the student version. A line that also appears outside the
    regions (a blank line, `return p` in a markdown example) proves nothing, so it is left out.
    """
    inside, outside = set(), []
    for cell in nb.cells:
        text = cell.source
        for kind in ("SOLUTION", "HIDDEN TESTS"):
            for region in regions(text, kind):
                inside.update(line.strip() for line in region.splitlines())
                text = text.replace(region, "")
        outside.append(text)
    everywhere_else = "\n".join(outside)
    return {line for line in inside if len(line) > 3 and line not in everywhere_else}
