"""The instructor's command line: python -m autograder (or backprop-grader)."""

import argparse
import sys
import time
from pathlib import Path


def demo(args):
    """Grade a sample class end to end in a fresh course directory, and show the results."""
    import shutil
    import tempfile

    from autograder.grader.grade import grade as grade_all
    from autograder.grader.release import ReleaseError
    from autograder.grader.release import release as release_lessons
    from autograder.grader.report import summary
    from autograder.grader.sample_class import demo_class

    repo = Path(__file__).resolve().parents[2]
    if not (repo / "lessons").is_dir():
        print(f"demo: no lessons/ beside the package in {repo}", file=sys.stderr)
        return 2
    course = Path(args.course or tempfile.mkdtemp(prefix="backprop-course-"))
    if course.exists() and any(course.iterdir()):
        print(f"demo: {course} is not empty; give a new directory", file=sys.stderr)
        return 2
    shutil.copytree(repo / "lessons", course / "lessons", dirs_exist_ok=True)
    shutil.copy(repo / "nbgrader_config.py", course)
    start = time.perf_counter()
    print(f"course directory: {course}")
    try:
        folders = release_lessons(course, args.lessons)
    except ReleaseError as err:
        print(f"demo: {err}", file=sys.stderr)
        return 2
    print(f"released {len(folders)} lessons into {course / 'release'}")
    lessons = [f.name for f in folders]
    planted = demo_class(course, lessons)
    print(f"planted {len(planted)} submissions of {len({p[0] for p in planted})} students:")
    for student in dict.fromkeys(p[0] for p in planted):
        whats = [(a, w) for s, a, w in planted if s == student]
        if student.startswith("mistakes_"):
            what = f"one catalogued mistake in each lesson ({whats[0][1]}, ...)"
        else:
            what = whats[0][1] + ("" if len(whats) > 1 else f" ({whats[0][0]})")
        print(f"  {student:10} {what}")
    workers = f"{args.jobs} worker(s)" if args.jobs else "2 workers per core"
    print(f"grading with {workers}, {args.timeout} s per cell ...")
    report = grade_all(course, jobs=args.jobs, timeout=args.timeout)
    print(summary(report))
    print("\nwhat mistakes_1 reads in its feedback:")
    for lesson in lessons:
        for grade_id, message in failed_tests(course, "mistakes_1", lesson):
            print(f"  {lesson} {grade_id}: {message[:150]}{'...' if len(message) > 150 else ''}")
    print(f"\ngraded {len(report.graded)} submissions in {time.perf_counter() - start:.0f} s")
    print(f"gradebook: {course / 'gradebook.db'}; grades: {course / 'grades.csv'}")
    print(f"feedback:  {course / 'feedback'}/<student>/<lesson>/<lesson>.html")
    return 0 if report.complete else 1


def failed_tests(course, student, lesson):
    """[(test grade_id, 'ename: evalue')] of the failed test cells in an autograded notebook."""
    import nbformat

    path = course / "autograded" / student / lesson / f"{lesson}.ipynb"
    failed = []
    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if meta.get("grade") and errors:
            failed.append((meta["grade_id"], f"{errors[0].ename}: {errors[0].evalue}"))
    return failed


def release(args):
    """Write the student version of the lessons into release/, checks included."""
    from autograder.grader.release import ReleaseError
    from autograder.grader.release import release as release_lessons

    try:
        folders = release_lessons(args.course, args.lessons)
    except ReleaseError as err:
        print(f"release failed: {err}", file=sys.stderr)
        return 2
    for folder in folders:
        print(f"released {folder.name} -> {folder}")
    print("students open a released folder with `jupyter lab`; its checks are in autograder/")
    return 0


def grade(args):
    """Autograde every submission under submitted/: gradebook, feedback, grades.csv, table."""
    from autograder.grader.course import CourseError
    from autograder.grader.grade import grade as grade_all
    from autograder.grader.report import summary

    quiet = args.quiet
    try:
        report = grade_all(
            args.course,
            jobs=args.jobs,
            timeout=args.timeout,
            max_memory_mb=args.memory,
            progress=None if quiet else print,
            lessons=args.lessons,
            students=args.student,
        )
    except CourseError as err:
        print(f"grade: {err}", file=sys.stderr)
        return 2
    print(summary(report))
    course = Path(args.course).resolve()
    print(
        f"\n{len(report.graded) - len(report.ungraded)} of {len(report.graded)} submissions "
        f"graded; grades.csv in {course}, feedback in {course / 'feedback'}"
    )
    return 0 if report.complete else 1


def positive(text):
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="release, plant a sample class, grade it: the main job")
    p.add_argument("lessons", nargs="*", help="lesson names (default: all)")
    p.add_argument("--course", help="an empty directory to use (default: a new temporary one)")
    p.add_argument("--jobs", type=positive, default=None, help="workers (default: 2 per core)")
    p.add_argument("--timeout", type=positive, default=10, help="seconds per cell (10)")
    p.set_defaults(func=demo)
    p = sub.add_parser("release", help="the student version of lessons, into release/")
    p.add_argument("lessons", nargs="*", help="lesson names (default: all)")
    p.add_argument("--course", default=".", help="the course directory (default: here)")
    p.set_defaults(func=release)
    p = sub.add_parser("grade", help="autograde submitted/, feedback and grades.csv")
    p.add_argument("lessons", nargs="*", help="lesson names (default: every one submitted)")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--course", default=".", help="the course directory (default: here)")
    p.add_argument(
        "--jobs", type=positive, default=None, help="notebooks run at once (default: 2 per core)"
    )
    p.add_argument("--timeout", type=positive, default=None, help="seconds per cell (default: 30)")
    p.add_argument(
        "--memory",
        type=positive,
        default=None,
        help="MB per notebook (default: 4096, less if jobs x 4096 MB passes 3/4 of RAM)",
    )
    p.add_argument("--quiet", action="store_true", help="no line per graded submission")
    p.set_defaults(func=grade)
    args = parser.parse_args(argv)
    return args.func(args)
