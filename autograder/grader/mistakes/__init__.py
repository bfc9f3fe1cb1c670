"""Mistaken implementations of every stub, one module per lesson: for tests and the grading demo.

Each catalog entry MISTAKES[stub] of autograder.checks.<lesson> has a function <stub>__<key>
here. This package does not ship to students.
"""
