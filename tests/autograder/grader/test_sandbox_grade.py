"""Does `python -m autograder grade` keep a hostile submission in its jail?

Each graded run is the real command (cli.main) on a course made by Course.create, lesson 04
released, with a few planted submissions: ada (correct, her notebook carrying a marker), and
attackers whose notebooks are ada's correct answers plus one extra cell that tries what the
issue saw a student do, against paths the test gives it, and prints what happened. The judges
are on the host: the files the test planted, a TCP listener it opens, the process table, the
environment's site-packages, ada's score from the lesson's points and her submitted file's
bytes, and the secrets' text, looked for in the attacker's feedback. A run with --no-sandbox
is the control: there, the same attack code reads the course and reaches the listener.

The lessons' hidden tests import the answer key, which no jailed kernel sees (the verification
issue moves them into the grader); the course here is made without them, so these tests judge
the jail alone, whatever the lessons hold.
"""

import csv
import hashlib
import html
import json
import os
import re
import signal
import socket
import sysconfig
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

import reference
from autograder.grader.cli import main
from autograder.grader.course import Course
from autograder.grader.jail import sandbox_problem
from autograder.grader.release import release
from autograder.grader.sample_class import completed, solution_cells, submit
from tests.autograder.grader import attacks

PROBLEM = sandbox_problem()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(PROBLEM is not None, reason=f"no sandbox here: {PROBLEM}"),
]

LESSON = "04_output_layer"
FULL = 15  # the points of lesson 04's test cells: 4 + 3 (the loop version) + 3 + 3 + 2
SECRET_ENV = "GRADER_SECRET_TOKEN"
SECRET = "the grader's own secret 5f1d"
MB = 2**20

ATTEMPT = """
import hashlib, json, os, signal, socket, sqlite3, subprocess, sys, time
results, stolen = {}, []
def attempt(name, action):
    try:
        value = action()
    except BaseException as err:
        results[name] = ["refused", type(err).__name__, str(err)[:200]]
    else:
        if isinstance(value, bytes):  # what it read: its size and digest, and shown below
            results[name] = ["done", len(value), hashlib.sha256(value).hexdigest()]
            stolen.append(value.decode("latin-1"))
        else:
            results[name] = ["done", value]
"""
REPORT = "print('RESULTS', json.dumps(results))\nprint(*(text[:2000] for text in stolen))"

