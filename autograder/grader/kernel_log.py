"""kernel.log, capped: a kernel's own stdout and stderr through a pipe that a thread drains.

The kernel process's file descriptors 1 and 2 (its start-up chatter, a C library's crash
message, and anything student code writes there with os.write) go to the write end of a pipe;
a thread of the grader's reads the other end, keeps the first `max_bytes` in kernel.log and
reads the rest away uncounted on disk, so `os.write(1, ...)` of 200 MiB leaves a file of
`max_bytes` and one line saying how much was dropped.

Why a pipe and a thread, rather than:
- RLIMIT_FSIZE set in the kernel process: it limits every file the student's code writes, not
  this one, and past it the kernel is killed by SIGXFSZ at its next write (its own crash
  report included); kernel.log is appended to by every kernel a notebook needs (restarts), so
  a later kernel would die at its first line. It cannot be set on the grader's own handle.
- letting the file grow and truncating it afterwards: the disk has taken the 200 MB by then.
- a pipe nobody drains: the kernel would block on a full pipe (64 KiB) and hang its cell.
The thread costs the grader a read of whatever the kernel writes (200 MiB in about half a
second), never memory beyond one chunk. It stops at the pipe's end (every process holding
the write end gone) or, when asked, after a short grace: a process the student left behind
may hold the write end forever.
"""

import os
import select
import threading
import time

CHUNK = 1 << 16
GRACE = 1.0  # seconds a closing log keeps draining what is still arriving


class CappedLog:
    """kernel.log at `path`, at most `max_bytes` long (whatever it held before included).

    Give `write_fd` to the kernel process as its stdout and stderr, call `started()` once the
    process is launched (the grader's copy of the write end must close, or the pipe never
    ends), and `close()` when the kernel is gone.
    """

    def __init__(self, path, max_bytes):
        self.path = path
        self.max_bytes = max_bytes
        self.dropped = 0
        read_fd, self.write_fd = os.pipe()
        os.set_inheritable(self.write_fd, True)
        self._file = open(path, "ab")  # noqa: SIM115 (the drain thread closes it)
        self._kept = self._file.tell()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._drain, args=(read_fd,), name="kernel.log", daemon=True
        )
        self._thread.start()

    def started(self):
        """The kernel process has its copy of the write end: close the grader's."""
        if self.write_fd is not None:
            os.close(self.write_fd)
            self.write_fd = None

    def close(self, timeout=GRACE + 1):
        """Stop draining (after at most GRACE seconds more) and close the file."""
        self.started()
        self._stop.set()
        self._thread.join(timeout)

    def _drain(self, fd):
        stop_by = None
        try:
            while True:
                if self._stop.is_set() and stop_by is None:
                    stop_by = time.monotonic() + GRACE
                if stop_by is not None and time.monotonic() > stop_by:
                    break
                ready, _, _ = select.select([fd], [], [], 0.1)
                if not ready:
                    if stop_by is not None:
                        break
                    continue
                chunk = os.read(fd, CHUNK)
                if not chunk:
                    break  # every process holding the write end has closed it
                self._keep(chunk)
        finally:
            os.close(fd)
            if self.dropped:
                self._file.write(
                    f"\n[kernel.log: the grader dropped {self.dropped:,} more bytes; it keeps "
                    f"the first {self.max_bytes:,}]\n".encode()
                )
            self._file.close()

    def _keep(self, chunk):
        room = max(0, self.max_bytes - self._kept)
        if room:
            self._file.write(chunk[:room])
            self._file.flush()  # a crash message is read while the grader still runs
            self._kept += min(room, len(chunk))
        self.dropped += max(0, len(chunk) - room)
