"""Hidden cases for 03_cuda / Tensor.cpu(self)."""
from autograder.cases import case


def _gpu(torch, data, **kw):
    if not torch.cuda.is_available():
        torch.cuda.simulate(True)
    return torch.tensor(data, device="cuda", **kw)


@case("GPU 浮点张量 → CPU / GPU float tensor → cpu")
def basic(piece, torch, np):
    g = np.random.default_rng(6)
    y = piece(_gpu(torch, g.standard_normal((2, 3)), dtype=torch.float32))
    return (str(y.device), y)


@case("已在 CPU 上时返回自身 / returns self when already on the cpu")
def same_object(piece, torch, np):
    x = torch.ones(3)
    return piece(x) is x


@case("保持 dtype / keeps the dtype")
def dtypes(piece, torch, np):
    return (piece(_gpu(torch, [1, 2], dtype=torch.int16)), piece(_gpu(torch, [True])),
            piece(_gpu(torch, [0.5], dtype=torch.float64)))


@case("是拷贝：改 CPU 结果不影响 GPU 张量 / a copy: changing the cpu result leaves the GPU tensor")
def is_copy(piece, torch, np):
    x = _gpu(torch, [1.0, 2.0, 3.0])
    y = piece(x)
    y[0] = 50.0
    return (y, piece(x))


@case("GPU 上广播运算的结果 / the result of broadcasting on the GPU")
def broadcast(piece, torch, np):
    return piece(_gpu(torch, [[1.0], [2.0]]) + _gpu(torch, [10.0, 20.0, 30.0]))


@case("0 维张量 / a 0-d tensor")
def zero_d(piece, torch, np):
    y = piece(_gpu(torch, 3.5))
    return (y, str(y.device))


@case("空张量 / an empty tensor")
def empty(piece, torch, np):
    y = piece(_gpu(torch, np.zeros((0, 4))))
    return (y.shape, y.dtype, str(y.device))


@case("GPU 上的非连续视图 / a non-contiguous view on the GPU")
def strided(piece, torch, np):
    x = _gpu(torch, np.arange(12.0).reshape(3, 4)).t()
    return piece(x)


@case("需要梯度的张量保持在计算图中 / a tensor requiring grad stays in the graph")
def grad(piece, torch, np):
    x = _gpu(torch, [1.0, 2.0], requires_grad=True)
    y = piece(x)
    return (y.requires_grad, y.is_leaf, str(y.device))


@case("GPU 计算的结果拿回 CPU / a GPU result brought back to the cpu")
def computed(piece, torch, np):
    a = _gpu(torch, [[1.0, 2.0], [3.0, 4.0]])
    return piece((a @ a).sum(dim=0))
