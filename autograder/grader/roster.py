"""The class list: students from a roster CSV into nbgrader's gradebook, with their names.

nbgrader files a submission under the student's id (the folder name in submitted/, the login
name nbgrader's exchange records), and the formgrader shows the names the gradebook holds for
that id ("None, None" when it holds none). A roster is a CSV file with a header row:

    id,first_name,last_name,email
    ada,Ada,Lovelace,ada@example.org

`id` is required; the other columns (nbgrader's own, as `nbgrader db student import` reads
them) may be missing or empty, and then keep what the gradebook has. Importing twice updates
names instead of adding students.
"""

import csv
import re
from dataclasses import dataclass

from nbgrader.api import Gradebook

COLUMNS = ("id", "first_name", "last_name", "email")
# An id names a folder under submitted/ and feedback/: no path separators, no leading dot.
VALID_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$")


class RosterError(Exception):
    """The roster file cannot be imported as it is; the message says where and why."""


@dataclass(frozen=True)
class Student:
    id: str
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None


def read_roster(path):
    """[Student] from a roster CSV; RosterError naming the line of any problem."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:  # -sig: Excel's BOM
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise RosterError(f"{path} does not exist") from None
    except (UnicodeDecodeError, csv.Error) as err:
        raise RosterError(f"{path} is not a CSV text file ({err})") from None
    if not rows:
        raise RosterError(f"{path} is empty: it needs a header row, e.g. {','.join(COLUMNS)}")
    header = [name.strip().lower() for name in rows[0]]
    if "id" not in header:
        raise RosterError(
            f"{path} has no 'id' column (its header is {','.join(rows[0])}); the header row "
            f"names the columns: {','.join(COLUMNS)}"
        )
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise RosterError(
            f"{path}: unknown column {', '.join(unknown)}; a roster has {', '.join(COLUMNS)}"
        )
    students, seen = [], {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise RosterError(
                f"{path}, line {line}: {len(row)} fields, the header has {len(header)}"
            )
        fields = {name: cell.strip() or None for name, cell in zip(header, row, strict=True)}
        student_id = fields["id"] or ""
        if not VALID_ID.match(student_id):
            raise RosterError(
                f"{path}, line {line}: {student_id!r} cannot be a student id (letters, digits "
                "and _ . @ + -, not starting with . or -: it names the student's folders)"
            )
        if student_id in seen:
            raise RosterError(
                f"{path}, line {line}: {student_id} is on line {seen[student_id]} too"
            )
        seen[student_id] = line
        students.append(Student(**fields))
    return students


def import_roster(course, path):
    """Add or update every student of the roster in the course's gradebook.

    Returns (added, updated): the ids of new students and of students already there.
    """
    students = read_roster(path)
    added, updated = [], []
    with Gradebook(course.db_url) as gradebook:
        known = {s.id for s in gradebook.students}
        for student in students:
            # A column the roster leaves out or blank keeps what the gradebook has.
            details = {k: v for k, v in vars(student).items() if k != "id" and v is not None}
            gradebook.update_or_create_student(student.id, **details)
            (updated if student.id in known else added).append(student.id)
    return added, updated


def class_list(course):
    """[Student] of the gradebook, by id."""
    with Gradebook(course.db_url) as gradebook:
        return [
            Student(s.id, s.first_name, s.last_name, s.email)
            for s in sorted(gradebook.students, key=lambda s: s.id)
        ]
