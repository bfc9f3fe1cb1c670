"""Does GradingExecute grade on through dying kernels, hung cells and floods of output?

Every test runs a tiny notebook in a real python3 kernel with a short time limit, in the jail
as grading runs it (but for the port race, which only kernels outside it have), its log in the
test's tmp_path. Expected values come from what the cells do
(the exit code they ask for, the characters they print), never from running the grader.
"""

import base64
import json
import os
import sys

import nbformat
import pytest
from jupyter_client import AsyncKernelManager
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.utils import determine_grade

from autograder.grader.execute import GradingExecute, KernelStartError
from autograder.grader.output_cap import DEFAULT_LIMIT

pytestmark = pytest.mark.slow

TIMEOUT = 2  # seconds per cell: every cell here that does not hang takes far less

EXIT_3 = "import os\nos._exit(3)"
SEGFAULT = "import ctypes\nctypes.string_at(0)"
ENDLESS = "while True:\n    pass"
STUBBORN = """import time
while True:
    try:
        time.sleep(0.05)
    except KeyboardInterrupt:
        pass
"""


def run(tmp_path, cells, **settings):
    """Run `cells` (sources, or cells) through GradingExecute in tmp_path; return nb, executor."""
    cells = [new_code_cell(c) if isinstance(c, str) else c for c in cells]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    execute = GradingExecute(timeout=settings.pop("timeout", TIMEOUT), **settings)
    nb, _ = execute.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    return nb, execute


def stdout(cell):
    return "".join(o.text for o in cell.outputs if o.output_type == "stream")


def errors(cell):
    return [(o.ename, o.evalue) for o in cell.outputs if o.output_type == "error"]


@pytest.mark.parametrize(
    ("source", "why"),
    [(EXIT_3, "exited with code 3"), (SEGFAULT, "killed by signal 11 (SIGSEGV)")],
    ids=["exit", "segfault"],
)
def test_a_dying_kernel_costs_only_the_cell_that_killed_it(tmp_path, source, why):
    """Does the killing cell alone get an error naming how the kernel ended, the rest graded?"""
    nb, execute = run(tmp_path, ["x = 41\nprint('before')", source, "print(x + 1)"])
    assert stdout(nb.cells[0]) == "before\n"
    ((ename, evalue),) = errors(nb.cells[1])
    assert ename == "KernelDied" and why in evalue
    assert nb.cells[1].execution_count is None
    # x was set before the dying cell: the fresh kernel ran the notebook again from the top.
    assert stdout(nb.cells[2]) == "42\n" and errors(nb.cells[2]) == []
    assert [index for index, _ in execute.events] == [1]
    assert why in execute.events[0][1]
    nbformat.validate(nb)


def test_two_deaths_in_one_notebook_each_cost_their_own_cell(tmp_path):
    """With an exit and a segfault in one notebook, does each get its own sentence?"""
    cells = ["x = 1", EXIT_3, "y = x + 1", SEGFAULT, "print(x, y)"]
    nb, execute = run(tmp_path, cells)
    assert "exited with code 3" in errors(nb.cells[1])[0][1]
    assert "signal 11 (SIGSEGV)" in errors(nb.cells[3])[0][1]
    assert errors(nb.cells[2]) == [] and stdout(nb.cells[4]) == "1 2\n"
    assert [index for index, _ in execute.events] == [1, 3]


def test_an_endless_loop_is_interrupted_and_the_rest_runs(tmp_path):
    """Is `while True: pass` stopped at the time limit with one sentence, the next cells run?"""
    nb, execute = run(tmp_path, ["x = 5", ENDLESS, "print(x * 2)"])
    ((ename, evalue),) = errors(nb.cells[1])  # the KeyboardInterrupt traceback is gone
    assert ename == "Timeout" and f"more than {TIMEOUT} s" in evalue
    assert stdout(nb.cells[2]) == "10\n"
    assert execute.events == [(1, f"ran past the time limit ({TIMEOUT} s)")]


