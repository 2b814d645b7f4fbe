"""tensor_split / hsplit / vsplit / dsplit and take_along_dim, compared with torch 2.13: pieces,
grad_fn names, values, gradients, and torch's errors."""
import numpy as np
import pytest

import course_lib

torch = pytest.importorskip("torch")

EXPRS = [
    # tensor_split: sections, indices (list, tuple, tensor), the keyword forms, clamping
    "y.tensor_split(2, dim=1)", "y.tensor_split([1, 3], dim=1)", "y.tensor_split((1, 2), 1)",
    "y.tensor_split(T.tensor([1]), dim=0)", "y.tensor_split(T.tensor(2))", "y.tensor_split(7)",
    "y.tensor_split([3, 1], dim=1)", "y.tensor_split([-1], dim=1)", "y.tensor_split(1)",
    "y.tensor_split(sections=2)", "y.tensor_split(indices=[1])",
    "y.tensor_split(tensor_indices_or_sections=T.tensor(2))", "T.tensor_split(y, 2, dim=-1)",
    # hsplit / vsplit / dsplit
    "y.hsplit(2)", "y.vsplit([1])", "T.hsplit(y.reshape(-1)[:5], [2])", "T.vsplit(y, 3)",
    "T.dsplit(y.reshape(1, 3, 4), 2)", "T.dsplit(y.reshape(1, 3, 4), [1, 3])",
    # take_along_dim
    "(y.take_along_dim(T.tensor([[0], [1], [2]]), dim=1),)", "(y.take_along_dim(T.tensor([0, 5])),)",
    "(T.take_along_dim(y, T.tensor([[0, 3]]), dim=1),)",
    "(T.take_along_dim(y, T.tensor([[2], [0], [1]]), dim=0),)",
    "(y.take_along_dim(T.tensor([[0]]), 0),)", "(y.take_along_dim(y.argsort(dim=1), dim=1),)",
    "(y.take_along_dim(T.tensor([[1, 0]]), axis=1),)",
]

ERRORS = [
    "y.hsplit(3)", "T.arange(4.).vsplit(2)", "y.dsplit(2)", "T.tensor(1.).hsplit(1)", "y.hsplit(0)",
    "y.hsplit(2.0)", "y.tensor_split(0)", "y.tensor_split(2, dim=2)", "y.tensor_split(2.0)",
    "y.tensor_split(T.tensor([[1]]))", "y.tensor_split(T.tensor(2.))", "T.tensor(1.).tensor_split(1)",
    "y.take_along_dim(T.tensor([[0]]), dim=2)", "y.take_along_dim(T.tensor([[0.]]), dim=1)",
    "y.take_along_dim(T.tensor([0]), dim=1)",
]


def _run(T, expr):
    x = T.tensor(np.arange(12.0).reshape(3, 4), dtype=T.float64, requires_grad=True)
    pieces = eval(expr, {"T": T, "y": x * 1})
    out = [(tuple(p.shape), type(p.grad_fn).__name__, p.tolist()) for p in pieces]
    sum((p * (i + 2.0)).sum() for i, p in enumerate(pieces)).backward()
    return out, x.grad.tolist()


@pytest.mark.parametrize("expr", EXPRS)
def test_like_torch(expr):
    assert _run(course_lib, expr) == _run(torch, expr)


def _error(T, expr):
    with pytest.raises(Exception) as e:
        eval(expr, {"T": T, "y": T.arange(12.0).reshape(3, 4)})
    return type(e.value).__name__, str(e.value).splitlines()[0]


@pytest.mark.parametrize("expr", ERRORS)
def test_errors_like_torch(expr):
    assert _error(course_lib, expr) == _error(torch, expr)


def test_pieces_are_views():
    x = course_lib.arange(12.0).reshape(3, 4)
    a, b = x.tensor_split([1], dim=1)
    a[2, 0], b[0, 0] = -2.0, -1.0
    assert x[0, 1].item() == -1.0 and x[2, 0].item() == -2.0
