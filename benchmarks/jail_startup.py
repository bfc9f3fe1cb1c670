"""What does the bubblewrap jail add to a kernel's start, and to a short notebook's run?

Starts kernels in turn plain (jupyter_client's AsyncKernelManager over TCP, as `grade` does
today), plain over unix sockets (transport "ipc", as the jail talks; the difference to the jail
is then the jail's own cost) and jailed (JailedKernelManager), with the grader's kernel
environment (one BLAS thread), and times for each:

- ready: from start_kernel() to the kernel's first kernel_info reply;
- notebook: NotebookClient running a two-cell notebook (import numpy, one product) from
  creating the kernel to the kernel shut down and cleaned up (for the jail: its cgroups and
  folder removed).

The first jailed start also pays the one-off detection of the limits (a trial cgroup), so it is
timed apart. Linux, with bubblewrap; as root for cgroup limits.

    .venv/bin/python benchmarks/jail_startup.py [runs]      # default 5 runs of each
"""

import asyncio
import os
import sys
import tempfile
import time
from statistics import median
from subprocess import DEVNULL

from jupyter_client import AsyncKernelManager
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from autograder.grader.grade import KERNEL_ENV
from autograder.grader.jail import JailedKernelManager, describe_limits, sandbox_problem

CELLS = ["import numpy as np", "print(float(np.ones((200, 200)) @ np.ones(200) @ np.ones(200)))"]


class PlainIpcKernelManager(AsyncKernelManager):
    """A plain kernel that talks over unix sockets in the current folder, as the jail's does."""

    def __init__(self, **kwargs):
        super().__init__(transport="ipc", **kwargs)


KINDS = {
    "plain tcp": AsyncKernelManager,
    "plain ipc": PlainIpcKernelManager,
    "jailed": JailedKernelManager,
}


async def ready_seconds(manager_class):
    km = manager_class()
    start = time.perf_counter()
    await km.start_kernel(stdout=DEVNULL, stderr=DEVNULL)
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=120)
    seconds = time.perf_counter() - start
    kc.stop_channels()
    await km.shutdown_kernel()
    return seconds


async def notebook_seconds(manager_class):
    nb = new_notebook(cells=[new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    client = NotebookClient(nb, timeout=120, kernel_manager_class=manager_class)
    start = time.perf_counter()
    await client.async_execute(stdout=DEVNULL, stderr=DEVNULL)
    seconds = time.perf_counter() - start
    assert nb.cells[1].outputs[0]["text"].strip() == "40000.0", nb.cells[1].outputs
    return seconds


def main():
    problem = sandbox_problem()
    if problem:
        sys.exit(f"cannot jail kernels here: {problem}")
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    os.environ.update(KERNEL_ENV)
    print(f"limits: {describe_limits()}")
    first = asyncio.run(ready_seconds(JailedKernelManager))
    print(f"first jailed kernel (includes detecting the limits): ready in {first:.2f} s")
    times = {(kind, what): [] for kind in KINDS for what in ("ready", "notebook")}
    with tempfile.TemporaryDirectory(prefix="jail-benchmark-") as folder:
        os.chdir(folder)  # where the plain ipc kernels make their sockets
        for _ in range(runs):
            for kind, cls in KINDS.items():
                times[kind, "ready"].append(asyncio.run(ready_seconds(cls)))
                times[kind, "notebook"].append(asyncio.run(notebook_seconds(cls)))
        os.chdir("/")
    print(f"{runs} runs of each, in turn; seconds, median (min-max):")
    print(f"  {'':9}" + "".join(f"{kind:>20}" for kind in KINDS))
    for what in ("ready", "notebook"):
        print(f"  {what:9}" + "".join(f"{fmt(times[kind, what]):>20}" for kind in KINDS))
    for baseline in ("plain ipc", "plain tcp"):
        costs = ", ".join(
            f"{what} {median(times['jailed', what]) - median(times[baseline, what]):+.2f} s"
            for what in ("ready", "notebook")
        )
        print(f"jailed minus {baseline}: {costs}")


def fmt(values):
    return f"{median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


if __name__ == "__main__":
    main()
