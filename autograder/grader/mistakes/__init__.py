"""Mistaken implementations of every stub, one module per lesson: for tests and the grading demo.

Each catalog entry MISTAKES[stub] of autograder.checks.<lesson> has a function <stub>__<key>
here, with the stub's signature. tests/autograder/checks/test_catalogs.py finds every pair by
itself: it plants the function in place of the stub and proves the check names that entry, and
it runs the function on the cases the entry is tried on to prove the entry's stored (or
related) wrong answer is what the mistake returns. This package does not ship to students.
"""
