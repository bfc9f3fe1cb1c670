"""Does a roster CSV reach the gradebook, and does a bad one get a sentence naming the line?"""

import pytest

from autograder.grader.cli import main
from autograder.grader.course import Course
from autograder.grader.roster import RosterError, class_list, import_roster, read_roster


@pytest.fixture
def course(tmp_path):
    return Course.create(tmp_path / "course", ["04_output_layer"])


def write(tmp_path, text, name="roster.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_import_adds_then_updates(course, tmp_path):
    first = write(tmp_path, "id,first_name,last_name,email\nada,Ada,Lovelace,ada@example.org\n")
    assert import_roster(course, first) == (["ada"], [])
    second = write(tmp_path, "id,last_name\nada,Byron\nbo,Peep\n", name="more.csv")
    assert import_roster(course, second) == (["bo"], ["ada"])
    students = {s.id: s for s in class_list(course)}
    assert students["ada"].last_name == "Byron" and students["ada"].first_name == "Ada"
    assert students["bo"].first_name is None


def test_a_spreadsheets_byte_order_mark_and_blank_lines_are_fine(tmp_path):
    path = write(tmp_path, "ID,Email\nada,a@x.org\n\n,\n", encoding="utf-8-sig")
    assert [s.id for s in read_roster(path)] == ["ada"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "is empty"),
        ("name,email\nada,a@x.org\n", "no 'id' column"),
        ("id,nickname\nada,A\n", "unknown column nickname"),
        ("id,first_name\nada\n", "line 2: 1 fields, the header has 2"),
        ("id\nada\nbo\nada\n", "line 4: ada is on line 2 too"),
        ("id\n../bo\n", "line 2: '../bo' cannot be a student id"),
        ("id\n.hidden\n", "cannot be a student id"),
    ],
)
def test_a_bad_roster_is_refused_naming_what_and_where(tmp_path, text, words):
    with pytest.raises(RosterError, match=words.replace("(", r"\(").replace(".", r"\.")):
        read_roster(write(tmp_path, text))


def test_the_command_line_says_what_went_wrong(course, tmp_path, capsys):
    assert main(["roster", "import", str(tmp_path / "missing.csv"), "--course", str(course.root)])
    assert "missing.csv does not exist" in capsys.readouterr().err
    path = write(tmp_path, "id,first_name,last_name\nada,Ada,Lovelace\n")
    assert main(["roster", "import", str(path), "--course", str(course.root)]) == 0
    assert main(["roster", "list", "--course", str(course.root)]) == 0
    assert "Ada Lovelace" in capsys.readouterr().out
