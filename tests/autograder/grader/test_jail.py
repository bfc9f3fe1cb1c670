"""Does the bubblewrap jail hold against a hostile notebook, and let an honest one run?

Every test runs real notebooks in real ipykernel kernels under the real bwrap, through
nbclient's NotebookClient (or jupyter_client's own client) with JailedKernelManager. Each attack
is a cell that tries something the issue saw a student do; the judge is the host, outside the
jail: files the test planted and can read itself, a TCP listener it opens, the processes it
finds in the kernel's pid namespace through /proc, the sizes and counts the cells report
against the limits the test set. Where an attack is refused, a control shows the host side
works (the file is readable, the listener accepts, the channel carries an early write).
"""

import asyncio
import json
import os
import signal
import socket
import sys
import sysconfig
import time
from pathlib import Path

import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

import reference
from autograder.grader import cgroups
from autograder.grader.jail import (
    FOLDER_PREFIX,
    Jail,
    JailedKernelManager,
    JailError,
    describe_limits,
    explain_failure,
    limits_mechanism,
    sandbox_problem,
    sweep_stale,
)
from autograder.grader.release import ship_checks
from tests.autograder.grader import attacks

PROBLEM = sandbox_problem()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(PROBLEM is not None, reason=f"no sandbox here: {PROBLEM}"),
]

REPO = Path(reference.__file__).resolve().parents[1]
MB = 2**20
CELL_TIMEOUT = 60

# Run first in every attack notebook: attempt() records what happened, never raises.
ATTEMPT = """
import json, os, signal, socket, sys
results = {}
def attempt(name, action):
    try:
        value = action()
    except BaseException as err:
        results[name] = ["refused", type(err).__name__, str(err)[:200]]
    else:
        results[name] = ["done", repr(value)[:200]]
"""
REPORT = "print(json.dumps(results))"


def kernelspec(nb):
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def config(**traits):
    cfg = Config()
    for name, value in traits.items():
        setattr(cfg.JailedKernelManager, name, value)
    return cfg


async def run_cells(cells, tmp_path, timeout=CELL_TIMEOUT, watch=None, **traits):
    """Execute `cells` in a jailed kernel with NotebookClient; return the notebook and the
    kernel's own stdout/stderr (a host file). watch(km) runs on the host after every cell."""
    nb = kernelspec(new_notebook(cells=[new_code_cell(c) for c in cells]))
    log_path = tmp_path / f"kernel-{time.monotonic_ns()}.log"
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_manager_class=JailedKernelManager,
        config=config(**traits),
        allow_errors=True,
        interrupt_on_timeout=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    if watch:
        client.on_cell_executed = lambda **_: watch(client.km)
    with open(log_path, "wb") as log:
        await client.async_execute(stdout=log, stderr=log)
    return nb, log_path


def await_(coro):
    return asyncio.run(coro)


def stdout(cell):
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def errors(nb):
    return [(o.ename, o.evalue) for c in nb.cells for o in c.outputs if o.output_type == "error"]


def results_of(nb):
    return json.loads(stdout(nb.cells[-1]).strip().splitlines()[-1])


class Kernel:
    """A jailed kernel driven directly by jupyter_client, for tests that need two at once."""

    def __init__(self, **traits):
        self.km = JailedKernelManager(config=config(**traits))

    async def start(self):
        await self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=60)
        return self

    async def run(self, code):
        """stdout of `code`, raising if the cell failed."""
        out = []

        def hook(msg):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])

        reply = await self.kc.execute_interactive(code, output_hook=hook, timeout=CELL_TIMEOUT)
        assert reply["content"]["status"] == "ok", reply["content"]
        return "".join(out)

    async def stop(self):
        self.kc.stop_channels()
        await self.km.shutdown_kernel()