READ = "attempt({name!r}, lambda: open({path!r}, 'rb').read())"
ENVIRONMENT = f"attempt('environment', lambda: os.environ.get({SECRET_ENV!r}, '').encode())"
WRITE = "attempt({name!r}, lambda: open({path!r}, 'w').write('hacked'))"
LINGER = """
LINGER = [sys.executable, '-c', 'import time; time.sleep(600)', {mark!r}]
lingering = subprocess.Popen(LINGER, start_new_session=True)
# A daemon: its parent exits at once, so it belongs to no one.
DAEMON = 'import os, sys, time\\nif os.fork(): os._exit(0)\\nos.setsid()\\ntime.sleep(600)'
subprocess.run([sys.executable, '-c', DAEMON, {mark!r}])
time.sleep(0.5)
attempt('linger', lambda: lingering.poll() is None and 'running')
"""
CONNECT = (
    "attempt('connect to the host', "
    "lambda: socket.create_connection(('127.0.0.1', {port}), timeout=3).close())"
)
SIGNALS = """
attempt('stop the grader', lambda: os.kill({grader}, signal.SIGSTOP))
attempt('kill the grader', lambda: os.kill({grader}, signal.SIGKILL))
attempt('see the grader', lambda: os.kill({grader}, 0))
attempt('kill its parent', lambda: os.kill(os.getppid(), signal.SIGKILL))
"""
LOCK = """
def lock(path):
    global held  # kept open, and locked, while the kernel lives
    held = sqlite3.connect(f'file:{{path}}?mode=rw', uri=True)
    held.execute('BEGIN EXCLUSIVE')
    return 'locked'
attempt('lock the gradebook', lambda: lock({path!r}))
"""
FILL = (
    attacks.FILL
    + """
results['write 2 GiB'] = fill('big', 2048)
results['write 2 GiB to /tmp'] = fill('/tmp/big', 2048)
"""
)
FORK_BOMB = """
def fork_bomb(mark):
    children = 0
    try:
        for _ in range(300):
            if os.fork() == 0:
                SLEEP = 'import time; time.sleep(600)'
                os.execv(sys.executable, [sys.executable, '-S', '-c', SLEEP, mark])
            children += 1
    except OSError as err:
        return [children, type(err).__name__]
    return [children, None]
results['300 processes'] = fork_bomb({mark!r})
"""
HOARD = """
import select
HOLD = 'import time\\nblock = b"x" * (1536 * 2**20)\\nprint("holding", flush=True)\\ntime.sleep(60)'
HOLDER = [sys.executable, '-c', HOLD]
children = [subprocess.Popen(HOLDER, stdout=subprocess.PIPE) for _ in range(3)]
said, deadline = set(), time.monotonic() + 60
while len(said) < 3 and time.monotonic() < deadline:
    for i, child in enumerate(children):
        if child.poll() is not None:
            said.add(i)
        elif select.select([child.stdout], [], [], 0)[0]:
            said.add(i)
    time.sleep(0.05)
time.sleep(2)  # a holder killed late would show now
results['three children of 1.5 GiB'] = sorted(
    (['holding' if i in said else 'unsettled', None] if child.poll() is None
     else ['ended', child.returncode]) for i, child in enumerate(children)
)
for child in children:
    child.kill()
    child.wait()
"""


def without_hidden_tests(course):
    """Remove the hidden-test regions of LESSON's source notebook (see the module's note)."""
    path = course.notebook("source", LESSON)
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.source = re.sub(
            r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", "", cell.source, flags=re.S
        )
    nbformat.write(nb, path)


def released(tmp_path, config_lines=()):
    """A course with LESSON released (no hidden tests), `config_lines` appended to its
    nbgrader_config.py, and ada's correct submission carrying a marker."""
    course = Course.create(tmp_path / "course", [LESSON])
    without_hidden_tests(course)
    with open(course.root / "nbgrader_config.py", "a") as f:
        f.writelines(f"{line}\n" for line in config_lines)
    course = Course.open(course.root)
    release(course, [LESSON])
    nb = completed(course, LESSON)
    solution_cells(nb)["linear_forward"].source += f"\n# {marker(course, 'ada')}\n"
    submit(course, "ada", LESSON, nb)
    return course


def write_instructors_words(course):
    """Once every submission is planted (they copy the source's solutions): a line in the
    source notebook's solution that nothing handed out or handed in carries."""
    source = nbformat.read(course.notebook("source", LESSON), as_version=4)
    cell = solution_cells(source)["linear_backward"]
    cell.source = cell.source.replace(
        "### BEGIN SOLUTION", f"### BEGIN SOLUTION\n    # {marker(course, 'instructor')}", 1
    )
    nbformat.write(source, course.notebook("source", LESSON))


def marker(course, whose):
    return f"{whose}'s own words {hashlib.sha256(str(course.root).encode()).hexdigest()[:12]}"


def attacker(course, student, *cells):
    """Plant `student`: ada's correct answers, then a cell trying `cells`, reporting results."""
    nb = completed(course, LESSON)
    nb.cells.append(new_code_cell("\n".join([ATTEMPT, *cells, REPORT])))
    submit(course, student, LESSON, nb)
    return nb


