"""The bubblewrap jail a grading kernel runs in.

Student code is hostile, and a plain kernel runs as the grader's user among the course's
files. Here each kernel runs under bubblewrap in new user, pid, network, ipc, uts and cgroup
namespaces, as an unprivileged user, and sees only:

- read-only: /usr (and /bin, /lib... as the host has them), the few /etc files Python needs,
  a generated /etc/passwd, /etc/group and /etc/hosts, the Python runtime (the venv, sys.prefix,
  and the base interpreter it points to, sys.base_prefix: only those folders, never the
  repository around a venv), and the entries of the lesson folder it is given (the released
  checks, data files; notebooks are left out);
- writable: one tmpfs of `scratch_mb` at /home/student (working directory, HOME, MPLCONFIGDIR;
  /tmp points into it) and a small tmpfs at /dev/shm;
- /run/kernel: its connection file and the unix sockets it talks to the grader on (jupyter's
  ipc transport, no TCP port). A root grader takes the right to create files there away as
  soon as the five sockets exist, before any student code can run.

It cannot see the course (answer key, source notebooks, gradebook, submissions, feedback), the
grader's processes or other kernels, and has no network. When the kernel ends, its pid
namespace ends, taking every process it started; --die-with-parent ends it with the grader.

Limits (see cgroups): a memory limit and a process limit for the kernel and all its processes
together (cgroup v2 or v1), else per-process RLIMIT_AS and RLIMIT_NPROC; always RLIMIT_FSIZE on
every file it writes (its tmpfs, its stdout log) and no core files.

When the grader is root, the kernel runs on the host as `host_uid` (default: nobody), never as
root: a small launcher (jail_launch.py) joins the kernel's cgroups, makes folders that user may
not traverse (a Python under /root) reachable in a private mount namespace, and drops to that
user before bubblewrap starts. When the grader is not root, the kernel runs as the grader's
user in its own user namespace (uid 1000 inside); cgroups then need a delegated subtree, or the
per-process limits apply.

Interrupts are sent as messages (interrupt_mode "message"): a SIGINT to the process group
would end bubblewrap's own monitor process, and the jail with it.

Public API: JailedKernelManager (nbclient's / nbgrader Execute's `kernel_manager_class`),
sandbox_problem() and describe_limits(), sweep_stale().
"""

import asyncio
import json
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import weakref
from functools import cache
from pathlib import Path

from jupyter_client import AsyncKernelManager
from traitlets import Enum, Integer, List, Unicode, default

from autograder.grader import cgroups

