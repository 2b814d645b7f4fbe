"""Hidden cases for 02_numpy / as_tensor(data, dtype=None, device=None) (share when it can)."""
from autograder.cases import case


@case("numpy 数组：共享内存 / a numpy array: shared memory")
def shares(piece, torch, np):
    a = np.arange(4.0)
    t = piece(a)
    a[0] = 42.0
    return t, t.dtype


@case("numpy 数组换 dtype：拷贝 / a numpy array with another dtype: a copy")
def cast_copies(piece, torch, np):
    a = np.arange(4.0)
    t = piece(a, dtype=torch.float32)
    a[0] = 42.0
    return t, t.dtype


@case("张量：什么都不变时就是它本身 / a tensor: itself when nothing changes")
def tensor_itself(piece, torch, np):
    x = torch.ones(3)
    return piece(x) is x, piece(x, dtype=torch.float32) is x, piece(x, device="cpu") is x


@case("张量换 dtype / a tensor with another dtype")
def tensor_cast(piece, torch, np):
    x = torch.tensor([1.5, -2.5], requires_grad=True)
    y = piece(x, dtype=torch.float64)
    return y.detach(), y.dtype, y.requires_grad


@case("Python 列表与数 / Python lists and numbers")
def python_data(piece, torch, np):
    return piece([[1, 2], [3, 4]]), piece([1.5, 2.0]), piece(3), piece([True, False]), piece(2.5, dtype=torch.float64)


@case("非连续数组、int32 与 bool 数组 / non-contiguous, int32 and bool arrays")
def arrays(piece, torch, np):
    a = np.arange(12, dtype=np.int32).reshape(3, 4)[:, ::2]
    t = piece(a)
    a[0, 0] = -7
    return t, piece(np.array([True, False])), t.stride()


@case("空数组与 0 维数组 / empty and 0-d arrays")
def empty(piece, torch, np):
    return piece(np.zeros((0, 3))), piece(np.array(5.0)), piece(np.zeros(0, dtype=np.int64))


@case("放到模拟的 GPU 上 / onto the simulated GPU")
def to_cuda(piece, torch, np):
    torch.cuda.simulate(True)
    try:
        t = piece(np.arange(3.0), device="cuda")
        return str(t.device), t.cpu()
    finally:
        torch.cuda.simulate(False)


@case("不支持的数据 / unsupported data")
def bad(piece, torch, np):
    return piece(np.array(["a", "b"]))