def jail_processes(km):
    """{host pid: pid inside} of every process in the kernel's pid namespace, read in /proc."""
    outer = km.provisioner.pid  # bubblewrap's monitor, outside the namespace
    children = Path(f"/proc/{outer}/task/{outer}/children").read_text().split()
    namespace = os.readlink(f"/proc/{children[0]}/ns/pid")
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.readlink(entry / "ns" / "pid") == namespace:
                    nspid = (entry / "status").read_text().split("NSpid:")[1].split("\n")[0]
                    found[int(entry.name)] = int(nspid.split()[-1])
            except (OSError, IndexError):
                pass  # it ended while we looked
    return found


def host_uid(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("Uid:")[1].split()[0])


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(autouse=True)
def nothing_left_behind():
    """After every test: no jail folder and no cgroup of this process remains."""
    yield
    ours = f"{FOLDER_PREFIX}{os.getpid()}-"
    folders = [p for p in Path("/tmp").glob(f"{ours}*")]
    groups = [p for parent in limits_mechanism().parents for p in parent.glob(f"{ours}*")]
    assert not folders and not groups, f"left behind: {folders + groups}"


@pytest.fixture
def lesson_dir(tmp_path):
    """A released lesson as the grader would pass it: the checks, a data file, a notebook."""
    folder = tmp_path / "release" / "02_softmax"
    folder.mkdir(parents=True)
    ship_checks(folder)
    (folder / "points.csv").write_text("x,y\n1,2\n")
    (folder / "02_softmax.ipynb").write_text("{}")  # left out of the jail
    return folder


@pytest.fixture
def course(tmp_path):
    """A course directory with a gradebook, a classmate's submission and a source notebook."""
    root = tmp_path / "course"
    (root / "submitted" / "other" / "02_softmax").mkdir(parents=True)
    (root / "lessons" / "02_softmax").mkdir(parents=True)
    planted = {
        "gradebook": root / "gradebook.db",
        "classmate": root / "submitted" / "other" / "02_softmax" / "02_softmax.ipynb",
        "source": root / "lessons" / "02_softmax" / "02_softmax.ipynb",
    }
    for name, path in planted.items():
        path.write_text(f"secret {name}")
    return root, planted


# ------------------------------------------------------------------ what it can see


def test_answer_key_course_and_grader_are_out_of_reach(tmp_path, lesson_dir, course, monkeypatch):
    monkeypatch.setenv("GRADER_SECRET_TOKEN", "the grader's own")
    root, planted = course
    grader = os.getpid()
    targets = {
        "answer key": sorted((REPO / "reference").glob("*.py"))[0],
        "lesson source": sorted((REPO / "lessons").glob("*/*.ipynb"))[0],
        "grading code": REPO / "autograder" / "grader" / "grade.py",
        **planted,
        "grader environ": Path(f"/proc/{grader}/environ"),
        "grader cmdline": Path(f"/proc/{grader}/cmdline"),
        "grader's parent environ": Path(f"/proc/{os.getppid()}/environ"),
    }
    for name, path in targets.items():  # the control: each is there for the host to read
        assert path.read_bytes(), name
    cells = [
        ATTEMPT,
        *(
            f"attempt({name!r}, lambda: open({str(path)!r}, 'rb').read())"
            for name, path in targets.items()
        ),
        "attempt('import reference', lambda: __import__('reference'))",
        "attempt('import grading code', lambda: __import__('autograder.grader.grade'))",
        f"attempt('list the course', lambda: os.listdir({str(root)!r}))",
        f"attempt('list the repository', lambda: os.listdir({str(REPO)!r}))",
        "attempt('processes', lambda: sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))",
        "attempt('environment', lambda: sorted(os.environ))",
        # A user namespace of its own would make it root there (unshare(CLONE_NEWUSER), from
        # a process of one thread: the kernel has several, and Linux refuses those anyway).
        "import subprocess\n"
        "UNSHARE = 'import ctypes, sys; sys.exit(ctypes.CDLL(None).unshare(0x10000000) & 1)'\n"
        "attempt('own user namespace', "
        "lambda: subprocess.run([sys.executable, '-c', UNSHARE]).returncode)",
        REPORT,
    ]
    nb, _ = await_(run_cells(cells, tmp_path, lesson_dir=str(lesson_dir)))
    results = results_of(nb)
    for name in targets:
        assert results[name][:2] == ["refused", "FileNotFoundError"], (name, results[name])
    assert results["import reference"][:2] == ["refused", "ModuleNotFoundError"]
    # The released checks are importable from the lesson folder, the grading code is not.
    assert results["import grading code"][:2] == ["refused", "ModuleNotFoundError"]
    assert results["own user namespace"] == ["done", "1"]  # unshare returned -1
    assert results["list the course"][0] == "refused"
    # Where the venv lives inside the checkout (as in CI), the checkout's folder exists in the
    # jail to hold the venv's mount, and holds nothing else.
    venv_inside = Path(sys.prefix).resolve().parent == REPO
    seen = results["list the repository"]
    assert seen == ["done", repr([".venv"])] if venv_inside else seen[0] == "refused", seen
    processes = json.loads(results["processes"][1].replace("'", '"'))
    assert grader not in processes and len(processes) <= 3, processes  # pid 1, the kernel, ...
    environment = results["environment"][1]
    assert "'GRADER_SECRET_TOKEN'" not in environment and "'HOME'" in environment


