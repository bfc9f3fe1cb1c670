"""The grading workers' fork server, started before the grader has imported itself.

`grade` forks its worker processes from a server process that imports the grader once
(grade.LocalPool). Started when the first submission is handed out, that import (about 1.2 s
of CPU) would wait for the grader's own, and the submissions for both. Started first thing,
it runs on the other core while this process imports: `python -m autograder grade` calls
start_fork_server() before importing anything else of the grader, and LocalPool then finds
the server running (multiprocessing keeps one per process). Only the command line and the
environment are looked at, before the course's configuration is read: a run whose
nbgrader_config.py names a Dask scheduler starts the server for nothing (its import runs
beside the grader's, and it ends with the run).
"""

import multiprocessing
import multiprocessing.forkserver

PRELOAD = ["autograder.grader.grade"]  # what every worker needs, imported once


def fork_server_context():
    """The multiprocessing context the local workers are made in: forked from a fresh
    single-threaded server that has imported PRELOAD."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def start_fork_server():
    """Start the fork server now, its imports running beside whatever this process does next."""
    fork_server_context()
    multiprocessing.forkserver.ensure_running()
