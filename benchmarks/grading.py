"""Grading a class: plain nbgrader against `python -m autograder grade`, in one run.

Both start from copies of one course directory (all six lessons released, one gradebook) with
the same class of N students x 6 lessons, and both produce the same things: grades in the
gradebook, each student's feedback HTML and grades.csv. Plain nbgrader is run as an instructor
would: `nbgrader autograde <lesson>` and `nbgrader generate_feedback <lesson>` for each lesson,
then `nbgrader export`. Ours is one `python -m autograder grade`. The script prints both wall
times, their ratio, and whether the two grades.csv agree (they must).

The class is deterministic: every third student has one catalogued mistake per lesson, every
tenth hands in the untouched release, the rest are correct. It has no kernel-killing or endless
submissions: plain nbgrader drops a dead-kernel submission and exits 1 (README, "How it
differs"), so there would be nothing to compare.

    .venv/bin/python benchmarks/grading.py                 # 30 students, about 25 minutes
    .venv/bin/python benchmarks/grading.py --students 2    # a quick look, about 5 minutes
    .venv/bin/python benchmarks/grading.py --jobs 2 4      # ours timed with 2 and 4 workers
    .venv/bin/python benchmarks/grading.py --sandbox on off  # ours in the jail and without it
    .venv/bin/python benchmarks/grading.py --scheduler --students 5   # the Dask cluster's cost
    .venv/bin/python benchmarks/grading.py --students 3 --no-plain    # floor and breakdown only
    .venv/bin/python benchmarks/grading.py --students 6 --against /work/main --pairs 3
                                       # ours from another checkout's code and this one's, A B A B

Every run of ours also prints the floor: the class's notebooks executed one after another in
fresh kernels by nbclient and nothing else (no jail, no verification, no gradebook, no
feedback), divided by the cores, the kernels that can run at once; and the breakdown of ours'
time per submission by phase, from the .grading/timings.json `grade` writes (timings.py). A
submission's phases are its worker's time, so over a run they add up to about workers x wall
(save is this process's time, which overlaps the workers').

With --against DIR, ours is timed --pairs times with DIR's code (A) and with this checkout's
(B), alternating A B A B ... on copies of the same class (PYTHONPATH picks the code); each run's
load average is printed, and the ratio B / A pair by pair and its median: on a shared machine
the load moves between runs, and alternating spreads it over both.

With --scheduler there is no plain nbgrader: ours with the local pool (--jobs 2) is timed
against ours through a real Dask cluster on this machine, a `dask scheduler` and two
single-threaded `dask worker` processes (local_cluster.py; --jobs 2 then writes the feedback),
and the difference per submission is what going through the cluster costs.

(30 students on this 2-core machine: plain nbgrader 970 s, ours 455 s with its default
4 workers, ratio 2.13; the README has the figures.)
"""

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder.grader.course import Course
from autograder.grader.grade import KERNEL_ENV
from autograder.grader.local_cluster import LocalCluster
from autograder.grader.release import release
from autograder.grader.sample_class import (
    completed,
    mistaken_source,
    mistakes,
    read,
    replace_stub,
    submit,
)
from autograder.grader.timings import PHASES, breakdown
from autograder.grader.timings import read as read_timings


def build_class(course, students):
    """Release every lesson and plant `students` students; return the lessons."""
    course = Course.create(course)
    lessons = [folder.name for folder in release(course)]
    for i in range(students):
        for lesson in lessons:
            if i % 10 == 9:
                nb = read(course, "release", lesson)
            elif i % 3 == 1:
                catalog = mistakes(lesson)
                stub, key, _ = catalog[i % len(catalog)]
                nb = replace_stub(
                    completed(course, lesson), stub, mistaken_source(lesson, stub, key)
                )
            else:
                nb = completed(course, lesson)
            submit(course, f"student{i:02d}", lesson, nb)
    return lessons


def environment():
    """What an activated venv gives nbgrader: its bin first on PATH (it runs `alembic`)."""
    bin_dir = os.path.dirname(sys.executable)
    return {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "JUPYTER_PLATFORM_DIRS": "1",
    }


def cpu_seconds():
    """(busy, stolen): the machine's CPU seconds so far, busy (user, nice, system, irq,
    softirq) and stolen (on a virtual machine, taken by the host's other guests), from
    /proc/stat. The difference across a run is the run's CPU, whatever process did it, plus
    whatever else this machine ran (the benchmark wants it quiet)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq) / tick, steal / tick


def cpu_since(before, n):
    """A sentence: the CPU used since `before` (cpu_seconds()), per item of n."""
    busy, stolen = (now - then for now, then in zip(cpu_seconds(), before, strict=True))
    return f"CPU {busy:.1f} s, {busy / n:.2f} s each; stolen {stolen:.1f} s"


def run(command, course, code=None):
    """Run a command in the course directory (importing the grader from the checkout `code`,
    if given); stop the benchmark if it fails."""
    env = environment()
    if code is not None:
        env["PYTHONPATH"] = str(code)
    result = subprocess.run(command, cwd=course, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")


def plain_nbgrader(course, lessons):
    """nbgrader's own commands, one lesson at a time; return wall seconds."""
    nbgrader = [sys.executable, "-m", "nbgrader"]
    start = time.perf_counter()
    for lesson in lessons:
        run([*nbgrader, "autograde", lesson, "--force"], course)
        run([*nbgrader, "generate_feedback", lesson, "--force"], course)
    run([*nbgrader, "export", "--to", "grades.csv"], course)
    return time.perf_counter() - start


