"""The catalogue's hint for a wrong stub: the known mistake that gives exactly its answers.

The catalogue is autograder/checks/<lesson>.py MISTAKES (key and hint), each implemented as
<stub>__<key> in autograder/grader/mistakes/<lesson>.py (for a class stub such as
"Value_backward", a class Value__<key>, called through the same driver as the student's class).
A mistake matches when its implementation, run here on the same inputs, gives what the
student's stub gave on every input tried (two mistakes can agree on one input, rarely on all).
"""

from importlib import import_module

from autograder.grader.verify import answers, harness
from autograder.grader.verify.compare import same


def catalogue(lesson_module, stub):
    """[(Mistake, implementation)] of a stub's known mistakes, in the catalogue's order."""
    checks = import_module(f"autograder.checks.{lesson_module}")
    mistakes = import_module(f"autograder.grader.mistakes.{lesson_module}")
    name = harness.owner(stub)  # a class stub's mistakes are classes, called through its driver
    found = []
    for mistake in checks.MISTAKES.get(stub, ()):
        implementation = getattr(mistakes, f"{name}__{mistake.key}", None)
        if implementation is not None:
            found.append((mistake, harness.resolve(stub, {name: implementation})))
    return found


def find_hint(lesson_module, spec, seen):
    """The catalogued Mistake whose implementation gives what the student's stub gave on every
    input in `seen` ([(Case, Outcome)]), or None."""
    for mistake, implementation in catalogue(lesson_module, spec.name):
        if all(
            same_outcome(
                got, answers.run_here(implementation, case.args, bool(spec.unchanged)), spec
            )
            for case, got in seen
        ):
            return mistake
    return None


def same_outcome(got, other, spec):
    """Whether the student's Outcome and a mistake's are the same answer."""
    if got.status != other.status:
        return False
    if got.status == "raised":
        return got.error.name == other.error.name and got.error.message == other.error.message
    if got.status != "returned" or not same(got.value, other.value):
        return False
    if spec.no_warnings and bool(got.warnings) != bool(other.warnings):
        return False
    return all(
        same(_arg(got, spec, name), _arg(other, spec, name), rtol=0.0, atol=0.0)
        for name in spec.unchanged
    )


def _arg(outcome, spec, name):
    index = spec.args.index(name)
    return outcome.args[index] if outcome.args is not None and len(outcome.args) > index else None
