"""Hidden cases for 05_nn / the nll_loss row:
``nll_loss_vjp(x, target, weight, ignore_index, reduction, xp) -> (loss, backward)`` on (N, C)
arrays (``backward(grad)`` → ∂L/∂x). Cases call the row directly and, where the library runs
it (F.nll_loss, F.cross_entropy), through the public API too."""
from autograder.cases import case


def _logp(np, n, c, seed=0, dtype="float32"):
    z = np.random.default_rng(seed).standard_normal((n, c))
    return (z - np.log(np.exp(z).sum(1, keepdims=True))).astype(dtype)


def _row(piece, torch, np, x, t, w=None, ignore_index=-100, reduction="mean", seed=1):
    """The row's loss and its backward of an upstream gradient, as tensors."""
    loss, backward = piece(x, np.asarray(t), None if w is None else np.asarray(w, x.dtype),
                           ignore_index, reduction, np)
    g = np.random.default_rng(seed).standard_normal(np.shape(loss)).astype(x.dtype) + 1.5
    return torch.tensor(np.asarray(loss, dtype=x.dtype)), torch.tensor(np.asarray(backward(g)))


@case("平均：前向与反向 / mean: forward and backward")
def mean(piece, torch, np):
    return _row(piece, torch, np, _logp(np, 5, 4), [0, 3, 1, 2, 1])


@case("求和与逐样本 / sum and none")
def sum_none(piece, torch, np):
    x, t = _logp(np, 5, 4), [0, 3, 1, 2, 1]
    return _row(piece, torch, np, x, t, reduction="sum"), _row(piece, torch, np, x, t,
                                                               reduction="none")


@case("类别权重：加权平均 / class weights: a weighted mean")
def weighted(piece, torch, np):
    x, t, w = _logp(np, 6, 3), [0, 2, 1, 1, 2, 0], [0.2, 1.0, 3.0]
    return _row(piece, torch, np, x, t, w), _row(piece, torch, np, x, t, w, reduction="none")


@case("忽略的样本 ignore_index / ignored samples (ignore_index)")
def ignored(piece, torch, np):
    x = _logp(np, 5, 4)
    return (_row(piece, torch, np, x, [0, -100, 1, 2, -100]),
            _row(piece, torch, np, x, [0, -100, 1, 2, -100], [1.0, 2.0, 0.5, 3.0], reduction="sum"),
            _row(piece, torch, np, x, [0, 3, 3, 1, 3], ignore_index=3))


@case("全部忽略：nan 的损失，0 的梯度 / everything ignored: a nan loss, zero gradients", rtol=0, atol=0)
def all_ignored(piece, torch, np):
    with np.errstate(all="ignore"):
        loss, grad = _row(piece, torch, np, _logp(np, 3, 4), [-100, -100, -100])
    return loss.isnan(), grad


@case("空的批 / an empty batch", rtol=0, atol=0)
def empty(piece, torch, np):
    x, t = np.zeros((0, 4), dtype=np.float32), np.zeros(0, dtype=np.int64)
    with np.errstate(all="ignore"):
        loss, grad = _row(piece, torch, np, x, t)
    return loss.isnan(), grad, _row(piece, torch, np, x, t, reduction="sum")


@case("float64 与类别权重 / float64 and class weights")
def float64(piece, torch, np):
    x = _logp(np, 4, 5, seed=2, dtype="float64")
    w = np.random.default_rng(2).random(5) + 0.5
    return _row(piece, torch, np, x, [4, 0, -100, 2], w)


@case("非连续的数组 / a non-contiguous array")
def non_contiguous(piece, torch, np):
    x = np.ascontiguousarray(_logp(np, 4, 6).T)[:, ::-1].T[::-1]  # (4, 6) strided
    return _row(piece, torch, np, x.T, [0, 1, 2, 3, 0, 1])


@case("空间维 (N, C, d) 与一个样本，经 F.nll_loss / spatial dims (N, C, d) and one sample, via F.nll_loss")
def spatial(piece, torch, np):
    g = np.random.default_rng(1)
    x = torch.tensor(g.standard_normal((2, 3, 4)), requires_grad=True)
    t = torch.tensor(g.integers(0, 3, (2, 4)))
    loss = torch.nn.functional.nll_loss(x, t, reduction="none")
    loss.sum().backward()
    one = torch.nn.functional.nll_loss(x[0, :, 0], torch.tensor(2))
    return loss, x.grad, one, _row(piece, torch, np, _logp(np, 8, 3), g.integers(0, 3, 8))


@case("菱形图：log_softmax 的输出用两次 / a diamond: the log_softmax output used twice")
def diamond(piece, torch, np):
    x = torch.tensor(_logp(np, 5, 3, seed=4, dtype="float64"), requires_grad=True)
    logp = torch.nn.functional.log_softmax(x, 1)
    t = torch.tensor([0, 2, 1, 1, 0])
    F = torch.nn.functional
    (F.nll_loss(logp, t) + 0.5 * F.nll_loss(logp, t, reduction="sum")).backward()
    return x.grad, _row(piece, torch, np, _logp(np, 5, 3, seed=4, dtype="float64"), [0, 2, 1, 1, 0])


@case("交叉熵（类别权重、ignore_index）的梯度 / cross entropy's gradient (class weights, ignore_index)")
def cross_entropy(piece, torch, np):
    x = torch.tensor(_logp(np, 6, 4, seed=6), requires_grad=True)
    loss = torch.nn.functional.cross_entropy(x, torch.tensor([0, 3, -100, 2, 1, 3]),
                                             weight=torch.tensor([1.0, 0.5, 2.0, 1.5]))
    loss.backward()
    return loss, x.grad, _row(piece, torch, np, _logp(np, 6, 4, seed=6), [0, 3, -100, 2, 1, 3])


@case("同一行在 Tensor 上运行 / the same row on Tensors")
def on_tensors(piece, torch, np):
    x = torch.tensor(_logp(np, 4, 3, dtype="float64"))
    up = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    loss, backward = piece(x, torch.tensor([2, -100, 0, 1]),
                           torch.tensor([0.5, 2.0, 1.5], dtype=torch.float64), -100, "mean", torch)
    gx = backward(up)
    (gu,) = torch.autograd.grad((gx * x).sum(), up)  # the backward is linear in grad
    return loss, gx.detach(), gu