def test_no_other_kernel_or_grader_process_can_be_signalled(tmp_path):
    async def scenario():
        other = await Kernel().start()
        try:
            victims = jail_processes(other.km)
            kernel = next(pid for pid, inside in victims.items() if inside == 2)
            grader, parent = os.getpid(), os.getppid()
            cells = [
                ATTEMPT,
                f"attempt('kill the grader', lambda: os.kill({grader}, signal.SIGKILL))",
                f"attempt('stop the grader', lambda: os.kill({grader}, signal.SIGSTOP))",
                f"attempt('stop its parent', lambda: os.kill({parent}, signal.SIGSTOP))",
                f"attempt('kill the other kernel', lambda: os.kill({kernel}, signal.SIGKILL))",
                f"attempt('its group', lambda: os.killpg({kernel}, signal.SIGKILL))",
                "attempt('everyone it can', lambda: os.kill(-1, signal.SIGKILL))",
                REPORT,
            ]
            nb, _ = await run_cells(cells, tmp_path)
            # The other kernel still answers, and none of its processes was stopped.
            assert (await other.run("print(6 * 7)")).strip() == "42"
            assert not [pid for pid in victims if state(pid) == "T"]
            return results_of(nb)
        finally:
            await other.stop()

    results = await_(scenario())
    for name in ("kill the grader", "stop the grader", "stop its parent"):
        assert results[name][:2] == ["refused", "ProcessLookupError"], (name, results[name])
    for name in ("kill the other kernel", "its group"):
        assert results[name][:2] == ["refused", "ProcessLookupError"], (name, results[name])
    # kill(-1) reaches only the jail's own processes: here none but pid 1, which it may not.
    assert results["everyone it can"][:2] == ["refused", "ProcessLookupError"]
    assert state(os.getpid()) != "T"


