"""Hidden cases for 01_tensors / broadcast_shapes(*shapes) -> Size."""
from autograder.cases import case


@case("(3, 1) 与 (1, 4) / (3, 1) with (1, 4)")
def two_matrices(piece, torch, np):
    return piece((3, 1), (1, 4))


@case("维数不同 / different numbers of dimensions")
def different_ndim(piece, torch, np):
    return piece((2,), (5, 1, 2))


@case("三个形状 / three shapes")
def three(piece, torch, np):
    return piece((1,), (3, 1), (1, 1, 7))


@case("只有一个形状 / a single shape")
def single(piece, torch, np):
    return piece((2, 3, 4))


@case("没有参数 / no arguments")
def no_args(piece, torch, np):
    return piece()


@case("0 维形状 () 与矩阵 / the 0-d shape () with a matrix")
def scalar_shape(piece, torch, np):
    return (piece((), (2, 3)), piece((2, 3), ()), piece((), ()))


@case("长度为 0 的维 / zero-length dimensions")
def zero_length(piece, torch, np):
    return (piece((0, 1), (1, 5)), piece((0,), (1,)), piece((3, 0), (3, 1)))


@case("输入为 torch.Size / torch.Size inputs")
def size_inputs(piece, torch, np):
    return piece(torch.Size([4, 1, 3]), torch.Size([2, 1]))


@case("很大的维度（不分配内存）/ huge dimensions (nothing allocated)")
def huge(piece, torch, np):
    return piece((1, 10**9), (10**9, 1))


@case("最后一维不匹配 → RuntimeError / last dimension mismatch → RuntimeError")
def mismatch_last(piece, torch, np):
    return piece((3,), (4,))


@case("前面的维不匹配 → RuntimeError / leading dimension mismatch → RuntimeError")
def mismatch_leading(piece, torch, np):
    return piece((2, 3, 4), (3, 3, 4))


@case("0 与 2 不能广播 → RuntimeError / 0 vs 2 does not broadcast → RuntimeError")
def mismatch_zero(piece, torch, np):
    return piece((0,), (2,))