def test_a_loop_that_swallows_the_interrupt_is_given_up_on(tmp_path):
    """Does a cell that ignores KeyboardInterrupt get the 'did not stop' sentence, rest run?"""
    nb, execute = run(tmp_path, ["x = 20", STUBBORN, "print(x + 1)"])
    ((ename, evalue),) = errors(nb.cells[1])
    assert ename == "Timeout" and "did not stop when interrupted" in evalue
    assert stdout(nb.cells[2]) == "21\n"
    assert [index for index, _ in execute.events] == [1]


def test_more_failures_than_fresh_kernels_leave_the_rest_not_run(tmp_path):
    """With max_restarts=1 and two deaths, are the later code cells marked NotRun, and only they?"""
    cells = [
        "print('first')",
        EXIT_3,
        EXIT_3,
        "print('never')",
        new_markdown_cell("some *text*"),
        "print('never either')",
    ]
    nb, execute = run(tmp_path, cells, max_restarts=1)
    assert stdout(nb.cells[0]) == "first\n"
    assert [e[0] for e in errors(nb.cells[1])] == ["KernelDied"]
    assert [e[0] for e in errors(nb.cells[2])] == ["KernelDied"]
    for index in (3, 5):
        ((ename, evalue),) = errors(nb.cells[index])
        assert ename == "NotRun" and "failed 2 times" in evalue
        assert stdout(nb.cells[index]) == ""
    assert "outputs" not in nb.cells[4]
    assert [index for index, _ in execute.events] == [1, 2]
    nbformat.validate(nb)


def test_a_50_million_character_print_is_cut(tmp_path):
    """Does one 50,000,000-character print leave ~20,000 characters and a note of the cut?"""
    size = 50_000_000
    nb, execute = run(tmp_path, [f"print('x' * {size})", "print('next')"], timeout=10)
    printed = size + 1  # print adds a newline
    cut = printed - DEFAULT_LIMIT
    kept, note = nb.cells[0].outputs[:-1], nb.cells[0].outputs[-1]
    assert sum(len(o.text) for o in kept) == DEFAULT_LIMIT
    assert f"{cut:,} characters of output cut" in note.text
    assert stdout(nb.cells[1]) == "next\n"  # the next cell has its own allowance
    assert execute.events == [(0, f"{cut:,} characters of output were cut from the feedback")]
    assert len(nbformat.writes(nb)) < 2 * DEFAULT_LIMIT


def test_many_small_prints_are_capped_too(tmp_path):
    """Do 100,000 short prints add up against the same cap as one long print?"""
    count = 100_000
    printed = sum(len(f"{i}\n") for i in range(count))
    nb, execute = run(tmp_path, [f"for i in range({count}):\n    print(i)"], timeout=10)
    text = stdout(nb.cells[0])
    assert text.startswith("0\n1\n2\n")
    assert f"{printed - DEFAULT_LIMIT:,} characters of output cut" in text
    assert len(text) < DEFAULT_LIMIT + 100
    assert [index for index, _ in execute.events] == [0]


def test_a_figure_sized_image_is_kept_whole(tmp_path):
    """Is a 100 KB PNG kept whole, as rich data has its own, larger allowance?"""
    png = base64.b64encode(os.urandom(75_000)).decode()  # 100,000 characters
    source = (
        "from IPython.display import display\n"
        f"display({{'image/png': {png!r}, 'text/plain': '<Figure>'}}, raw=True)\n"
        "print('drawn')"
    )
    nb, execute = run(tmp_path, [source], timeout=10)
    (image,) = [o for o in nb.cells[0].outputs if o.output_type == "display_data"]
    assert image.data["image/png"] == png and len(png) == 100_000
    assert stdout(nb.cells[0]) == "drawn\n"
    assert execute.events == []


