"""The instructor's command line: python -m autograder (or backprop-grader).

Options that change how grading runs become configuration (traitlets, as nbgrader's own
command line does) merged over the course's nbgrader_config.py; each is documented once, by
the trait it sets, and that is where its default lives.
"""

import argparse
import sys
import tempfile
import time

import nbformat
from nbgrader.coursedir import CourseDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from autograder.grader import lifeline
from autograder.grader.cells import is_test_cell
from autograder.grader.course import Course, CourseError
from autograder.grader.execute import GradingExecute
from autograder.grader.grade import Grader, record_kept
from autograder.grader.grade import grade as grade_course
from autograder.grader.lms import FORMATS, ExportError
from autograder.grader.lms import export as export_grades
from autograder.grader.release import ReleaseError
from autograder.grader.release import release as release_lessons
from autograder.grader.report import progress_for, summary
from autograder.grader.roster import RosterError, class_list, import_roster
from autograder.grader.sample_class import demo_class
from autograder.grader.sandbox import Sandbox
from autograder.grader.sandbox import problem as sandbox_problem

# --option -> (configurable class, trait): the command line's grading settings.
SETTINGS = {
    "jobs": (Grader, "jobs"),
    "timeout": (GradingExecute, "timeout"),
    "memory": (GradingExecute, "max_memory_mb"),
    "notebook-timeout": (GradingExecute, "notebook_timeout"),
    "scheduler": (Grader, "scheduler"),
    "db": (CourseDirectory, "db_url"),
    "sandbox": (Sandbox, "enabled"),  # an on/off trait: the option is --no-sandbox
}
SCHEDULER_HELP = (
    "run the submissions on the workers of the Dask scheduler at this address, "
    "tcp://HOST:8786 (default: $DASK_SCHEDULER_ADDRESS, else worker processes here; "
    "sets Grader.scheduler)"
)
DB_HELP = (
    "the gradebook's database: sqlite:///PATH or postgresql://USER:PASSWORD@HOST:PORT/NAME "
    "(default: gradebook.db in the course directory; sets CourseDirectory.db_url, which "
    "nbgrader_config.py can set for nbgrader's own commands too)"
)
DEMO_TIMEOUT = 10  # the demo's class has a never-ending stub: no need to wait nbgrader's 30 s


def overrides(args):
    """The configuration the command line sets: {"GradingExecute": {"timeout": 10}, ...}."""
    config = {}
    for option, (cls, trait) in SETTINGS.items():
        value = getattr(args, option.replace("-", "_"), None)
        if value is not None:
            config.setdefault(cls.__name__, {})[trait] = value
    return config


def add_setting(parser, option, type=None, help=None):
    """An --option whose help is its trait's help and default (or `help`)."""
    cls, trait = SETTINGS[option]
    described = cls.class_traits()[trait]
    if described.default_value is True:
        parser.add_argument(
            f"--no-{option}",
            dest=option,
            action="store_false",
            default=None,
            help=f"do not {first_sentence(described.help)[:1].lower()}"
            f"{first_sentence(described.help)[1:]} (sets {cls.__name__}.{trait} to False)",
        )
        return
    parser.add_argument(
        f"--{option}",
        type=type or positive,
        default=None,
        help=help
        or f"{first_sentence(described.help)} (default: {described.default_value}; "
        f"sets {cls.__name__}.{trait})",
    )


def database_url(text):
    """argparse type: a database URL SQLAlchemy can read."""
    try:
        make_url(text)
    except ArgumentError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a database URL; give sqlite:///PATH or "
            "postgresql://USER:PASSWORD@HOST:PORT/NAME"
        ) from None
    return text


def first_sentence(text):
    """A trait's help, cut to its first sentence for --help."""
    return " ".join(text.split()).split(". ")[0].rstrip(".")


def positive(text):
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


# A lesson's kernel reaches 1,014-1,153 MB of address space (benchmarks/kernel_memory.py); a
# limit under this one leaves no lesson able to run, and a kernel under ~100 MB cannot start.
MEMORY_MIN_MB = 1200


def memory_mb(text):
    """argparse type for --memory: MB a kernel may take, at least MEMORY_MIN_MB."""
    value = positive(text)
    if value < MEMORY_MIN_MB:
        raise argparse.ArgumentTypeError(
            f"{value} MB is too little: a lesson's kernel takes up to 1,153 MB of address space "
            f"(numpy and matplotlib loaded), so give at least {MEMORY_MIN_MB}"
        )
    return value


