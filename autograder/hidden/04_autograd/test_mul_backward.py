"""Hidden cases for 04_autograd / autograd.functions.Mul.backward(ctx, grad_output).

The engine sums broadcast gradients back to each input's shape, so a result is reduced here
the same way before comparing: returning the broadcast shape and reducing it yourself both pass.
"""
from autograder.cases import case


def _t(torch, np, *shape, dtype=None, seed=0):
    g = np.random.default_rng(seed)
    return torch.tensor(g.standard_normal(shape), dtype=dtype or torch.float32)


def _reduce(g, shape):
    """Sum ``g`` down to ``shape`` (what the engine does after a backward)."""
    if g is None:
        return None
    while g.dim() > len(shape):
        g = g.sum(dim=0)
    for i, s in enumerate(shape):
        if s == 1 and g.shape[i] != 1:
            g = g.sum(dim=i, keepdim=True)
    return g


def _run(piece, torch, a, b, grad, needs=(True, True)):
    from course_lib.autograd.function import FunctionCtx
    ctx = FunctionCtx()
    ctx.save_for_backward(a, b)
    ctx.needs_input_grad = needs
    r = piece(ctx, grad)
    return (type(r).__name__, _reduce(r[0], tuple(a.shape)), _reduce(r[1], tuple(b.shape)))


@case("同形状 / same shapes")
def same(piece, torch, np):
    return _run(piece, torch, _t(torch, np, 2, 3), _t(torch, np, 2, 3, seed=1), _t(torch, np, 2, 3, seed=2))


@case("广播 (2, 3) × (3,) / broadcasting (2, 3) × (3,)")
def broadcast(piece, torch, np):
    return _run(piece, torch, _t(torch, np, 2, 3), _t(torch, np, 3, seed=1), _t(torch, np, 2, 3, seed=2))


@case("广播 (4, 1) × (1, 5) / broadcasting (4, 1) × (1, 5)")
def outer(piece, torch, np):
    return _run(piece, torch, _t(torch, np, 4, 1), _t(torch, np, 1, 5, seed=1), _t(torch, np, 4, 5, seed=2))


@case("0 维 × 向量 / 0-d times a vector")
def zero_d(piece, torch, np):
    return _run(piece, torch, torch.tensor(1.5), _t(torch, np, 4, seed=1), _t(torch, np, 4, seed=2))


@case("只有 a 需要梯度 / only a needs a gradient")
def only_a(piece, torch, np):
    return _run(piece, torch, _t(torch, np, 3), _t(torch, np, 3, seed=1), torch.ones(3), (True, False))


@case("只有 b 需要梯度 / only b needs a gradient")
def only_b(piece, torch, np):
    return _run(piece, torch, _t(torch, np, 3), _t(torch, np, 3, seed=1), torch.ones(3), (False, True))


@case("float64 / float64")
def float64(piece, torch, np):
    d = torch.float64
    return _run(piece, torch, _t(torch, np, 3, 2, dtype=d), _t(torch, np, 3, 2, dtype=d, seed=1),
                _t(torch, np, 3, 2, dtype=d, seed=2))


@case("空张量 / empty tensors")
def empty(piece, torch, np):
    return _run(piece, torch, torch.zeros(0, 3), torch.ones(3), torch.zeros(0, 3))


@case("非连续的输入 / non-contiguous inputs")
def non_contiguous(piece, torch, np):
    a = _t(torch, np, 3, 2).t()
    return _run(piece, torch, a, _t(torch, np, 2, 3, seed=1), _t(torch, np, 2, 3, seed=2))


@case("大数值 / large values")
def large(piece, torch, np):
    return _run(piece, torch, torch.full((2,), 1e20, dtype=torch.float64),
                torch.full((2,), -1e15, dtype=torch.float64), torch.full((2,), 1e3, dtype=torch.float64))


@case("通过引擎：(a * b) 的梯度 / through the engine: gradients of a * b")
def engine(piece, torch, np):
    from course_lib import exercises
    key = "course_lib.autograd.functions.Mul.backward"
    before = exercises.overrides.get(key)
    exercises.overrides[key] = piece
    try:
        a = _t(torch, np, 2, 3).requires_grad_()
        b = _t(torch, np, 3, seed=1).requires_grad_()
        (a * b * _t(torch, np, 2, 3, seed=2)).sum().backward()
        return a.grad, b.grad
    finally:
        if before is None:
            exercises.overrides.pop(key, None)
        else:
            exercises.overrides[key] = before
