"""torch's numpy-style keyword names — ``axis=`` for ``dim`` and ``keepdims=`` for ``keepdim`` —
as d2l's code uses them (``X.sum(axis=0, keepdims=True)``), compared with torch 2.13: values,
dtypes, grad_fn names and gradients, and torch's TypeErrors for naming both or neither. Also the
gradient of a one-piece ``unbind`` / ``split`` / ``chunk``."""
import numpy as np
import pytest

import course_lib

torch = pytest.importorskip("torch")

EXPRS = [
    "x.sum(axis=0)", "x.sum(axis=(0, 1), keepdims=True)", "T.sum(x, axis=1, keepdims=True)",
    "x.sum(axis=[0, 1])", "x.sum(axis=-1, dtype=T.float32)",
    "x.mean(axis=0, keepdims=True)", "T.mean(x, axis=1)",
    "x.max(axis=1).values", "x.max(axis=1, keepdims=True).indices", "T.max(x, axis=0).values",
    "x.min(axis=0, keepdims=True).values", "x.min(axis=1).indices",
    "x.amax(axis=0)", "x.amax(axis=(0, 1), keepdims=True)", "x.amin(axis=1, keepdims=True)",
    "x.argmax(axis=1)", "x.argmin(axis=0, keepdims=True)", "T.argmax(x, axis=0)",
    "x.prod(axis=0)", "x.prod(axis=1, keepdims=True)",
    "x.var(axis=0)", "x.var(axis=0, unbiased=False)", "x.std(axis=1, keepdims=True)",
    "x.std(0, keepdims=True)", "T.var(x, axis=1, correction=0, keepdims=True)",
    "(x > 3).all(axis=0)", "(x > 3).any(axis=1, keepdims=True)", "T.all(x > 0, axis=1)",
    "x.softmax(axis=1)", "T.softmax(x, axis=0)", "x.log_softmax(axis=1)", "T.log_softmax(x, axis=0)",
    "x.logsumexp(axis=1, keepdims=True)", "T.logsumexp(x, axis=0)",
    "x.cumsum(axis=0)", "T.cumsum(x, axis=1)",
    "T.cat([x, x], axis=1)", "T.concat([x, x], axis=0)", "T.stack([x, x], axis=1)",
    "x.unsqueeze(axis=0)", "T.unsqueeze(x, axis=-1)", "x[None].squeeze(axis=0)",
    "x.chunk(2, axis=1)[1]", "x.unbind(axis=1)[2]",
    "x.sort(axis=0).values", "x.sort(axis=1, descending=True).indices", "T.sort(x, axis=0).values",
    "x.argsort(axis=0)", "x.topk(2, axis=0).values", "T.topk(x, 2, axis=1).indices",
    "x.count_nonzero(axis=0)", "T.count_nonzero(x, axis=(0, 1))",
    # through numpy_axis (ops off the hot path)
    "x.gather(axis=1, index=T.tensor([[0], [3], [1]]))", "T.gather(x, axis=0, index=T.tensor([[2]]))",
    "x.index_select(axis=1, index=T.tensor([0, 2]))", "T.index_select(x, axis=0, index=T.tensor([1]))",
    "x.narrow(axis=1, start=1, length=2)", "T.narrow(x, axis=0, start=0, length=2)",
    "x.select(axis=1, index=2)", "T.select(x, axis=0, index=-1)",
    "x.scatter(axis=0, index=T.tensor([[0, 1]]), src=x[:1, :2] * 2)",
    "x.scatter(axis=0, index=T.tensor([[0, 1]]), value=5.0)",
    "x.scatter_add(axis=1, index=T.tensor([[0, 0]]), src=x[1:2, 2:])",
    "T.scatter_add(x, axis=1, index=T.tensor([[0, 0]]), src=x[:1, :2])",
    "x.index_add(axis=0, index=T.tensor([0, 0]), source=x[:2])",
    "x.clone().scatter_add_(axis=1, index=T.tensor([[0, 0]]), src=x[:1, :2])",
    "x.clone().index_add_(axis=0, index=T.tensor([2]), source=x[:1], alpha=2)",
    "x.median(axis=0).values", "x.nanmedian(axis=1, keepdim=True).values",
    "x.kthvalue(2, axis=0).values", "x.mode(axis=1).indices",
    "x.quantile(0.25, axis=0)", "T.nanquantile(x, 0.5, axis=1, keepdim=True)",
    "x.cummax(axis=0).values", "T.cummin(x, axis=1).indices",
    "x.repeat_interleave(2, axis=0)", "x.diff(axis=0)", "T.diff(x, axis=1, n=2)",
    "T.trapezoid(x, axis=0)", "T.trapz(x, axis=1)", "T.cumulative_trapezoid(x, axis=0)",
]

