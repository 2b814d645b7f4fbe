"""Hidden cases for 03_cuda / Tensor.to(*args, **kwargs) (device and/or dtype).

CUDA cases use a real GPU when there is one, else course_lib's simulated CUDA device.
"""
from autograder.cases import case


def _cuda(torch):
    if not torch.cuda.is_available():
        torch.cuda.simulate(True)
    return torch.device("cuda")


@case("只改 dtype：float32 → float64 / dtype only: float32 → float64")
def dtype_only(piece, torch, np):
    return piece(torch.tensor([1.5, -2.25, 3.0]), torch.float64)


@case("浮点 → 整数会截断 / float → integer truncates")
def to_int(piece, torch, np):
    return (piece(torch.tensor([1.7, -2.7, 0.5]), torch.int64),
            piece(torch.tensor([0.0, 2.0]), dtype=torch.bool))


@case("什么都不变时返回自身 / returns self when nothing changes")
def same_object(piece, torch, np):
    x = torch.ones(3)
    return (piece(x, torch.float32) is x, piece(x, "cpu") is x, piece(x, torch.device("cpu"), torch.float32) is x)


@case("copy=True 总是得到新张量 / copy=True always makes a new tensor")
def forced_copy(piece, torch, np):
    x = torch.arange(4.0)
    y = piece(x, "cpu", copy=True)
    y[0] = 100.0
    return (y is x, x, y)


@case("移到 GPU / move to the GPU")
def to_cuda(piece, torch, np):
    g = np.random.default_rng(4)
    x = torch.tensor(g.standard_normal((2, 3)), dtype=torch.float32)
    y = piece(x, _cuda(torch))
    return (str(y.device), y.is_cuda, y)


@case("设备与 dtype 一起改（'cuda', float64）/ device and dtype together ('cuda', float64)")
def cuda_and_dtype(piece, torch, np):
    _cuda(torch)
    y = piece(torch.arange(3), "cuda", torch.float64)
    return (str(y.device), y.dtype, y)


@case("关键字参数 device= 与 dtype= / keyword arguments device= and dtype=")
def keywords(piece, torch, np):
    _cuda(torch)
    y = piece(torch.tensor([[1, 2]]), device="cuda:0", dtype=torch.float16)
    return (str(y.device), y.dtype, y)


@case("以另一个张量为目标 / another tensor as the target")
def like_other(piece, torch, np):
    dev = _cuda(torch)
    other = torch.zeros(1, dtype=torch.int32, device=dev)
    y = piece(torch.tensor([3.9, -1.2]), other)
    return (str(y.device), y.dtype, y)


@case("GPU → CPU 是一份拷贝 / GPU → CPU is a copy")
def back_to_cpu(piece, torch, np):
    dev = _cuda(torch)
    x = torch.tensor([1.0, 2.0], device=dev)
    y = piece(x, "cpu", torch.float64)
    y[0] = -5.0
    return (str(y.device), y, x)


@case("已在 GPU 上再 to('cuda') 返回自身 / to('cuda') on a GPU tensor returns self")
def cuda_same_object(piece, torch, np):
    dev = _cuda(torch)
    x = torch.ones(2, device=dev)
    return (piece(x, "cuda") is x, piece(x, torch.device("cuda", 0)) is x)


@case("0 维与空张量 / 0-d and empty tensors")
def zero_d_empty(piece, torch, np):
    dev = _cuda(torch)
    a, b = piece(torch.tensor(2.5), dev), piece(torch.zeros(0, 3), dev, torch.int8)
    return (a, b, str(a.device), str(b.device))


@case("非连续视图 / a non-contiguous view")
def strided(piece, torch, np):
    x = torch.arange(12.0).reshape(3, 4).t()[1:]
    return piece(x, torch.float64)


@case("需要梯度的张量：结果仍在计算图中 / a tensor requiring grad stays in the graph")
def keeps_grad(piece, torch, np):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = piece(x, torch.float64)
    return (y.requires_grad, y.is_leaf, y.dtype)


@case("非法设备名 → RuntimeError / invalid device name → RuntimeError")
def bad_device(piece, torch, np):
    return piece(torch.ones(2), "gpu")
