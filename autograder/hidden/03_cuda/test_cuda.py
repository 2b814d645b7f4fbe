"""Hidden cases for 03_cuda / Tensor.cuda(self, device=None, non_blocking=False)."""
from autograder.cases import case


def _sim(torch):
    if not torch.cuda.is_available():
        torch.cuda.simulate(True)


@case("CPU 浮点张量 → cuda:0 / cpu float tensor → cuda:0")
def basic(piece, torch, np):
    _sim(torch)
    g = np.random.default_rng(5)
    y = piece(torch.tensor(g.standard_normal((3, 2)), dtype=torch.float32))
    return (str(y.device), y.is_cuda, y)


@case("保持 dtype（int64、bool）/ keeps the dtype (int64, bool)")
def dtypes(piece, torch, np):
    _sim(torch)
    a, b = piece(torch.arange(4)), piece(torch.tensor([True, False]))
    return (a, b)


@case("设备编号为整数 0 / device given as the integer 0")
def int_index(piece, torch, np):
    _sim(torch)
    return str(piece(torch.ones(2), 0).device)


@case("设备为 'cuda:0' 或 torch.device / device as 'cuda:0' or torch.device")
def device_forms(piece, torch, np):
    _sim(torch)
    x = torch.ones(2)
    return (str(piece(x, "cuda:0").device), str(piece(x, torch.device("cuda", 0)).device))


@case("已在 GPU 上时返回自身 / returns self when already on the GPU")
def same_object(piece, torch, np):
    _sim(torch)
    x = piece(torch.ones(2))
    return piece(x) is x


@case("是拷贝：改 GPU 张量不影响原张量 / a copy: changing the GPU tensor leaves the original")
def is_copy(piece, torch, np):
    _sim(torch)
    x = torch.zeros(3)
    y = piece(x)
    y.add_(1)
    return (x, y)


@case("0 维与空张量 / 0-d and empty tensors")
def zero_d_empty(piece, torch, np):
    _sim(torch)
    a, b = piece(torch.tensor(7)), piece(torch.zeros(2, 0))
    return (a, b, str(a.device), str(b.device))


@case("非连续视图 / a non-contiguous view")
def strided(piece, torch, np):
    _sim(torch)
    y = piece(torch.arange(12.0).reshape(3, 4).t())
    return y


@case("需要梯度的张量 / a tensor that requires grad")
def grad(piece, torch, np):
    _sim(torch)
    y = piece(torch.ones(2, requires_grad=True))
    return (y.requires_grad, y.is_leaf, str(y.device))


@case("在 GPU 上计算后的结果 / results computed on the GPU")
def compute(piece, torch, np):
    _sim(torch)
    a = piece(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    return (a @ a + 1, str((a * 2).device))
