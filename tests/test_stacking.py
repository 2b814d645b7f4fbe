"""hstack / vstack / row_stack / dstack / column_stack / atleast_{1,2,3}d like torch: shapes,
values, gradients, grad_fn graphs, errors. 拼接函数与 torch 一致。"""
import numpy as np
import pytest

import course_lib as cl

SHAPES = [[(3,), (3,)], [(2, 3), (2, 3)], [(3,)], [()], [(), ()], [(2, 3, 4), (2, 3, 1)],
          [(4,), (4,)], [(2, 1), (2, 3)]]
FUNCS = ["hstack", "vstack", "row_stack", "dstack", "column_stack"]


def _sig(fn, d=4):
    if fn is None or d == 0:
        return None if fn is None else type(fn).__name__
    return (type(fn).__name__, tuple(_sig(n, d - 1) for n, _ in fn.next_functions
                                     if n is not None))


def _run(T, f, shapes):
    g = np.random.default_rng(len(shapes))
    xs = [T.tensor(g.standard_normal(s), requires_grad=True) for s in shapes]
    try:
        y = getattr(T, f)(xs)
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e).splitlines()[0]
    (y * T.tensor(np.arange(y.numel(), dtype=float).reshape(tuple(y.shape)))).sum().backward()
    return (tuple(y.shape), _sig(y.grad_fn), y.detach().numpy().tolist(),
            [x.grad.numpy().tolist() for x in xs])


@pytest.mark.parametrize("f", FUNCS)
@pytest.mark.parametrize("shapes", SHAPES, ids=[str(s) for s in SHAPES])
def test_like_torch(f, shapes):
    torch = pytest.importorskip("torch")
    assert _run(cl, f, shapes) == _run(torch, f, shapes)


@pytest.mark.parametrize("f", ["atleast_1d", "atleast_2d", "atleast_3d"])
def test_atleast_like_torch(f):
    torch = pytest.importorskip("torch")
    for shape in [(), (3,), (2, 3), (2, 3, 4), (1, 2, 3, 4)]:
        ours = getattr(cl, f)(cl.ones(shape))
        theirs = getattr(torch, f)(torch.ones(shape))
        assert tuple(ours.shape) == tuple(theirs.shape)
    pair = getattr(cl, f)(cl.ones(2), cl.ones(()))
    assert isinstance(pair, tuple) and len(pair) == 2
    assert isinstance(getattr(cl, f)([cl.ones(2)]), tuple)


def test_errors():
    with pytest.raises(RuntimeError, match="hstack expects a non-empty TensorList"):
        cl.hstack([])
    with pytest.raises(TypeError, match="must be tuple of Tensors"):
        cl.vstack(cl.ones(2))
    assert cl.vstack([cl.ones(2), cl.zeros(2)]).tolist() == [[1.0, 1.0], [0.0, 0.0]]
