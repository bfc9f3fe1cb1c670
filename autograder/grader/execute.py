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
set (max_memory_mb). Outputs are capped in characters while they arrive, so a runaway print
never piles up in memory (see output_cap).

Kernels run in the bubblewrap jail (JailedKernelManager) unless Sandbox.enabled is off (see
sandbox.py); the jail's cgroup holds max_memory_mb for the kernel and its children together,
and a jail that cannot be built (JailError) is the grader's trouble: never retried, never a 0.
"""

import os
import signal

from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.preprocessors import Execute
from traitlets import Bool, Float, Integer

from autograder.grader import verify
from autograder.grader.cells import cell_name, error_output
from autograder.grader.jail import JailedKernelManager, JailError
from autograder.grader.output_cap import DEFAULT_LIMIT, RICH_LIMIT, CellBudget, cut_note
from autograder.grader.sandbox import kernel_manager_class


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

    verify_stubs = Bool(
        True,
        help="Call every stub of a lesson the grader knows on fresh inputs after the last "
        "cell, and give a test cell its points only if the stubs it covers were right.",
    ).tag(config=True)
    verify_call_timeout = Float(
        5.0, help="Seconds one call of a stub may take when the grader verifies it."
    ).tag(config=True)

    def __init__(self, **kwargs):
        # nbgrader's Execute passes its own default class in as an argument, which would
        # beat any configuration: choose the jail's (or not) here, from the Sandbox setting.
        kwargs.setdefault("kernel_manager_class", kernel_manager_class(kwargs.get("config")))
        super().__init__(**kwargs)

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
        nb, resources = self._preprocess(nb, resources, km)
        if ctx is not None:
            ctx.notes.extend(f"{cell_name(nb, i)}: {sentence}" for i, sentence in self.events)
            ctx.verify_lesson, ctx.verdicts = self.verify_lesson, self.verdicts
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
            try:
                super().preprocess(nb, resources, km)
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
                self.failures.append((index, sentence))
                self._skip[index] = error_output(ename, sentence)
        # Out of fresh kernels: what did not run gets said so, and earns nothing.
        last = self.failures[-1][0]
        for index, cell in enumerate(nb.cells):
            if index > last and cell.cell_type == "code" and index not in self._skip:
                cell.outputs = [
                    error_output(
                        "NotRun",
                        f"not run: the kernel failed {len(self.failures)} times, "
                        "so the grader stopped here",
                    )
                ]
        for index, out in self._skip.items():
            nb.cells[index].outputs = [out]
        self.events = sorted(self.failures + [e for e in self._seen if e[0] < last])
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if index in self._skip:
            cell.outputs = [self._skip[index]]
            cell.execution_count = None
        else:
            self._running = index
            self._budget = CellBudget(self.max_output_chars, self.max_rich_output_chars)
            cell, resources = super().preprocess_cell(cell, resources, index)
        if index == len(self.nb.cells) - 1:
            self._verify_after_last_cell()
        return cell, resources

    def _verify_after_last_cell(self):
        # While the kernel that ran the notebook is still up, the grader calls each stub
        # itself (see verify/); what the notebook printed about them is never believed.
        if self.verify_lesson:
            self.verdicts = run_sync(verify.verify_submission)(
                self.kc, self.verify_lesson, verify.new_seed(), self.verify_call_timeout
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
        # go to kernel.log in its working directory, not to the instructor's terminal.
        folder = (self.resources or {}).get("metadata", {}).get("path")
        if folder:
            log = open(os.path.join(folder, "kernel.log"), "ab")  # noqa: SIM115 (closed below)
            self._logs.append(log)
            kwargs.setdefault("stdout", log)
            kwargs.setdefault("stderr", log)
        return await super().async_start_new_kernel(**kwargs)

    # nbconvert's preprocess calls the blocking twin, bound to nbclient's own coroutine.
    start_new_kernel = run_sync(async_start_new_kernel)

    async def async_start_new_kernel_client(self):
        # jupyter_client raises RuntimeError when the kernel dies or stays silent before its
        # first reply; no student code has run yet, so a fresh kernel is the whole remedy.
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

    def output(self, outs, msg, display_id, cell_index):
        out = super().output(outs, msg, display_id, cell_index)
        if out is not None:
            self._budget.take(out)
        return out

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
            cell.outputs.append(error_output(reply["content"]["ename"], reply["content"]["evalue"]))
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
        cut = self._budget.cut
        if cut:
            # Prints past the cap left empty stream outputs behind: drop them, but not stderr's,
            # whose mere presence costs a test cell its points under nbgrader.
            cell.outputs = [
                o for o in cell.outputs if o.output_type != "stream" or o.text or o.name == "stderr"
            ]
            cell.outputs.append(cut_note(cut))
            self._seen.append(
                (self._running, f"{cut:,} characters of output were cut from the feedback")
            )
