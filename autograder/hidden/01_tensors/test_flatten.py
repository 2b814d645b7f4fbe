"""Hidden cases for 01_tensors / Tensor.flatten(self, start_dim=0, end_dim=-1)."""
from autograder.cases import case


def _x(torch, *shape):
    n = 1
    for s in shape:
        n *= s
    return torch.arange(n).reshape(*shape)


@case("默认参数：全部展平 / defaults: flatten everything")
def everything(piece, torch, np):
    return piece(_x(torch, 2, 3, 4))


@case("从第 1 维开始 / from dimension 1")
def from_one(piece, torch, np):
    return piece(_x(torch, 2, 3, 4), 1)


@case("第 0 到 1 维 / dimensions 0 to 1")
def zero_to_one(piece, torch, np):
    return piece(_x(torch, 2, 3, 4, 5), 0, 1)


@case("负数维 / negative dimensions")
def negative(piece, torch, np):
    return (piece(_x(torch, 2, 3, 4, 5), -3, -2), piece(_x(torch, 2, 3, 4), start_dim=-2))


@case("start_dim 等于 end_dim：形状不变 / start_dim == end_dim: shape unchanged")
def same_dim(piece, torch, np):
    return piece(_x(torch, 2, 3, 4), 1, 1)


@case("无可合并的维时返回张量本身 / nothing to merge: the tensor itself comes back")
def returns_self(piece, torch, np):
    x, v = _x(torch, 2, 3, 4), torch.arange(5.0)
    return (piece(x, 1, 1) is x, piece(x, -1, 2) is x, piece(v) is v, piece(x) is x)


@case("0 维张量 → (1,) / a 0-d tensor → (1,)")
def zero_d(piece, torch, np):
    s = torch.tensor(5.0)
    return (piece(s), piece(s, 0), piece(s, -1, 0))


@case("空张量 / empty tensors")
def empty(piece, torch, np):
    z = torch.zeros(2, 0, 3)
    return (piece(z), piece(z, 1), piece(z, 0, 1))


@case("非连续输入（转置）/ a non-contiguous input (transpose)")
def transposed(piece, torch, np):
    g = np.random.default_rng(2)
    x = torch.tensor(g.standard_normal((3, 4, 2)), dtype=torch.float32).transpose(0, 2)
    return piece(x, 1)


@case("保持 dtype（int8、bool）/ keeps the dtype (int8, bool)")
def dtypes(piece, torch, np):
    return (piece(torch.ones(2, 2, dtype=torch.int8)), piece(torch.tensor([[True, False], [False, True]])))


@case("连续输入得到共享内存的视图 / a contiguous input gives a view sharing memory")
def is_view(piece, torch, np):
    x = torch.zeros(2, 3)
    y = piece(x)
    y[4] = 7.0
    return x


@case("维度越界 → IndexError / dimension out of range → IndexError")
def out_of_range(piece, torch, np):
    return piece(torch.zeros(2, 3), 0, 2)


@case("0 维张量的第 1 维 → IndexError / dim 1 of a 0-d tensor → IndexError")
def zero_d_out_of_range(piece, torch, np):
    return piece(torch.tensor(1.0), 1)


@case("start_dim 在 end_dim 之后 → RuntimeError / start_dim after end_dim → RuntimeError")
def reversed_dims(piece, torch, np):
    return piece(torch.zeros(2, 3, 4), 2, 0)