def secrets(course):
    """{name: host path} of what no submission may read, each checked readable here."""
    paths = {
        "source notebook": course.notebook("source", LESSON),
        "answer key": Path(reference.__file__).with_name("layers.py"),
        "gradebook": course.root / "gradebook.db",
        "classmate's notebook": course.notebook("submitted", LESSON, student="ada"),
        "grader's environment": Path(f"/proc/{os.getpid()}/environ"),
    }
    for name, path in paths.items():
        assert path.read_bytes(), name  # the control: the host reads each
    return paths


def telltales(course, paths, submitted):
    """Text that a secret holds and the attacker's own notebook `submitted` does not: if its
    feedback page shows one, that secret was read."""
    own = nbformat.writes(submitted)
    key = [line.strip() for line in paths["answer key"].read_text().splitlines()]
    found = {
        "source notebook": marker(course, "instructor"),
        "answer key": next(line for line in key if len(line) > 30 and line not in own),
        "gradebook": "SQLite format 3",
        "classmate's notebook": marker(course, "ada"),
    }
    for name, text in found.items():
        assert text in paths[name].read_bytes().decode("latin-1") and text not in own, name
    return found


def digest(path):
    data = Path(path).read_bytes()
    return [len(data), hashlib.sha256(data).hexdigest()]


def grade(course, *options):
    """Run `python -m autograder grade` on the course; return (exit status, printed output)."""
    from contextlib import redirect_stdout
    from io import StringIO

    out = StringIO()
    with redirect_stdout(out):
        status = main(["grade", "--course", str(course.root), "--quiet", *options])
    return status, out.getvalue()


def scores(course):
    with open(course.grades_csv) as f:
        return {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f)}


def results_of(course, student):
    """The attack cell's report, from the student's autograded notebook."""
    nb = nbformat.read(course.notebook("autograded", LESSON, student=student), as_version=4)
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    return json.loads(text.split("RESULTS ", 1)[1].splitlines()[0])


def feedback(course, student):
    return html.unescape(course.feedback_file(student, LESSON).read_text())


def marked_processes(mark):
    """Host pids whose command line carries `mark`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if mark.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass  # it ended while we looked
    return found


def site_packages():
    site = Path(sysconfig.get_paths()["purelib"])
    return sorted((p.name, p.stat().st_mtime_ns) for p in site.iterdir())


@pytest.fixture
def listener():
    """A TCP listener on the host's loopback; nothing accepts while the class is graded."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield sock
    sock.close()


def connections(sock):
    """How many connections reached the listener (accepted now, and closed)."""
    sock.setblocking(False)
    count = 0
    while True:
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


def kill_marked(mark):
    """Stop, by pid, what an unjailed kernel left behind (the control run)."""
    for pid in marked_processes(mark):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# ------------------------------------------------------------------ in the jail