def failed_tests(course, student, lesson):
    """[(test grade_id, 'ename: evalue')] of the failed test cells in an autograded notebook."""
    path = course.notebook("autograded", lesson, student=student)
    failed = []
    for cell in nbformat.read(path, as_version=4).cells:
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if is_test_cell(cell) and errors:
            message = f"{errors[0].ename}: {errors[0].evalue}"
            failed.append((cell.metadata.nbgrader.grade_id, message))
    return failed


def describe_class(planted):
    """The demo's class, one line per student."""
    lines = []
    for student in dict.fromkeys(p[0] for p in planted):
        whats = [(a, w) for s, a, w in planted if s == student]
        if student.startswith("mistakes_"):
            what = f"one catalogued mistake in each lesson ({whats[0][1]}, ...)"
        else:
            what = whats[0][1] + ("" if len(whats) > 1 else f" ({whats[0][0]})")
        lines.append(f"  {student:10} {what}")
    return lines


def demo(args):
    """Grade a sample class end to end in a fresh course directory, and show the results."""
    start = time.perf_counter()
    try:
        course = Course.create(args.course or tempfile.mkdtemp(prefix="backprop-course-"))
        print(f"course directory: {course.root}")
        folders = release_lessons(course, args.lessons)
    except (CourseError, ReleaseError) as err:
        print(f"demo: {err}", file=sys.stderr)
        return 2
    print(f"released {len(folders)} lessons into {course.release}")
    lessons = [f.name for f in folders]
    planted = demo_class(course, lessons)
    print(f"planted {len(planted)} submissions of {len({p[0] for p in planted})} students:")
    print("\n".join(describe_class(planted)))
    settings = overrides(args)
    settings.setdefault("GradingExecute", {}).setdefault("timeout", DEMO_TIMEOUT)
    course = course.with_config(settings)
    if Sandbox(config=course.config).enabled:
        trouble = sandbox_problem(course, lessons)
        if trouble:
            print(f"NO SANDBOX: grading without isolation, since {trouble}")
            course = course.with_config({"Sandbox": {"enabled": False}})
        else:
            print("sandbox: every kernel runs in a bubblewrap jail")
    else:
        print("NO SANDBOX (--no-sandbox): grading without isolation")
    jobs = Grader(config=course.config).workers()
    timeout = GradingExecute(config=course.config).timeout
    print(f"grading with {jobs} workers, {timeout} s per cell ...")
    grading_start = time.perf_counter()
    report = grade_course(course, progress=progress_for())
    grading_time = time.perf_counter() - grading_start
    print(summary(report))
    for problem in report.problems:
        print(f"demo: {problem}")
    print("\nwhat mistakes_1 reads in its feedback:")
    for lesson in lessons:
        for grade_id, message in failed_tests(course, "mistakes_1", lesson):
            print(f"  {lesson} {grade_id}: {message[:150]}{'...' if len(message) > 150 else ''}")
    print(
        f"\ngraded {len(report.graded)} submissions in {grading_time:.0f} s "
        f"({time.perf_counter() - start:.0f} s with release and planting)"
    )
    print(f"gradebook: {course.gradebook_file or course.db_url}; grades: {course.grades_csv}")
    print(f"feedback, e.g. mistakes_1's: {course.feedback_file('mistakes_1', lessons[0])}")
    return 0 if report.complete else 1


def release(args):
    """Write the student version of the lessons into the release folder, checks included."""
    try:
        folders = release_lessons(Course.open(args.course, overrides(args)), args.lessons)
    except (CourseError, ReleaseError) as err:
        print(f"release failed: {err}", file=sys.stderr)
        return 2
    for folder in folders:
        print(f"released {folder.name} -> {folder}")
    print("students open a released folder with `jupyter lab`; its checks are in autograder/")
    return 0


def grade(args):
    """Autograde every submission: gradebook, feedback, grades.csv, table."""
    try:
        course = Course.open(args.course, overrides(args))
        report = (record_kept if args.record_only else grade_course)(
            course,
            progress=None if args.quiet else progress_for(),
            lessons=args.lessons,
            students=args.student,
        )
    except CourseError as err:
        print(f"grade: {err}", file=sys.stderr)
        return 2
    if report.graded:
        print(summary(report))
    done = "saved" if args.record_only else "graded"
    print(
        f"\n{len(report.graded) - len(report.ungraded)} of {len(report.graded)} submissions "
        f"{done}; grades.csv in {course.root}, feedback in {course.feedback}"
    )
    for problem in report.problems:
        print(f"grade: {problem}")
    return 0 if report.complete else 1