def state(pid):
    """The one-letter state of a process ('R', 'S', 'T' for stopped, ...), or '' if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""


def test_no_network_not_even_the_hosts_loopback(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(1)
    port = listener.getsockname()[1]
    abstract = socket.socket(socket.AF_UNIX)
    name = f"\0backprop-jail-test-{os.getpid()}"
    abstract.bind(name)
    abstract.listen()
    try:
        cells = [
            ATTEMPT,
            f"attempt('host loopback', "
            f"lambda: socket.create_connection(('127.0.0.1', {port}), timeout=3))",
            "attempt('internet', lambda: socket.create_connection(('1.1.1.1', 53), timeout=3))",
            f"attempt('abstract socket', lambda: socket.socket(socket.AF_UNIX).connect({name!r}))",
            REPORT,
        ]
        nb, _ = await_(run_cells(cells, tmp_path))
        results = results_of(nb)
        assert results["host loopback"][:2] == ["refused", "ConnectionRefusedError"]
        assert results["internet"][0] == "refused"
        assert results["abstract socket"][:2] == ["refused", "ConnectionRefusedError"]
        with pytest.raises(TimeoutError):
            listener.accept()  # nothing reached the listener ...
        with socket.create_connection(("127.0.0.1", port), timeout=3):
            listener.accept()[0].close()  # ... which the host itself can reach
    finally:
        listener.close()
        abstract.close()


def test_runtime_is_read_only(tmp_path):
    site = Path(sysconfig.get_paths()["purelib"])
    before = sorted((p.name, p.stat().st_mtime_ns) for p in site.iterdir())
    attacks = {
        ".pth in site-packages": f"open({str(site / 'zz_evil.pth')!r}, 'w')",
        "replace numpy": f"os.rename({str(site / 'numpy')!r}, {str(site / 'numpy_old')!r})",
        "write to /usr": "open('/usr/lib/evil', 'w')",
        "write to /": "open('/evil', 'w')",
        "write to /etc": "open('/etc/evil', 'w')",
        "write to /dev": "open('/dev/evil', 'w')",
    }
    cells = [
        ATTEMPT,
        *(f"attempt({name!r}, lambda: {action})" for name, action in attacks.items()),
        "attempt('scratch', lambda: open('/home/student/mine', 'w').write('ok'))",
        # The one folder the host shares: the kernel's sockets, locked once they exist.
        "attempt('beside the sockets', lambda: open('/run/kernel/big', 'w'))",
        "attempt('unlock the sockets', lambda: os.chmod('/run/kernel', 0o777))",
        "attempt('rewrite the connection', lambda: open('/run/kernel/kernel.json', 'a'))",
        REPORT,
    ]
    nb, _ = await_(run_cells(cells, tmp_path))
    results = results_of(nb)
    for name in ("beside the sockets", "unlock the sockets", "rewrite the connection"):
        assert results[name][:2] == ["refused", "PermissionError"], (name, results[name])
    for name in attacks:
        assert results[name][0] == "refused", (name, results[name])
        assert "Read-only file system" in results[name][2], (name, results[name])
    assert results["scratch"] == ["done", "2"]
    assert sorted((p.name, p.stat().st_mtime_ns) for p in site.iterdir()) == before


# ------------------------------------------------------------------ what it cannot keep

LINGER = """
import os, stat, subprocess, sys, time
def write_to_open_files(word):
    # Every regular file this process holds open: the kernel's own log, on the host.
    for fd in range(3, 256):
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                os.write(fd, word.encode())
        except OSError:
            pass
def linger(delay, word, daemon=False):
    # A session of its own, as the issue's student did: out of the kernel's process group.
    if os.fork() == 0:
        os.setsid()
        if daemon and os.fork() != 0:
            os._exit(0)  # double-forked: its parent gone, it belongs to no one
        time.sleep(delay)
        write_to_open_files(word)
        os._exit(0)
