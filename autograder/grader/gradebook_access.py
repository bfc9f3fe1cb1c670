"""Reaching nbgrader's gradebook when someone else holds it: wait, try again, then say so.

The gradebook is one SQLite file. Anything else that writes it (formgrader open in a browser,
an `nbgrader` command, a second grading run, a backup tool) locks it for a while, and Python's
sqlite3 gives up after 5 s with `OperationalError: database is locked`, which used to end the
whole run with no grades.csv, table or feedback. Here:

- every connection the grader (and nbgrader's steps inside it) opens waits up to
  `busy_timeout` seconds for a lock: the gradebook URL carries sqlite3's `timeout`
  (`sqlite:////course/gradebook.db?timeout=30`, which SQLAlchemy hands to sqlite3.connect);
- an operation that still finds it locked (SQLite also answers "locked" at once, without
  waiting, when two connections would deadlock) is tried `attempts` times in all, `pause`
  seconds apart;
- after that, GradebookBusy says which file is locked and what to do.

What the run computed meanwhile is kept (pending.py) and saved later by
`python -m autograder grade --record-only`, which runs nothing again.
"""

import sqlite3
import time
from urllib.parse import parse_qsl, urlencode

from sqlalchemy.exc import OperationalError
from traitlets import Float, Integer
from traitlets.config import Configurable

SQLITE = "sqlite:///"


class GradebookAccess(Configurable):
    """How long the grader waits for a gradebook someone else has locked."""

    busy_timeout = Float(
        30.0,
        help="Seconds one gradebook access waits for another program's lock to go. A save "
        "takes about 0.3 s, so only a lock held by something else is waited for this long.",
    ).tag(config=True)
    attempts = Integer(
        3, help="Tries of a gradebook access that finds the gradebook locked, in all."
    ).tag(config=True)
    pause = Float(2.0, help="Seconds between two tries of a locked gradebook access.").tag(
        config=True
    )

    def patience(self):
        """Seconds an access may wait in all before it gives up."""
        return self.attempts * self.busy_timeout + (self.attempts - 1) * self.pause


class GradebookBusy(RuntimeError):
    """The gradebook stayed locked through every try; the message names the file."""


def sqlite_file(url):
    """The file of an sqlite URL ('sqlite:////c/gradebook.db?timeout=30' -> '/c/gradebook.db'),
    or None for another database."""
    if not url.startswith(SQLITE):
        return None
    return url[len(SQLITE) :].split("?", 1)[0]


def with_busy_timeout(url, seconds):
    """`url` with sqlite3's lock timeout set to `seconds` (other databases: unchanged)."""
    if not url.startswith(SQLITE):
        return url
    path, _, query = url.partition("?")
    params = dict(parse_qsl(query))
    params["timeout"] = f"{seconds:g}"
    return f"{path}?{urlencode(params)}"


def is_locked(error):
    """Is `error` SQLite's lock error: an OperationalError (sqlite3's, or SQLAlchemy's around
    it) saying so, or nbgrader's error text whose cause (its last line, see
    inprocess.run_converter) is one? Only these count: a message a student could steer (an
    exception quoting their metadata) never turns a 0 into "not saved"."""
    if isinstance(error, str):
        lines = error.strip().splitlines()
        cause = lines[-1] if lines else ""
        return cause.startswith("OperationalError") and lock_words(cause)
    return isinstance(error, sqlite3.OperationalError | OperationalError) and lock_words(error)


def lock_words(error):
    text = str(error).lower()
    return "database is locked" in text or "database table is locked" in text


def busy_message(url, seconds):
    """The sentence for a gradebook that stayed locked for `seconds`."""
    where = sqlite_file(url) or url
    return (
        f"the gradebook {where} stayed locked by another program for {seconds:.0f} s "
        "(formgrader, an nbgrader command or another grading run?)"
    )


def patiently(action, url, access, sleep=time.sleep):
    """action()'s result, tried again while it fails on a locked gradebook; GradebookBusy
    when every try did.

    action: called with no argument; it may raise (sqlalchemy's OperationalError) or return
    nbgrader's error text (run_converter's way): a text that is a lock message counts as a
    failure to try again, any other result is returned as it is.
    """
    for attempt in range(1, access.attempts + 1):
        try:
            result = action()
        except Exception as err:
            if not is_locked(err):
                raise
        else:
            if not (isinstance(result, str) and is_locked(result)):
                return result
        if attempt < access.attempts:
            sleep(access.pause)
    raise GradebookBusy(busy_message(url, access.patience()))
