"""Verifying a submission: every stub called on fresh inputs in the kernel, judged here.

Called right after a submission's last cell ran, while its kernel is still up. For each stub of
the lesson, in the notebook's order, the inputs come from a generator seeded for this
submission alone (never stored in the notebook); all of a stub's inputs go to the kernel as
plain data in one request (protocol.py, harness.py), the answers come back as plain data, one
per input, and are judged against the answer key in this process (judge.py), which works out
its own answers while the kernel computes the stub's. The first wrong answer is the one
reported.
"""

import secrets
from dataclasses import replace

import numpy as np
from jupyter_core.utils import run_sync

from autograder.grader.verify import answers, hints, judge
from autograder.grader.verify.inputs import lesson_inputs, module_name
from autograder.grader.verify.protocol import KernelLink, unpack
from autograder.grader.verify.verdicts import Verdict

MARGIN = 5.0  # seconds the grader waits beyond the kernel's own limits on a batch of calls
TROUBLE = {
    "dead": "the kernel stopped running",
    "unresponsive": "the kernel stopped answering, even when interrupted",
    "interrupted": "the kernel gave no answer and had to be interrupted",
    "silent": "the kernel finished without an answer (did the notebook change how the kernel "
    "runs code?)",
    "answered_twice": "the kernel sent two answers to one question (did the notebook change "
    "how the kernel runs code?)",
    "not_text": "the kernel's answer was not text",
    "too_long": "the kernel's answer was far too long to read",
    "not_a_batch": "the kernel's answer was not a list of answers (did the notebook change how "
    "the kernel runs code?)",
    "wrong_count": "the kernel did not send one answer for each input (did the notebook change "
    "how the kernel runs code?)",
}
FATAL = {"dead", "unresponsive"}  # no later call can get through
STOP = {"missing", "not_callable", "hung", "crashed", "garbled", "too_big"}  # no use judging on


def new_seed():
    """A fresh seed for one submission's inputs (kept in the grader, never in the notebook)."""
    return secrets.randbits(63)


def knows(lesson):
    """Whether the grader can verify this lesson's stubs."""
    return module_name(lesson) is not None


async def verify_submission(kc, lesson, seed, call_timeout=5.0, stubs=None):
    """[Verdict] for every stub of `lesson` (or those named in `stubs`), in the notebook's order.

    kc: the running kernel's async KernelClient (nbclient's self.kc), after the last cell ran.
    seed: this submission's seed (new_seed()). call_timeout: seconds one call may take.
    Never raises for anything the kernel does: a dead or silent kernel becomes verdicts.
    """
    inputs = lesson_inputs(lesson)
    cases = inputs.cases(np.random.default_rng(seed))
    link = KernelLink(kc)
    verdicts, fatal = [], None
    for spec in inputs.STUBS:
        if stubs is not None and spec.name not in stubs:
            continue
        if fatal:
            sentence = f"{spec.name} was not verified: {fatal} before the grader got to it."
            verdicts.append(Verdict(spec.name, False, sentence, "not_verified"))
            continue
        verdict, trouble = await _verify_stub(
            link, module_name(lesson), spec, cases[spec.name], call_timeout
        )
        verdicts.append(verdict)
        if trouble in FATAL:
            fatal = TROUBLE[trouble]
    return verdicts


def verify_submission_sync(kc, lesson, seed, call_timeout=5.0, stubs=None):
    """verify_submission for callers without an event loop (tests, scripts)."""
    return run_sync(verify_submission)(kc, lesson, seed, call_timeout, stubs)


