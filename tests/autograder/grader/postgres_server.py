"""A throwaway PostgreSQL server for the tests: Debian's `postgresql` binaries, a data folder
of its own in /tmp, 127.0.0.1 on a free port, trust authentication, stopped by its PID.

PostgreSQL refuses to run as root; under root the server runs as the `postgres` user the
Debian package creates (or `nobody`). Where there is no PostgreSQL, why() says so.
"""

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

READY_SECONDS = 30
SUPERUSER = "grader"


def bindir():
    """The newest /usr/lib/postgresql/<version>/bin holding initdb, or where PATH has it."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def run_as():
    """The unprivileged account the server runs as, or None to run as ourselves (not root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    return None


def why_not():
    """None if a server can be started here, else the reason (for pytest.skip)."""
    if bindir() is None:
        return (
            "PostgreSQL is not installed (no initdb): scripts/setup.sh installs Debian's "
            "postgresql when run as root (apt-get install postgresql)"
        )
    if os.geteuid() == 0 and run_as() is None:
        return "running as root and there is no postgres or nobody user to run PostgreSQL as"
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """with PostgresServer() as server: server.url(dbname) -> 'postgresql://grader:...@...'"""

    def __init__(self):
        self.bin = bindir()
        self.account = run_as()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="autograder-pg-"))
        self.process = None

    def _as_account(self):
        if self.account is None:
            return {}
        return {"user": self.account.pw_uid, "group": self.account.pw_gid}

    def __enter__(self):
        if self.account is not None:
            os.chown(self.folder, self.account.pw_uid, self.account.pw_gid)
        data = self.folder / "data"
        subprocess.run(
            [str(self.bin / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust"]
            + ["-E", "UTF8", "--no-sync", "--no-instructions"],
            check=True,
            capture_output=True,
            cwd=self.folder,
            **self._as_account(),
        )
        log = open(self.folder / "server.log", "wb")  # noqa: SIM115 (the server keeps it)
        with log:
            self.process = subprocess.Popen(
                [str(self.bin / "postgres"), "-D", str(data), "-h", "127.0.0.1"]
                + ["-p", str(self.port), "-k", str(self.folder), "-c", "fsync=off"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.folder,
                start_new_session=True,
                **self._as_account(),
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self):
        import psycopg

        deadline = time.monotonic() + READY_SECONDS
        while True:
            if self.process.poll() is not None:
                log = (self.folder / "server.log").read_text(errors="replace")
                raise RuntimeError(f"postgres exited at start:\n{log[-2000:]}")
            try:
                psycopg.connect(self.dsn("postgres")).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def dsn(self, dbname):
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={dbname}"

    def create_database(self, name):
        """A new empty database; return its SQLAlchemy URL (the password is ignored: trust)."""
        import psycopg

        with psycopg.connect(self.dsn("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://{SUPERUSER}:not-a-secret@127.0.0.1:{self.port}/{name}"

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        """Fast shutdown (SIGINT) by PID, SIGKILL to its session after 20 s; remove the folder."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