def ours(course, jobs, scheduler=None, sandbox="on", code=None):
    """`python -m autograder grade` (on a Dask cluster if a scheduler is given, with
    --no-sandbox if sandbox is "off", with the grader's code from the checkout `code` if
    given, else this one); return wall seconds."""
    command = [sys.executable, "-m", "autograder", "grade", "--quiet", "--course", str(course)]
    if jobs:
        command += ["--jobs", str(jobs)]
    if scheduler:
        command += ["--scheduler", scheduler]
    if sandbox == "off":
        command.append("--no-sandbox")
    start = time.perf_counter()
    run(command, course, code)
    return time.perf_counter() - start


def grades(course):
    """{(student, lesson): raw score} from the course's grades.csv (nbgrader's export)."""
    with open(course / "grades.csv") as f:
        return {
            (r["student_id"], r["assignment"]): float(r["raw_score"]) for r in csv.DictReader(f)
        }


def floor(course_root, shutdown="graceful"):
    """(seconds, seconds / cores): every submitted notebook run top to bottom in a fresh plain
    kernel by nbclient, one after another, in its released lesson folder (the lesson's files
    and checks beside it), with the grader's kernel environment; errors are allowed, as the
    class's mistaken and untouched submissions raise them.

    shutdown: nbclient's shutdown_kernel, "graceful" (its default: the kernel is asked to stop
    and tears its interpreter down) or "immediate" (killed, as `grade` kills its kernels once
    their last cell ran and the grader's calls are done)."""
    course = Course.open(course_root)
    os.environ.update(KERNEL_ENV)
    start = time.perf_counter()
    for path in sorted(course.submitted.glob("*/*/*.ipynb")):
        lesson = path.parent.name
        nb = nbformat.read(path, as_version=4)
        folder = str(course.root / "release" / lesson)
        client = NotebookClient(
            nb,
            timeout=60,
            allow_errors=True,
            shutdown_kernel=shutdown,
            resources={"metadata": {"path": folder}},
        )
        client.execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # its chatter
    seconds = time.perf_counter() - start
    return seconds, seconds / (os.cpu_count() or 1)


def versus(seconds, floors):
    """'1.12x the floor' (and ', 1.20x the killed floor' when it was timed)."""
    return ", ".join(
        f"{seconds / t:.2f}x the {'floor' if name == 'floor' else name + ' floor'}"
        for name, t in floors.items()
    )


def print_breakdown(course, n, floors):
    """The phases of ours' time per submission (timings.json), and wall against the floor."""
    found = read_timings(course)
    means = breakdown(found["submissions"])
    shown = ", ".join(f"{p} {means[p]:.2f}" for p in PHASES)
    print(f"    per submission (s): {shown}; total {sum(means.values()):.2f}")
    wall = found["wall"]
    print(
        f"    grade's own wall {wall:.1f} s ({found['workers']} workers) = {versus(wall, floors)}"
    )