async def _verify_stub(link, lesson_module, spec, cases, call_timeout):
    """(Verdict, trouble or None) for one stub over its cases, asked in one request.

    A wrong answer does not stop the stub: the rest of its inputs are judged too, so that the
    catalogued mistake named is the one that fits every answer (two mistakes can agree on one
    input). Judging stops at a stub that is missing, hangs or ends its process (the kernel
    skips the rest of the batch after those).
    """
    request = {
        "stub": spec.name,
        "cases": [list(case.args) for case in cases],
        "return_args": bool(spec.unchanged),
        "max_numbers": answers.MAX_NUMBERS,
        "timeout": call_timeout,
    }
    msg_id = await link.send(request)
    wants = [judge.expected(spec, case) for case in cases]  # while the kernel works
    exchange = await link.receive(msg_id, timeout=len(cases) * call_timeout + MARGIN)
    trouble = exchange.trouble
    texts = None
    if trouble is None:
        texts, trouble = unpack(exchange.text, len(cases))
    if trouble:
        sentence = (
            f"{spec.name} was not verified: {TROUBLE[trouble]} on one of the {len(cases)} "
            "inputs the grader tried."
        )
        verdict = Verdict(spec.name, False, sentence, "no_answer", len(cases))
        return _with_parts(verdict, spec, len(cases), None), trouble
    seen, first = [], None
    first_by_part = dict.fromkeys(spec.parts)
    for case, text, want in zip(cases, texts, wants, strict=True):
        got = answers.parse(text)
        if got.status == "skipped":  # only ever after an answer that stops the judging
            sentence = (
                f"{spec.name} was not verified: the kernel left {case.label} unanswered (did "
                "the notebook change how the kernel runs code?)."
            )
            verdict = Verdict(spec.name, False, sentence, "no_answer", len(seen) + 1)
            return _with_parts(verdict, spec, len(cases), None), "skipped"
        seen.append((case, got))
        found = judge.problem(spec, case, got, want)
        first = first or found
        if spec.parts:
            for part, wrong in judge.part_problems(spec, case, got, want, found).items():
                first_by_part[part] = first_by_part[part] or wrong
        if found and found.kind in STOP:
            break
    if first is None:
        sentence = (
            f"{spec.name} was right on all {len(cases)} inputs the grader made for this submission."
        )
        verdict = Verdict(spec.name, True, sentence, "right", len(cases))
        return _with_parts(verdict, spec, len(cases), first_by_part), None
    hint = hints.find_hint(lesson_module, spec, seen)
    known = (
        f" This is a known mistake, as the check in the notebook describes it: {hint.hint}"
        if hint
        else ""
    )
    sentence = f"{spec.name} {first.text}.{known}"
    verdict = Verdict(spec.name, False, sentence, first.kind, len(seen), hint and hint.key)
    stopped = found if len(seen) < len(cases) else None  # the STOP that ended the judging
    return _with_parts(verdict, spec, len(cases), first_by_part, known, stopped), None


def _with_parts(verdict, spec, count, first_by_part, known="", stopped=None):
    """verdict with one Verdict per named part of the stub's answer (spec.parts), if it has any.

    first_by_part: {part: the first Problem found in that part, or None}; None when the stub
    could not be asked at all, which fails every part with the stub's own sentence.
    stopped: the Problem after which the grader stopped calling the stub (a part too big to
    read, say), or None: a part is verified only if it was right on every input.
    """
    if not spec.parts:
        return verdict
    parts = []
    for part in spec.parts:
        wrong = None if first_by_part is None else first_by_part[part]
        if first_by_part is None:
            parts.append(
                Verdict(
                    verdict.stub, False, verdict.sentence, verdict.kind, verdict.tries, part=part
                )
            )
        elif wrong is None and stopped is not None:
            sentence = (
                f"{spec.name}'s {part} was not verified: {spec.name} {stopped.text}, so the "
                "grader stopped judging it."
            )
            parts.append(Verdict(spec.name, False, sentence, "not_verified", count, part=part))
        elif wrong is None:
            sentence = (
                f"{spec.name}'s {part} was right on all {count} inputs the grader made for this "
                "submission."
            )
            parts.append(Verdict(spec.name, True, sentence, "right", count, part=part))
        else:
            sentence = f"{spec.name}'s {part} {wrong.text}.{known}"
            parts.append(
                Verdict(
                    spec.name, False, sentence, wrong.kind, verdict.tries, verdict.hint, part=part
                )
            )
    return replace(verdict, parts=tuple(parts))
