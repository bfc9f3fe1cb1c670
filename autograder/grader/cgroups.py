"""Per-kernel limits that hold for a kernel and everything it starts, together.

A per-process RLIMIT_AS lets three children take 1.5 GiB each under a 2 GiB limit, and
RLIMIT_NPROC counts per user. A cgroup holds a kernel's whole process tree: its memory (anonymous
memory and the files it writes to its tmpfs scratch) and its number of tasks (processes and
threads). Which kind this machine offers is detected once, by trying it:

- cgroup v2: a folder under the nearest cgroup (ours or an ancestor) whose subtree_control
  has both the memory and pids controllers, with memory.max, memory.swap.max and pids.max;
- cgroup v1: a folder under our own memory cgroup and one under our own pids cgroup, with
  memory.limit_in_bytes (and memory.memsw.limit_in_bytes where swap is accounted) and
  pids.max;
- neither (no controller, or its folders are not ours to write: not root, no delegation):
  per-process RLIMIT_AS and RLIMIT_NPROC, set by the jail's launcher.

A kernel's cgroups are named backprop-jail-<grader pid>-<random>; the kernel's launcher
joins them before it starts bubblewrap (see jail_launch), and the grader removes them when the
kernel is gone, killing anything still inside first. sweep() removes those of graders that
died before they could.
"""

import os
import re
import secrets
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "backprop-jail-"
CGROUP2, CGROUP1, RLIMIT = "cgroup2", "cgroup1", "rlimit"
KINDS = (CGROUP2, CGROUP1, RLIMIT)
MB = 2**20


@dataclass(frozen=True)
class Mechanism:
    """How kernels are limited here. parents: where kernels' cgroups are made (v2: one folder;
    v1: the memory folder, then the pids folder); why: for RLIMIT, why no cgroup is used."""

    kind: str
    parents: tuple = ()
    why: str = ""


@dataclass
class KernelCgroup:
    """One kernel's cgroup folders (one for v2, memory and pids for v1)."""

    kind: str
    folders: list = field(default_factory=list)

    @property
    def procs_files(self):
        """The cgroup.procs files the kernel's launcher writes its pid into."""
        return [folder / "cgroup.procs" for folder in self.folders]

    def pids(self):
        """Host pids of the processes inside, now."""
        found = set()
        for procs in self.procs_files:
            try:
                found.update(int(line) for line in procs.read_text().split())
            except FileNotFoundError:
                pass
        return found

    def peak_memory_mb(self):
        """The most memory the kernel's processes held at once (MB), or None if unknown."""
        name = "memory.peak" if self.kind == CGROUP2 else "memory.max_usage_in_bytes"
        try:
            return int((self.folders[0] / name).read_text()) / MB
        except (OSError, ValueError, IndexError):
            return None

    def remove(self, timeout=5.0):
        """Kill what is still inside, then delete the folders; return those that remain."""
        deadline = time.monotonic() + timeout
        for folder in self.folders:
            kill = folder / "cgroup.kill"  # v2 since Linux 5.14: everything inside, at once
            if kill.exists():
                try:
                    _write(kill, "1")
                except OSError:
                    pass  # the loop below kills them one by one
        while True:
            alive = self.pids()
            for pid in alive:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            left = []
            for folder in self.folders:
                try:
                    folder.rmdir()
                except FileNotFoundError:
                    pass
                except OSError:
                    left.append(folder)
            if not left or time.monotonic() > deadline:
                self.folders = left
                return left
            time.sleep(0.02)


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


def _mounts():
    """(fstype, mount root, mount point, super options) of every cgroup mount we can see."""
    found = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fields, rest = left.split(), right.split()
        if len(fields) >= 5 and len(rest) >= 3 and rest[0] in ("cgroup", "cgroup2"):
            found.append((rest[0], fields[3], _unescape(fields[4]), set(rest[2].split(","))))
    return found


def _unescape(path):
    """mountinfo writes a space in a path as \\040 (octal escapes)."""
    return re.sub(r"\\(\d{3})", lambda m: chr(int(m.group(1), 8)), path)


def _own_paths():
    """{controller name or '' for v2: our cgroup path} from /proc/self/cgroup."""
    paths = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for name in controllers.split(",") if controllers else [""]:
            paths[name] = path
    return paths


def _folder(mount_root, mount_point, path):
    """Where the cgroup `path` of a hierarchy appears, given how the hierarchy is mounted."""
    relative = os.path.relpath(path, mount_root)
    if relative.startswith(".."):
        return None  # mounted from below our cgroup: we cannot see it
    return Path(mount_point) / relative


def _probe(folder, files):
    """Make and delete a trial cgroup under folder; None if fine, else why not."""
    trial = folder / f"{PREFIX}probe-{os.getpid()}-{secrets.token_hex(3)}"
    try:
        trial.mkdir()
    except OSError as err:
        return f"{folder} is not writable ({err.strerror})"
    try:
        for name, value in files:
            if not (trial / name).exists():
                return f"{folder} does not offer {name}"
            _write(trial / name, value)
        return None
    except OSError as err:
        return f"{folder} refused a limit ({err.strerror})"
    finally:
        trial.rmdir()


