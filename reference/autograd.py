"""Lesson 01: a scalar automatic-differentiation engine, the answer to its `Value` exercise.

A Value is one node of a computational graph: a number (`data`), the nodes it was computed
from (`parents`) and, once `backward()` has run on the graph's output, dL/d(this node)
(`grad`). Every operation records its local derivatives; backward() visits the nodes from the
output back to the inputs (a topological order, so a node is finished before its parents get
its share) and adds upstream gradient times local derivative into each parent. The `+=` is
the multivariable chain rule: a node used twice (fan-out) receives the sum over its paths.

The student completes `+`, `*`, `exp`, `log` and `backward`; relu (a max gate) and the
operators derived from the four (negation, subtraction, division, powers by a number) are given.
A plain number meeting a Value (`v * 2.0`, `1.0 - v`) becomes a new leaf through as_value, a
method so that the class is complete on its own (the lesson's cell holds nothing else).
"""

import math


class Value:
    """One number in a computational graph, and dL/d(it) after backward().

    data: float, the node's value. grad: float, dL/dnode (0.0 until backward() runs).
    parents: tuple of (Value, local derivative d(this)/d(parent)) pairs.
    """

    def __init__(self, data, parents=()):
        self.data = float(data)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    # -- the four operations the lesson asks for

    def __add__(self, other):
        other = self.as_value(other)
        return Value(self.data + other.data, ((self, 1.0), (other, 1.0)))

    def __mul__(self, other):
        other = self.as_value(other)
        return Value(self.data * other.data, ((self, other.data), (other, self.data)))

    def exp(self):
        out = math.exp(self.data)
        return Value(out, ((self, out),))

    def log(self):
        return Value(math.log(self.data), ((self, 1.0 / self.data),))

    def backward(self):
        """Set every node's grad to d(self)/d(node), self's own grad to 1."""
        order, seen = [], set()
        stack = [(self, False)]
        while stack:  # depth-first, without recursion: a node follows all of its parents
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((parent, False) for parent, _ in node.parents)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local

    # -- given: a max gate, and operators built from the four above

    def relu(self):
        return Value(max(self.data, 0.0), ((self, 1.0 if self.data > 0 else 0.0),))

    def __pow__(self, k):
        return Value(self.data**k, ((self, k * self.data ** (k - 1)),))

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-self.as_value(other))

    def __truediv__(self, other):
        return self * self.as_value(other) ** -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return self.as_value(other) - self

    def __rtruediv__(self, other):
        return self.as_value(other) / self

    @classmethod
    def as_value(cls, x):
        """x as a Value: a Value itself, a number as a new leaf."""
        return x if isinstance(x, cls) else cls(x)
