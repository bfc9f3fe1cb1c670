"""Nothing a grading run starts outlives it, however the run ends.

A local run's processes form a tree: the grader, its fork server and resource tracker, the
workers (children of the fork server, not of the grader), and each worker's kernel (in its
jail, which dies with the worker: bubblewrap's --die-with-parent; an unjailed kernel's own
parent poller ends it when its worker goes). Python's multiprocessing does not tear that tree
down when the grader is stopped by a signal: the workers wait on a queue whose write end they
hold themselves, and the fork server waits until its last worker has gone. So:

* in the grader, SIGTERM and SIGHUP (a `kill`, a closed terminal, a batch system's time limit)
  end the run as Ctrl-C does (`interruptible`), and an interrupted run stops its workers and
  their kernels (`stop_trees`) instead of waiting for the submissions in flight;
* in each worker, `watch_grader` ends the worker and its descendants as soon as the grader's
  process has gone, even when nothing could run in the grader (SIGKILL, an out-of-memory kill).
"""

import contextlib
import os
import select
import signal
import threading

import psutil

STOP_GRACE = 3.0  # seconds a descendant gets to end after SIGTERM before SIGKILL


@contextlib.contextmanager
def interruptible():
    """While inside: SIGTERM and SIGHUP raise KeyboardInterrupt in the main thread, as Ctrl-C."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def stop_trees(pids, grace=STOP_GRACE):
    """End the processes `pids` and everything below them: SIGTERM, then SIGKILL for what is
    left after `grace` seconds. A pid already gone is skipped."""
    processes = []
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(pid)
            processes += [*root.children(recursive=True), root]
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.terminate()
    _, alive = psutil.wait_procs(processes, timeout=grace)
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(alive, timeout=grace)


def watch_grader(grader_pid):
    """In a worker: a daemon thread that ends this worker, and everything below it, once the
    process `grader_pid` has ended. Linux pidfds: no polling, and no mistaking a new process
    that got the same pid for the grader."""
    try:
        pidfd = os.pidfd_open(grader_pid)
    except ProcessLookupError:  # the grader is gone already
        _end_this_worker()
    except (AttributeError, OSError):  # no pidfds (not Linux, or a kernel before 5.3)
        return

    def wait():
        select.select([pidfd], [], [])  # readable once the process has ended
        _end_this_worker()

    threading.Thread(target=wait, name="watch-grader", daemon=True).start()


def _end_this_worker():
    stop_trees([child.pid for child in psutil.Process().children()], grace=0.5)
    os.kill(os.getpid(), signal.SIGKILL)