def _detect_v2(mounts, own):
    v2 = [m for m in mounts if m[0] == "cgroup2"]
    if not v2 or "" not in own:
        return None, "no cgroup v2 hierarchy"
    _, root, point, _ = v2[0]
    path = own[""]
    while True:
        folder = _folder(root, point, path)
        if folder is None:
            break
        try:
            enabled = (folder / "cgroup.subtree_control").read_text().split()
        except OSError:
            enabled = []
        if "memory" in enabled and "pids" in enabled:
            why = _probe(folder, [("memory.max", str(64 * MB)), ("pids.max", "64")])
            return (None, f"cgroup v2: {why}") if why else (Mechanism(CGROUP2, (folder,)), "")
        if path in ("/", ""):
            break
        path = os.path.dirname(path)
    return None, "cgroup v2 has no folder of ours with the memory and pids controllers"


def _detect_v1(mounts, own):
    parents = []
    for controller, files in (
        ("memory", [("memory.limit_in_bytes", str(64 * MB))]),
        ("pids", [("pids.max", "64")]),
    ):
        mount = next((m for m in mounts if m[0] == "cgroup" and controller in m[3]), None)
        if mount is None or controller not in own:
            return None, f"no cgroup v1 {controller} controller"
        folder = _folder(mount[1], mount[2], own[controller])
        if folder is None:
            return None, f"our cgroup v1 {controller} folder is not visible"
        why = _probe(folder, files)
        if why:
            return None, f"cgroup v1: {why}"
        parents.append(folder)
    return Mechanism(CGROUP1, tuple(parents)), ""


def detect(want="auto"):
    """The Mechanism this machine offers (want: 'auto' or one of KINDS to insist on one).

    Raises ValueError when `want` names a kind of cgroup this machine cannot provide.
    """
    if want not in ("auto", *KINDS):
        raise ValueError(f"limits must be 'auto' or one of {', '.join(KINDS)}, not {want!r}")
    if want == RLIMIT:
        return Mechanism(RLIMIT, why="per-process limits were asked for")
    try:
        mounts, own = _mounts(), _own_paths()
    except OSError as err:
        mounts, own = [], {}
        reasons = [f"cannot read /proc/self ({err})"]
    else:
        reasons = []
    for kind, finder in ((CGROUP2, _detect_v2), (CGROUP1, _detect_v1)):
        if want in ("auto", kind) and mounts:
            found, why = finder(mounts, own)
            if found:
                return found
            reasons.append(why)
    if want != "auto":
        raise ValueError(f"{want} limits are not available here: {'; '.join(reasons)}")
    return Mechanism(RLIMIT, why="; ".join(reasons))


def create(mechanism, memory_mb, max_processes):
    """A fresh KernelCgroup with the limits set, or None under per-process limits."""
    if mechanism.kind == RLIMIT:
        return None
    name = f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    group = KernelCgroup(mechanism.kind)
    memory = str(memory_mb * MB)
    try:
        if mechanism.kind == CGROUP2:
            folder = mechanism.parents[0] / name
            folder.mkdir()
            group.folders.append(folder)
            _write(folder / "memory.max", memory)
            if (folder / "memory.swap.max").exists():
                _write(folder / "memory.swap.max", "0")
            _write(folder / "pids.max", str(max_processes))
        else:
            memory_parent, pids_parent = mechanism.parents
            for parent in (memory_parent, pids_parent):
                (parent / name).mkdir()
                group.folders.append(parent / name)
            _write(memory_parent / name / "memory.limit_in_bytes", memory)
            memsw = memory_parent / name / "memory.memsw.limit_in_bytes"
            if memsw.exists():
                try:
                    _write(memsw, memory)
                except OSError:
                    pass  # swap is not accounted here: the limit above is the whole story
            _write(pids_parent / name / "pids.max", str(max_processes))
    except OSError:
        group.remove()
        raise
    return group


def describe(mechanism, memory_mb, max_processes):
    """One sentence saying how kernels are limited here, for the summary and the README."""
    together = (
        f"each kernel and everything it starts share {memory_mb:,} MB of memory "
        f"and {max_processes} processes and threads"
    )
    if mechanism.kind == CGROUP2:
        return f"cgroup v2 ({mechanism.parents[0]}): {together} (memory.max, pids.max)"
    if mechanism.kind == CGROUP1:
        return (
            f"cgroup v1 (memory and pids controllers): {together} (memory.limit_in_bytes, pids.max)"
        )
    return (
        f"per-process limits only, since {mechanism.why}: each process of a kernel may take "
        f"{memory_mb:,} MB of address space (RLIMIT_AS), so several together can take more, "
        f"and a kernel may run {max_processes} processes and threads (RLIMIT_NPROC in its own "
        "user namespace); run the grader as root for cgroup limits"
    )


def sweep(mechanism):
    """Remove the cgroups of graders that died without removing them; return how many."""
    removed = 0
    for parent in mechanism.parents:
        for folder in parent.glob(f"{PREFIX}*"):
            match = re.match(rf"{PREFIX}(?:probe-)?(\d+)-", folder.name)
            if not match or process_alive(int(match.group(1))):
                continue
            if not KernelCgroup(mechanism.kind, [folder]).remove(timeout=1.0):
                removed += 1
    return removed


def process_alive(pid):
    """Is there a process `pid` (of any user)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
