"""Hidden cases for 05_nn / the mse_loss row: ``mse_loss_vjp(x, y, weight, reduction, xp) ->
(loss, backward)`` (``backward(grad)`` → (∂L/∂x, ∂L/∂y) in the broadcast shape). Cases call the
row directly and, where the library runs it (F.mse_loss, nn.MSELoss), through the public API."""
from autograder.cases import case


def _a(np, *shape, dtype="float32", seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def _row(piece, torch, np, x, y, weight=None, reduction="mean", seed=2):
    """The row's loss and both gradients of an upstream gradient, as tensors."""
    loss, backward = piece(x, y, weight, reduction, np)
    g = np.random.default_rng(seed).standard_normal(np.shape(loss)).astype(x.dtype) + 1.5
    gx, gy = backward(g)
    return tuple(torch.tensor(np.asarray(v, dtype=x.dtype)) for v in (loss, gx, gy))


@case("默认求平均：前向与反向 / mean by default: forward and backward")
def mean(piece, torch, np):
    return _row(piece, torch, np, _a(np, 4, 3), _a(np, 4, 3, seed=1))


@case("求和 / sum")
def total(piece, torch, np):
    return _row(piece, torch, np, _a(np, 5), _a(np, 5, seed=1), reduction="sum")


@case("不汇总 / none")
def none(piece, torch, np):
    return _row(piece, torch, np, _a(np, 2, 3), _a(np, 2, 3, seed=1), reduction="none")


@case("float64 / float64")
def float64(piece, torch, np):
    return _row(piece, torch, np, _a(np, 6, dtype="float64"), _a(np, 6, dtype="float64", seed=1))


@case("逐元素权重 / element-wise weights")
def weighted(piece, torch, np):
    x, y, w = _a(np, 3, 4), _a(np, 3, 4, seed=1), np.abs(_a(np, 3, 4, seed=3))
    return _row(piece, torch, np, x, y, w), _row(piece, torch, np, x, y, w, reduction="none")


@case("广播：梯度按广播后的形状 / broadcasting: gradients in the broadcast shape")
def broadcast(piece, torch, np):
    return _row(piece, torch, np, _a(np, 4, 1), _a(np, 1, 3, seed=1))


@case("广播的梯度加回输入的形状（nn.MSELoss）/ broadcast gradients summed back (nn.MSELoss)")
def broadcast_module(piece, torch, np):
    import warnings
    x = torch.tensor(_a(np, 4, 1), requires_grad=True)
    y = torch.tensor(_a(np, 4, 3, seed=1), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's warning about different sizes
        torch.nn.MSELoss(reduction="sum")(x, y).backward()
    return x.grad, y.grad, _row(piece, torch, np, _a(np, 4, 1), _a(np, 4, 3, seed=1))


@case("空张量 / an empty tensor", rtol=0, atol=0)
def empty(piece, torch, np):
    import warnings
    x = np.zeros((0, 3), dtype=np.float32)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy's "mean of empty slice"
        loss, gx, gy = _row(piece, torch, np, x, x)
    return loss.isnan(), gx, gy, _row(piece, torch, np, x, x, reduction="sum")


@case("0 维输入 / 0-d inputs")
def zero_d(piece, torch, np):
    return _row(piece, torch, np, np.array(2.5, dtype=np.float32), np.array(-1.0, dtype=np.float32))


@case("菱形图：同一个张量用两次 / a diamond: one tensor used twice")
def diamond(piece, torch, np):
    F = torch.nn.functional
    a = torch.tensor(_a(np, 3, 2, dtype="float64"), requires_grad=True)
    c = torch.tensor(_a(np, 3, 2, dtype="float64", seed=1))
    (F.mse_loss(a * a, c) + F.mse_loss(a, c, reduction="sum")).backward()
    return a.grad, _row(piece, torch, np, _a(np, 3, 2, dtype="float64"), _a(np, 3, 2, seed=1,
                                                                            dtype="float64"))


@case("同一行在 Tensor 上运行，结果可微 / the same row on Tensors, differentiable results")
def on_tensors(piece, torch, np):
    x = torch.tensor(_a(np, 3, 2, dtype="float64"), requires_grad=True)
    y = torch.tensor(_a(np, 3, 2, dtype="float64", seed=1))
    loss, backward = piece(x, y, None, "mean", torch)
    gx, gy = backward(torch.tensor(1.0, dtype=torch.float64))
    (gg,) = torch.autograd.grad((gx * gx).sum(), x)
    return loss.detach(), gx.detach(), gy.detach(), gg
