"""Grades in the shape a learning-management system reads: Canvas, Moodle, Gradescope.

Each system names its students its own way, so the file is built on the system's own export
of the class when one is given (`--roster`): its rows, in its order, with its identity columns
as they are, and one column per lesson added (or filled in, for Canvas, when the export already
has that assignment's column). A student is matched by the nbgrader id or the gradebook's
email against the system's login and id columns (case ignored). Without a roster, the identity
columns come from the gradebook (its id as the login, its names and emails).

    canvas      Canvas's gradebook CSV: Student, ID, SIS User ID, SIS Login ID, Section, then
                one column per assignment ("Name" makes a new one, "Name (123)" updates
                assignment 123), and a "Points Possible" row under the header.
    moodle      Moodle's grade export/import CSV: First name, Last name, ID number,
                Institution, Department, Email address, then one column per grade item (map
                the user by email or ID number when importing).
    gradescope  Gradescope's grade-export layout: First Name, Last Name, SID, Email, Sections,
                then per assignment its score and "<name> - Max Points".

Scores are nbgrader's (after late penalties), as grades.csv has them: a lesson a student did
not hand in counts 0 there, and here too.
"""

import csv
from dataclasses import dataclass, field

from nbgrader.api import Gradebook, MissingEntry


class ExportError(Exception):
    """The export cannot be written as asked; the message says why and what to do."""


@dataclass
class Student:
    """One gradebook student and their score per lesson."""

    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    scores: dict = field(default_factory=dict)

    def keys(self):
        """What an LMS row may know this student by."""
        return {k.lower() for k in (self.id, self.email) if k}


def gradebook(course):
    """([(lesson, max score)], [Student]) from the course's gradebook, by lesson and id."""
    with Gradebook(course.db_url, course.course_id) as gb:
        lessons = [(a.name, a.max_score) for a in sorted(gb.assignments, key=lambda a: a.name)]
        students = []
        for s in sorted(gb.students, key=lambda s: s.id):
            student = Student(s.id, s.first_name or "", s.last_name or "", s.email or "")
            for lesson, _ in lessons:
                try:
                    student.scores[lesson] = gb.find_submission(lesson, s.id).score
                except MissingEntry:
                    student.scores[lesson] = 0.0
            students.append(student)
    return lessons, students


def points(value):
    """A score as an LMS reads it: 12 for 12.0, 7.5 for 7.5."""
    return f"{value:g}"


class LmsFormat:
    """A system's layout: its identity columns, the columns a student is matched on, and
    how each lesson's columns are named."""

    name = ""
    identity = ()  # the columns before the scores, in the system's order
    match_on = ()  # identity columns that may hold a student's nbgrader id or email

    def from_gradebook(self, student):
        """The identity columns for a student when there is no roster."""
        raise NotImplementedError

    def score_columns(self, lesson, header):
        """[(column name, what goes in it: 'score' or 'max')] for a lesson."""
        return [(lesson, "score")]

    def extra_rows(self, header, lessons, kept):
        """Rows between the header and the students (Canvas's Points Possible); kept: those
        the roster had there."""
        return kept


class Canvas(LmsFormat):
    name = "canvas"
    identity = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
    match_on = ("SIS Login ID", "SIS User ID", "ID")

    def from_gradebook(self, student):
        names = ", ".join(n for n in (student.last_name, student.first_name) if n)
        return {"Student": names or student.id, "SIS Login ID": student.id}

    def score_columns(self, lesson, header):
        # An assignment Canvas knows is "Name (id)" in its export: use it, to update it.
        known = [h for h in header if h.startswith(f"{lesson} (") and h.endswith(")")]
        return [(known[0] if known else lesson, "score")]

    def extra_rows(self, header, lessons, kept):
        row = kept[0] if kept else {"Student": "    Points Possible"}
        for lesson, max_score in lessons:
            for column, _ in self.score_columns(lesson, header):
                row[column] = points(max_score)
        return [row]


