"""The known mistakes of every stub, and how a check names one.

A lesson's catalogue is a dict {stub name: (Mistake, ...)}. compare.expect tries every entry
that has a `wrong` on every case the entry is `on`; entries without a `wrong` are recognised
by a test of their own in the check (a warning, an argument changed in place, an error raised),
which names them with `failure`.
"""

from dataclasses import dataclass
from typing import Any

from autograder.checks.core import CheckFailure


@dataclass(frozen=True)
class Mistake:
    """One known wrong answer and what a tutor would say about it.

    key: a short stable name, used by tests ("no_max_subtraction").
    hint: one or two sentences: what is wrong and how to fix it.
    wrong: the result this mistake gives, in the shape of Case.want: either stored (numbers
           computed once by the mistaken implementation in autograder/grader/mistakes/), or a
           function of the right result (for slips like a sign or a missing 1/m). A dict may
           list only the parts the mistake changes. None: the check has its own test for it.
    on: the names of the cases whose `wrong` this is (stored numbers belong to one input);
        None: every case of the stub.
    """

    key: str
    hint: str
    wrong: Any = None
    on: tuple[str, ...] | None = None

    def applies_to(self, case):
        """Whether expect should try this mistake on the Case `case`."""
        return self.wrong is not None and (self.on is None or case.name in self.on)


def mistake_named(catalogue, stub, key):
    """The catalogue's Mistake `key` of `stub` (a KeyError naming both when there is none)."""
    for mistake in catalogue.get(stub, ()):
        if mistake.key == key:
            return mistake
    raise KeyError(f"the catalogue has no mistake {key!r} for {stub}")


def failure(catalogue, stub, key, evidence=""):
    """The verdict naming a catalogued mistake: "<stub>: <hint> (<evidence>)", key set."""
    hint = mistake_named(catalogue, stub, key).hint
    return CheckFailure(f"{stub}: {hint}" + (f" ({evidence})" if evidence else ""), key=key)
