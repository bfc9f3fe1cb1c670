"""The checks students run: one check_<stub>(stub) per stubbed function, grouped by lesson.

Each check prints one short line when the stub is right, and otherwise raises CheckFailure
(an AssertionError) whose one-line message names the mistake and the fix. The checks judge
with the sources' worked numbers (recomputed), with properties, and with finite differences;
they recognise the known wrong answers by comparing with stored wrong variants.

The engine every lesson uses:
    core.py          calling a stub (call_stub), CheckFailure, the passing line (passed)
    cases.py         Case: one input and its right answer; fresh: the copy a stub is given
    catalogue.py     Mistake: one known wrong answer and its hint; failure: the verdict naming it
    compare.py       expect / check_case: compare a result, name the mistake or say where it is off
    warning_free.py  the numpy warnings a stub emits, and the verdict when it emits one
    parts.py         known_parts / judging: a check given parts= judges one part of a tuple
A lesson module (chain_rule.py, ...) holds only its data (inputs, right answers, CASES, the
MISTAKES catalogue) and its check_<stub> functions. Adding a mistake is one Mistake entry plus
its implementation in autograder/grader/mistakes/<lesson>.py; the check tries it by itself.

Import rule: this package ships with the student version of every lesson, where neither the
answer key nor the rest of the course is installed. Its modules import only the standard
library, numpy and autograder.checks itself, and contain no solution code. (IPython is used
only if it is already running: core.py then shows a verdict without a traceback.)
"""
