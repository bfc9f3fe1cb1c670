"""Does `python -m autograder grade` take from a stub graded part by part only the points of the
parts it gets wrong, in lessons 03 (softmax_cross_entropy: loss, grad_logits) and 06 (forward:
probs, cache)?

One course with the two lessons, graded once. Expected scores come from the lessons' own
metadata (each test cell's points), and which cells a catalogued mistake costs from the parts
worked out by hand in the checks' tests (BREAKS); never from the grader. Each lesson also gets a
stub that is right wherever a check of autograder.checks calls it and wrong in one part for any
other caller: its cell passes in the notebook, and the grader's own inputs take exactly that
part's points.
"""

import contextlib
import csv
import html
import io

import pytest

from autograder.grader.cli import main
from autograder.grader.course import Course
from autograder.grader.release import release
from autograder.grader.sample_class import completed, mistaken_source, replace_stub, submit
from tests.autograder.checks.test_cross_entropy import BREAKS as SCE_BREAKS
from tests.autograder.checks.test_full_network import BREAKS as FORWARD_BREAKS
from tests.autograder.grader.test_grade import points

pytestmark = pytest.mark.slow

CE, NET = "03_cross_entropy", "06_full_network"
TIMEOUT = 60

# Right when a check calls it; any other caller (the grader) gets the gradient's sign flipped.
SCE_RIGHT_FOR_THE_CHECK_ONLY = '''def called_by_a_check(frame):
    """Whether a function of autograder/checks/ is among the callers (frames walked cheaply:
    gradient_check calls forward hundreds of times)."""
    while frame is not None:
        if "checks" in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


def softmax_cross_entropy(logits, y):
    """Right when a check of autograder.checks calls it; grad_logits flipped for anyone else."""
    import sys

    a = np.asarray(logits, dtype=np.float64)
    y = np.asarray(y)
    if y.shape != a.shape:
        y = np.eye(a.shape[-1])[y]
    m = a.shape[0] if a.ndim == 2 else 1
    shifted = a - a.max(axis=-1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    grad = (np.exp(log_p) - y) / m
    if not called_by_a_check(sys._getframe(1)):
        grad = -grad
    return float(-(y * log_p).sum() / m), grad
'''

# Right when a check calls it; any other caller gets a cache whose "h" lacks h0 = X (the
# provided loss() computes its logits itself, so gradient_check is not touched).
FORWARD_RIGHT_FOR_THE_CHECK_ONLY = '''def called_by_a_check(frame):
    """Whether a function of autograder/checks/ is among the callers (frames walked cheaply:
    gradient_check calls forward hundreds of times)."""
    while frame is not None:
        if "checks" in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


def forward(params, X, activation="sigmoid"):
    """Right when a check of autograder.checks calls it; cache["h"] without X for anyone else."""
    import sys

    L = len(params) // 2
    h, hs, pre = np.asarray(X, dtype=np.float64), [], []
    for l in range(1, L + 1):
        hs.append(h)
        a = h @ params[f"W{l}"].T + params[f"b{l}"]
        pre.append(a)
        if l < L:
            h = activate(a, activation)
    probs = softmax(pre[-1])
    if not called_by_a_check(sys._getframe(1)):
        hs = hs[1:]
    return probs, {"h": hs, "a": pre, "probs": probs}
'''


def lost(lesson, stub, parts):
    """The points of `stub`'s part cells named in `parts` (test_<stub>__<part>)."""
    return sum(points(lesson)[f"test_{stub}__{part}"] for part in parts)


def plant(course):
    """Submit the class; return {(student, lesson): expected score}."""
    total = {lesson: sum(points(lesson).values()) for lesson in (CE, NET)}
    expected = {}
    for lesson in (CE, NET):
        submit(course, "ada", lesson, completed(course, lesson))
        expected["ada", lesson] = total[lesson]
    for key, parts in SCE_BREAKS.items():
        source = mistaken_source(CE, "softmax_cross_entropy", key)
        nb = replace_stub(completed(course, CE), "softmax_cross_entropy", source)
        submit(course, f"sce_{key}", CE, nb)
        expected[f"sce_{key}", CE] = total[CE] - lost(CE, "softmax_cross_entropy", parts)
    for key, parts in FORWARD_BREAKS.items():
        nb = replace_stub(completed(course, NET), "forward", mistaken_source(NET, "forward", key))
        submit(course, f"forward_{key}", NET, nb)
        expected[f"forward_{key}", NET] = total[NET] - lost(NET, "forward", parts)
    nb = replace_stub(completed(course, CE), "softmax_cross_entropy", SCE_RIGHT_FOR_THE_CHECK_ONLY)
    submit(course, "check_only", CE, nb)
    expected["check_only", CE] = total[CE] - lost(CE, "softmax_cross_entropy", ["grad_logits"])
    nb = replace_stub(completed(course, NET), "forward", FORWARD_RIGHT_FOR_THE_CHECK_ONLY)
    submit(course, "check_only", NET, nb)
    expected["check_only", NET] = total[NET] - lost(NET, "forward", ["cache"])
    return expected


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """(course, expected scores, printed output, exit status) of one grading run."""
    course = Course.create(tmp_path_factory.mktemp("parts") / "course", [CE, NET])
    release(course, [CE, NET])
    expected = plant(course)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(
            ["grade", "--course", str(course.root), "--jobs", "2", "--timeout", str(TIMEOUT)]
        )
    return course, expected, out.getvalue(), status


def test_a_wrong_part_loses_only_its_own_cell(graded):
    """Each catalogued mistake costs exactly the cells of the parts it breaks; a stub right only
    for the notebook's check loses exactly the part it gets wrong elsewhere."""
    course, expected, out, status = graded
    assert status == 0, out
    with open(course.grades_csv) as f:
        got = {(r["student_id"], r["assignment"]): float(r["raw_score"]) for r in csv.DictReader(f)}
    assert {k: got[k] for k in expected} == pytest.approx(expected)


def test_the_check_only_part_passed_in_the_notebook_and_the_feedback_names_it(graded):
    """The cheat's part cell is zeroed by the grader (not by its in-notebook check), its sentence
    names the part, and the other part's cell says the grader checked it."""
    course = graded[0]
    for lesson, stub, wrong, right in [
        (CE, "softmax_cross_entropy", "grad_logits", "loss"),
        (NET, "forward", "cache", "probs"),
    ]:
        text = html.unescape(course.feedback_file("check_only", lesson).read_text())
        assert f"{stub}'s {wrong} is wrong on" in text, lesson
        assert f"checked by the grader: {stub}'s {right} was right" in text, lesson
        assert f"\u2713 {stub}'s {wrong}:" in text, lesson  # its own check passed in the kernel
