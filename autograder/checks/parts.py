"""Checking one named part of a stub's tuple answer at a time.

A stub that returns several values (linear_backward's (grad_x, grad_W, grad_b),
softmax_cross_entropy's (loss, grad_logits), forward's (probs, cache)) is graded one part per
test cell, so that one wrong part costs only its own points. A check given parts= judges those
parts alone, and names a catalogued mistake only where that mistake changes a judged part: a
wrong grad_b never names a grad_W mistake the student may also have made.
"""

from dataclasses import replace

from autograder.checks.compare import agrees, as_numbers


def known_parts(parts, names):
    """parts (one name or several) as a tuple in `names`'s order; a ValueError naming `names`
    for an unknown part or none at all."""
    parts = (parts,) if isinstance(parts, str) else tuple(parts)
    unknown = [p for p in parts if p not in names]
    if unknown or not parts:
        raise ValueError(f"parts must name some of {', '.join(names)}; got {parts!r}")
    return tuple(p for p in names if p in parts)


def only_parts(case, parts, mistakes):
    """(the Case judging `parts` alone, the Mistakes of `mistakes` that show in those parts).

    case.want is a dict named by case.returns; each mistake kept has its `wrong` cut down to
    the judged parts it changes on this case (stored or worked out from the right answer).
    """
    right = as_numbers(case.want)
    shown_here = []
    for mistake in mistakes:
        if not mistake.applies_to(case):
            continue
        wrong = mistake.wrong(right) if callable(mistake.wrong) else mistake.wrong
        shown = {p: wrong[p] for p in parts if p in wrong and not agrees(wrong[p], right[p])}
        if shown:
            shown_here.append(replace(mistake, wrong=shown))
    return replace(case, want={p: case.want[p] for p in parts}), tuple(shown_here)


def judging(stub, case, parts, every, catalogue):
    """(case, catalogue) to judge `parts` of `stub` on `case`: both as they are when `parts`
    are all of `every`, else cut down to those parts (only_parts)."""
    if parts == every:
        return case, catalogue
    case, shown = only_parts(case, parts, catalogue[stub])
    return case, {stub: shown}


def judged_label(stub, parts, every):
    """How a pass names what was judged: "forward", or "forward's cache"."""
    return stub if parts == every else f"{stub}'s {', '.join(parts)}"
