"""Hidden cases for 04_autograd / Tensor.sum_to_size(self, *size)."""
from autograder.cases import case


def _x(torch, np, *shape, dtype=None, seed=0):
    g = np.random.default_rng(seed)
    return torch.tensor(g.standard_normal(shape), dtype=dtype or torch.float32)


@case("(2, 3) → (1, 3)：对行求和 / sum over rows")
def rows(piece, torch, np):
    return piece(_x(torch, np, 2, 3), 1, 3)


@case("去掉前导维，元组参数 / leading dims summed away, tuple argument")
def leading(piece, torch, np):
    return (piece(_x(torch, np, 4, 2, 3), (3,)), piece(_x(torch, np, 4, 2, 3), (2, 3)))


@case("前导维与中间的 1 同时求和 / leading dim and a middle 1 together")
def leading_and_middle(piece, torch, np):
    return piece(_x(torch, np, 5, 4, 2, 3, seed=1), 4, 1, 3)


@case("求和成 0 维与 0 维不变 / sum to 0-d, and a 0-d stays")
def zero_d(piece, torch, np):
    return (piece(_x(torch, np, 2, 3), ()), piece(torch.tensor(2.5), ()))


@case("形状相同时返回 self 本身 / same shape returns self itself")
def same_shape(piece, torch, np):
    x = _x(torch, np, 2, 3)
    return (piece(x, 2, 3) is x, piece(x, torch.Size([2, 3])) is x)


@case("空张量 / empty tensors")
def empty(piece, torch, np):
    x = torch.zeros(0, 3)
    return (piece(x, 1, 3), piece(x, 3), piece(torch.ones(2, 0), 1, 0))


@case("整数与 float64 保持 dtype / int64 and float64 keep their dtype")
def dtypes(piece, torch, np):
    return (piece(torch.arange(12).reshape(3, 4), 1, 4),
            piece(_x(torch, np, 3, 4, dtype=torch.float64), 3, 1))


@case("非连续的视图 / a non-contiguous view")
def non_contiguous(piece, torch, np):
    x = _x(torch, np, 2, 3, seed=2).t()
    return piece(x, 3, 1)


@case("大数值 / large values")
def large(piece, torch, np):
    return piece(torch.full((3, 4), 1e30, dtype=torch.float64), 4)


@case("不能广播 → RuntimeError / not expandable → RuntimeError")
def not_expandable(piece, torch, np):
    return piece(_x(torch, np, 2, 3), 3, 1)


@case("目标维数更多 → RuntimeError / more dims than self → RuntimeError")
def too_many_dims(piece, torch, np):
    return piece(_x(torch, np, 2, 3), 1, 2, 3)


@case("结果仍在计算图中（用张量运算）/ the result stays in the graph (tensor ops)")
def gradient(piece, torch, np):
    x = _x(torch, np, 2, 3, seed=3).requires_grad_()
    return piece(x, 1, 3), piece(x, (3,))
