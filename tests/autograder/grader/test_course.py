"""Is Course the one owner of the layout and the settings, and do both reach where they act?"""

import csv
import pickle

import pytest
from nbgrader.converters import GenerateAssignment

from autograder.grader.cli import main
from autograder.grader.course import Course, CourseError
from autograder.grader.execute import GradingExecute
from autograder.grader.inprocess import run_converter
from autograder.grader.release import release
from autograder.grader.sample_class import completed, submit, with_body

LESSON = "04_output_layer"


def renamed(tmp_path):
    """A course whose nbgrader_config.py names other folders than the template's."""
    course = Course.create(tmp_path / "course", [LESSON])
    (course.root / "lessons").rename(course.root / "source")
    with open(course.root / "nbgrader_config.py", "a") as f:
        f.write(
            '\nc.CourseDirectory.source_directory = "source"\n'
            'c.CourseDirectory.release_directory = "handout"\n'
            'c.CourseDirectory.submitted_directory = "inbox"\n'
            "c.GradingExecute.timeout = 3\n"
        )
    return Course.open(course.root)


def test_folders_come_from_the_configuration(tmp_path):
    """Does every nbgrader folder follow nbgrader_config.py?"""
    course = renamed(tmp_path)
    assert course.source == course.root / "source"
    assert course.release == course.root / "handout"
    assert course.submitted == course.root / "inbox"
    assert course.autograded == course.root / "autograded"
    assert course.notebook("submitted", LESSON, student="ada") == (
        course.root / "inbox" / "ada" / LESSON / f"{LESSON}.ipynb"
    )
    assert course.lessons() == [LESSON]


def test_command_line_settings_beat_the_file(tmp_path):
    """Is a setting from the command line stronger than nbgrader_config.py's?"""
    course = renamed(tmp_path)
    assert GradingExecute(config=course.config).timeout == 3
    stronger = Course.open(course.root, {"GradingExecute": {"timeout": 7}})
    assert GradingExecute(config=stronger.config).timeout == 7
    assert GradingExecute(config=Course.create(tmp_path / "plain", [LESSON]).config).timeout == 30


def test_bad_course_directories_are_named(tmp_path):
    """Are a missing folder, a folder without config and an unknown lesson each refused?"""
    with pytest.raises(CourseError, match="does not exist"):
        Course.open(tmp_path / "nowhere")
    with pytest.raises(CourseError, match="has no nbgrader_config.py"):
        Course.open(tmp_path)
    with pytest.raises(CourseError, match="no lesson named 07_attention; lessons: 01_chain_rule"):
        Course.create(tmp_path / "new", ["07_attention"])
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("keep")
    with pytest.raises(CourseError, match="is not empty"):
        Course.create(tmp_path / "full")
    assert (tmp_path / "full" / "mine.txt").read_text() == "keep"


def test_course_survives_pickling(tmp_path):
    """Workers receive the Course itself: does it arrive with its settings?"""
    course = renamed(tmp_path)
    again = pickle.loads(pickle.dumps(course))
    assert again.source == course.source
    assert GradingExecute(config=again.config).timeout == 3


@pytest.mark.slow
def test_a_course_with_other_folder_names_releases_and_grades(tmp_path, capsys):
    """Does a course whose source is source/ release and grade, with the file's timeout?

    The timeout is set in nbgrader_config.py only (3 s); the endless stub's note names it.
    """
    course = renamed(tmp_path)
    (folder,) = release(course)
    assert folder == course.release / LESSON
    assert (folder / "autograder" / "checks" / "output_layer.py").is_file()
    submit(course, "ada", LESSON, completed(course, LESSON))
    endless = "while True:\n    pass"
    submit(course, "loops", LESSON, with_body(course, LESSON, "linear_backward", endless))
    assert main(["grade", "--course", str(course.root), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "loops/04_output_layer: " in out and "ran past the time limit (3 s)" in out, out
    with open(course.grades_csv) as f:
        rows = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f)}
    assert rows["ada"] == 15  # lesson 04: 4 + 3 + 3 + 3 + 2
    assert course.feedback_file("ada", LESSON).is_file()


def test_settings_for_one_step_leave_the_course_alone(tmp_path):
    """Does running a converter with extra settings (record's) leave the course's own alone?"""

    course = Course.create(tmp_path / "course", [LESSON])
    before = course.submitted
    run_converter(GenerateAssignment, course, LESSON, CourseDirectory={"submitted_directory": "x"})
    assert course.submitted == before
    changed = course.with_config({"CourseDirectory": {"submitted_directory": "y"}})
    assert changed.submitted == course.root / "y" and course.submitted == before
