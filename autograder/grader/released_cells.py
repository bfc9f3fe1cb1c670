"""Student metadata is never trusted: the graded cells are the release's, whatever was handed in.

nbgrader decides what is graded from the cells' nbgrader metadata, and a student can edit it:
add a grade cell of their own, copy a grade_id onto a second cell, rename one, turn a solution
cell into a grade cell, or delete a cell. Plain nbgrader then stops with KeyError, MissingEntry
or a checksum error, and the submission goes ungraded. Here every cell's nbgrader metadata is
put back as the lesson's source notebook has it, cells the release does not know lose theirs,
and released cells that are missing come back in their place (a solution cell as the stub the
student was given, a test cell as the grader runs it), each with a note.
"""

import copy

from nbconvert.preprocessors import Preprocessor

from autograder.grader.cells import grade_id, nbgrader_meta
from autograder.grader.steps import context

# What decides grading; the rest (checksum, schema_version, cell_type) nbgrader writes itself.
DECIDING = ("grade", "solution", "locked", "task", "points", "grade_id")


def deciding(meta):
    """The parts of nbgrader metadata that decide what is graded, points as numbers."""
    found = {key: meta.get(key) for key in DECIDING}
    try:
        found["points"] = float(found["points"] or 0)
    except (TypeError, ValueError):
        pass  # not a number: differs from any release, so it is put back
    return found


def released_cells(handed_out):
    """{grade_id: cell} of every nbgrader cell of the handed-out lesson, in order."""
    return {grade_id(c): c for c in handed_out.cells if grade_id(c)}


class RestoreReleasedCells(Preprocessor):
    """Put back the release's nbgrader metadata on every cell, and its missing cells."""

    def preprocess(self, nb, resources):
        ctx = context(resources)
        if ctx.unreadable:
            return nb, resources
        released = released_cells(ctx.handed_out(self.config))
        seen = set()
        for index, cell in enumerate(nb.cells):
            meta = cell.get("metadata", {}).get("nbgrader")
            if meta is not None and (not isinstance(meta, dict) or not meta):
                del cell.metadata["nbgrader"]  # empty or not even a dict: nothing to grade
                continue
            if not meta:
                continue
            gid = meta.get("grade_id")
            where = f"cell {index + 1}"
            if gid not in released or gid in seen:
                shown = repr(str(gid)[:60])
                ctx.notes.append(
                    f"{where} repeated the grading id {shown} of an earlier cell: the grader "
                    "ignored its metadata"
                    if gid in seen
                    else f"{where} carried grading metadata the lesson lacks (id {shown}): the "
                    "grader ignored it"
                )
                del cell.metadata["nbgrader"]
                continue
            seen.add(gid)
            want = released[gid]
            if deciding(meta) != deciding(want.metadata["nbgrader"]) or (
                cell.cell_type != want.cell_type
            ):
                ctx.notes.append(
                    f"the grading metadata of {gid} was changed: the grader put back the original"
                )
                if cell.cell_type != want.cell_type:
                    nb.cells[index] = copy.deepcopy(want)
                else:
                    cell.metadata["nbgrader"] = copy.deepcopy(want.metadata["nbgrader"])
        self._add_missing(nb, released, seen, ctx)
        return nb, resources

    def _add_missing(self, nb, released, seen, ctx):
        """Insert each released cell the submission lacks after its predecessor in the lesson."""
        order = list(released)
        for position, gid in enumerate(order):
            if gid in seen:
                continue
            before = [g for g in order[:position] if g in seen]
            at = 0
            if before:
                at = next(i for i, c in enumerate(nb.cells) if grade_id(c) == before[-1]) + 1
            cell = copy.deepcopy(released[gid])
            cell["id"] = f"restored-{gid}"[:64]
            nb.cells.insert(at, cell)
            seen.add(gid)
            kind = "test" if nbgrader_meta(cell).get("grade") else "answer"
            ctx.notes.append(
                f"{kind} cell {gid} was missing: the grader put it back"
                + (" and ran it" if kind == "test" else " as handed out")
            )