def test_the_kernels_own_output_goes_to_kernel_log(tmp_path):
    """Does what the kernel process writes to fd 2 (a crash message) land in kernel.log?"""
    run(tmp_path, ["import os\nos.write(2, b'straight to fd 2\\n')"])
    assert "straight to fd 2" in (tmp_path / "kernel.log").read_text()


def test_a_clean_notebook_has_no_events(tmp_path):
    """Does a notebook without trouble keep its outputs and report no events?"""
    nb, execute = run(tmp_path, ["print('hello')", "6 * 7"])
    assert execute.events == []
    assert stdout(nb.cells[0]) == "hello\n"
    assert nb.cells[1].outputs[0].data["text/plain"] == "42"


def test_stderr_after_a_flood_still_costs_the_test_its_points(tmp_path):
    """Does a test cell that floods stdout, then writes to stderr, still score 0 as in nbgrader?"""
    source = (
        "import sys\n"
        "print('d' * 30_000)\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write('RuntimeWarning: overflow in exp\\n')"
    )
    test = new_code_cell(source)
    test.metadata["nbgrader"] = {"grade": True, "grade_id": "test_x", "points": 3}
    nb, _ = run(tmp_path, [test])
    names = [o.name for o in nb.cells[0].outputs if o.output_type == "stream"]
    assert "stderr" in names  # nbgrader scores any stderr output as 0
    assert determine_grade(nb.cells[0]) == (0, 3)


def test_a_partial_credit_value_survives_a_flood(tmp_path):
    """Does a test cell that prints 30,000 characters and ends with 0.5 still earn 0.5 points?"""
    test = new_code_cell("print('d' * 30_000)\n0.5")
    test.metadata["nbgrader"] = {"grade": True, "grade_id": "test_x", "points": 4}
    nb, _ = run(tmp_path, [test])
    # nbgrader reads a test cell's numeric result as the points earned: 0.5 of 4.
    assert determine_grade(nb.cells[0]) == (0.5, 4)


def test_an_error_after_a_flood_keeps_its_message(tmp_path):
    """Does an assert that fails after 30,000 printed characters still say why it failed?"""
    nb, _ = run(tmp_path, ["print('d' * 30_000)\nassert False, 'grad_W has the wrong shape'"])
    assert errors(nb.cells[0]) == [("AssertionError", "grad_W has the wrong shape")]


def test_a_student_exception_named_timeout_is_not_a_time_out(tmp_path):
    """Is a student's own `Timeout` exception reported as itself, with no time-out event?"""
    nb, execute = run(tmp_path, ["class Timeout(Exception):\n    pass", "raise Timeout('mine')"])
    assert errors(nb.cells[1]) == [("Timeout", "mine")]
    assert execute.events == []


# A kernel launcher that reproduces the race seen when graders start kernels side by side:
# jupyter_client picks free ports, and before the kernel binds them another process takes one.
# Its first `fail` launches hold the control port, so ipykernel dies with "Address already in
# use"; later launches start ipykernel as usual.
PORT_TAKEN = """
import json, pathlib, socket, sys
from ipykernel import kernelapp

connection_file, count_file, fail = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3])
launches = int(count_file.read_text()) if count_file.exists() else 0
count_file.write_text(str(launches + 1))
if launches < fail:
    taken = socket.socket()
    taken.bind(("127.0.0.1", json.loads(pathlib.Path(connection_file).read_text())["control_port"]))
    taken.listen()
kernelapp.launch_new_instance(argv=["-f", connection_file])
"""


def port_taken_kernel(tmp_path, monkeypatch, fail):
    """A kernelspec 'port_taken' whose first `fail` launches find their port taken.

    Its kernels run outside the jail (whose kernels talk over unix sockets: no port to race
    for), as `grade --no-sandbox` runs them.
    """
    spec = tmp_path / "jupyter" / "kernels" / "port_taken"
    spec.mkdir(parents=True)
    launcher = tmp_path / "port_taken.py"
    launcher.write_text(PORT_TAKEN)
    argv = [
        sys.executable,
        str(launcher),
        "{connection_file}",
        str(tmp_path / "launches"),
        str(fail),
    ]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "port taken", "language": "python"})
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return lambda: int((tmp_path / "launches").read_text())