HOME = "/home/student"  # the kernel's working directory and HOME, a tmpfs
KERNEL_DIR = "/run/kernel"  # where the kernel finds its connection file and sockets
INSIDE_ID = 1000  # the kernel's uid and gid inside its user namespace
SHM_MB = 64
MB = 2**20
FOLDER_PREFIX = "backprop-jail-"
LAUNCHER = Path(__file__).with_name("jail_launch.py")
SOCKET_PATH_MAX = 107  # sun_path, less its terminating NUL
# Environment variables a kernel may inherit from the grader; everything else is dropped.
PASS_ENV = (
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "MPLBACKEND",
    "JUPYTER_PLATFORM_DIRS",
    "PYDEVD_DISABLE_FILE_VALIDATION",
    "PYTHONHASHSEED",
    "JPY_SESSION_NAME",
)
# One BLAS thread unless the grader says otherwise: every thread counts against max_processes.
ENV_DEFAULTS = {
    "LANG": "C.UTF-8",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
# Names at the top of a course directory: a "lesson folder" holding one is not a lesson folder.
COURSE_MARKERS = (
    "nbgrader_config.py",
    "gradebook.db",
    "submitted",
    "autograded",
    "feedback",
    "reference",
    ".grading",
)
ETC_FROM_HOST = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives", "fonts")


class JailError(RuntimeError):
    """The jail cannot be built as configured; the message says what is wrong and the fix."""


def find_bwrap(path=""):
    """The bubblewrap executable: `path` if given, else bwrap on PATH or in /usr/bin; or None."""
    if path:
        return path if os.access(path, os.X_OK) else None
    return shutil.which("bwrap") or (
        "/usr/bin/bwrap" if os.access("/usr/bin/bwrap", os.X_OK) else None
    )


def limits_mechanism(want="auto"):
    """cgroups.detect(want), once per process (it tries a cgroup), after a sweep of old ones."""
    return _detected(want)


@cache
def _detected(want):
    mechanism = cgroups.detect(want)
    cgroups.sweep(mechanism)
    return mechanism


def describe_limits(memory_mb=2048, max_processes=128, want="auto"):
    """One sentence: how a jailed kernel's memory and processes are limited on this machine."""
    return cgroups.describe(limits_mechanism(want), memory_mb, max_processes)


def runtime_trees():
    """The host folders the Python runtime needs, outside /usr: the venv, the base prefix."""
    candidates = {
        sys.prefix,
        sys.exec_prefix,
        sys.base_prefix,
        sys.base_exec_prefix,
        str(Path(os.path.realpath(sys.executable)).parent.parent),
    }
    trees = []
    for path in sorted(os.path.realpath(p) for p in candidates):
        if _inside(path, "/usr") or any(_inside(path, t) for t in trees):
            continue
        trees.append(path)
    return trees


def _inside(path, tree):
    path, tree = str(path), str(tree)
    return path == tree or path.startswith(tree.rstrip("/") + "/")


def _reachable(path, uid, gid):
    """Can user uid (group gid, no others) walk down to `path`, i.e. search every ancestor?"""
    parts = Path(path).parts
    for depth in range(1, len(parts)):
        st = os.stat(Path(*parts[:depth]))
        if st.st_uid == uid:
            bit = stat.S_IXUSR
        elif st.st_gid == gid:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not st.st_mode & bit:
            return False
    return True


def jail_base(user=None):
    """The folder jail folders are made in: the temporary folder, or /tmp when `user` (a root
    grader's jail user) cannot walk into the temporary folder, which may be private (a Dask
    worker's, a test's). JailError if neither can be reached."""
    base = tempfile.gettempdir()
    if user is None or _reachable(os.path.join(base, "jail"), *user):
        return base
    if _reachable("/tmp/jail", *user):
        return "/tmp"
    raise JailError(
        f"the kernel's user cannot enter {base} (nor /tmp), where its jail folder would be: "
        "set TMPDIR to a folder every user may enter, such as /tmp"
    )


def _answer_key_folders():
    """Where the grader's Python finds the answer key and the grading code."""
    import importlib.util

    folders = []
    for name in ("reference", "autograder.grader"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None:
            locations = list(spec.submodule_search_locations or [])
            if spec.origin and spec.origin not in ("namespace", "built-in", "frozen"):
                locations.append(os.path.dirname(spec.origin))
            folders.extend((name, os.path.realpath(loc)) for loc in locations)
    return folders


def host_user(uid=-1):
    """(uid, gid) a root grader's kernels run as: uid's, or nobody's (65534) when uid is -1."""
    if uid < 0:
        try:
            entry = pwd.getpwnam("nobody")
            return entry.pw_uid, entry.pw_gid
        except KeyError:
            return 65534, 65534
    if uid == 0:
        raise JailError("host_uid 0 would run student code as root: choose an unprivileged uid")
    try:
        return uid, pwd.getpwuid(uid).pw_gid
    except KeyError:
        return uid, uid


class Jail:
    """One kernel's jail: its host folder (connection, generated /etc files), its cgroups,
    and the command that starts a kernel inside it.

    folder/kernel.json  the grader's connection file (socket paths as the host sees them)
    folder/ipc       -> /run/kernel (the kernel's copy of it, and the sockets)
    folder/etc/*     -> /etc/passwd, /etc/group, /etc/hosts
    folder/stage/<n> -> mount points the launcher binds unreachable host folders onto
    """

    def __init__(
        self,
        *,
        bwrap="",
        lesson_dir="",
        memory_mb=2048,
        max_processes=128,
        max_file_mb=64,
        scratch_mb=256,
        limits="auto",
        host_uid=-1,
        pass_env=PASS_ENV,
    ):
        self.bwrap = find_bwrap(bwrap)
        if self.bwrap is None:
            raise JailError(sandbox_problem(bwrap) or "bwrap was not found")
        for name, value in (
            ("memory_mb", memory_mb),
            ("max_processes", max_processes),
            ("max_file_mb", max_file_mb),
            ("scratch_mb", scratch_mb),
        ):
            if value < 1:
                raise JailError(f"{name} must be at least 1, not {value}")
        self.memory_mb, self.max_processes = memory_mb, max_processes
        self.max_file_mb, self.scratch_mb = max_file_mb, scratch_mb
        self.pass_env = tuple(pass_env)
        try:
            self.mechanism = limits_mechanism(limits)
        except ValueError as err:
            raise JailError(str(err)) from None
        self.root = os.geteuid() == 0
        self.user = host_user(host_uid) if self.root else (os.getuid(), os.getgid())
        self.lesson_entries = self._lesson_entries(lesson_dir)
        self.trees = runtime_trees()
        self._refuse_answer_key()
        self._groups = []  # the current start's KernelCgroup, if any
        base = jail_base(self.user if self.root else None)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-", dir=base))
        self.ipc = self.folder / "ipc"
        self.connection_file = self.folder / "kernel.json"
        if len(f"{self.ipc}/kernel-ipc-99999") > SOCKET_PATH_MAX:
            self.close()
            raise JailError(
                f"the jail folder {self.folder} is too long a path for a unix socket: "
                "set TMPDIR to a short folder such as /tmp"
            )
        os.chmod(self.folder, 0o711)  # the jail's user walks through it to ipc/ and stage/
        self.ipc.mkdir()
        self._write_etc()
        # If the manager is dropped without its clean-up, this still removes it all.
        self._finalizer = weakref.finalize(self, _release, self.folder, self._groups)

    # -------------------------------------------------------------- what the jail shows

    def _lesson_entries(self, lesson_dir):
        if not lesson_dir:
            return []
        folder = Path(lesson_dir).resolve()
        if not folder.is_dir():
            raise JailError(f"the lesson folder {lesson_dir} does not exist")
        marked = [name for name in COURSE_MARKERS if (folder / name).exists()]
        if marked:
            raise JailError(
                f"{lesson_dir} holds {', '.join(marked)}: that is a course directory, not a "
                "lesson folder; pass the released lesson's folder (release/<lesson>)"
            )
        entries = []
        for entry in sorted(folder.iterdir()):
            # Notebooks are the student's business, not the kernel's; a symlink could point
            # anywhere on the host, since bubblewrap resolves it there.
            if entry.is_symlink() or entry.suffix == ".ipynb" or entry.name == ".ipynb_checkpoints":
                continue
            entries.append(entry)
        return entries

    def _refuse_answer_key(self):
        shown = [*self.trees, "/usr", *(str(e) for e in self.lesson_entries)]
        for name, location in _answer_key_folders():
            for tree in shown:
                if _inside(location, os.path.realpath(tree)):
                    raise JailError(
                        f"the grader's {name} ({location}) lies inside {tree}, which the jail "
                        "shows to the kernel: install the course editable (pip install -e .) "
                        "and pass a released lesson folder, so the answer key stays outside"
                    )

    def _write_etc(self):
        etc = self.folder / "etc"
        etc.mkdir()
        files = {
            "passwd": f"root:x:0:0::/root:/bin/sh\nstudent:x:{INSIDE_ID}:{INSIDE_ID}:student:"
            f"{HOME}:/bin/sh\nnobody:x:65534:65534::/nonexistent:/bin/false\n",
            "group": f"root:x:0:\nstudent:x:{INSIDE_ID}:\nnogroup:x:65534:\n",
            "hosts": "127.0.0.1 localhost jail\n::1 localhost\n",
        }
        for name, text in files.items():
            (etc / name).write_text(text)
            os.chmod(etc / name, 0o644)

    def _source(self, path, stages):
        """The path bubblewrap binds from: `path`, or a staged copy the jail's user can reach."""
        if not self.root or _reachable(path, *self.user):
            return str(path)
        staged = self.folder / "stage" / str(len(stages))
        staged.parent.mkdir(mode=0o755, exist_ok=True)
        if os.path.isdir(path):
            staged.mkdir(mode=0o755, exist_ok=True)  # (exists already at a restart)
        else:
            staged.touch(mode=0o644)  # a file is bound onto a file
        stages.append((str(path), str(staged)))
        return str(staged)

    def visible(self, path):
        """Is the host path `path` at the same place inside the jail (a runtime file)?"""
        return any(_inside(path, tree) for tree in ("/usr", "/bin", "/lib", "/lib64", *self.trees))

    # -------------------------------------------------------------- the command

    NAMESPACES = (
        *("--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc"),
        *("--unshare-uts", "--unshare-cgroup-try", "--hostname", "jail"),
        *("--uid", str(INSIDE_ID), "--gid", str(INSIDE_ID)),
        *("--die-with-parent", "--new-session", "--cap-drop", "ALL"),
        # No user namespace of its own inside: it would be root there, and reach more of the
        # kernel's code (mounts, netfilter) than a jailed process needs.
        "--disable-userns",
    )

    def command(self, kernel_cmd, env):
        """(argv, host env) that start `kernel_cmd` in the jail, with only the variables of
        `env` named in pass_env (and the jail's own: HOME, PATH, ...).

        Makes the kernel's cgroups (a new set at every start).
        """
        if not self.visible(kernel_cmd[0]):
            raise JailError(
                f"the kernel's program {kernel_cmd[0]} is outside what the jail shows "
                f"(/usr and {', '.join(self.trees)}): use a kernel of the grader's own Python"
            )
        self.remove_cgroup()
        group = cgroups.create(self.mechanism, self.memory_mb, self.max_processes)
        self._groups.extend([group] if group else [])
        stages = []  # (host folder, staged mount point) for the launcher
        bwrap = [self.bwrap, *self.NAMESPACES, "--clearenv"]
        for name, value in self._kernel_env(env).items():
            bwrap += ["--setenv", name, value]
        bwrap += self._filesystem(stages)
        # Inside: the launcher again, for the limits, then the kernel.
        bwrap += ["--", sys.executable, "-I", "-S", "-c", LAUNCHER.read_text()]
        bwrap += [*self._rlimits(), "--", *kernel_cmd]
        # Outside: join the cgroups, stage, drop root, then bubblewrap.
        outer = [sys.executable, "-I", "-S", str(LAUNCHER)]
        for procs in self.cgroup.procs_files if self.cgroup else []:
            outer += ["--cgroup", str(procs)]
        for source, staged in stages:
            outer += ["--stage", source, staged]
        if self.root:
            outer += ["--user", *(str(i) for i in self.user)]
        return [*outer, "--", *bwrap], {"PATH": os.defpath, "LANG": "C.UTF-8"}

    def _filesystem(self, stages):
        """bubblewrap's arguments for what the kernel sees, in the order they are mounted."""
        args = ["--ro-bind", self._source("/usr", stages), "/usr"]
        for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            host = Path("/") / name
            if host.is_symlink():
                args += ["--symlink", os.readlink(host), str(host)]
            elif host.is_dir():
                args += ["--ro-bind", self._source(host, stages), str(host)]
        for name in ETC_FROM_HOST:
            if os.path.exists(f"/etc/{name}"):
                args += ["--ro-bind", self._source(f"/etc/{name}", stages), f"/etc/{name}"]
        for name in ("passwd", "group", "hosts"):
            args += ["--ro-bind", str(self.folder / "etc" / name), f"/etc/{name}"]
        # /tmp is normally a link into the scratch tmpfs; when the runtime lives under /tmp (a
        # checkout or venv there), /tmp must be a folder to bind it in: a tmpfs of its own then.
        tmp_holds_runtime = any(_inside(tree, "/tmp") for tree in self.trees)
        if tmp_holds_runtime:
            args += ["--size", str(self.scratch_mb * MB), "--tmpfs", "/tmp"]
        for tree in self.trees:
            args += ["--ro-bind", self._source(tree, stages), tree]
        args += ["--proc", "/proc", "--dev", "/dev"]
        args += ["--size", str(SHM_MB * MB), "--tmpfs", "/dev/shm"]
        args += ["--size", str(self.scratch_mb * MB), "--tmpfs", HOME]
        args += ["--dir", f"{HOME}/.tmp"]
        if not tmp_holds_runtime:
            args += ["--symlink", f"{HOME}/.tmp", "/tmp"]
        for entry in self.lesson_entries:
            args += ["--ro-bind", self._source(entry, stages), f"{HOME}/{entry.name}"]
        args += ["--bind", str(self.ipc), KERNEL_DIR]
        # The tmpfs root and /dev would otherwise be writable, and not size-limited.
        args += ["--remount-ro", "/dev", "--remount-ro", "/", "--chdir", HOME]
        return args

    def _kernel_env(self, env):
        kept = {name: env[name] for name in self.pass_env if name in env}
        return {
            **ENV_DEFAULTS,
            **kept,
            "HOME": HOME,
            "USER": "student",
            "LOGNAME": "student",
            "PATH": f"{sys.prefix}/bin:/usr/local/bin:/usr/bin:/bin",
            "TMPDIR": f"{HOME}/.tmp",
            "MPLCONFIGDIR": f"{HOME}/.config/matplotlib",
            "PYTHONDONTWRITEBYTECODE": "1",
            # Its parent is the jail's pid 1: ipykernel then neither polls for a parent nor
            # prints its "Ctrl-C will not work" note (--die-with-parent does the job).
            "JPY_PARENT_PID": "1",
        }

    def _rlimits(self):
        limits = {"fsize": self.max_file_mb * MB, "core": 0}
        if self.mechanism.kind == cgroups.RLIMIT:
            limits.update({"as": self.memory_mb * MB, "nproc": self.max_processes})
        return [part for name, value in limits.items() for part in ("--rlimit", name, str(value))]

    # -------------------------------------------------------------- the connection folder

    def open_ipc(self):
        """Before a start: the kernel's user may create its sockets in ipc/."""
        os.chown(self.ipc, *self.user)
        os.chmod(self.ipc, 0o700)

    def write_kernel_connection_file(self, info):
        """The kernel's copy of the connection info `info` (a dict): readable, not writable."""
        path = self.ipc / "kernel.json"
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump({**info, "ip": f"{KERNEL_DIR}/kernel-ipc"}, f, indent=1)
        os.chown(path, 0 if self.root else os.getuid(), self.user[1])
        os.chmod(path, 0o640 if self.root else 0o600)

    def lock_ipc(self):
        """After the kernel bound its sockets: it may use them, but create nothing more here.

        (Only a root grader can: otherwise the kernel's host user is the grader's own.)
        """
        if self.root:
            os.chown(self.ipc, 0, self.user[1])
            os.chmod(self.ipc, 0o710)

    # -------------------------------------------------------------- clean-up

    @property
    def cgroup(self):
        """The current start's KernelCgroup, or None (per-process limits, or not started)."""
        return self._groups[-1] if self._groups else None

    def remove_cgroup(self):
        """Kill whatever is left in the kernel's cgroups and delete them; return leftovers."""
        return _remove_groups(self._groups)

    def close(self):
        """Remove the cgroups and the folder (idempotent); return the cgroup folders that
        could not be removed."""
        if hasattr(self, "_finalizer"):
            left = self.remove_cgroup()
            self._finalizer()
            return left
        _remove_folder(self.folder)
        return []


def _remove_groups(groups):
    left = []
    while groups:
        left += groups.pop().remove()
    return left


def _release(folder, groups):
    _remove_groups(groups)
    _remove_folder(folder)


def _remove_folder(folder):
    shutil.rmtree(folder, ignore_errors=True)


class JailedKernelManager(AsyncKernelManager):
    """A jupyter_client kernel manager whose kernels run in a bubblewrap jail (see above).

    Use it as nbclient's (and so nbgrader Execute's) kernel_manager_class; set its traits
    through the executor's config, e.g. `config.JailedKernelManager.lesson_dir = ...`.
    """

    lesson_dir = Unicode(
        "",
        config=True,
        help="Host folder whose entries (not its notebooks) the kernel sees, read-only, in its "
        "working directory: the released lesson (its autograder/ checks, data files).",
    )
    memory_mb = Integer(
        2048, config=True, help="Memory (MB) for the kernel and everything it starts, together."
    )
    max_processes = Integer(
        128, config=True, help="Processes and threads the kernel may run at once, in all."
    )
    max_file_mb = Integer(64, config=True, help="Largest file (MB) the kernel may write.")
    scratch_mb = Integer(256, config=True, help="Size (MB) of the kernel's writable tmpfs.")
    limits = Enum(
        ["auto", *cgroups.KINDS],
        "auto",
        config=True,
        help="How limits are enforced: auto (the best this machine offers: cgroup2, cgroup1, "
        "rlimit), or insist on one.",
    )
    host_uid = Integer(
        -1, config=True, help="Host uid a root grader's kernels run as; -1: nobody's."
    )
    bwrap = Unicode("", config=True, help="The bwrap executable; default: bwrap on PATH.")
    pass_env = List(
        Unicode(), list(PASS_ENV), config=True, help="Variables the kernel may inherit."
    )
    socket_wait = Integer(60, config=True, help="Seconds to wait for a starting kernel's sockets.")

    jail = None

    @default("transport")
    def _transport_default(self):
        return "ipc"

    @property
    def kernel_spec(self):
        # A SIGINT to the process group would end bubblewrap: interrupt with a message.
        spec = super().kernel_spec
        if spec is not None:
            spec.interrupt_mode = "message"
        return spec

    def _open_jail(self):
        if self.jail is None:
            self.jail = Jail(
                bwrap=self.bwrap,
                lesson_dir=self.lesson_dir,
                memory_mb=self.memory_mb,
                max_processes=self.max_processes,
                max_file_mb=self.max_file_mb,
                scratch_mb=self.scratch_mb,
                limits=self.limits,
                host_uid=self.host_uid,
                pass_env=self.pass_env,
            )
            self.transport = "ipc"
            self.connection_file = str(self.jail.connection_file)
            self.ip = str(self.jail.ipc / "kernel-ipc")
        return self.jail

    async def _async_pre_start_kernel(self, **kw):
        jail = self._open_jail()
        jail.open_ipc()
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        jail.write_kernel_connection_file(json.loads(Path(self.connection_file).read_text()))
        cmd, kw["env"] = jail.command(kernel_cmd, kw.get("env", os.environ))
        kw["cwd"] = str(jail.folder)
        return cmd, kw

    # AsyncKernelManager binds its public names to the base class's coroutines: rebind ours.
    pre_start_kernel = _async_pre_start_kernel

    def format_kernel_cmd(self, extra_arguments=None):
        # The kernel reads its connection file where the jail shows it.
        host = os.path.realpath(self.connection_file)
        cmd = super().format_kernel_cmd(extra_arguments)
        return [f"{KERNEL_DIR}/kernel.json" if arg == host else arg for arg in cmd]

    async def _async_post_start_kernel(self, **kw):
        await self._wait_for_sockets()
        self.jail.lock_ipc()
        await super()._async_post_start_kernel(**kw)

    post_start_kernel = _async_post_start_kernel

    async def _wait_for_sockets(self):
        ports = (self.shell_port, self.iopub_port, self.stdin_port, self.control_port, self.hb_port)
        sockets = [Path(f"{self.ip}-{port}") for port in ports]
        deadline = time.monotonic() + self.socket_wait
        while not all(s.exists() for s in sockets) and time.monotonic() < deadline:
            if self.provisioner is None or await self.provisioner.poll() is not None:
                return  # it died starting: nothing will bind; the client will say so
            await asyncio.sleep(0.02)

    async def _async_cleanup_resources(self, restart=False):
        # Clean-up without a shutdown (nbclient's, after a failed start) ends the jail too.
        if self.has_kernel and await self.provisioner.poll() is None:
            await self.provisioner.kill(restart=restart)
            await self.provisioner.wait()
        await super()._async_cleanup_resources(restart=restart)
        if self.jail is not None:
            left = self.jail.remove_cgroup() if restart else self.jail.close()
            if left:
                self.log.warning("could not remove the kernel's cgroups %s", left)
            if not restart:
                self.jail = None

    cleanup_resources = _async_cleanup_resources


def sandbox_problem(bwrap=""):
    """None when kernels can be jailed here; else one sentence saying why not and the fix."""
    exe = find_bwrap(bwrap)
    if exe is None:
        where = f"{bwrap} is not an executable" if bwrap else "bwrap is not on PATH"
        return (
            f"bubblewrap is not installed ({where}): install the package bubblewrap "
            "(apt-get install bubblewrap), or grade without the sandbox (--no-sandbox)"
        )
    try:
        version = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=10)
        found = re.search(r"(\d+)\.(\d+)", version.stdout)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"{exe} does not run ({err}): reinstall the package bubblewrap"
    if not found or (int(found.group(1)), int(found.group(2))) < (0, 7):
        return (
            f"{exe} is too old ({version.stdout.strip() or 'no version'}; the jail needs "
            "0.7 or newer for --size): install a newer bubblewrap"
        )
    try:
        jail = Jail(bwrap=exe, limits="rlimit")
    except JailError as err:
        return str(err)
    try:
        cmd, env = jail.command([sys.executable, "-I", "-S", "-c", "pass"], {})
        trial = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bubblewrap could not start a trial jail ({err})"
    finally:
        jail.close()
    if trial.returncode == 0:
        return None
    return explain_failure(trial.stderr)


def explain_failure(stderr):
    """The sentence for a trial jail that failed with `stderr` (bubblewrap's or the launcher's)."""
    said = (stderr.strip().splitlines() or ["no message"])[-1]
    lowered = said.lower()
    if "namespace" in lowered or "uid map" in lowered or "operation not permitted" in lowered:
        return (
            f"bubblewrap cannot create a user namespace here ({said}): enable unprivileged "
            "user namespaces (sysctl kernel.unprivileged_userns_clone=1 and "
            "user.max_user_namespaces > 0; on Ubuntu also "
            "kernel.apparmor_restrict_unprivileged_userns=0), or grade with --no-sandbox"
        )
    return f"bubblewrap could not start a trial jail: {said}"


def sweep_stale(want="auto"):
    """Remove jail folders and cgroups left by graders that died; return how many went."""
    removed = cgroups.sweep(limits_mechanism(want))
    bases = {Path(tempfile.gettempdir()), Path("/tmp")}
    for folder in (f for base in bases for f in base.glob(f"{FOLDER_PREFIX}*")):
        match = re.match(rf"{FOLDER_PREFIX}(\d+)-", folder.name)
        if match and not cgroups.process_alive(int(match.group(1))):
            _remove_folder(folder)
            removed += 1
    return removed