class Moodle(LmsFormat):
    name = "moodle"
    identity = ("First name", "Last name", "ID number", "Institution", "Department")
    identity += ("Email address",)
    match_on = ("ID number", "Email address")

    def from_gradebook(self, student):
        return {
            "First name": student.first_name,
            "Last name": student.last_name,
            "ID number": student.id,
            "Email address": student.email,
        }


class Gradescope(LmsFormat):
    name = "gradescope"
    identity = ("First Name", "Last Name", "SID", "Email", "Sections")
    match_on = ("SID", "Email")

    def from_gradebook(self, student):
        return {
            "First Name": student.first_name,
            "Last Name": student.last_name,
            "SID": student.id,
            "Email": student.email,
        }

    def score_columns(self, lesson, header):
        return [(lesson, "score"), (f"{lesson} - Max Points", "max")]


FORMATS = {f.name: f for f in (Canvas(), Moodle(), Gradescope())}


@dataclass
class Export:
    """What export() wrote: the file, how many rows, and the students it could not place."""

    path: str
    rows: int
    unmatched: list


def read_roster(path, lms):
    """(header, rows, [rows above the students]) of an LMS's own export of the class;
    ExportError if it is not one."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in reader.fieldnames or []]
            rows = [{k.strip(): (v or "").strip() for k, v in r.items() if k} for r in reader]
    except FileNotFoundError:
        raise ExportError(f"{path} does not exist") from None
    except (UnicodeDecodeError, csv.Error) as err:
        raise ExportError(f"{path} is not a CSV text file ({err})") from None
    missing = [c for c in lms.identity if c not in header]
    if missing:
        raise ExportError(
            f"{path} is not a {lms.name} roster: it has no {', '.join(repr(c) for c in missing)} "
            f"column; export the class from {lms.name} (its columns: {', '.join(lms.identity)})"
        )
    above = [r for r in rows if r.get(lms.identity[0], "").strip() == "Points Possible"]
    return header, [r for r in rows if r not in above], above


def export(course, format_name, path, roster=None):
    """Write the course's grades for an LMS to `path`; return an Export.

    format_name: "canvas", "moodle" or "gradescope". roster: the LMS's own CSV export of the
    class (its rows and identity columns are kept), or None to take them from the gradebook.
    """
    if format_name not in FORMATS:
        raise ExportError(f"no format {format_name!r}; formats: {', '.join(FORMATS)}")
    lms = FORMATS[format_name]
    lessons, students = gradebook(course)
    if not lessons:
        raise ExportError("the gradebook has no lessons yet: release and grade first")
    if roster:
        header, rows, above = read_roster(roster, lms)
        placed, unmatched = _match(rows, students, lms)
    else:
        header = list(lms.identity)
        rows = [{**dict.fromkeys(lms.identity, ""), **lms.from_gradebook(s)} for s in students]
        placed, unmatched, above = dict(enumerate(students)), [], []
    for lesson, _ in lessons:
        for column, _ in lms.score_columns(lesson, header):
            if column not in header:
                header.append(column)
    lines = lms.extra_rows(header, lessons, above)
    for index, row in enumerate(rows):
        student = placed.get(index)
        for lesson, max_score in lessons:
            for column, what in lms.score_columns(lesson, header):
                if student is not None:
                    row[column] = points(student.scores[lesson] if what == "score" else max_score)
        lines.append(row)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore", restval="")
        writer.writeheader()
        writer.writerows(lines)
    return Export(str(path), len(rows), [s.id for s in unmatched])


def _match(rows, students, lms):
    """({row index: Student}, [Student with no row]); ExportError if one row fits two."""
    by_key = {}
    for student in students:
        for key in student.keys():
            by_key.setdefault(key, []).append(student)
    placed = {}
    for index, row in enumerate(rows):
        found = {id(s): s for c in lms.match_on for s in by_key.get(row.get(c, "").lower(), [])}
        if len(found) > 1:
            names = ", ".join(sorted(s.id for s in found.values()))
            raise ExportError(f"roster row {index + 2} fits several students ({names})")
        if found:
            placed[index] = next(iter(found.values()))
    taken = {id(s) for s in placed.values()}
    return placed, [s for s in students if id(s) not in taken]
