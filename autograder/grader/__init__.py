"""The instructor's side: release, grade, feedback and report, on nbgrader.

Never shipped to students (release copies autograder.checks only), so its modules import
nbgrader, jupyter_client and the answer key freely, at the top of each module. The folders and
settings of a course belong to course.Course; the grading steps are declared once, in
pipeline.SubmissionPipeline.
"""
