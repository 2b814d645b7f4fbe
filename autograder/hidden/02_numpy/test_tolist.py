"""Hidden cases for 02_numpy / Tensor.tolist(self) -> nested Python lists (a number for 0-d)."""
from autograder.cases import case


@case("二维浮点 → 嵌套列表 / 2-d float → nested lists")
def matrix(piece, torch, np):
    return piece(torch.tensor([[1.5, 2.0], [3.0, -4.25]]))


@case("0 维张量 → 一个数 / 0-d tensor → a number")
def zero_d(piece, torch, np):
    return (piece(torch.tensor(7)), piece(torch.tensor(2.5)))


@case("int64 → Python int / int64 → Python int")
def ints(piece, torch, np):
    return piece(torch.arange(5))


@case("bool → Python bool / bool → Python bool")
def bools(piece, torch, np):
    return piece(torch.tensor([[True, False]]))


@case("空张量 / empty tensors")
def empty(piece, torch, np):
    return (piece(torch.zeros(2, 0)), piece(torch.zeros(0)), piece(torch.zeros(0, 3)))


@case("三维张量 / a 3-d tensor")
def three_d(piece, torch, np):
    return piece(torch.arange(24, dtype=torch.int32).reshape(2, 3, 4))


@case("非连续视图 / a non-contiguous view")
def view(piece, torch, np):
    return piece(torch.arange(12.0).reshape(3, 4).t()[::2])


@case("需要梯度的张量 / a tensor that requires grad")
def requires_grad(piece, torch, np):
    return piece(torch.tensor([0.5, 1.5], requires_grad=True) * 2)


@case("float32 与 float16 的精度 / float32 and float16 precision")
def precision(piece, torch, np):
    return (piece(torch.tensor([0.1])), piece(torch.tensor([0.1], dtype=torch.float16)))


@case("很大的 int64 保持精确 / huge int64 values stay exact")
def huge(piece, torch, np):
    return piece(torch.tensor([2**62 + 1, -(2**62) - 1]))


@case("形状 (1, 1, 1) / shape (1, 1, 1)")
def ones_shape(piece, torch, np):
    return piece(torch.full((1, 1, 1), 4.0))
