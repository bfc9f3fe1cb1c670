"""Grading in the jail: the setting, what each submission's kernel is shown, what a run says.

Every grading kernel runs in the bubblewrap jail of jail.py unless the course says otherwise:

    c.Sandbox.enabled = False          # nbgrader_config.py
    python -m autograder grade --no-sandbox

With the sandbox on (the default), GradingExecute starts its kernels with JailedKernelManager,
whose `lesson_dir` is the submission's own folder of lesson files (course.lesson_files plus the
checks release.ship_checks ships, never a notebook, never the course root) and whose memory
limit, held by a cgroup for the kernel and everything it starts, is GradingExecute.max_memory_mb.
`grade` refuses to start when the jail cannot run here, or when a lesson's test cells import the
answer key (which the jail keeps out of the kernel), in one sentence saying why and what to do.

With it off, the run's summary says that grading was not isolated, and so does a cell at the top
of every graded notebook (NotIsolatedNotice), which the feedback shows.
"""

import os
import re

import nbformat
from jupyter_client import AsyncKernelManager
from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_markdown_cell
from traitlets import Bool
from traitlets.config import Configurable

from autograder.grader.cells import is_test_cell
from autograder.grader.jail import (
    JailedKernelManager,
    describe_limits,
    limits_mechanism,
    sandbox_problem,
    sweep_stale,
)
from autograder.grader.release import ship_checks

LESSON_FOLDER = "lesson"  # in a submission's workdir: what the jailed kernel sees, read-only
ANSWER_KEY_IMPORT = re.compile(r"^\s*(import|from)\s+reference\b", re.MULTILINE)
NOT_ISOLATED = (
    "not isolated: graded with --no-sandbox (Sandbox.enabled = False), so every kernel ran "
    "as the grader's own user, with the course's files, the gradebook, the network and the "
    "other kernels within its reach"
)
NOTICE = (
    "**Graded without isolation.** The grader ran this notebook outside its sandbox "
    "(`--no-sandbox`): its code ran with the grader's own rights."
)


class Sandbox(Configurable):
    """Whether grading kernels run in the jail."""

    enabled = Bool(
        True,
        help="Run every grading kernel in a bubblewrap jail: no network, none of the course's "
        "files, nothing left running after it. --no-sandbox grades without it, and says so in "
        "the summary and in every feedback file.",
    ).tag(config=True)


def enabled(config):
    """Is the sandbox on in this configuration (a traitlets Config, or None: the default)?"""
    return Sandbox(config=config).enabled


def kernel_manager_class(config):
    """The kernel manager GradingExecute starts its kernels with under `config`."""
    return JailedKernelManager if enabled(config) else AsyncKernelManager


# ---------------------------------------------------------------------- before a run


def answer_key_importers(course, lessons):
    """['04_output_layer.ipynb: test_linear_forward', ...]: test cells of the lessons' source
    notebooks that import the answer key, which no jailed kernel can."""
    found = []
    for lesson in lessons:
        for name in course.notebooks(lesson):
            nb = nbformat.read(course.notebook("source", lesson, name), as_version=4)
            for cell in nb.cells:
                if is_test_cell(cell) and ANSWER_KEY_IMPORT.search(cell.source):
                    found.append(f"{name}.ipynb: {cell.metadata.nbgrader.grade_id}")
    return found


def problem(course, lessons):
    """None when the lessons can be graded in the jail here; else a sentence saying why not."""
    km = JailedKernelManager(config=course.config)
    trouble = sandbox_problem(km.bwrap)
    if trouble:
        return trouble
    try:
        limits_mechanism(km.limits)
    except ValueError as err:  # JailedKernelManager.limits insists on what is not here
        return f"{err}: set JailedKernelManager.limits to 'auto'"
    importers = answer_key_importers(course, lessons)
    if importers:
        more = f" and {len(importers) - 1} more" if len(importers) > 1 else ""
        return (
            f"test cells import the answer key (reference), which the jail keeps out of the "
            f"kernel, so they would fail for every student ({importers[0]}{more}): move those "
            "checks out of the notebook into the grader, or grade with --no-sandbox"
        )
    return None


def refusal(trouble):
    """The one sentence `grade` stops with when `trouble` (from problem()) keeps the jail out."""
    return f"grading runs student code only in the sandbox, and here {trouble}"


def isolation(course, memory_mb):
    """The summary's line on isolation, after sweeping what dead graders left (sandbox on)."""
    if not enabled(course.config):
        return NOT_ISOLATED
    sweep_stale()
    km = JailedKernelManager(config=course.config)
    limits = describe_limits(memory_mb or km.memory_mb, km.max_processes, km.limits)
    return (
        "isolated: every kernel ran in a bubblewrap jail (no network, none of the course's "
        f"files, an unprivileged user); limits by {limits}"
    )


# ---------------------------------------------------------------------- one submission


def stage_lesson_files(folder):
    """Ship the checks into `folder` (a submission's lesson files) and let the jail's
    unprivileged user read all of it; return the folder."""
    ship_checks(folder)
    # Copies keep their source's mode: a lesson file the instructor keeps private (0600)
    # would otherwise be unreadable in the jail, and every test using it would fail.
    os.chmod(folder, 0o755)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
        for name in files:
            os.chmod(os.path.join(root, name), 0o644)
    return folder


def submission_settings(config, lesson_folder):
    """Configuration for one submission's steps: its kernel is shown `lesson_folder`."""
    if not enabled(config):
        return {}
    return {"JailedKernelManager": {"lesson_dir": str(lesson_folder)}}


class NotIsolatedNotice(Preprocessor):
    """Without the sandbox: a cell at the top of the notebook (and so of its feedback)
    saying that it was graded without isolation."""

    def preprocess(self, nb, resources):
        if not enabled(self.config):
            nb.cells.insert(0, new_markdown_cell(NOTICE))
        return nb, resources
