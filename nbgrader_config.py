"""nbgrader's configuration for this course: run nbgrader commands from the repository root.

The instructor's version of every lesson lives in lessons/<lesson>/ (nbgrader's "source"
directory); `nbgrader generate_assignment "*"` writes the student version to release/.
"""

c = get_config()  # noqa: F821 (nbgrader's config loader provides get_config)

c.CourseDirectory.course_id = "backprop"
c.CourseDirectory.source_directory = "lessons"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# What a student sees in place of a solution: the stub raises, so the checks can say
# "<name> is not implemented yet" instead of failing on a missing return value.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Feedback pages run nothing a student wrote, also when written by `nbgrader generate_feedback`
# or formgrader's button (autograder/grader/inert_exporter.py; the grader sets it itself too).
c.GenerateFeedback.exporter_class = "autograder.grader.inert_exporter.InertHTMLExporter"
