"""The course's two audiences, one package each.

- autograder.checks: the checks students run from the lessons. It ships inside every released
  lesson, so it needs numpy only and holds no solution (its own docstring states the rule).
- autograder.grader: the instructor's side on nbgrader: release, grading, feedback, reports,
  the demo, and the catalogued mistakes. It never ships to students.

This file is shipped too (the checks need their parent package), so it imports nothing.
"""