linger(0, "EARLY")
linger(4, "LATE")
linger(4, "DAEMON", daemon=True)
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
time.sleep(1)
"""


def test_nothing_it_started_outlives_it(tmp_path):
    seen = {}  # host pid -> pid inside, of every process seen in the jail
    nb, log = await_(
        run_cells([LINGER], tmp_path, watch=lambda km: seen.update(jail_processes(km)))
    )
    assert not errors(nb), errors(nb)
    assert len([pid for pid, inside in seen.items() if inside > 2]) >= 3, seen
    time.sleep(5)  # past the moment the lingering ones would write
    assert not [pid for pid, inside in seen.items() if state(pid) and ns_pid(pid) == inside]
    text = log.read_text(errors="replace")
    assert "EARLY" in text  # the channel works ...
    assert "LATE" not in text and "DAEMON" not in text  # ... and nobody was left to use it


def ns_pid(pid):
    """The pid a host process has in its own pid namespace, or None."""
    try:
        return int(
            Path(f"/proc/{pid}/status").read_text().split("NSpid:")[1].split("\n")[0].split()[-1]
        )
    except (OSError, IndexError):
        return None


def test_kernel_is_not_root_inside_or_on_the_host(tmp_path):
    async def scenario():
        kernel = await Kernel().start()
        try:
            ids = await kernel.run("import os\nprint(os.getuid(), os.geteuid(), os.getgid())")
            return [int(i) for i in ids.split()], {host_uid(p) for p in jail_processes(kernel.km)}
        finally:
            await kernel.stop()

    inside, outside = await_(scenario())
    assert 0 not in inside, inside
    assert outside and 0 not in outside, outside


# ------------------------------------------------------------------ limits

FORK_BOMB = """
import os, time
children, why = [], None
try:
    for _ in range(300):
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        children.append(pid)
except OSError as err:
    why = type(err).__name__
print(len(children), why)
"""
REAP = """
import os, signal
for pid in children:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
print("reaped", len(children))
"""


@pytest.mark.parametrize("limits", ["auto", "rlimit"])
def test_fork_bomb_is_capped_for_each_kernel_alone(tmp_path, limits):
    """300 processes are refused; a neighbour holding 40 takes nothing from this kernel."""

    async def scenario():
        neighbour = await Kernel(limits=limits, max_processes=64).start()
        try:
            held = (await neighbour.run(FORK_BOMB.replace("300", "40"))).split()
            nb, _ = await run_cells(
                [FORK_BOMB, REAP, "print('still answering')"],
                tmp_path,
                limits=limits,
                max_processes=64,
            )
            await neighbour.run(REAP)
            return held, nb
        finally:
            await neighbour.stop()

    held, nb = await_(scenario())
    assert held == ["40", "None"]
    forked, why = stdout(nb.cells[0]).split()
    # The kernel's own threads and the jail's pid 1 count too, so it gets fewer than 64.
    assert why == "BlockingIOError" and 64 - 20 <= int(forked) < 64, (forked, why)
    assert stdout(nb.cells[2]).strip() == "still answering"


FILL = (
    attacks.FILL
    + """
one = fill('big', 2048)
many = [fill(f'part{i}', 12) for i in range(8)]
shm = fill('/dev/shm/big', 2048)
print(json.dumps([one, many, shm]))
"""
)


def test_disk_writes_are_capped(tmp_path):
    nb, _ = await_(run_cells([ATTEMPT, FILL], tmp_path, max_file_mb=16, scratch_mb=48))
    one, many, shm = json.loads(stdout(nb.cells[1]))
    assert one == [16, "File too large"]  # no file past max_file_mb
    assert sum(mb for mb, _ in many) + 16 <= 48  # the scratch tmpfs is full ...
    assert many[-1][1] == "No space left on device"
    assert shm[0] <= 16 and shm[1] == "File too large"


HOARD = """
import os, select, signal, time
children = {}  # pid -> the pipe it says "holding" on
for _ in range(3):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        block = b'x' * (1536 * 2**20)  # 1.5 GiB, every page touched
        os.write(write, b'1')
        time.sleep(60)
        os._exit(0)
    os.close(write)
    children[pid] = read
# Wait until each child either holds its block or is dead.
outcome, deadline = {}, time.monotonic() + 60
while len(outcome) < len(children) and time.monotonic() < deadline:
    for pid, read in children.items():
        if pid in outcome:
            continue
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            outcome[pid] = ['killed by', os.WTERMSIG(status) if os.WIFSIGNALED(status) else None]
        elif select.select([read], [], [], 0)[0] and os.read(read, 1) == b'1':
            outcome[pid] = ['holding', None]
    time.sleep(0.05)
