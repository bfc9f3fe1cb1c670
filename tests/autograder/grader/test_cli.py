"""Does the command line say what exists and what went wrong, and show its progress?"""

import io

import pytest

from autograder.grader.cli import main
from autograder.grader.course import Course
from autograder.grader.report import BarProgress, LineProgress, progress_for
from autograder.grader.sample_class import submit


@pytest.fixture
def course(tmp_path):
    course = Course.create(tmp_path / "course", ["02_softmax", "04_output_layer"])
    submit(course, "ada", "04_output_layer", text="{}")
    submit(course, "bo", "02_softmax", text="{}")
    (course.root / "gradebook.db").touch()  # known_lessons is never reached: names come first
    return course


def grade(course, *args):
    return main(["grade", "--course", str(course.root), *args])


def test_a_misspelled_lesson_is_named_with_the_lessons_there_are(course, capsys):
    assert grade(course, "04_output_layr") == 2
    err = capsys.readouterr().err
    assert "no lesson named 04_output_layr; lessons: 02_softmax, 04_output_layer" in err


def test_an_unknown_student_is_named_with_the_students_there_are(course, capsys):
    assert grade(course, "--student", "adaa") == 2
    err = capsys.readouterr().err
    assert "no submission from adaa" in err and "handed something in: ada, bo" in err


def test_a_course_folder_that_does_not_exist_is_said_so(tmp_path, capsys):
    assert main(["grade", "--course", str(tmp_path / "nowhere")]) == 2
    assert "nowhere does not exist" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["10", "1000"])
def test_a_memory_limit_no_lesson_can_run_under_is_refused(course, capsys, value):
    with pytest.raises(SystemExit) as stop:
        grade(course, "--memory", value)
    assert stop.value.code == 2
    assert f"{value} MB is too little" in capsys.readouterr().err


def test_progress_is_a_line_each_in_a_log_and_a_bar_on_a_terminal():
    log = io.StringIO()
    assert isinstance(progress_for(log), LineProgress)
    progress_for(log)(3, 12, "ada 04_output_layer (2.0 s)")
    assert log.getvalue() == "[  3/12] ada 04_output_layer (2.0 s)\n"

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    bar = progress_for(screen)
    assert isinstance(bar, BarProgress)
    bar(6, 12, "ada 04_output_layer")
    bar(12, 12, "bo 02_softmax")
    drawn = screen.getvalue()
    assert drawn.startswith("\r[" + "#" * 12 + "." * 12 + "]   6/12")
    assert drawn.count("\r") == 2 and drawn.endswith("\n")  # one line, ended when done
