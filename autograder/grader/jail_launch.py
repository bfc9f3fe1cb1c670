"""The few steps a jailed kernel's process takes on itself before it becomes bubblewrap or
the kernel: join cgroups, make some host folders reachable, set limits, drop root, exec.

Standard library only, and nothing imported from the course: the grader runs this file by
path outside the jail (`python -I -S jail_launch.py ... -- bwrap ...`) and passes its text
inside the jail (`python -I -S -c <this file> ... -- python -m ipykernel_launcher ...`),
where nothing of the repository is visible.

    --cgroup FILE        write this process's pid into FILE (a cgroup.procs), so that it and
                         everything it starts are held by that cgroup's limits
    --stage SRC DEST     in a private mount namespace, bind the folder SRC onto DEST (an
                         empty folder), for a host folder the jail's user may not traverse
                         (a Python under /root): bubblewrap, run as that user, binds DEST
    --rlimit NAME VALUE  set the soft and hard limit NAME (as, core, fsize, nproc) to VALUE
    --user UID GID       drop to this user and group, with no supplementary groups
    -- COMMAND...        what to exec once the above are done, in this order

Limits are set after staging and before the user changes. RLIMIT_NPROC is set inside the
jail, after bubblewrap made its user namespace: Linux counts processes per user namespace
and user, so the limit there counts this kernel's processes only, not every jail's.

A step that fails ends the process with status 126 and one line on stderr (the kernel's log).
"""

import os
import sys

CLONE_NEWNS = 0x00020000
MS_BIND = 4096
MS_REC = 16384
MS_SLAVE = 1 << 19
LIMITS = {
    "as": "RLIMIT_AS",
    "core": "RLIMIT_CORE",
    "fsize": "RLIMIT_FSIZE",
    "nproc": "RLIMIT_NPROC",
}


def fail(step, err):
    sys.stderr.write(f"jail launcher: {step} failed: {err}\n")
    sys.stderr.flush()
    os._exit(126)


def parse(args):
    """The steps asked for, and the command: ({'cgroup': [...], ...}, [command...])."""
    steps = {"cgroup": [], "stage": [], "rlimit": [], "user": None}
    sizes = {"--cgroup": 1, "--stage": 2, "--rlimit": 2, "--user": 2}
    i = 0
    while i < len(args) and args[i] != "--":
        flag = args[i]
        if flag not in sizes or i + sizes[flag] >= len(args):
            fail("reading the arguments", f"unknown or incomplete option {flag!r}")
        values = args[i + 1 : i + 1 + sizes[flag]]
        if flag == "--user":
            steps["user"] = values
        else:
            steps[flag[2:]].append(values[0] if sizes[flag] == 1 else values)
        i += 1 + sizes[flag]
    command = args[i + 1 :]
    if not command:
        fail("reading the arguments", "no command after --")
    return steps, command


def libc():
    import ctypes

    lib = ctypes.CDLL(None, use_errno=True)

    def call(name, *args):
        if getattr(lib, name)(*args) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, os.strerror(errno))

    return call


def stage(pairs):
    call = libc()
    call("unshare", CLONE_NEWNS)
    # Nothing mounted here may reach the host's mount table.
    call("mount", None, b"/", None, MS_REC | MS_SLAVE, None)
    for source, dest in pairs:
        call("mount", os.fsencode(source), os.fsencode(dest), None, MS_BIND | MS_REC, None)


def main(args):
    import resource

    steps, command = parse(args)
    for procs in steps["cgroup"]:
        try:
            with open(procs, "w") as f:
                f.write(str(os.getpid()))
        except OSError as err:
            fail(f"joining the cgroup {procs}", err)
    if steps["stage"]:
        try:
            stage(steps["stage"])
        except OSError as err:
            fail("staging host folders", err)
    for name, value in steps["rlimit"]:
        try:
            limit = int(value)
            resource.setrlimit(getattr(resource, LIMITS[name]), (limit, limit))
        except (KeyError, ValueError, OSError) as err:
            fail(f"setting the limit {name}={value}", err)
    if steps["user"]:
        uid, gid = (int(v) for v in steps["user"])
        try:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
        except OSError as err:
            fail(f"switching to uid {uid}", err)
        if os.getuid() != uid or os.geteuid() != uid:
            fail(f"switching to uid {uid}", "the uid did not change")
    try:
        os.execv(command[0], command)
    except OSError as err:
        fail(f"starting {command[0]}", err)


if __name__ == "__main__":
    main(sys.argv[1:])
