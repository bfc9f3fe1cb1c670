"""nbgrader's configuration for this course: run nbgrader commands from the repository root.

The instructor's version of every lesson lives in lessons/<lesson>/ (nbgrader's "source"
directory); `nbgrader generate_assignment "*"` writes the student version to release/.
"""

import os

from nbgrader.converters import GenerateAssignment

c = get_config()  # noqa: F821 (nbgrader's config loader provides get_config)

c.CourseDirectory.course_id = "backprop"
c.CourseDirectory.source_directory = "lessons"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# nbgrader's exchange (release_assignment, fetch_assignment, submit, collect, list, and the
# formgrader's buttons) inside the course, not /usr/local/share/nbgrader/exchange, which
# needs root to create. Students point their own nbgrader_config.py at the same folder.
c.Exchange.root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exchange")

# What a student sees in place of a solution: the stub raises, so the checks can say
# "<name> is not implemented yet" instead of failing on a missing return value.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Feedback pages run nothing a student wrote, also when written by `nbgrader generate_feedback`
# or formgrader's button (autograder/grader/inert_exporter.py; the grader sets it itself too).
c.GenerateFeedback.exporter_class = "autograder.grader.inert_exporter.InertHTMLExporter"

# `nbgrader autograde` and the formgrader's Autograde button grade as `python -m autograder grade`
# does: the course's whole pipeline (jail, verification, caps) in place of nbgrader's
# sanitising steps, and only the saving of grades after it (autograder/grader/nbgrader_steps.py).
c.Autograde.sanitize_preprocessors = ["autograder.grader.nbgrader_steps.CourseGrading"]
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# The instructor's worked solutions to each lesson's exercises sit in markdown cells tagged
# "instructor-only", which the student version leaves out. (nbgrader clears "### BEGIN
# SOLUTION" regions only in solution cells, and refuses a markdown solution cell that is not
# also a graded one, so these are dropped whole by nbconvert's TagRemovePreprocessor, run
# before nbgrader's own steps, which then never see them.)
c.GenerateAssignment.preprocessors = [
    "nbconvert.preprocessors.TagRemovePreprocessor",
    *GenerateAssignment.class_traits()["preprocessors"].default(),
]
c.TagRemovePreprocessor.enabled = True
c.TagRemovePreprocessor.remove_cell_tags = {"instructor-only"}