time.sleep(2)  # a holder killed late would show now
for pid in children:
    if outcome.setdefault(pid, ['unsettled', None])[0] == 'killed by':
        continue  # reaped already
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        outcome[pid] = ['killed by', os.WTERMSIG(status) if os.WIFSIGNALED(status) else None]
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
print(json.dumps(sorted(outcome.values(), key=str)))
"""


def test_memory_limit_holds_for_all_its_processes_together(tmp_path):
    if limits_mechanism().kind == cgroups.RLIMIT:
        pytest.skip("no cgroup here: per-process limits cannot hold processes together")
    peaks = []  # the kernel's own accounting of its cgroup, read on the host after each cell
    watch = lambda km: peaks.append(km.jail.cgroup.peak_memory_mb())  # noqa: E731
    nb, _ = await_(run_cells([ATTEMPT, HOARD], tmp_path, watch=watch, memory_mb=2048))
    assert max(peaks) <= 2048, peaks
    outcome = json.loads(stdout(nb.cells[1]))
    holding = [o for o in outcome if o[0] == "holding"]
    killed = [o for o in outcome if o[0] == "killed by"]
    assert len(holding) <= 1 and len(killed) >= 2, outcome
    assert all(number == signal.SIGKILL for _, number in killed), outcome


# ------------------------------------------------------------------ an honest notebook


def test_honest_notebook_runs(tmp_path, lesson_dir):
    cells = [
        "import os\nimport numpy as np\nimport matplotlib.pyplot as plt\n%matplotlib inline",
        "fig, ax = plt.subplots()\nax.plot(np.linspace(0, 1, 5))\nplt.show()",
        "from autograder.checks.softmax import check_softmax\n"
        "def softmax(z):\n"
        "    z = np.asarray(z, dtype=float)\n"
        "    e = np.exp(z - z.max(axis=-1, keepdims=True))\n"
        "    return e / e.sum(axis=-1, keepdims=True)\n"
        "check_softmax(softmax)",
        "print(open('points.csv').read(), end='')",
        "open('notes.txt', 'w').write('mine')\n"
        "print(open('notes.txt').read(), sorted(os.listdir()))",
    ]
    nb, _ = await_(run_cells(cells, tmp_path, lesson_dir=str(lesson_dir)))
    assert not errors(nb), errors(nb)
    assert not [o for c in nb.cells for o in c.outputs if o.get("name") == "stderr"]
    assert any("image/png" in o.get("data", {}) for o in nb.cells[1].outputs)
    assert stdout(nb.cells[2]).startswith("\u2713 softmax:")
    assert stdout(nb.cells[3]) == "x,y\n1,2\n"
    listing = stdout(nb.cells[4])
    assert listing.startswith("mine ")
    # The checks and the data are in the kernel's folder; the lesson's notebook is not.
    assert "'autograder'" in listing and "'points.csv'" in listing
    assert "02_softmax.ipynb" not in listing


def test_interrupt_stops_a_runaway_cell(tmp_path):
    nb, _ = await_(run_cells(["while True:\n    pass", "print('next')"], tmp_path, timeout=3))
    assert [e[0] for e in errors(nb)] == ["KeyboardInterrupt"]
    assert stdout(nb.cells[1]) == "next\n"


def test_a_restarted_kernel_gets_a_fresh_jail(tmp_path, lesson_dir):
    async def scenario():
        kernel = await Kernel(lesson_dir=str(lesson_dir)).start()
        try:
            await kernel.run("remembered = 1\nopen('mine', 'w').write('x')")
            before = set(jail_processes(kernel.km))
            await kernel.km.restart_kernel()
            await kernel.kc.wait_for_ready(timeout=60)
            after = await kernel.run(
                "import os\n"
                "print('remembered' in dir(), os.path.exists('mine'), os.path.exists('points.csv'))"
            )
            return before, set(jail_processes(kernel.km)), after
        finally:
            await kernel.stop()

    before, now, after = await_(scenario())
    assert not before & {pid for pid in now if state(pid)}  # none of the old processes is left
    assert after.split() == ["False", "False", "True"]  # a new scratch, the same lesson files


# ------------------------------------------------------------------ set-up and refusals


def test_a_course_directory_is_refused_as_lesson_folder(course):
    root, _ = course
    (root / "nbgrader_config.py").write_text("")
    with pytest.raises(JailError, match="course directory, not a lesson folder"):
        Jail(lesson_dir=str(root))


def test_sandbox_problem_says_what_to_install(tmp_path):
    missing = sandbox_problem(str(tmp_path / "bwrap"))
    assert "install the package bubblewrap" in missing and "--no-sandbox" in missing


@pytest.mark.parametrize(
    "said",
    [  # what bubblewrap 0.8 prints where user namespaces are off (bubblewrap.c)
        "bwrap: No permissions to creating new namespace, likely because the kernel does not "
        "allow non-privileged user namespaces. On e.g. debian this can be enabled with "
        "'sysctl kernel.unprivileged_userns_clone=1'.",
        "bwrap: Creating new namespace failed: nesting depth or /proc/sys/user/max_*_namespaces "
        "exceeded (ENOSPC)",
        "bwrap: setting up uid map: Permission denied",  # Ubuntu 24.04's AppArmor
    ],
)
def test_a_user_namespace_failure_names_the_setting(said):
    sentence = explain_failure(said + "\n")
    assert "enable unprivileged user namespaces" in sentence and "--no-sandbox" in sentence


def test_describe_limits_names_the_mechanism_and_numbers():
    sentence = describe_limits(3072, 99)
    assert "3,072 MB" in sentence and "99 processes" in sentence
    kind = limits_mechanism().kind
    assert {"cgroup2": "cgroup v2", "cgroup1": "cgroup v1", "rlimit": "per-process"}[
        kind
    ] in sentence
    assert describe_limits(2048, 64, "rlimit").startswith("per-process limits only")


def test_sweep_removes_what_a_dead_grader_left(tmp_path):
    sweep_stale()  # whatever an earlier crashed run left, so that the count below is ours
    dead = os.fork()
    if dead == 0:
        os._exit(0)
    os.waitpid(dead, 0)
    folder = Path("/tmp") / f"{FOLDER_PREFIX}{dead}-stale"
    folder.mkdir()
    groups = [parent / f"{cgroups.PREFIX}{dead}-stale" for parent in limits_mechanism().parents]
    for group in groups:
        group.mkdir()
    mine = Path("/tmp") / f"{FOLDER_PREFIX}{os.getpid()}-alive"
    mine.mkdir()
    try:
        assert sweep_stale() == 1 + len(groups)
        assert not folder.exists() and not [g for g in groups if g.exists()]
        assert mine.exists()  # a living grader's jail is left alone
    finally:
        mine.rmdir()


# ------------------------------------------------------------------ with the grader's Execute


def test_grading_execute_runs_through_the_jail(tmp_path, lesson_dir):
    """The lead's GradingExecute with kernel_manager_class=JailedKernelManager: a runaway
    array fails in its cell, a cell that kills the kernel costs only itself."""
    from autograder.grader.execute import GradingExecute

    cells = [
        "import os\nfrom autograder.checks import core\nprint('before')",
        "import numpy as np\nnp.ones(3 * 2**30 // 8)",
        "os._exit(3)",
        "print('after')",
    ]
    nb = kernelspec(new_notebook(cells=[new_code_cell(c) for c in cells]))
    execute = GradingExecute(
        config=config(lesson_dir=str(lesson_dir)),
        kernel_manager_class=JailedKernelManager,
        timeout=30,
        max_memory_mb=2048,
    )
    nb, _ = execute.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    assert stdout(nb.cells[0]) == "before\n"
    assert "MemoryError" in [e for e, _ in errors(new_notebook(cells=[nb.cells[1]]))]
    assert stdout(nb.cells[3]) == "after\n"
    sentences = [sentence for _, sentence in execute.events]
    assert any("exited with code 3" in s for s in sentences), sentences
