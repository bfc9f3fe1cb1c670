"""A real python3 kernel for the verifier's tests: started here, stopped by its process id.

Kernel(cwd) starts one with jupyter_client (the same async client nbclient uses), run() executes
code as a notebook cell would, verify() calls the verifier on it, stop() shuts it down and
kills its process (by pid) if it is still there. load_lesson() runs what a lesson's stubs need:
its set-up cell, its building blocks and its solution cells.
"""

import os
import signal
from queue import Empty
from time import monotonic

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from autograder.grader.verify import verify_submission_sync
from tests.lessons.notebook_rules import UNGRADED, notebook_path, read

NEEDED = {"setup", "building_blocks"}  # locked cells the stubs rely on (imports, helpers)


class Kernel:
    def __init__(self, cwd):
        self.km = AsyncKernelManager(kernel_name="python3")
        run_sync(self.km.start_kernel)(cwd=str(cwd))
        self.pid = self.km.provisioner.process.pid
        self.kc = self.km.client()
        self.kc.start_channels()
        run_sync(self.kc.wait_for_ready)(timeout=60)

    def run(self, code, timeout=120):
        """Execute `code` as a cell; return (stdout text, [(ename, evalue)])."""
        return run_sync(self._run)(code, timeout)

    async def _run(self, code, timeout):
        msg_id = self.kc.execute(code)
        out, errors = [], []
        deadline = monotonic() + timeout
        while True:
            try:
                msg = await self.kc.get_iopub_msg(timeout=max(0.1, deadline - monotonic()))
            except Empty:
                raise TimeoutError(f"the kernel did not finish within {timeout} s") from None
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream" and content["name"] == "stdout":
                out.append(content["text"])
            elif kind == "error":
                errors.append((content["ename"], content["evalue"]))
            elif kind == "status" and content["execution_state"] == "idle":
                return "".join(out), errors

    def verify(self, lesson, seed=0, **options):
        return verify_submission_sync(self.kc, lesson, seed, **options)

    def alive(self):
        return run_sync(self.km.is_alive)()

    def stop(self):
        self.kc.stop_channels()
        run_sync(self.km.shutdown_kernel)(now=True)
        try:
            os.kill(self.pid, signal.SIGKILL)  # gone already, unless shutdown failed
        except ProcessLookupError:
            pass


def lesson_sources(lesson):
    """[(grade_id, source)] of the code cells a lesson's stubs need, in notebook order."""
    nb = read(notebook_path(lesson))
    cells = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        stub = meta.get("solution") and not meta.get("grade_id", "").startswith(UNGRADED)
        if cell.cell_type == "code" and (meta.get("grade_id") in NEEDED or stub):
            cells.append((meta["grade_id"], cell.source))
    return cells


def load_lesson(kernel, lesson):
    """Run the lesson's set-up, building blocks and solutions; {stub: solution source}."""
    solutions = {}
    for grade_id, source in lesson_sources(lesson):
        _, errors = kernel.run(source)
        assert not errors, (lesson, grade_id, errors)
        if grade_id not in NEEDED:
            solutions[grade_id] = source
    return solutions
