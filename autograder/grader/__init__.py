"""The instructor's side: release, grade, feedback and report, on nbgrader.

Never shipped to students (release copies autograder.checks only), so its modules import
nbgrader, jupyter_client and the answer key freely, at the top of each module. The folders and
settings of a course belong to course.Course; the grading steps are declared once, in
pipeline.SubmissionPipeline.
"""

import sys

# jsonschema (under nbformat and nbgrader) builds some 35 Earley parsers from rfc3987_syntax when
# it is imported, 0.7 s of CPU in every grading process, for an "iri" format no notebook or
# gradebook schema uses (python-jsonschema/jsonschema#1428). Without it, jsonschema leaves
# that one format unchecked.
sys.modules.setdefault("rfc3987_syntax", None)
