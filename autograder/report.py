"""The score table (students x lessons) from nbgrader's grades.csv export."""

import csv


def score_table(grades_csv):
    """Return the table as text: one row per student, one column per lesson, 'score/max'."""
    with open(grades_csv) as f:
        rows = list(csv.DictReader(f))
    lessons = sorted({r["assignment"] for r in rows})
    students = sorted({r["student_id"] for r in rows})
    cell = {
        (r["student_id"], r["assignment"]): f"{float(r['raw_score']):g}/{float(r['max_score']):g}"
        for r in rows
    }
    width = max([len("student"), *map(len, students)])
    lines = ["  ".join(["student".ljust(width), *(name.rjust(16) for name in lessons)])]
    for s in students:
        lines.append(
            "  ".join([s.ljust(width), *(cell.get((s, a), "-").rjust(16) for a in lessons)])
        )
    return "\n".join(lines)
