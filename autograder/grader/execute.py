"""nbgrader's Execute, made to survive what student code does to a kernel.

Plain nbgrader gives up on a whole submission when its kernel dies or stops answering. Here the
cell that killed (or hung) the kernel gets an error output saying so, a fresh kernel runs the
notebook again from the top with that cell skipped, and every other cell is graded as usual:
the student keeps the points they earned and loses only the parts the failure touched.

A kernel that dies while starting, before any student code ran, is started again: with
several graders at work, two kernels can be handed the same free port and the slower one
fails to bind it (jupyter_client picks ports before the kernel binds them).

A cell that runs past the time limit is interrupted (nbgrader's own behaviour) and its
output says so in one sentence; so does a cell that runs past the memory limit, when one is
set (max_memory_mb). Outputs are capped in characters and in number while they arrive, and so
are the displays a later cell updates in place, so a runaway print never piles up in memory
(see output_cap). The kernel's own stdout and stderr go to a capped kernel.log (kernel_log).

The whole notebook has a time limit too (notebook_timeout), restarts included: a cell running
when it passes is stopped, and every code cell after it is marked not run.

Kernels run in the bubblewrap jail (JailedKernelManager) unless Sandbox.enabled is off (see
sandbox.py); the jail's cgroup holds max_memory_mb for the kernel and its children together,
and a jail that cannot be built (JailError) is the grader's trouble: never retried, never a 0.
"""

import math
import os
import signal
import time
from contextlib import contextmanager

from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import output_from_msg
from nbgrader.preprocessors import Execute
from traitlets import Bool, Float, Integer, default

from autograder.grader import verify
from autograder.grader.cells import cell_name, error_output
from autograder.grader.jail import JailedKernelManager, JailError
from autograder.grader.kernel_log import CappedLog
from autograder.grader.output_cap import (
    DEFAULT_LIMIT,
    MAX_OUTPUTS,
    RICH_LIMIT,
    CellBudget,
    cut_note,
    merge_stream,
    past_count,
)
from autograder.grader.sandbox import kernel_manager_class
from autograder.grader.timings import Phases


def memory_limit_argument(mb):
    """The ipykernel argument that limits the kernel's address space to `mb` MB at start-up."""
    limit = mb * 2**20
    resource = "__import__('resource')"
    return (
        f"--IPKernelApp.exec_lines={resource}.setrlimit({resource}.RLIMIT_AS, ({limit}, {limit}))"
    )


def describe_exit(code, jailed=False):
    """Why a kernel process ended, in words: 'it exited with code 3', 'signal 11 (SIGSEGV)'.

    jailed: the process was bubblewrap's, which exits with 128 + N when the kernel inside
    was killed by signal N.
    """
    if code is None:
        return "it stopped without an exit status"
    if jailed and 128 < code < 128 + signal.NSIG:
        code = 128 - code
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "unknown signal"
        return f"it was killed by signal {-code} ({name})"
    return f"it exited with code {code}"


class KernelStartError(RuntimeError):
    """No kernel could be started for a notebook: the grader's trouble, not the student's."""


