"""Attack code that more than one test file plants in a jailed kernel: source text for a
student's cell, never run in the test process itself."""

# fill(path, mb): write `mb` MiB to `path`, one MiB at a time, until the jail says no;
# returns [MiB written, the error's strerror or None].
FILL = """
def fill(path, mb):
    written = 0
    try:
        with open(path, 'wb', buffering=0) as f:
            for _ in range(mb):
                written += f.write(b'x' * 2**20)
    except OSError as err:
        return [written // 2**20, err.strerror]
    return [written // 2**20, None]
"""
