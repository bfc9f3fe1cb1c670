"""Scores student code cannot fake: the grader calls every stub itself and judges the answers.

Student code owns the kernel its notebook runs in, so nothing secret enters it and nothing it
reports is believed. After the notebook's last cell, the grader calls each stub of the lesson
by name on inputs drawn for this submission alone, sends them as JSON (one request per stub,
all its inputs), takes the results back as JSON, one per input (harness.py, protocol.py,
answers.py) and compares them with the answer key in its own process (judge.py). A grade cell
then earns its points only if its in-notebook test passed and every stub it covers was verified
(verdicts.apply_verdicts).

    verdicts = await verify_submission(kc, "04_output_layer", seed=new_seed())
    zeroed = apply_verdicts(executed_nb, "04_output_layer", verdicts)  # before SaveAutoGrades
"""

from autograder.grader.verify.submission import (
    knows,
    new_seed,
    verify_submission,
    verify_submission_sync,
)
from autograder.grader.verify.verdicts import (
    Verdict,
    apply_verdicts,
    cells_covering,
    grade_cells,
    stub_of,
)

__all__ = [
    "Verdict",
    "apply_verdicts",
    "cells_covering",
    "grade_cells",
    "knows",
    "new_seed",
    "stub_of",
    "verify_submission",
    "verify_submission_sync",
]
