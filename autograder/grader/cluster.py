"""The Dask executor: submissions run on a Dask cluster's workers, everything else stays here.

    this process (the grader)                     Dask workers (any machine, any number)
    shipping.lesson_bundle  (once per lesson)
    shipping.pack -> Client.submit(work, ...) ->  work: shipping.run_parcel(grade._run_task)
    shipping.unpack <- as_completed ------------  Shipped (executed notebooks, notes)
    record (the one gradebook writer), feedback in local processes, grades.csv

It offers the calls of grade.LocalPool, so grade.grade() runs the same loop over either.
`distributed` is imported in this module only, and this module only when Grader.scheduler
(--scheduler, DASK_SCHEDULER_ADDRESS) names a scheduler: a local run never loads Dask.

What travels: each task carries the lesson's bundle and the submission as bytes (shipping.py),
not a reference to scattered data, so it depends on no other worker staying alive; a bundle is
a lesson's source folder and its cells, some 100 kB, small beside the seconds a notebook runs.
A worker needs the course's Python environment (this package with its checks, nbgrader, the
answer key the grader verifies against), nothing of the course folder.

Lost workers: Dask's scheduler already runs a task again elsewhere when the worker running it
dies, is removed or stops answering (distributed.scheduler.worker-ttl), up to
distributed.scheduler.allowed-failures times (3 by default); only a submission on which that
many workers died comes back as KilledWorker, which is reported not graded (WorkerLost) and
not tried again here.
"""

import contextlib
import copy
import time
import uuid
from concurrent.futures import CancelledError

from traitlets.config import Config

from autograder.grader import pending
from autograder.grader.course import CourseError
from autograder.grader.execute import GradingExecute
from autograder.grader.grade import (
    MEMORY_FLOOR_MB,
    LocalPool,
    WorkerLost,
    _run_task,
    _worker_setup,
    default_memory_mb,
)
from autograder.grader.shipping import lesson_bundle, pack, run_parcel, unpack

CONNECT_SECONDS = 10  # a scheduler that is up answers in milliseconds
WORKERS_SECONDS = 60  # how long a run waits for a worker, at its start or after all died
WATCH_SECONDS = 0.2  # how often a run waiting on results checks that workers remain


def first_line(err):
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def connect(address):
    """A distributed.Client of the scheduler at `address` with at least one worker; CourseError
    in one sentence when there is no such scheduler, or it has no worker."""
    from distributed import Client

    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as err:
        raise CourseError(
            f"cannot reach the Dask scheduler at {address} ({first_line(err)}): start one there "
            "with `dask scheduler`, or give its address with --scheduler tcp://HOST:8786 "
            "(or DASK_SCHEDULER_ADDRESS)"
        ) from None
    try:
        client.wait_for_workers(1, timeout=WORKERS_SECONDS)
    except (TimeoutError, OSError):
        client.close()
        raise CourseError(
            f"the Dask scheduler at {address} has had no worker for {WORKERS_SECONDS} s: start "
            f"one with `dask worker {address} --nthreads 1`"
        ) from None
    return client


# ---------------------------------------------------------------------- on a Dask worker


def worker_memory_limit(config):
    """config with GradingExecute.max_memory_mb set, if it was left 0, from this Dask worker's
    share of its machine (its memory_limit, split among its threads) as a local run would."""
    if GradingExecute(config=config).max_memory_mb:
        return config
    from distributed import get_worker

    worker = get_worker()
    threads = max(1, worker.state.nthreads)
    limit = worker.memory_manager.memory_limit
    if limit:
        mb = max(MEMORY_FLOOR_MB, min(4096, limit * 3 // 4 // threads // 2**20))
    else:
        mb = default_memory_mb(threads)
    config = copy.deepcopy(config)  # Config.copy would share its sections
    config.merge(Config({"GradingExecute": {"max_memory_mb": mb}}))
    return config


def work(config, bundle, parcel):
    """The task a Dask worker runs: one shipped submission; returns a shipping.Shipped."""
    _worker_setup()
    return run_parcel(worker_memory_limit(config), bundle, parcel, _run_task)


# ---------------------------------------------------------------------- in the grader


class ClusterPool:
    """The executor of a Dask cluster (see grade.LocalPool for the calls).

    feedback_jobs: local processes writing feedback (it reads the gradebook, which is here).
    """

    lost = ()  # Dask's scheduler runs a lost worker's tasks again itself (module docstring)

    def __init__(self, address, feedback_jobs):
        self.address = address
        self.local = LocalPool(feedback_jobs)
        self.client = None
        self.bundles = {}
        self.abandoned = None  # why the remaining submissions were given up, if they were

    def __enter__(self):
        self.client = connect(self.address)
        self.local.__enter__()
        return self

    def __exit__(self, *exc):
        self.local.__exit__(*exc)
        self.client.close()

    def prepare(self, course):
        return course  # each worker sets its own memory limit (worker_memory_limit)

    def run(self, course, student, lesson):
        if lesson not in self.bundles:
            self.bundles[lesson] = lesson_bundle(course, lesson)
        return self.client.submit(
            work,
            course.config,
            self.bundles[lesson],
            pack(course, student, lesson),
            key=f"grade {student} {lesson} {uuid.uuid4().hex[:8]}",
            pure=False,
        )

    def completed(self, futures):
        """The futures as they finish; if the cluster has had no worker for WORKERS_SECONDS
        (every one died, as a worker-killing submission can do to workers without a nanny),
        the rest are given up (outcome: WorkerLost) rather than waited on for ever."""
        from distributed import as_completed

        pending = as_completed(list(futures), loop=self.client.loop)
        idle_since = None
        while not pending.is_empty():
            batch = pending.next_batch(block=False)
            if batch:
                idle_since = None
                yield from batch
                continue
            time.sleep(WATCH_SECONDS)
            if self.client.nthreads():
                idle_since = None
            elif idle_since is None:
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since > WORKERS_SECONDS:
                self.abandoned = f"the Dask cluster had no worker left for {WORKERS_SECONDS} s"
                self.client.cancel([f for f in futures if not f.done()])

    def outcome(self, course, future):
        from distributed import KilledWorker

        try:
            shipped = future.result()
        except KilledWorker as err:
            raise WorkerLost(
                f"{err.allowed_failures + 1} Dask workers died while running it (Dask runs a "
                f"task again on another worker {err.allowed_failures} times)"
            ) from None
        except CancelledError as err:
            why = f"the Dask scheduler at {self.address} dropped it ({first_line(err)})"
            raise WorkerLost(self.abandoned or why) from None
        result = unpack(course, shipped)
        # Kept beside the executed notebooks until the gradebook has the grades, as a local
        # worker keeps them (pending.py; the worker's own copy went with its folder).
        pending.keep_notes(course, result.student, result.lesson, result.notes)
        return result, shipped.seconds

    def feedback(self, course, student, lesson):
        return self.local.feedback(course, student, lesson)

    def alone(self):
        return contextlib.nullcontext(self)
