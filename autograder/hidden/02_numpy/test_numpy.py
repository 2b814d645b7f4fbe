"""Hidden cases for 02_numpy / Tensor.numpy(self, *, force=False) -> ndarray sharing memory."""
from autograder.cases import case


@case("float32 矩阵 → numpy 数组 / float32 matrix → numpy array")
def float32_matrix(piece, torch, np):
    g = np.random.default_rng(3)
    return piece(torch.tensor(g.standard_normal((2, 3)), dtype=torch.float32))


@case("dtype 对应（int64、bool、float16、uint8）/ dtype mapping (int64, bool, float16, uint8)")
def dtypes(piece, torch, np):
    return tuple(piece(torch.tensor([1, 0, 1], dtype=d))
                 for d in (torch.int64, torch.bool, torch.float16, torch.uint8))


@case("修改数组后张量跟着变 / changing the array changes the tensor")
def shares_to_tensor(piece, torch, np):
    t = torch.zeros(2, 2)
    a = piece(t)
    a[0, 1] = 3.0
    a *= 2
    return t


@case("原地修改张量后数组跟着变 / changing the tensor in place changes the array")
def shares_from_tensor(piece, torch, np):
    t = torch.arange(4)
    a = piece(t)
    t.add_(10)
    return a.tolist()


@case("0 维张量 → 0 维数组 / 0-d tensor → 0-d array")
def zero_d(piece, torch, np):
    return piece(torch.tensor(2.5, dtype=torch.float64))


@case("空张量 / an empty tensor")
def empty(piece, torch, np):
    return piece(torch.zeros(3, 0))


@case("非连续视图（转置）/ a non-contiguous view (transpose)")
def transposed(piece, torch, np):
    t = torch.arange(6.0).reshape(2, 3)
    a = piece(t.t())
    t[1, 0] = 50.0
    return a


@case("需要梯度 → RuntimeError / requires grad → RuntimeError")
def requires_grad(piece, torch, np):
    return piece(torch.ones(3, requires_grad=True))


@case("计算图中的非叶子张量 → RuntimeError / a non-leaf in a graph → RuntimeError")
def non_leaf(piece, torch, np):
    x = torch.ones(3, requires_grad=True)
    return piece(x * 2)


@case("detach() 之后可以，并与原张量共享内存 / fine after detach(), sharing memory with the original")
def detached(piece, torch, np):
    x = torch.ones(3, requires_grad=True)
    a = piece(x.detach())
    a[0] = 9.0
    return x.detach().clone()


@case("force=True 对需要梯度的张量 / force=True on a tensor that requires grad")
def forced(piece, torch, np):
    return piece(torch.tensor([1.0, 2.0], requires_grad=True), force=True)