def through_cluster(work, n):
    """Ours with the local pool of 2 against ours on two local Dask workers; exit status."""
    timed = {}
    local = work / "local"
    shutil.copytree(work / "class", local)
    timed["local pool, --jobs 2"] = ours(local, 2), grades(local)
    on_cluster = work / "cluster"
    shutil.copytree(work / "class", on_cluster)
    with LocalCluster(workers=2) as cluster:
        timed["dask, 2 workers x 1 thread"] = (
            ours(on_cluster, 2, cluster.address),
            grades(on_cluster),
        )
    for label, (seconds, _) in timed.items():
        print(f"{label + ':':28} {seconds:7.1f} s  ({seconds / n:.2f} s per submission)")
    (t_local, a), (t_cluster, b) = timed.values()
    print(f"cluster - local: {(t_cluster - t_local) / n:+.2f} s per submission")
    print(f"{len(b)} grades {'agree' if a == b else 'DIFFER'}")
    return 0 if a == b else 1


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def alternate(work, n, floors, other, pairs, reference_grades):
    """Ours with `other`'s code (A) and this checkout's (B), alternating, `pairs` times each;
    print each run, the pairwise ratios B / A and the breakdown of each side's last run;
    return the exit status (1 if any run's grades differ from `reference_grades` or A's)."""
    here = Path(__file__).resolve().parents[1]
    times, status = {"A": [], "B": []}, 0
    for i in range(pairs):
        for side, code in (("A", Path(other).resolve()), ("B", here)):
            course = work / f"ours-{side}-{i}"
            shutil.copytree(work / "class", course)
            before = load()
            seconds = ours(course, None, code=code)
            times[side].append(seconds)
            found = grades(course)
            reference_grades = reference_grades or found
            differ = sorted(
                k
                for k in found.keys() | reference_grades.keys()
                if found.get(k) != reference_grades.get(k)
            )
            status |= bool(differ)
            print(
                f"  {side} ({code}) run {i + 1}: {seconds:6.1f} s, "
                f"{versus(seconds, floors)}, load {before}, {len(found)} grades "
                f"{'agree' if not differ else 'DIFFER: ' + repr(differ[:5])}"
            )
            if i == pairs - 1:
                print_breakdown(course, n, floors)
            else:
                shutil.rmtree(course, ignore_errors=True)
    ratios = [b / a for a, b in zip(times["A"], times["B"], strict=True)]
    print(
        f"B / A pair by pair: {', '.join(f'{r:.2f}' for r in ratios)}; "
        f"median {statistics.median(ratios):.2f}; medians A {statistics.median(times['A']):.1f} s,"
        f" B {statistics.median(times['B']):.1f} s"
    )
    return status, times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument(
        "--jobs",
        type=int,
        nargs="+",
        default=[None],
        help="ours' --jobs; several values time ours once each (default: grade's own, 2 per core)",
    )
    parser.add_argument(
        "--sandbox",
        choices=["on", "off"],
        nargs="+",
        default=["on"],
        help="ours in the jail (on, grade's default) and/or with --no-sandbox (off); each once",
    )
    parser.add_argument("--keep", action="store_true", help="keep the course directories")
    parser.add_argument(
        "--no-plain", action="store_true", help="skip plain nbgrader (floor and ours only)"
    )
    parser.add_argument(
        "--against",
        metavar="DIR",
        help="also time ours with the grader's code from checkout DIR, alternating with this one",
    )
    parser.add_argument("--pairs", type=int, default=3, help="with --against: runs of each")
    parser.add_argument(
        "--killed-floor",
        action="store_true",
        help="also time the floor with its kernels killed after the last cell, as grade's are",
    )
    parser.add_argument(
        "--scheduler",
        action="store_true",
        help="time ours through two local Dask workers against the local pool (no plain nbgrader)",
    )
    args = parser.parse_args()
    os.environ.update(environment())
    work = Path(tempfile.mkdtemp(prefix="grading-bench-"))
    try:
        lessons = build_class(work / "class", args.students)
        shutil.copytree(work / "class", work / "plain")
        n = args.students * len(lessons)
        print(f"{args.students} students x {len(lessons)} lessons = {n} submissions, ", end="")
        print(f"{os.cpu_count()} cores")
        if args.scheduler:
            return through_cluster(work, n)
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        cpu = cpu_seconds()
        t_all, t_floor = floor(work / "class")
        floors = {"floor": t_floor}
        print(
            f"{'floor (nbclient alone / cores):':40} {t_floor:7.1f} s  "
            f"({t_all / n:.2f} s per notebook, one after another)"
        )
        print(f"    {cpu_since(cpu, n)}")
        if args.killed_floor:
            cpu = cpu_seconds()
            t_killed = floor(work / "class", shutdown="immediate")[1]
            print(
                f"{'floor, kernels killed (as grade does):':40} {t_killed:7.1f} s  "
                f"({t_killed / t_floor:.2f}x the floor)"
            )
            print(f"    {cpu_since(cpu, n)}")
            floors["killed"] = t_killed
        t_plain, a = None, {}
        if not args.no_plain:
            t_plain = plain_nbgrader(work / "plain", lessons)
            print(f"{'plain nbgrader:':40} {t_plain:7.1f} s  ({t_plain / n:.2f} s per submission)")
            a = grades(work / "plain")
        if args.against:
            status, times = alternate(work, n, floors, args.against, args.pairs, a)
            if t_plain:
                for side in times:
                    best = statistics.median(times[side])
                    print(f"plain / ours {side} (median): {t_plain / best:.2f}x")
            print(f"load average after: {load()}")
            return status
        status = 0
        for jobs, sandbox in [(j, s) for j in args.jobs for s in args.sandbox]:
            course = work / f"ours-{jobs or 'default'}-{sandbox}"
            shutil.copytree(work / "class", course)
            cpu = cpu_seconds()
            t_ours = ours(course, jobs, sandbox=sandbox)
            used = cpu_since(cpu, n)
            label = f"autograder --jobs {jobs}" if jobs else "autograder (default jobs)"
            label += ", jail" if sandbox == "on" else ", --no-sandbox"
            print(f"{label + ':':40} {t_ours:7.1f} s  ({t_ours / n:.2f} s per submission)", end="")
            b = grades(course)
            a = a or b  # without plain nbgrader, every run must agree with ours' first
            differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
            agree = "agree" if not differ else "DIFFER"
            against = "plain" if t_plain else "first"
            ratio = f"ratio plain / ours {t_plain / t_ours:.2f}x, " if t_plain else ""
            print(f"  {ratio}{versus(t_ours, floors)}, {len(b)} grades {agree}")
            cores = os.cpu_count() or 1
            print(f"    {used}; the cores could give {t_ours * cores:.1f} s in that time")
            for key in differ:
                print(f"  {key}: {against} {a.get(key)}, ours {b.get(key)}")
            status |= bool(differ)
            print_breakdown(course, n, floors)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return status
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
