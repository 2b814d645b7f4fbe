"""Hidden cases for 02_numpy / Tensor.__array__(self, dtype=None, copy=None) (numpy's hook)."""
from autograder.cases import case


@case("共享内存 / shared memory")
def shares(piece, torch, np):
    t = torch.zeros(3)
    a = piece(t)
    a[0] = 5.0
    return t, type(a).__name__


@case("给出 dtype 时转换 / converts to a given dtype")
def with_dtype(piece, torch, np):
    t = torch.tensor([1.5, 2.5])
    a = piece(t, np.float64)
    a[0] = 0.0
    return a, str(a.dtype), t


@case("相同的 dtype 不拷贝 / the same dtype does not copy")
def same_dtype(piece, torch, np):
    t = torch.zeros(2)
    a = piece(t, np.float32)
    a[1] = 3.0
    return t


@case("copy=True 总是拷贝 / copy=True always copies")
def copy_true(piece, torch, np):
    t = torch.zeros(2)
    a = piece(t, copy=True)
    a[0] = 9.0
    return t, a


@case("需要梯度时报错 / raises for a tensor that requires grad")
def needs_grad(piece, torch, np):
    return piece(torch.zeros(2, requires_grad=True))


@case("GPU 上的张量报错 / raises for a tensor on the GPU")
def on_gpu(piece, torch, np):
    torch.cuda.simulate(True)
    try:
        return piece(torch.zeros(2, device="cuda"))
    finally:
        torch.cuda.simulate(False)


@case("非连续、0 维与空张量 / non-contiguous, 0-d and empty tensors")
def shapes(piece, torch, np):
    x = torch.arange(12.0).reshape(3, 4).t()
    return piece(x), piece(torch.tensor(2.5)), piece(torch.zeros(0, 2)), piece(x).strides


@case("整数与 bool 张量 / integer and bool tensors")
def ints(piece, torch, np):
    return piece(torch.tensor([1, 2])), piece(torch.tensor([True])), piece(torch.tensor([3], dtype=torch.uint8), np.int64)