def roster(args):
    """Import a roster CSV into the gradebook, or list the students it holds."""
    try:
        course = Course.open(args.course)
        if args.action == "import":
            added, updated = import_roster(course, args.file)
            print(f"{len(added)} students added, {len(updated)} updated in {course.db_url}")
            return 0
        for student in class_list(course):
            name = " ".join(n for n in (student.first_name, student.last_name) if n)
            print(f"{student.id:20} {name or '(no name)':30} {student.email or ''}")
        return 0
    except (CourseError, RosterError) as err:
        print(f"roster: {err}", file=sys.stderr)
        return 2


def export(args):
    """Write the grades as Canvas, Moodle or Gradescope reads them."""
    try:
        course = Course.open(args.course)
        path = args.output or course.root / f"grades-{args.format}.csv"
        done = export_grades(course, args.format, path, args.roster)
    except (CourseError, ExportError) as err:
        print(f"export: {err}", file=sys.stderr)
        return 2
    print(f"wrote {done.rows} students' grades for {args.format} to {done.path}")
    if done.unmatched:
        print(
            f"not in the roster, so not in the file: {', '.join(done.unmatched)} (add them to "
            f"{args.format}, or give them the login the roster has, then export again)",
            file=sys.stderr,
        )
        return 1
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="release, plant a sample class, grade it: the main job")
    p.add_argument("lessons", nargs="*", help="lesson names (default: all)")
    p.add_argument("--course", help="an empty directory to use (default: a new temporary one)")
    add_setting(p, "jobs")
    p.add_argument(
        "--timeout", type=positive, default=None, help=f"seconds per cell (demo: {DEMO_TIMEOUT})"
    )
    add_setting(p, "sandbox")
    p.set_defaults(func=demo)
    p = sub.add_parser("release", help="the student version of lessons, into release/")
    p.add_argument("lessons", nargs="*", help="lesson names (default: all)")
    p.add_argument("--course", default=".", help="the course directory (default: here)")
    add_setting(p, "db", type=database_url, help=DB_HELP)
    p.set_defaults(func=release)
    p = sub.add_parser("grade", help="autograde submitted/, feedback and grades.csv")
    p.add_argument("lessons", nargs="*", help="lesson names (default: every one submitted)")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--course", default=".", help="the course directory (default: here)")
    for option in ("jobs", "timeout", "notebook-timeout"):
        add_setting(p, option)
    add_setting(p, "memory", type=memory_mb)
    add_setting(p, "sandbox")
    add_setting(p, "scheduler", type=str, help=SCHEDULER_HELP)
    add_setting(p, "db", type=database_url, help=DB_HELP)
    p.add_argument("--quiet", action="store_true", help="no line per graded submission")
    p.add_argument(
        "--record-only",
        action="store_true",
        help="run nothing: save the results an earlier run executed but could not save "
        "(the gradebook was locked), then feedback and grades.csv",
    )
    p.set_defaults(func=grade)
    p = sub.add_parser("export", help="grades as Canvas, Moodle or Gradescope import them")
    p.add_argument("--format", required=True, choices=sorted(FORMATS), help="the LMS")
    p.add_argument(
        "--roster", help="the LMS's own CSV export of the class: its students and columns"
    )
    p.add_argument("--output", help="the file to write (default: grades-<format>.csv)")
    p.add_argument("--course", default=".", help="the course directory (default: here)")
    p.set_defaults(func=export)
    p = sub.add_parser("roster", help="students' names and emails in the gradebook")
    roster_actions = p.add_subparsers(dest="action", required=True)
    q = roster_actions.add_parser("import", help="add or update the students of a roster CSV")
    q.add_argument("file", help="CSV with a header row: id,first_name,last_name,email")
    q.add_argument("--course", default=".", help="the course directory (default: here)")
    q = roster_actions.add_parser("list", help="the students in the gradebook")
    q.add_argument("--course", default=".", help="the course directory (default: here)")
    p.set_defaults(func=roster)
    args = parser.parse_args(argv)
    with lifeline.interruptible():  # a `kill` or a closed terminal ends a run as Ctrl-C does
        try:
            return args.func(args)
        except KeyboardInterrupt as why:
            said = f"\n{args.command}: interrupted" + (f" by {why}" if str(why) else "")
            if args.command in ("grade", "demo"):
                said += (
                    "; its workers and kernels are stopped, the grades saved before stay in the "
                    "gradebook; run the command again to grade every submission"
                )
            print(said, file=sys.stderr)
            return 130
