"""Talking to the kernel: one request out, at most one reply's text back, within a deadline.

A request (one stub, all its inputs: harness.py's batch) runs harness.py's source in the
kernel, in a namespace of its own (nothing is left in the student's), as a silent execution: no
history entry, no execution count, no pre_run_cell hooks. The reply comes back as one display
output of harness.ANSWER_MIME whose parent is that request; every other message is ignored.
What comes back is untrusted: this module bounds it (one reply, a string, at most
MAX_ANSWER_CHARS for the whole batch), says what went wrong when nothing usable came, and
unpacks it strictly into exactly one answer's text per input (unpack); answers.py parses each.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from queue import Empty
from time import monotonic

from jupyter_core.utils import ensure_async

from autograder.grader.verify import harness

# The whole reply to one request: far above any honest batch (the largest is some tens of kB),
# and above what the harness lets a batch grow to, so that its own cut is the one that shows.
MAX_ANSWER_CHARS = harness.MAX_BATCH_CHARS + 500_000
POLL = 0.5  # seconds between liveness checks while the kernel is quiet


@cache
def harness_source():
    return Path(harness.__file__).read_text(encoding="utf-8")


def kernel_code(request):
    """The code that answers `request` (a dict) in the kernel, leaving no names behind."""
    namespace = {"__name__": "backprop_verify", "REQUEST": json.dumps(request)}
    source = harness_source() + "\npublish(serve(REQUEST, NAMESPACE))\n"
    # globals() of the cell is the student's namespace: the stub is looked up there.
    return f"exec({source!r}, {{**{namespace!r}, 'NAMESPACE': globals()}})\n"


@dataclass(frozen=True)
class Exchange:
    """What one request got: the answer's text, or in `trouble` why there is none.

    trouble: "dead" (the kernel process ended), "unresponsive" (no reply even after an
    interrupt), "interrupted" (it replied only once interrupted, without an answer), "silent"
    (it finished without an answer), "answered_twice", "not_text", "too_long". (unpack's own
    troubles, "not_a_batch" and "wrong_count", come with its texts, not in an Exchange.)
    """

    text: str | None = None
    trouble: str | None = None


class KernelLink:
    """One kernel, reached through nbclient's (or any) async jupyter_client KernelClient.

    kc: the client; its manager (kc.parent, when it has one) is used to interrupt the kernel,
    otherwise an interrupt_request goes over the control channel.
    grace: seconds an interrupted kernel gets to answer before it counts as unresponsive.
    """

    def __init__(self, kc, grace=5.0):
        self.kc = kc
        self.grace = grace

    async def send(self, request):
        """Send one request without waiting for it; its msg_id, for receive()."""
        return await ensure_async(
            self.kc.execute(
                kernel_code(request),
                silent=True,
                store_history=False,
                allow_stdin=False,
                stop_on_error=False,
            )
        )

    async def receive(self, msg_id, timeout):
        """The reply to the request sent as `msg_id`, within `timeout` s of now (then an
        interrupt, then `grace` s): an Exchange."""
        kc = self.kc
        answers, interrupted = [], False
        deadline = monotonic() + timeout
        while True:
            left = deadline - monotonic()
            if left <= 0:
                if interrupted:
                    return Exchange(trouble="unresponsive")
                await self.interrupt()
                interrupted, deadline = True, monotonic() + self.grace
                continue
            try:
                msg = await ensure_async(kc.get_iopub_msg(timeout=min(left, POLL)))
            except Empty:
                if not await ensure_async(kc.is_alive()):
                    return Exchange(trouble="dead")
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue  # a background thread's output, or an earlier cell's
            content = msg.get("content", {})
            if msg.get("msg_type") == "display_data" and harness.ANSWER_MIME in content.get(
                "data", {}
            ):
                answers.append(content["data"][harness.ANSWER_MIME])
            elif msg.get("msg_type") == "status" and content.get("execution_state") == "idle":
                break
        await self._drain_reply(msg_id)
        if not answers:
            return Exchange(trouble="interrupted" if interrupted else "silent")
        if len(answers) > 1:
            return Exchange(trouble="answered_twice")
        (text,) = answers
        if not isinstance(text, str):
            return Exchange(trouble="not_text")
        if len(text) > MAX_ANSWER_CHARS:
            return Exchange(trouble="too_long")
        return Exchange(text=text)

    async def interrupt(self):
        manager = getattr(self.kc, "parent", None)
        if manager is not None and hasattr(manager, "interrupt_kernel"):
            await ensure_async(manager.interrupt_kernel())
        else:
            self.kc.control_channel.send(self.kc.session.msg("interrupt_request", {}))

    async def _drain_reply(self, msg_id, wait=1.0):
        # The execute_reply on the shell channel: read it so that it does not linger for
        # whoever uses the client next (they would skip it, but need not see it).
        deadline = monotonic() + wait
        while (left := deadline - monotonic()) > 0:
            try:
                msg = await ensure_async(self.kc.get_shell_msg(timeout=left))
            except (Empty, TimeoutError):
                return
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return


def unpack(text, count):
    """([one answer's text per input], None), or (None, trouble) when `text` is not exactly
    {"answers": [count strings]}: "not_a_batch" or "wrong_count".

    Strict, because the kernel is the student's: a reply with one answer too many or too few
    is refused whole (an answer out of place would be judged against another input's key),
    and so is anything beside the list.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None, "not_a_batch"
    if not (isinstance(data, dict) and list(data) == ["answers"]):
        return None, "not_a_batch"
    texts = data["answers"]
    if not (isinstance(texts, list) and all(isinstance(t, str) for t in texts)):
        return None, "not_a_batch"
    if len(texts) != count:
        return None, "wrong_count"
    return texts, None