ERRORS = [
    "x.sum(0, axis=0)", "x.sum(dim=0, axis=0)", "x.mean(1, axis=0)", "x.amax(0, axis=0)",
    "x.cumsum()", "T.cumsum(x)", "x.softmax()", "x.logsumexp()", "x.unsqueeze()",
    "T.cat([x, x], 1, axis=1)", "x.cumsum(0, axis=0)",
    "x.topk(2, 0, axis=0)",
    "x.gather(1, T.tensor([[0]]), axis=1)", "x.gather(dim=1, index=T.tensor([[0]]), axis=1)",
    "x.cummax(0, axis=0)", "x.median(axis=0, dim=0)", "x.select(0, 1, axis=0)",
]


def _x(T):
    return T.tensor(np.arange(12.0).reshape(3, 4) / 4 - 1, dtype=T.float64, requires_grad=True)


def _run(T, expr):
    x = _x(T)
    r = eval(expr, {"T": T, "x": x})
    out = (r.tolist(), str(r.dtype).split(".")[-1], type(r.grad_fn).__name__)
    if r.requires_grad:
        (r.double() * T.tensor(np.arange(r.numel()).reshape(tuple(r.shape)) + 1.0)).sum().backward()
        out += (x.grad.tolist(),)
    return out


@pytest.mark.parametrize("expr", EXPRS)
def test_numpy_names_like_torch(expr):
    mine, theirs = _run(course_lib, expr), _run(torch, expr)
    np.testing.assert_allclose(mine[0], theirs[0], rtol=1e-12)
    assert mine[1:3] == theirs[1:3]
    if len(theirs) > 3:
        np.testing.assert_allclose(mine[3], theirs[3], rtol=1e-12)


def _error(T, expr):
    try:
        eval(expr, {"T": T, "x": _x(T)})
    except TypeError as e:
        return str(e)
    return None


@pytest.mark.parametrize("expr", ERRORS)
def test_naming_both_or_neither_like_torch(expr):
    theirs = _error(torch, expr)
    assert theirs is not None
    assert _error(course_lib, expr) == theirs


@pytest.mark.parametrize("expr", ["a.unbind(0)", "a.split(5, dim=1)", "a.chunk(1, dim=2)",
                                  "a.unbind(axis=0)", "a.split([3], dim=1)"])
def test_one_piece_gradient_keeps_the_shape(expr):
    """A one-output node gets its gradient bare from the engine: the piece's gradient must still
    stack / concatenate back to the input's shape (torch: (1, 3, 4))."""
    def run(T):
        a = T.tensor(np.arange(12.0).reshape(1, 3, 4), dtype=T.float64, requires_grad=True)
        (p,) = eval(expr, {"a": a})
        (g,) = T.autograd.grad((p ** 3).sum(), a, create_graph=True)
        g.sum().backward()
        return tuple(g.shape), g.tolist(), a.grad.tolist()
    mine, theirs = run(course_lib), run(torch)
    assert mine[0] == theirs[0] == (1, 3, 4)
    np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-12)
    np.testing.assert_allclose(mine[2], theirs[2], rtol=1e-12)