PORT_TAKEN_SETTINGS = {"kernel_name": "port_taken", "kernel_manager_class": AsyncKernelManager}


def test_a_kernel_that_dies_starting_is_started_again(tmp_path, monkeypatch):
    """When the first kernel cannot bind its port, does a second one grade the notebook unseen?"""
    launches = port_taken_kernel(tmp_path, monkeypatch, fail=1)
    nb, execute = run(tmp_path, ["x = 41", "print(x + 1)"], **PORT_TAKEN_SETTINGS)
    assert launches() == 2
    assert "Address already in use" in (tmp_path / "kernel.log").read_text()
    # Nothing of it reaches the student: no student code ran in the kernel that died.
    assert stdout(nb.cells[1]) == "42\n" and execute.events == []


def test_a_kernel_that_never_starts_is_the_graders_error(tmp_path, monkeypatch):
    """After `startup_attempts` kernels died starting, is the error the grader's, with the count?"""
    launches = port_taken_kernel(tmp_path, monkeypatch, fail=5)
    with pytest.raises(KernelStartError, match="no kernel came up in 2 tries"):
        run(tmp_path, ["x = 1"], startup_attempts=2, **PORT_TAKEN_SETTINGS)
    assert launches() == 2


AT_EXIT = """import atexit, pathlib
atexit.register(lambda: pathlib.Path('ran-at-exit').write_text('stopped gracefully'))
"""


@pytest.mark.parametrize(
    ("shutdown", "hook_ran"), [(None, False), ("graceful", True)], ids=["default", "graceful"]
)
def test_a_graded_kernel_is_killed_so_its_exit_hooks_never_run(tmp_path, shutdown, hook_ran):
    """Once the last cell ran, is the kernel killed rather than asked to stop, so that a hook
    the student registered to run at exit never runs (nothing after the cells is graded; a
    hook could only hold the grader up)? The control: nbclient's graceful stop runs it.

    Outside the jail, so that the hook can write where the test looks (the working folder).
    """
    settings = {"shutdown_kernel": shutdown} if shutdown else {}
    nb, _ = run(
        tmp_path, [AT_EXIT, "print('done')"], kernel_manager_class=AsyncKernelManager, **settings
    )
    assert stdout(nb.cells[1]) == "done\n"
    assert (tmp_path / "ran-at-exit").exists() is hook_ran


TWO_GIB = "import numpy as np\nspace = np.empty(1 << 28)  # 2 GiB of float64, never touched"


@pytest.mark.parametrize("limit", [0, 1024], ids=["no limit", "1024 MB"])
def test_a_memory_limit_fails_only_the_cell_that_passes_it(tmp_path, limit):
    """Under a 1 GB limit, does a 2 GiB array fail in its own cell, said so, the kernel alive?"""
    cells = [TWO_GIB, "print('resource' in dir(), 1 + 1)"]
    nb, execute = run(tmp_path, cells, max_memory_mb=limit)
    # The limit leaves no name behind in the student's namespace, and the kernel goes on.
    assert stdout(nb.cells[1]) == "False 2\n"
    if not limit:  # the same array without a limit: address space only, it fits
        assert errors(nb.cells[0]) == [] and execute.events == []
        return
    (numpy_error, ours) = errors(nb.cells[0])
    assert numpy_error[0] == "MemoryError" and "Unable to allocate 2.00 GiB" in numpy_error[1]
    assert ours == ("MemoryError", execute.events[0][1])
    assert execute.events == [(0, ours[1])]
    assert ours[1].startswith("ran out of memory: the grader gives a notebook 1,024 MB")
