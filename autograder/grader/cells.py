"""Cells and outputs as the grader reads and writes them: nbgrader's metadata read one way
everywhere, and the error outputs the grader itself puts in a cell."""

from nbformat import NotebookNode


def nbgrader_meta(cell):
    """The cell's nbgrader metadata ({} when it has none)."""
    return cell.get("metadata", {}).get("nbgrader", {})


def is_test_cell(cell):
    """An autograded test cell: a code cell nbgrader gives points for."""
    return cell.get("cell_type") == "code" and bool(nbgrader_meta(cell).get("grade"))


def grade_id(cell):
    return nbgrader_meta(cell).get("grade_id")


def cell_name(nb, index):
    """'cell 7 (test_softmax)': how notes name a cell."""
    gid = grade_id(nb.cells[index])
    return f"cell {index + 1} ({gid})" if gid else f"cell {index + 1}"


def error_output(ename, evalue):
    """An error output as a kernel would send it, one line of traceback."""
    return NotebookNode(
        output_type="error",
        ename=ename,
        evalue=evalue,
        traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"],
    )
