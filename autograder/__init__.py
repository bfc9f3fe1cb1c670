"""The course's grader: the checks students run (autograder.checks) and the instructor's
grading on nbgrader (autograder.grader.cli and friends).

This file stays import-light: the student version ships autograder.checks, which needs
numpy only.
"""
