"""The instructor's command line: python -m autograder (or backprop-grader)."""

import argparse
import sys
import time
from pathlib import Path


def demo(args):
    """Train the answer key's network on the 8x8 digits and summarise the run."""
    import reference as R
    from reference.data import digits

    X_train, X_test, y_train, y_test = digits(seed=args.seed)
    params = R.init_params([64, 64, 10], seed=args.seed, init="he")
    start = time.perf_counter()
    params, history = R.train(
        params,
        X_train,
        y_train,
        activation="relu",
        lr=0.1,
        epochs=30,
        batch_size=32,
        l2=1e-4,
        seed=args.seed,
    )
    seconds = time.perf_counter() - start
    accuracy = float((R.predict(params, X_test, "relu") == y_test).mean())
    print(f"digits: {len(X_train)} training and {len(X_test)} test images; network 64-64-10, ReLU")
    marks = [0, 1, 2, 5, 10, 20, 30]
    print("loss by epoch: " + ", ".join(f"{e}: {history[e]:.4f}" for e in marks))
    print(f"trained in {seconds:.2f} s; test accuracy {accuracy:.2%}")
    return 0


def release(args):
    """Write the student version of the lessons into release/, checks included."""
    from autograder.release import ReleaseError
    from autograder.release import release as release_lessons

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
    from autograder.course import CourseError
    from autograder.grade import grade as grade_all
    from autograder.report import problem_lines, score_table

    quiet = args.quiet
    try:
        report = grade_all(
            args.course,
            jobs=args.jobs,
            timeout=args.timeout,
            progress=None if quiet else print,
        )
    except CourseError as err:
        print(f"grade: {err}", file=sys.stderr)
        return 2
    print()
    print(score_table(report.graded))
    lines = problem_lines(report.graded)
    if lines:
        print("\n* what happened (also at the top of each student's feedback):")
        for line in lines:
            print(f"  {line}")
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
    p = sub.add_parser("demo", help="the course's main job")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=demo)
    p = sub.add_parser("release", help="the student version of lessons, into release/")
    p.add_argument("lessons", nargs="*", help="lesson names (default: all)")
    p.add_argument("--course", default=".", help="the course directory (default: here)")
    p.set_defaults(func=release)
    p = sub.add_parser("grade", help="autograde submitted/, feedback and grades.csv")
    p.add_argument("--course", default=".", help="the course directory (default: here)")
    p.add_argument(
        "--jobs", type=positive, default=None, help="notebooks run at once (default: cores)"
    )
    p.add_argument("--timeout", type=positive, default=None, help="seconds per cell (default: 30)")
    p.add_argument("--quiet", action="store_true", help="no line per graded submission")
    p.set_defaults(func=grade)
    args = parser.parse_args(argv)
    return args.func(args)
