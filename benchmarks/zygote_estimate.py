"""What could a kernel zygote save? A measurement for the README, not a part of the grader.

The grader starts a fresh kernel per submission, and each lesson's first cell imports numpy
and matplotlib. A zygote would be one process that has imported ipykernel, numpy and
matplotlib once, and forks a child per submission that becomes the kernel. This script times,
in turn, N times each (unjailed, as the fork is what is measured; the README says why a jail
per child is the hard part):

  fresh   a kernel started by jupyter_client, ready, then a cell importing numpy and
          matplotlib.pyplot (what every submission pays today, less the jail)
  forked  a child of a zygote that imported them, turned into a kernel (IPKernelApp built
          after the fork, with its own connection file), ready, then the same cell (the
          modules are there already)

from the request to the cell's reply, and the CPU the kernel process used by then; prints the
medians and what the difference in CPU would take off a class's wall time on this machine's
cores when the workers keep them busy (as they do: a submission waits 0.00 s for a worker).
The forked child is killed by its pid; the zygote is stopped at the end.

    .venv/bin/python benchmarks/zygote_estimate.py --runs 10
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client import BlockingKernelClient, KernelManager
from jupyter_client.connect import write_connection_file

IMPORTS = (
    "import numpy as np\nimport matplotlib\nmatplotlib.use('agg')\nimport matplotlib.pyplot as plt"
)

ZYGOTE = """
import os, signal, sys
import numpy, matplotlib
matplotlib.use("agg")
import matplotlib.pyplot
from ipykernel.kernelapp import IPKernelApp
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
print("ready", flush=True)
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1), os.dup2(quiet, 2)  # the pids go to the grader on fd 1
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        numpy.random.seed()  # the zygote's seed would be every child's
        sys.stdin.close()
        argv = ["-f", line.strip(), "--HistoryManager.hist_file=:memory:"]
        IPKernelApp.launch_instance(argv=argv)
        os._exit(0)
    print(pid, flush=True)
"""


def cpu_seconds(pid):
    """User + system CPU seconds the process `pid` has used (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ready_and_import(client):
    client.wait_for_ready(timeout=60)
    reply = client.execute_interactive(IMPORTS, timeout=60, output_hook=lambda msg: None)
    assert reply["content"]["status"] == "ok", reply["content"]


def fresh():
    start = time.perf_counter()
    km = KernelManager(kernel_name="python3")
    km.start_kernel(
        extra_arguments=["--HistoryManager.hist_file=:memory:"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = km.client()
    client.start_channels()
    try:
        ready_and_import(client)
        return time.perf_counter() - start, cpu_seconds(km.provisioner.process.pid)
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)


def forked(zygote, folder):
    start = time.perf_counter()
    path, _ = write_connection_file(
        str(Path(tempfile.mkdtemp(dir=folder)) / "kernel.json"), ip="127.0.0.1"
    )
    zygote.stdin.write(path + "\n")
    zygote.stdin.flush()
    pid = int(zygote.stdout.readline())
    client = BlockingKernelClient(connection_file=path)
    client.load_connection_file()
    client.start_channels()
    try:
        ready_and_import(client)
        return time.perf_counter() - start, cpu_seconds(pid)
    finally:
        client.stop_channels()
        os.kill(pid, signal.SIGKILL)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--submissions", type=int, default=36, help="a class's submissions")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="zygote-")
    zygote = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert zygote.stdout.readline().strip() == "ready"
        times = {"fresh": [], "forked": []}
        for _ in range(args.runs):
            times["fresh"].append(fresh())
            times["forked"].append(forked(zygote, folder))
    finally:
        zygote.kill()
        zygote.wait()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    medians = {}
    for name, found in times.items():
        wall = statistics.median(t for t, _ in found)
        cpu = statistics.median(c for _, c in found)
        medians[name] = wall, cpu
        shown = ", ".join(f"{t:.2f}" for t, _ in sorted(found))
        print(f"{name:7} wall median {wall:.3f} s ({shown}); the kernel's CPU median {cpu:.3f} s")
    saved = medians["fresh"][1] - medians["forked"][1]
    cores = os.cpu_count() or 1
    print(
        f"kernel CPU saved per submission {saved:.3f} s "
        f"(wall {medians['fresh'][0] - medians['forked'][0]:.3f} s); "
        f"over {args.submissions} submissions on {cores} cores about "
        f"{saved * args.submissions / cores:.1f} s of a busy run's wall; load after {load}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
