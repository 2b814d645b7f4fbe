"""Hidden cases for 05_nn / nn.functional.linear(input, weight, bias=None)."""
from autograder.cases import case


def _t(torch, np, *shape, dtype=None, seed=0, scale=1.0):
    g = np.random.default_rng(seed)
    return torch.tensor(scale * g.standard_normal(shape), dtype=dtype or torch.float32)


@case("二维输入带偏置 / 2-D input with bias")
def with_bias(piece, torch, np):
    return piece(_t(torch, np, 4, 3), _t(torch, np, 2, 3, seed=1), _t(torch, np, 2, seed=2))


@case("不带偏置 / without bias")
def without_bias(piece, torch, np):
    x, w = _t(torch, np, 4, 3), _t(torch, np, 5, 3, seed=1)
    return piece(x, w), piece(x, w, None)


@case("一维输入 / a 1-D input")
def one_d(piece, torch, np):
    return piece(_t(torch, np, 3), _t(torch, np, 2, 3, seed=1), _t(torch, np, 2, seed=2))


@case("多个批次维 / several batch dimensions")
def batch_dims(piece, torch, np):
    return piece(_t(torch, np, 2, 5, 3), _t(torch, np, 4, 3, seed=1), _t(torch, np, 4, seed=2))


@case("float64 / float64")
def float64(piece, torch, np):
    d = torch.float64
    return piece(_t(torch, np, 3, 4, dtype=d), _t(torch, np, 2, 4, dtype=d, seed=1),
                 _t(torch, np, 2, dtype=d, seed=2))


@case("空批次 / an empty batch")
def empty(piece, torch, np):
    return piece(torch.zeros(0, 3), _t(torch, np, 2, 3, seed=1), _t(torch, np, 2, seed=2))


@case("梯度 / gradients")
def gradients(piece, torch, np):
    x = _t(torch, np, 4, 3).requires_grad_()
    w = _t(torch, np, 2, 3, seed=1).requires_grad_()
    b = _t(torch, np, 2, seed=2).requires_grad_()
    (piece(x, w, b) * _t(torch, np, 4, 2, seed=3)).sum().backward()
    return x.grad, w.grad, b.grad


@case("形状不匹配 → RuntimeError / mismatched shapes → RuntimeError")
def mismatch(piece, torch, np):
    return piece(_t(torch, np, 4, 3), _t(torch, np, 2, 5, seed=1))


@case("非连续的权重 / a non-contiguous weight")
def non_contiguous(piece, torch, np):
    w = _t(torch, np, 3, 2, seed=1).t()
    return piece(_t(torch, np, 4, 3), w, _t(torch, np, 2, seed=2))


@case("大数值 / large values")
def large(piece, torch, np):
    return piece(_t(torch, np, 2, 3, scale=1e15), _t(torch, np, 2, 3, seed=1, scale=1e15),
                 torch.tensor([1e30, -1e30]))


@case("一个输出特征 / one output feature")
def one_out(piece, torch, np):
    return piece(_t(torch, np, 6, 4), _t(torch, np, 1, 4, seed=1), torch.tensor([0.5]))


@case("共享权重：两次调用的梯度累加 / a shared weight: gradients of two calls add up")
def fan_out(piece, torch, np):
    w = _t(torch, np, 3, 3, seed=1).requires_grad_()
    b = _t(torch, np, 3, seed=2).requires_grad_()
    x = _t(torch, np, 4, 3)
    (piece(piece(x, w, b).relu(), w, b) * _t(torch, np, 4, 3, seed=3)).sum().backward()
    return w.grad, b.grad