def test_a_hostile_submission_reaches_nothing_and_leaves_nothing(tmp_path, listener, monkeypatch):
    """From inside a graded submission: read the course, rewrite a classmate, linger, reach
    the host's loopback, signal the grader, plant a .pth, lock the gradebook, write 2 GiB,
    start 300 processes, hold 4.5 GiB in three children under --memory 2048. All fail."""
    monkeypatch.setenv(SECRET_ENV, SECRET)  # the workers' and so their kernels' environment
    course = released(tmp_path)
    mark = f"sandbox-attack-{os.getpid()}-{time.monotonic_ns()}"
    paths = secrets(course)
    ada_file = course.notebook("submitted", LESSON, student="ada")
    site = Path(sysconfig.get_paths()["purelib"])
    rewrites = {
        "rewrite ada's notebook": ada_file,
        "rewrite ada's executed copy": course.executed("ada", LESSON) / f"{LESSON}.ipynb",
        "rewrite ada's checks": course.workdir("ada", LESSON)
        / "lesson"
        / "autograder"
        / "checks"
        / "output_layer.py",
        "write grades.csv": course.grades_csv,
        "plant a .pth": site / "zz_sandbox_attack.pth",
    }
    mallory = attacker(
        course,
        "mallory",
        *(READ.format(name=f"read {name}", path=str(path)) for name, path in paths.items()),
        ENVIRONMENT,
        *(WRITE.format(name=name, path=str(path)) for name, path in rewrites.items()),
        LINGER.format(mark=mark),
        CONNECT.format(port=listener.getsockname()[1]),
        SIGNALS.format(grader=os.getpid()),
        LOCK.format(path=str(paths["gradebook"])),
        FILL,
        FORK_BOMB.format(mark=mark),
    )
    attacker(course, "hoarder", HOARD)
    write_instructors_words(course)
    ada_bytes = ada_file.read_bytes()
    site_before = site_packages()
    assert not marked_processes(mark)

    status, out = grade(course, "--jobs", "2", "--memory", "2048", "--timeout", "60")

    assert status == 0, out  # the run completed: the gradebook was never locked
    # Mallory is graded (what she earns is hers: her 300 processes leave the grader none to
    # verify her stubs with); her classmates are not touched.
    assert scores(course).keys() == {"ada", "mallory", "hoarder"}
    assert scores(course)["ada"] == scores(course)["hoarder"] == FULL
    assert "isolated: every kernel ran in a bubblewrap jail" in out
    results = results_of(course, "mallory")
    for name in paths:
        assert results[f"read {name}"][:2] == ["refused", "FileNotFoundError"], (name, results)
    for name in rewrites:
        assert results[name][0] == "refused", (name, results[name])
    assert results["rewrite ada's notebook"][1] == "FileNotFoundError"
    assert "Read-only file system" in results["plant a .pth"][2]
    assert results["environment"] == ["done", 0, hashlib.sha256(b"").hexdigest()]
    # Ada: her file as she handed it in, her full score, nothing of mallory in her feedback.
    assert ada_file.read_bytes() == ada_bytes
    assert "hacked" not in feedback(course, "ada")
    # Nothing secret reached mallory's feedback.
    page = feedback(course, "mallory")
    for name, text in telltales(course, paths, mallory).items():
        assert text not in page, name
    assert SECRET not in page
    # It ran, and nothing of it outlived the run.
    assert results["linger"] == ["done", "running"]
    assert not marked_processes(mark)
    assert results["connect to the host"][:2] == ["refused", "ConnectionRefusedError"]
    assert connections(listener) == 0
    for name in ("stop the grader", "kill the grader", "see the grader"):
        assert results[name][:2] == ["refused", "ProcessLookupError"], (name, results[name])
    assert results["lock the gradebook"][:2] == ["refused", "OperationalError"]
    assert site_packages() == site_before
    # Disk: no file past 64 MB (JailedKernelManager.max_file_mb), on the host nothing left.
    for name in ("write 2 GiB", "write 2 GiB to /tmp"):
        assert results[name] == [64, "File too large"], (name, results[name])
    assert not [p for p in course.root.rglob("*") if p.is_file() and p.stat().st_size > 64 * MB]
    # Processes: fewer than the 128 the jail allows (its own threads count too).
    forked, why = results["300 processes"]
    assert why == "BlockingIOError" and 64 <= forked < 128, results["300 processes"]
    # Memory: the cgroup holds all of the kernel's processes to 2,048 MB together.
    outcome = results_of(course, "hoarder")["three children of 1.5 GiB"]
    holding = [o for o in outcome if o[0] == "holding"]
    killed = [o for o in outcome if o == ["ended", -signal.SIGKILL]]
    assert len(holding) <= 1 and len(holding) + len(killed) == 3, outcome


# ------------------------------------------------------------------ without it: the control


