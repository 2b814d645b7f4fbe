"""Hidden cases for 04_autograd / autograd.functions.Sigmoid.backward(ctx, grad_output)."""
from autograder.cases import case


def _t(torch, np, *shape, dtype=None, seed=0, scale=1.0):
    g = np.random.default_rng(seed)
    return torch.tensor(scale * g.standard_normal(shape), dtype=dtype or torch.float32)


def _run(piece, torch, x, grad):
    from course_lib.autograd.function import FunctionCtx
    ctx = FunctionCtx()
    ctx.save_for_backward(torch.sigmoid(x))
    ctx.needs_input_grad = (True,)
    return piece(ctx, grad)


@case("向量，上游梯度为 1 / a vector, upstream gradient 1")
def ones(piece, torch, np):
    x = torch.tensor([0.0, 1.0, -2.0, 3.0])
    return _run(piece, torch, x, torch.ones(4))


@case("二维，随机上游梯度 / 2-D, random upstream gradient")
def random(piece, torch, np):
    return _run(piece, torch, _t(torch, np, 3, 4), _t(torch, np, 3, 4, seed=1))


@case("0 维 / 0-d")
def zero_d(piece, torch, np):
    return _run(piece, torch, torch.tensor(0.5), torch.tensor(2.0))


@case("float64 / float64")
def float64(piece, torch, np):
    d = torch.float64
    return _run(piece, torch, _t(torch, np, 5, dtype=d), _t(torch, np, 5, dtype=d, seed=1))


@case("空张量 / empty tensor")
def empty(piece, torch, np):
    return _run(piece, torch, torch.zeros(0, 2), torch.zeros(0, 2))


@case("饱和区：大的 |x| / saturation: large |x|")
def saturated(piece, torch, np):
    x = torch.tensor([-100.0, -30.0, 30.0, 100.0], dtype=torch.float64)
    return _run(piece, torch, x, torch.ones(4, dtype=torch.float64))


@case("非连续的张量 / non-contiguous tensors")
def non_contiguous(piece, torch, np):
    x = _t(torch, np, 4, 3).t()
    return _run(piece, torch, x, _t(torch, np, 4, 3, seed=1).t())


@case("三维 / 3-D")
def three_d(piece, torch, np):
    return _run(piece, torch, _t(torch, np, 2, 3, 4, scale=3.0), _t(torch, np, 2, 3, 4, seed=1))


@case("通过引擎：sigmoid 的梯度 / through the engine: gradient of sigmoid")
def engine(piece, torch, np):
    from course_lib import exercises
    key = "course_lib.autograd.functions.Sigmoid.backward"
    before = exercises.overrides.get(key)
    exercises.overrides[key] = piece
    try:
        x = _t(torch, np, 3, 2).requires_grad_()
        (torch.sigmoid(x) * _t(torch, np, 3, 2, seed=1)).sum().backward()
        return x.grad
    finally:
        if before is None:
            exercises.overrides.pop(key, None)
        else:
            exercises.overrides[key] = before
