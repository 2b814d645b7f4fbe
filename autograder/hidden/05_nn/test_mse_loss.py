"""Hidden cases for 05_nn / nn.functional.mse_loss(input, target, ..., reduction='mean', weight=None)."""
import warnings

from autograder.cases import case


def _t(torch, np, *shape, dtype=None, seed=0, scale=1.0):
    g = np.random.default_rng(seed)
    return torch.tensor(scale * g.standard_normal(shape), dtype=dtype or torch.float32)


@case("默认求平均 / mean by default")
def mean(piece, torch, np):
    return piece(_t(torch, np, 4, 3), _t(torch, np, 4, 3, seed=1))


@case("求和 / sum")
def total(piece, torch, np):
    return piece(_t(torch, np, 5), _t(torch, np, 5, seed=1), reduction="sum")


@case("不汇总 / none")
def none(piece, torch, np):
    return piece(_t(torch, np, 2, 3), _t(torch, np, 2, 3, seed=1), reduction="none")


@case("float64 / float64")
def float64(piece, torch, np):
    d = torch.float64
    return piece(_t(torch, np, 6, dtype=d), _t(torch, np, 6, dtype=d, seed=1))


@case("0 维 / 0-d")
def zero_d(piece, torch, np):
    return piece(torch.tensor(3.0), torch.tensor(1.0)), piece(torch.tensor(3.0), torch.tensor(1.0),
                                                              reduction="none")


@case("空张量：sum 为 0，none 为空 / empty: sum is 0, none is empty")
def empty(piece, torch, np):
    x = torch.zeros(0, 2)
    return piece(x, x, reduction="sum"), piece(x, x, reduction="none")


@case("形状不同时广播 / broadcasting when the shapes differ")
def broadcast(piece, torch, np):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return piece(_t(torch, np, 3, 1), _t(torch, np, 3, seed=1), reduction="none")


@case("非法 reduction → ValueError / a bad reduction → ValueError")
def bad_reduction(piece, torch, np):
    return piece(_t(torch, np, 3), _t(torch, np, 3, seed=1), reduction="max")


@case("对输入的梯度 / gradient with respect to the input")
def gradient(piece, torch, np):
    x = _t(torch, np, 4, 2).requires_grad_()
    piece(x, _t(torch, np, 4, 2, seed=1)).backward()
    return x.grad


@case("逐元素权重 / element-wise weights")
def weights(piece, torch, np):
    w = torch.tensor([1.0, 0.0, 2.0])
    return (piece(_t(torch, np, 3), _t(torch, np, 3, seed=1), weight=w),
            piece(_t(torch, np, 3), _t(torch, np, 3, seed=1), reduction="none", weight=w))


@case("大数值 / large values")
def large(piece, torch, np):
    return piece(torch.tensor([1e15, -1e15]), torch.tensor([0.0, 1e15]), reduction="sum")