def test_without_the_sandbox_the_same_attacks_reach_the_course(tmp_path, listener, monkeypatch):
    """The control, and what --no-sandbox says: the same attack code, unjailed, reads the
    course and the grader's environment, reaches the listener and outlives its kernel; the
    summary and every feedback file say that grading was not isolated."""
    monkeypatch.setenv(SECRET_ENV, SECRET)
    course = released(tmp_path)
    mark = f"sandbox-control-{os.getpid()}-{time.monotonic_ns()}"
    paths = secrets(course)
    del paths["grader's environment"]  # (its start-up environment: the secret came later)
    attacker(
        course,
        "snoop",
        *(READ.format(name=f"read {name}", path=str(path)) for name, path in paths.items()),
        ENVIRONMENT,
        LINGER.format(mark=mark),
        CONNECT.format(port=listener.getsockname()[1]),
    )
    write_instructors_words(course)
    expected = {name: digest(path) for name, path in paths.items()}  # before grading
    try:
        status, out = grade(course, "--no-sandbox", "--jobs", "2")
        left = marked_processes(mark)
    finally:
        kill_marked(mark)
    assert status == 0, out
    assert scores(course) == {"ada": FULL, "snoop": FULL}
    assert "not isolated: graded with --no-sandbox" in out
    for student in ("ada", "snoop"):
        assert "Graded without isolation." in feedback(course, student)
    results = results_of(course, "snoop")
    for name in paths:
        assert results[f"read {name}"] == ["done", *expected[name]], name
    assert results["environment"] == [
        "done",
        len(SECRET),
        hashlib.sha256(SECRET.encode()).hexdigest(),
    ]
    assert "SQLite format 3" in feedback(course, "snoop")  # the gradebook's first bytes
    assert connections(listener) == 1 and results["connect to the host"] == ["done", None]
    assert results["linger"] == ["done", "running"] and left  # it outlived its kernel


def test_grade_refuses_when_bubblewrap_is_missing(tmp_path, capsys):
    """Is grade refused, in one sentence saying why and how to enable the sandbox?"""
    course = released(tmp_path, [f"c.JailedKernelManager.bwrap = {str(tmp_path / 'bwrap')!r}"])
    assert main(["grade", "--course", str(course.root)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("grade: grading runs student code only in the sandbox, and here ")
    assert "install the package bubblewrap" in err and "--no-sandbox" in err
    assert len(err.splitlines()) == 1
    assert not course.grades_csv.exists() and not course.scratch.exists()


def test_grade_refuses_test_cells_that_import_the_answer_key(tmp_path, capsys):
    """A test cell importing `reference` would fail in every jailed kernel: refused, named."""
    course = released(tmp_path)
    path = course.notebook("source", LESSON)
    nb = nbformat.read(path, as_version=4)
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade"))
    test.source += "\nimport reference as R\n"
    nbformat.write(nb, path)
    assert main(["grade", "--course", str(course.root)]) == 2
    err = capsys.readouterr().err
    assert "test cells import the answer key" in err, err
    assert f"{LESSON}.ipynb: {test.metadata.nbgrader.grade_id})" in err
    assert not course.grades_csv.exists()


def test_a_jail_that_cannot_be_built_leaves_submissions_not_graded_never_zero(tmp_path):
    """A JailError (here: kernels configured to run as root) is the grader's trouble: each
    submission is named not graded, with the sentence, at once (no retries), and scores nothing."""
    if os.geteuid() != 0:
        pytest.skip("host_uid applies to a root grader only")
    course = released(tmp_path, ["c.JailedKernelManager.host_uid = 0"])
    start = time.perf_counter()
    status, out = grade(course, "--jobs", "1")
    seconds = time.perf_counter() - start
    assert status == 1, out
    note = out.split("ada/04_output_layer: ")[1].splitlines()[0]
    assert note.startswith("not graded: host_uid 0 would run student code as root"), note
    assert "tries" not in note
    assert "NOT GRADED" in out
    with open(course.grades_csv) as f:
        assert list(csv.DictReader(f)) == []  # no score, not even 0
    assert seconds < 30, seconds  # (three kernel starts alone would take ~2 s; this is loose)
