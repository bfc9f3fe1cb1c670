"""The course's grading as nbgrader's own autograde step, for `nbgrader autograde` and the
formgrader's Autograde button.

nbgrader's Autograde runs its sanitising preprocessors on the handed-in notebook, writes the
result into autograded/, then runs its autograding preprocessors on that (execution, saving the
grades). The course's nbgrader_config.py puts CourseGrading in place of the sanitising ones and
leaves only saving to the second pass, so a notebook nbgrader grades goes through exactly what
`python -m autograder grade` does to it: the release's cells put back, the kernel in the jail,
outputs capped, the stubs verified by the grader, the notes on top. Only its order differs:
one submission at a time, in nbgrader's process.

What nbgrader itself does first still applies: a file that is not a notebook at all fails in
nbconvert before this step (`python -m autograder grade` scores it 0 with a sentence).
"""

from nbconvert.preprocessors import Preprocessor
from nbgrader.coursedir import CourseDirectory
from traitlets import Bool

from autograder.grader.course import Course
from autograder.grader.pipeline import grade_notebook, pipeline_for, prepare_workdir


class CourseGrading(Preprocessor):
    """The whole grading of one handed-in notebook (see the module), as one preprocessor."""

    enabled = Bool(True)  # nbconvert runs a registered preprocessor only when enabled

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        student, lesson, name = info["student"], info["assignment"], info["notebook"]
        # The course's own settings, as `grade` reads them (the same nbgrader_config.py).
        course = Course.open(CourseDirectory(config=self.config).root)
        workdir = prepare_workdir(course, student, lesson)
        graded, _ = grade_notebook(
            course, pipeline_for(course, workdir), workdir, student, lesson, name
        )
        return graded, resources