class GradingExecute(Execute):
    """Execute that grades through dead kernels, hung cells and floods of output.

    After a run, `self.events` lists (cell index, sentence) for every cell that killed or
    hung the kernel, ran past the time limit or had its output cut; the cell's outputs say
    the same.
    """

    max_restarts = Integer(
        3, help="Fresh kernels to try after failures before the rest is left unrun."
    ).tag(config=True)
    startup_attempts = Integer(
        3, help="Kernels to start, one after another, before giving up on a notebook."
    ).tag(config=True)
    max_memory_mb = Integer(
        0,
        help="Memory (MB) a kernel may take: its address space, and in the sandbox also the "
        "kernel and everything it starts together; past it allocations fail. 0: any.",
    ).tag(config=True)
    max_output_chars = Integer(
        DEFAULT_LIMIT, help="Characters of text output a cell keeps; the rest is cut."
    ).tag(config=True)
    max_rich_output_chars = Integer(
        RICH_LIMIT, help="Characters of rich output (figures, HTML) a cell keeps."
    ).tag(config=True)
    max_outputs = Integer(
        MAX_OUTPUTS,
        help="Outputs a cell keeps; past it displays are left out and prints join the last "
        "one (an error or result that decides the grade is always kept).",
    ).tag(config=True)
    notebook_timeout = Integer(
        60,
        help="Seconds a whole notebook may run, restarts included; past it the running cell "
        "is stopped and the rest is not run. 0: no limit. The slowest lesson runs in 5 s "
        "alone and took up to 8.5 s while grading on a busy machine "
        "(benchmarks/lesson_bounds.py, benchmarks/grading.py): 60 s is 7 times that.",
    ).tag(config=True)
    max_kernel_log_bytes = Integer(
        1_000_000,
        help="Bytes of the kernel's own stdout and stderr kept in kernel.log (a lesson's "
        "kernel writes about 300).",
    ).tag(config=True)
    # Widgets are neither graded nor shown in feedback, and their state is whatever the
    # kernel sends, unbounded: it is not kept in the executed notebook.
    store_widget_state = Bool(False).tag(config=True)

    verify_stubs = Bool(
        True,
        help="Call every stub of a lesson the grader knows on fresh inputs after the last "
        "cell, and give a test cell its points only if the stubs it covers were right.",
    ).tag(config=True)
    verify_call_timeout = Float(
        5.0, help="Seconds one call of a stub may take when the grader verifies it."
    ).tag(config=True)

    @default("shutdown_kernel")
    def _killed_when_done(self):
        # Nothing a kernel does after the grader's last call is graded, so it is killed, not
        # asked to stop: a graceful stop runs the student's atexit hooks and the teardown of
        # an interpreter full of numpy and matplotlib, about 0.25 s of CPU a lesson
        # (benchmarks/grading.py). The jail's clean-up ends whatever it started.
        return "immediate"

    def __init__(self, **kwargs):
        # nbgrader's Execute passes its own default class in as an argument, which would
        # beat any configuration: choose the jail's (or not) here, from the Sandbox setting.
        kwargs.setdefault("kernel_manager_class", kernel_manager_class(kwargs.get("config")))
        super().__init__(**kwargs)
        self.phases = Phases()  # kernel, execute, verify seconds of the last preprocess()
        self._starting = False

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        if isinstance(km, JailedKernelManager) and self.max_memory_mb:
            # The cgroup holds the kernel and every child together; RLIMIT_AS (above) still
            # gives the cell that passes it alone its MemoryError sentence.
            km.memory_mb = self.max_memory_mb
        return km

    def preprocess(self, nb, resources=None, km=None):
        # In the grading pipeline, a stand-in for an unreadable file is not run, and what
        # happened goes to the submission's notes.
        ctx = (resources or {}).get("grading")
        if ctx is not None and ctx.unreadable:
            return nb, resources
        lesson = (resources or {}).get("nbgrader", {}).get("assignment", "")
        self.verify_lesson = lesson if self.verify_stubs and verify.knows(lesson) else None
        self.phases = Phases()
        start = time.perf_counter()
        nb, resources = self._preprocess(nb, resources, km)
        # What is neither a kernel start nor verification is the cells (and shutting down).
        elapsed = time.perf_counter() - start
        self.phases.add("execute", elapsed - sum(self.phases.values()))
        if ctx is not None:
            ctx.notes.extend(f"{cell_name(nb, i)}: {sentence}" for i, sentence in self.events)
            ctx.verify_lesson, ctx.verdicts = self.verify_lesson, self.verdicts
            ctx.phases.merge(self.phases)
        return nb, resources

    def _preprocess(self, nb, resources, km):
        timeout = self.timeout
        self.error_on_timeout = {
            "ename": "Timeout",
            "evalue": f"this cell ran for more than {timeout} s and was stopped "
            "(an infinite loop, or far too much work?)",
            "traceback": [],
        }
        self._logs = []
        self._deadline = None  # set when the first cell starts; restarts do not reset it
        self._limit_memory()
        try:
            return self._run_with_restarts(nb, resources, km, timeout)
        finally:
            for log in self._logs:
                log.close()

    def _run_with_restarts(self, nb, resources, km, timeout):
        self.failures = []
        self._skip = {}  # cell index -> the error output it gets instead of running
        self.verdicts = None
        for _ in range(self.max_restarts + 1):
            self._seen = []  # this attempt's timeouts and cuts (a rerun sees them again)
            self._exit_code = None
            self._jailed = False
            self._budgets = {}  # cell index -> its CellBudget (updates reach earlier cells)
            self._noted = {}  # cell index -> (cut, dropped) its outputs already say
            self._not_run = None  # the first cell left unrun for the notebook's time limit
            try:
                super().preprocess(nb, resources, km)
                self._note_late_cuts()
                self._note_not_run()
                self.events = sorted(self.failures + self._seen)
                return nb, resources
            except (DeadKernelError, CellTimeoutError) as err:
                index = self._running
                if isinstance(err, DeadKernelError):
                    why = describe_exit(self._exit_code, self._jailed)
                    sentence = (
                        f"the kernel died while running this cell ({why}); the grader "
                        "restarted it and ran the rest of the notebook without this cell"
                    )
                    ename = "KernelDied"
                else:
                    sentence = (
                        f"this cell ran for more than {timeout} s and did not stop when "
                        "interrupted; the grader restarted the kernel and ran the rest of "
                        "the notebook without this cell"
                    )
                    ename = "Timeout"
                if self._past_deadline():
                    # A fresh kernel would run the notebook again from the top, with no time
                    # left: what ran keeps its outputs, the rest is not run.
                    self._skip[index] = self._deadline_error()
                    self.failures.append((index, self._deadline_sentence()))
                    return self._leave_the_rest(nb, resources, index, self._not_run_error())
                self.failures.append((index, sentence))
                self._skip[index] = error_output(ename, sentence)
        # Out of fresh kernels: what did not run gets said so, and earns nothing.
        not_run = error_output(
            "NotRun",
            f"not run: the kernel failed {len(self.failures)} times, so the grader stopped here",
        )
        return self._leave_the_rest(nb, resources, self.failures[-1][0], not_run)

    def _leave_the_rest(self, nb, resources, last, not_run):
        """Every code cell after `last` gets `not_run`; the skipped cells their errors."""
        self._note_late_cuts()
        for index, cell in enumerate(nb.cells):
            if index > last and cell.cell_type == "code" and index not in self._skip:
                cell.outputs = [not_run]
                cell.execution_count = None
        for index, out in self._skip.items():
            nb.cells[index].outputs = [out]
        self.events = sorted(self.failures + [e for e in self._seen if e[0] < last])
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if index in self._skip:
            cell.outputs = [self._skip[index]]
            cell.execution_count = None
        else:
            cell, resources = self._run_cell(cell, resources, index)
        if index == len(self.nb.cells) - 1:
            self._verify_after_last_cell()
        return cell, resources

    def _verify_after_last_cell(self):
        # While the kernel that ran the notebook is still up, the grader calls each stub
        # itself (see verify/); what the notebook printed about them is never believed. Each
        # call has its own time limit, so this runs even past the notebook's.
        if self.verify_lesson:
            with self.phases.timed("verify"):
                self.verdicts = run_sync(verify.verify_submission)(
                    self.kc, self.verify_lesson, verify.new_seed(), self.verify_call_timeout
                )

    @contextmanager
    def _kernel_starting(self):
        # Timed once from the outside: a retried start nests inside the client's start.
        if self._starting:
            yield
            return
        self._starting = True
        try:
            with self.phases.timed("kernel"):
                yield
        finally:
            self._starting = False

    def _run_cell(self, cell, resources, index):
        if self._deadline is None and self.notebook_timeout:
            self._deadline = time.monotonic() + self.notebook_timeout
        if cell.cell_type == "code" and self._past_deadline():
            cell.outputs = [self._not_run_error()]
            cell.execution_count = None
            if self._not_run is None:
                self._not_run = index
            return cell, resources
        self._running = index
        self._budget = CellBudget(self.max_output_chars, self.max_rich_output_chars)
        self._budgets[index] = self._budget
        # The kernel's IOPub socket drops messages past its high-water mark when the grader
        # reads slower than a flood of outputs arrives, and the lost one can be the "idle"
        # that ends a cell: once the kernel has replied, a missing idle only means the cell is
        # done. Only an interrupted cell that stays busy is one that ignored its interrupt.
        self.raise_on_iopub_timeout = False
        return super().preprocess_cell(cell, resources, index)

    async def _async_handle_timeout(self, timeout, cell=None):
        self.raise_on_iopub_timeout = True  # see preprocess_cell
        return await super()._async_handle_timeout(timeout, cell)

    # ------------------------------------------------------------------ the notebook's time

    def _past_deadline(self):
        return self._deadline is not None and time.monotonic() >= self._deadline

    def _get_timeout(self, cell):
        # A cell may run for its own limit, or for what is left of the notebook's if less.
        timeout = super()._get_timeout(cell)
        if self._deadline is None:
            return timeout
        left = max(1, math.ceil(self._deadline - time.monotonic()))
        return left if timeout is None else min(timeout, left)

    def _deadline_sentence(self):
        return (
            f"the notebook ran past its time limit ({self.notebook_timeout} s, all cells "
            "together) during this cell, which was stopped; the cells after it were not run"
        )

    def _deadline_error(self):
        return error_output("Timeout", self._deadline_sentence())

    def _not_run_error(self):
        return error_output(
            "NotRun",
            f"not run: the notebook had used up its time limit ({self.notebook_timeout} s, "
            "all cells together)",
        )

    def _note_not_run(self):
        # A cell stopped at the deadline already says the rest was not run; when the time ran
        # out between two cells, the first unrun one says it.
        stopped = any(s == self._deadline_sentence() for _, s in self._seen + self.failures)
        if self._not_run is not None and not stopped:
            self._seen.append(
                (
                    self._not_run,
                    f"not run, nor any code cell after it: the notebook had used up its time "
                    f"limit ({self.notebook_timeout} s)",
                )
            )

    def _limit_memory(self):
        # The kernel sets its own soft and hard limit before any student code runs (ipykernel's
        # exec_lines; only root could raise the hard one again). An array or list past it
        # raises MemoryError in that cell instead of the machine swapping or the OOM killer
        # picking some other student's kernel. __import__ leaves no name in their namespace.
        ours = memory_limit_argument(1).split(".setrlimit")[0]
        self.extra_arguments = [a for a in self.extra_arguments if not a.startswith(ours)]
        if self.max_memory_mb:
            self.extra_arguments = [
                *self.extra_arguments,
                memory_limit_argument(self.max_memory_mb),
            ]

    async def async_start_new_kernel(self, **kwargs):
        # The kernel's own stdout/stderr (its startup chatter, a C library's crash message)
        # go to kernel.log in its working directory, not to the instructor's terminal, through
        # a pipe that keeps the first max_kernel_log_bytes (kernel_log.py says why a pipe).
        folder = (self.resources or {}).get("metadata", {}).get("path")
        with self._kernel_starting():
            if not folder:
                return await super().async_start_new_kernel(**kwargs)
            log = CappedLog(os.path.join(folder, "kernel.log"), self.max_kernel_log_bytes)
            self._logs.append(log)
            kwargs.setdefault("stdout", log.write_fd)
            kwargs.setdefault("stderr", log.write_fd)
            try:
                return await super().async_start_new_kernel(**kwargs)
            finally:
                log.started()

    # nbconvert's preprocess calls the blocking twin, bound to nbclient's own coroutine.
    start_new_kernel = run_sync(async_start_new_kernel)

    async def async_start_new_kernel_client(self):
        # jupyter_client raises RuntimeError when the kernel dies or stays silent before its
        # first reply; no student code has run yet, so a fresh kernel is the whole remedy.
        with self._kernel_starting():
            return await self._start_client_retrying()

    async def _start_client_retrying(self):
        for attempt in range(1, self.startup_attempts + 1):
            try:
                return await super().async_start_new_kernel_client()
            except JailError:
                raise  # the jail's configuration: another try would fail the same way
            except RuntimeError as err:
                if attempt == self.startup_attempts:
                    folder = (self.resources or {}).get("metadata", {}).get("path", ".")
                    raise KernelStartError(
                        f"no kernel came up in {attempt} tries (the last: {err}); "
                        f"see {os.path.join(folder, 'kernel.log')}"
                    ) from err
                self.log.warning("kernel failed to start (%s); starting another", err)
                # nbclient's clean-up dropped the failed kernel's manager.
                self.km = self.create_kernel_manager()
                await self.async_start_new_kernel()

    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    async def _async_check_alive(self):
        # Remember how the kernel process ended, for the sentence in the cell's output.
        if not await ensure_async(self.kc.is_alive()):
            process = getattr(getattr(self.km, "provisioner", None), "process", None)
            self._exit_code = process.poll() if process is not None else None
            self._jailed = isinstance(self.km, JailedKernelManager)
        return await super()._async_check_alive()

    # ------------------------------------------------------------------ outputs, capped

    def output(self, outs, msg, display_id, cell_index):
        budget = self._budgets.get(cell_index, self._budget)
        if self.clear_before_next_output:
            # A clear_output(wait=True) empties `outs` before this one: what they spent comes
            # back (an animation redraws its figure many times), and the count starts again.
            for old in outs:
                budget.refund(old)
        elif len(outs) >= self.max_outputs:
            try:
                out = output_from_msg(msg)
            except ValueError:  # not an output; nbclient logs and skips it
                return super().output(outs, msg, display_id, cell_index)
            what = past_count(outs, out)
            if what == "drop":
                budget.dropped += 1
                return None
            if what == "merge":
                budget.take(out)
                merge_stream(outs, out)
                return None
        out = super().output(outs, msg, display_id, cell_index)
        if out is not None:
            budget.take(out)
        return out

    def _update_display_id(self, display_id, msg):
        # nbclient writes an update into every output shown under `display_id`, in whatever
        # cell (a handle made in cell 1 can be updated with 30 MB from cell 5), and all of them
        # share one data dict: each gets its own copy, charged to its own cell's budget.
        shown = [
            (cell_index, out_index)
            for cell_index, indices in self._display_id_map.get(display_id, {}).items()
            for out_index in indices
            if out_index < len(self.nb.cells[cell_index].get("outputs", []))
        ]
        before = [dict(self.nb.cells[c].outputs[i]) for c, i in shown]  # nbclient replaces data
        super()._update_display_id(display_id, msg)
        for (cell_index, out_index), old in zip(shown, before, strict=True):
            out = self.nb.cells[cell_index].outputs[out_index]
            out["data"] = dict(out["data"])
            budget = self._budgets.get(cell_index)
            if budget is not None:
                budget.refund(old)
                budget.take(out)

    def clear_output(self, outs, msg, cell_index):
        if not msg["content"].get("wait"):
            budget = self._budgets.get(cell_index, self._budget)
            for old in outs:
                budget.refund(old)
        return super().clear_output(outs, msg, cell_index)

    def handle_comm_msg(self, outs, msg, cell_index):
        # Widgets (comm messages) are not graded and not shown: nothing of them is kept.
        return None

    def _note_late_cuts(self):
        # An update from a later cell can cut a cell that has already finished: its outputs
        # get the note then, at the end of the run.
        for index, budget in self._budgets.items():
            if (budget.cut, budget.dropped) != self._noted.get(index, (0, 0)):
                self._note_cut(self.nb.cells[index], index, budget)

    def _note_cut(self, cell, index, budget):
        cut, dropped = budget.cut, budget.dropped
        done_cut, done_dropped = self._noted.get(index, (0, 0))
        self._noted[index] = (cut, dropped)
        cut, dropped = cut - done_cut, dropped - done_dropped
        # Prints past the cap left empty stream outputs behind: drop them, but not stderr's,
        # whose mere presence costs a test cell its points under nbgrader. Display ids
        # point at outputs by position: renumber them.
        kept = [
            o for o in cell.outputs if o.output_type != "stream" or o.text or o.name == "stderr"
        ]
        position = {id(o): i for i, o in enumerate(kept)}
        for shown in self._display_id_map.values():
            if index in shown:
                shown[index] = [
                    position[id(cell.outputs[i])]
                    for i in shown[index]
                    if i < len(cell.outputs) and id(cell.outputs[i]) in position
                ]
        cell.outputs = [*kept, cut_note(cut, dropped)]
        said = []
        if cut:
            said.append(f"{cut:,} characters of output were cut from the feedback")
        if dropped:
            said.append(
                f"{dropped:,} outputs were left out (a cell keeps at most {self.max_outputs})"
            )
        self._seen.append((index, "; ".join(said)))

    def on_cell_executed(self, **kwargs):
        cell, reply = kwargs["cell"], kwargs["execute_reply"]
        # nbclient hands over error_on_timeout as a reply of its own making: no header.
        if "header" not in reply and reply["content"].get("ename") == "Timeout":
            # The interrupt shows up as a KeyboardInterrupt traceback: the sentence says it all.
            cell.outputs = [
                o
                for o in cell.outputs
                if not (o.output_type == "error" and o.ename == "KeyboardInterrupt")
            ]
            if self._past_deadline():
                cell.outputs.append(self._deadline_error())
                self._seen.append((self._running, self._deadline_sentence()))
            else:
                cell.outputs.append(
                    error_output(reply["content"]["ename"], reply["content"]["evalue"])
                )
                self._seen.append((self._running, f"ran past the time limit ({self.timeout} s)"))
        else:
            super().on_cell_executed(**kwargs)
            if self.max_memory_mb and any(
                o.output_type == "error" and o.ename == "MemoryError" for o in cell.outputs
            ):
                sentence = (
                    f"ran out of memory: the grader gives a notebook {self.max_memory_mb:,} MB "
                    "(an array far larger than the lesson needs?)"
                )
                cell.outputs.append(error_output("MemoryError", sentence))
                self._seen.append((self._running, sentence))
        if self._budget.cut or self._budget.dropped:
            self._note_cut(cell, self._running, self._budget)
