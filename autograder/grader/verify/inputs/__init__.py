"""One module per lesson: its stubs (StubSpec), its grade cells' table and its input generator.

Each module has STUBS (in the notebook's order), GRADE_CELLS {grade_id: what it covers} and
cases(rng) -> {stub: [Case]}. What a grade cell covers is a tuple of stub names, or of
(stub, part) pairs for a cell that grades one part of a stub's tuple answer (a part named in
its StubSpec.parts).
"""

from importlib import import_module

MODULES = (
    "chain_rule",
    "softmax",
    "cross_entropy",
    "output_layer",
    "hidden_layers",
    "full_network",
)


def module_name(lesson):
    """'04_output_layer' or 'output_layer' -> 'output_layer'; None for a lesson not known."""
    name = lesson.split("_", 1)[1] if lesson[:1].isdigit() and "_" in lesson else lesson
    return name if name in MODULES else None


def lesson_inputs(lesson):
    """The inputs module of a lesson; ValueError naming the known lessons for any other."""
    name = module_name(lesson)
    if name is None:
        raise ValueError(
            f"the grader cannot verify lesson {lesson!r}: it knows {', '.join(MODULES)}"
        )
    return import_module(f"autograder.grader.verify.inputs.{name}")
