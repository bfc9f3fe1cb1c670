"""The checks students run: one check_<stub>(stub) per stubbed function, grouped by lesson.

Each check prints one short line when the stub is right, and otherwise raises CheckFailure
(an AssertionError) whose message names the mistake and the fix. The checks judge with the
sources' worked numbers (recomputed), with properties, and with finite differences; they
recognise the known wrong answers by comparing with stored wrong variants. They contain no
solution code, need only numpy, and ship with the student version of every lesson.
"""
