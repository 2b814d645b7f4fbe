"""Hidden cases for 05_nn / nn.functional.nll_loss(input, target, weight=None, ...,
ignore_index=-100, reduce=None, reduction='mean')."""
from autograder.cases import case


def _logp(torch, np, *shape, seed=0, dtype=None):
    g = np.random.default_rng(seed)
    x = torch.tensor(g.standard_normal(shape), dtype=dtype or torch.float32)
    return torch.nn.functional.log_softmax(x, 1 if len(shape) > 1 else 0)


@case("平均 / mean")
def mean(piece, torch, np):
    return piece(_logp(torch, np, 5, 4), torch.tensor([0, 3, 1, 2, 1]))


@case("求和与逐样本 / sum and none")
def sum_none(piece, torch, np):
    x, t = _logp(torch, np, 5, 4), torch.tensor([0, 3, 1, 2, 1])
    return piece(x, t, reduction="sum"), piece(x, t, reduction="none")


@case("类别权重：加权平均 / class weights: a weighted mean")
def weighted(piece, torch, np):
    x, t = _logp(torch, np, 6, 3), torch.tensor([0, 2, 1, 1, 2, 0])
    w = torch.tensor([0.2, 1.0, 3.0])
    return piece(x, t, weight=w), piece(x, t, weight=w, reduction="none")


@case("忽略的样本 ignore_index / ignored samples (ignore_index)")
def ignored(piece, torch, np):
    x = _logp(torch, np, 5, 4)
    t = torch.tensor([0, -100, 1, 2, -100])
    return piece(x, t), piece(x, t, reduction="none"), piece(x, torch.tensor([0, 3, 3, 1, 3]),
                                                          ignore_index=3)


@case("全部忽略 / everything ignored", rtol=0, atol=0)
def all_ignored(piece, torch, np):
    x = _logp(torch, np, 3, 4)
    return piece(x, torch.tensor([-100, -100, -100])).isnan()


@case("单个样本（一维输入）/ one sample (1-D input)")
def one_sample(piece, torch, np):
    return piece(_logp(torch, np, 4), torch.tensor(2)), \
        piece(_logp(torch, np, 4), torch.tensor(2), reduction="none")


@case("空间维 (N, C, d) / spatial dims (N, C, d)")
def spatial(piece, torch, np):
    g = np.random.default_rng(1)
    x = torch.nn.functional.log_softmax(torch.tensor(g.standard_normal((2, 3, 4))), 1)
    t = torch.tensor(g.integers(0, 3, (2, 4)))
    return piece(x, t), piece(x, t, reduction="none")


@case("float64 与梯度 / float64 and gradients")
def grads(piece, torch, np):
    g = np.random.default_rng(2)
    x = torch.tensor(g.standard_normal((4, 5)), dtype=torch.float64, requires_grad=True)
    w = torch.tensor(g.random(5) + 0.5, dtype=torch.float64)
    piece(x, torch.tensor([4, 0, -100, 2]), weight=w).backward()
    return x.grad


@case("目标越界：IndexError / a target out of range: IndexError")
def out_of_range(piece, torch, np):
    piece(_logp(torch, np, 3, 4), torch.tensor([0, 4, 1]))


@case("错误的 reduction：ValueError / a bad reduction: ValueError")
def bad_reduction(piece, torch, np):
    piece(_logp(torch, np, 3, 4), torch.tensor([0, 1, 1]), reduction="avg")


@case("非连续输入 / a non-contiguous input")
def non_contiguous(piece, torch, np):
    x = _logp(torch, np, 4, 6).t()  # (6, 4), strided
    return piece(x, torch.tensor([0, 1, 2, 3, 0, 1]))


@case("菱形图：log_softmax 的输出用两次 / a diamond: the log_softmax output used twice")
def diamond(piece, torch, np):
    g = np.random.default_rng(4)
    x = torch.tensor(g.standard_normal((5, 3)), dtype=torch.float64, requires_grad=True)
    logp = torch.nn.functional.log_softmax(x, 1)
    t = torch.tensor([0, 2, 1, 1, 0])
    (piece(logp, t) + 0.5 * piece(logp, t, reduction="sum")).backward()
    return x.grad
