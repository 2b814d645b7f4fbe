"""Hidden cases for 05_nn / the log_softmax row: ``log_softmax_vjp(x, dim, xp) -> (y, backward)``
(arrays and their module; ``backward(grad)`` → ∂L/∂x). Cases call the row directly and, where
the library runs it (F.log_softmax, F.cross_entropy), through the public API too."""
from autograder.cases import case


def _a(np, *shape, dtype="float32", seed=0, scale=1.0):
    return (scale * np.random.default_rng(seed).standard_normal(shape)).astype(dtype)


def _row(piece, torch, np, x, dim, seed=1):
    """The row's output and its backward of a random upstream gradient, as tensors."""
    y, backward = piece(x, dim, np)
    g = _a(np, *x.shape, dtype=x.dtype, seed=seed)
    return torch.tensor(np.asarray(y)), torch.tensor(np.asarray(backward(g)))


@case("二维，dim=1：前向与反向 / 2-D, dim=1: forward and backward")
def rows(piece, torch, np):
    return _row(piece, torch, np, _a(np, 4, 5), 1)


@case("二维，dim=0 / 2-D, dim=0")
def columns(piece, torch, np):
    return _row(piece, torch, np, _a(np, 4, 5), 0)


@case("三维：中间与最后的维 / 3-D: the middle and the last dim")
def three_d(piece, torch, np):
    x = _a(np, 2, 3, 4)
    return _row(piece, torch, np, x, 1), _row(piece, torch, np, x, 2, seed=2)


@case("大数值不溢出（前向与梯度）/ large values do not overflow (forward and gradient)")
def large(piece, torch, np):
    x = np.array([[1000.0, 0.0, -1000.0], [-5000.0, -5001.0, -5002.0]], dtype=np.float32)
    return _row(piece, torch, np, x, 1)


@case("float64 / float64")
def float64(piece, torch, np):
    return _row(piece, torch, np, _a(np, 3, 6, dtype="float64", scale=10.0), 1)


@case("含 -inf 的输入 / inputs with -inf")
def minus_inf(piece, torch, np):
    return _row(piece, torch, np, np.array([[0.0, -np.inf, 1.0]], dtype=np.float32), 1)


@case("空的批 / an empty batch")
def empty(piece, torch, np):
    return _row(piece, torch, np, np.zeros((0, 5), dtype=np.float32), 1)


@case("非连续的数组 / a non-contiguous array")
def non_contiguous(piece, torch, np):
    return _row(piece, torch, np, _a(np, 5, 3).T, 1)


@case("菱形图：输出用两次，经 F.log_softmax / a diamond: the output used twice, via F.log_softmax")
def diamond(piece, torch, np):
    x = torch.tensor(_a(np, 5, 3, dtype="float64"), requires_grad=True)
    lp = torch.nn.functional.log_softmax(x, 1)
    b = torch.tensor(_a(np, 5, 3, dtype="float64", seed=3))
    (torch.nn.functional.nll_loss(lp, torch.tensor([0, 2, 1, 1, 0])) + (lp.exp() * b).sum()).backward()
    return x.grad, _row(piece, torch, np, _a(np, 5, 3, dtype="float64"), 1)


@case("交叉熵的梯度，(N, C, d) / the gradient of cross entropy, (N, C, d)")
def cross_entropy_spatial(piece, torch, np):
    x = torch.tensor(_a(np, 2, 3, 4, dtype="float64"), requires_grad=True)
    t = torch.tensor(np.random.default_rng(5).integers(0, 3, (2, 4)))
    loss = torch.nn.functional.cross_entropy(x, t)
    loss.backward()
    return loss, x.grad, _row(piece, torch, np, _a(np, 2, 3, 4, dtype="float64"), 1)


@case("同一行在 Tensor 上运行，结果可微 / the same row on Tensors, differentiable results")
def on_tensors(piece, torch, np):
    x = torch.tensor(_a(np, 3, 4, dtype="float64"), requires_grad=True)
    up = torch.tensor(_a(np, 3, 4, dtype="float64", seed=1))
    y, backward = piece(x, 1, torch)
    gx = backward(up)
    (gg,) = torch.autograd.grad((gx * gx).sum(), x)  # a second derivative through the row
    return y.detach(), gx.detach(), gg
