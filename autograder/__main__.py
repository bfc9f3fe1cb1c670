"""python -m autograder: the instructor's command line (autograder.grader.cli)."""

import os
import sys


def run():
    """The command line, with the grading workers' fork server started before the rest of the
    grader is imported when this run will fork local workers (warm_start.py)."""
    args = sys.argv[1:]
    local = not ({"--scheduler", "--record-only", "-h", "--help"} & set(args)) and not (
        os.environ.get("DASK_SCHEDULER_ADDRESS")
    )
    if args[:1] in (["grade"], ["demo"]) and local:
        from autograder.grader.warm_start import start_fork_server

        start_fork_server()
    from autograder.grader.cli import main

    return main()


if __name__ == "__main__":
    raise SystemExit(run())
