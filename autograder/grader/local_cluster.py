"""A real Dask cluster on this machine: one `dask scheduler` and `dask worker` processes.

For the tests and the benchmark, and for an instructor trying `grade --scheduler` on one
machine before spreading it over several: the same commands the README gives for other
machines, on 127.0.0.1, each on a free port, each process in a session of its own so that it
is stopped by its PID (with whatever it started) however the caller ends.

    with LocalCluster(workers=2) as cluster:
        grade(course.with_config({"Grader": {"scheduler": cluster.address}}))
        cluster.kill_worker(0)   # SIGKILL, as a machine that goes away

Each worker has one thread (--nthreads 1) and, unless asked, no nanny, so killing its PID
removes it for good.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READY_SECONDS = 60


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dask_command(*args):
    """The `dask` command of this interpreter's environment."""
    return [sys.executable, "-m", "dask", *args]


class LocalCluster:
    """A scheduler and `workers` single-threaded workers, as processes (see module docstring).

    nanny: each worker under a nanny process that starts it again when it dies (as `dask
    worker` does by default); without one (the default here) a killed worker stays dead.

    address: the scheduler's tcp://127.0.0.1:PORT. logs: the folder of each process's output
    (and, by default, of the workers' temporary files), removed by stop().
    """

    def __init__(self, workers=2, env=None, nanny=False):
        self.workers = workers
        self.nanny = nanny
        self.logs = Path(tempfile.mkdtemp(prefix="autograder-dask-"))
        # The workers' temporary folders (a killed worker leaves its task's behind) are this
        # cluster's too, removed with it, unless `env` says otherwise.
        (self.logs / "tmp").mkdir()
        self.env = {**os.environ, "TMPDIR": str(self.logs / "tmp"), **(env or {})}
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.scheduler = None
        self.worker_processes = []

    def _start(self, name, command):
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 (the process keeps it)
        with log:
            return subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=self.logs,
                start_new_session=True,
            )

    def __enter__(self):
        try:
            port = self.address.rsplit(":", 1)[1]
            self.scheduler = self._start(
                "scheduler",
                dask_command("scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"),
            )
            for i in range(self.workers):
                self.worker_processes.append(
                    self._start(
                        f"worker{i}",
                        dask_command(
                            "worker",
                            self.address,
                            "--name",
                            f"worker{i}",
                            "--host",
                            "127.0.0.1",
                            "--nthreads",
                            "1",
                            "--nanny" if self.nanny else "--no-nanny",
                            "--no-dashboard",
                            "--local-directory",
                            str(self.logs / f"worker{i}"),
                        ),
                    )
                )
            self.wait_for_workers(self.workers)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def wait_for_workers(self, n):
        """Return once `n` workers are connected to the scheduler; RuntimeError after a minute."""
        from distributed import Client

        deadline = time.monotonic() + READY_SECONDS
        while True:
            for process in [self.scheduler, *self.worker_processes]:
                if process.poll() is not None:
                    raise RuntimeError(f"a dask process exited early:\n{self.tail()}")
            try:
                with Client(self.address, timeout=5, set_as_default=False) as client:
                    client.wait_for_workers(n, timeout=max(1, deadline - time.monotonic()))
                return
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"no {n} dask workers in {READY_SECONDS} s:\n{self.tail()}"
                    ) from None
                time.sleep(0.5)

    def tail(self):
        """The end of each process's log (the folder goes with stop())."""
        return "\n".join(
            f"{log.name}: {log.read_text(errors='replace')[-1500:]}"
            for log in sorted(self.logs.glob("*.log"))
        )

    def kill_worker(self, i):
        """SIGKILL worker i and everything it started (its kernels)."""
        stop_session(self.worker_processes[i], signal.SIGKILL)

    def stop(self):
        """Stop every process this cluster started, by PID: workers, then the scheduler; remove
        its folder (logs, the workers' temporary files)."""
        for process in [*self.worker_processes, self.scheduler]:
            if process is not None:
                stop_session(process, signal.SIGTERM)
        shutil.rmtree(self.logs, ignore_errors=True)


def stop_session(process, sig):
    """Send `sig` to the process's session (it leads one: start_new_session); SIGKILL what is
    left after 10 s; reap it."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    # Kernels the worker started may outlive it in its session; end them too.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
