"""Hidden cases for 05_nn / nn.functional.log_softmax(input, dim=None, _stacklevel=3, dtype=None)."""
import warnings

from autograder.cases import case


def _t(torch, np, *shape, dtype=None, seed=0, scale=1.0):
    g = np.random.default_rng(seed)
    return torch.tensor(scale * g.standard_normal(shape), dtype=dtype or torch.float32)


@case("二维，dim=1 / 2-D, dim=1")
def rows(piece, torch, np):
    return piece(_t(torch, np, 4, 5), dim=1)


@case("二维，dim=0 / 2-D, dim=0")
def columns(piece, torch, np):
    return piece(_t(torch, np, 4, 5), 0)


@case("三维，负的 dim / 3-D, negative dim")
def three_d(piece, torch, np):
    x = _t(torch, np, 2, 3, 4)
    return piece(x, dim=-1), piece(x, dim=1)


@case("大数值不溢出 / large values do not overflow")
def large(piece, torch, np):
    return piece(torch.tensor([[1000.0, 0.0, -1000.0], [-5000.0, -5001.0, -5002.0]]), dim=1)


@case("float64 / float64")
def float64(piece, torch, np):
    return piece(_t(torch, np, 3, 6, dtype=torch.float64, scale=10.0), dim=1)


@case("dtype 参数 / the dtype argument")
def dtype_arg(piece, torch, np):
    return piece(_t(torch, np, 2, 3), dim=1, dtype=torch.float64)


@case("一维与长度为 1 的维 / 1-D and a dimension of size 1")
def small(piece, torch, np):
    return piece(torch.tensor([1.0, 2.0, 3.0]), dim=0), piece(_t(torch, np, 1, 4), dim=0)


@case("空张量 / an empty tensor")
def empty(piece, torch, np):
    return piece(torch.zeros(0, 5), dim=1)


@case("含 -inf 的输入 / inputs with -inf")
def minus_inf(piece, torch, np):
    return piece(torch.tensor([[0.0, float("-inf"), 1.0]]), dim=1)


@case("梯度 / gradients")
def gradient(piece, torch, np):
    x = _t(torch, np, 3, 4).requires_grad_()
    (piece(x, dim=1) * _t(torch, np, 3, 4, seed=1)).sum().backward()
    return x.grad


@case("dim=None 的旧规则 / the legacy rule for dim=None")
def implicit_dim(piece, torch, np):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return (piece(_t(torch, np, 3, 4)), piece(_t(torch, np, 4, seed=1)),
                piece(_t(torch, np, 2, 3, 4, seed=2)))


@case("非连续的输入 / a non-contiguous input")
def non_contiguous(piece, torch, np):
    return piece(_t(torch, np, 5, 3).t(), dim=1)
