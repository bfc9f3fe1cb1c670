"""What `grade` prints: progress as it goes, a students x lessons score table and one line per
problem."""

import shutil
import sys


def progress_for(stream=None):
    """The progress printer for `stream` (default stdout): a bar redrawn in place on a
    terminal, one line per submission otherwise (a log file, CI). Called as
    progress(done, total, text)."""
    stream = stream or sys.stdout
    return BarProgress(stream) if stream.isatty() else LineProgress(stream)


class LineProgress:
    """'[ 12/180] ada 04_output_layer (3.1 s)', a line each."""

    def __init__(self, stream):
        self.stream = stream

    def __call__(self, done, total, text):
        print(f"[{done:>3}/{total}] {text}", file=self.stream, flush=True)


class BarProgress:
    """'[########............]  12/180  ada 04_output_layer (3.1 s)', redrawn on one line."""

    WIDTH = 24

    def __init__(self, stream):
        self.stream = stream

    def __call__(self, done, total, text):
        filled = self.WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        line = f"[{bar}] {done:>3}/{total}  {text}"
        columns = shutil.get_terminal_size((100, 20)).columns
        self.stream.write("\r" + line[: columns - 1].ljust(columns - 1))
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def score_table(graded):
    """The table as text: one row per student, one column per lesson, 'score/max'.

    graded: grade.Graded entries. A lesson a student did not submit shows '-', a submission
    that got no grade shows 'NOT GRADED', and one whose written answers wait for a hand grade
    shows its points so far and how many are still to grade: '12/16, 2 to grade'.
    """
    lessons = sorted({g.lesson for g in graded})
    students = sorted({g.student for g in graded})
    cell = {}
    for g in graded:
        mark = "NOT GRADED" if g.score is None else f"{g.score:g}/{g.max_score:g}"
        if to_grade(g):
            mark += f", {to_grade(g):g} to grade"
        cell[(g.student, g.lesson)] = mark + ("*" if g.notes else "")
    width = max([len("student"), *map(len, students)])
    columns = [max(len(a), 11) for a in lessons]
    lines = [
        "  ".join(
            ["student".ljust(width), *(a.rjust(w) for a, w in zip(lessons, columns, strict=True))]
        )
    ]
    for s in students:
        marks = (cell.get((s, a), "-").rjust(w) for a, w in zip(lessons, columns, strict=True))
        lines.append("  ".join([s.ljust(width), *marks]))
    # Student and lesson names are folder names a student may have chosen.
    return "\n".join(printable(line) for line in lines)


def summary(report):
    """What grade and demo print after grading: the table, then every note, one per line."""
    lines = ["", score_table(report.graded)]
    waiting = [g for g in report.graded if to_grade(g)]
    if waiting:
        points = sum(to_grade(g) for g in waiting)
        lines.append(
            f"\nwritten answers to grade in the formgrader: {points:g} points in "
            f"{len(waiting)} submission{'s' if len(waiting) != 1 else ''} (Manual Grading); "
            "until then a total counts only what is graded."
        )
    notes = problem_lines(report.graded)
    if notes:
        lines.append("\n* what happened (also at the top of each student's feedback):")
        lines += [f"  {note}" for note in notes]
    if report.isolation:
        lines.append(f"\n{report.isolation}")
    return "\n".join(lines)


def printable(text):
    """`text` with every control character shown as an escape: notes quote names a student
    chose (files, grade ids), and a terminal would obey an escape sequence in them."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def problem_lines(graded):
    """One line per note: 'student/lesson: what happened', control characters escaped."""
    return [printable(f"{g.student}/{g.lesson}: {note}") for g in graded for note in g.notes]


def to_grade(graded):
    """Points of a submission's written answers still waiting for a hand grade (0 if none)."""
    return getattr(graded.score, "to_grade", 0.0)
