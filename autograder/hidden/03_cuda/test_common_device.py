"""Hidden cases for 03_cuda / common_device(*tensors) -> device (torch's device rule)."""
from autograder.cases import case


def _sim(torch, fn):
    torch.cuda.simulate(True)
    try:
        return fn()
    finally:
        torch.cuda.simulate(False)


@case("都在 cpu 上 / all on the cpu")
def all_cpu(piece, torch, np):
    return piece(torch.ones(2), torch.ones(3, 2)), piece(torch.ones(1))


@case("都在 GPU 上 / all on the GPU")
def all_cuda(piece, torch, np):
    return _sim(torch, lambda: piece(torch.ones(2, device="cuda"), torch.ones(2, device="cuda")))


@case("GPU 与 cpu 张量：报错 / a GPU and a cpu tensor: the error")
def mixed(piece, torch, np):
    return _sim(torch, lambda: piece(torch.ones(2, device="cuda"), torch.ones(2)))


@case("cpu 张量在前：报错信息的顺序 / the cpu tensor first: order of the message")
def mixed_cpu_first(piece, torch, np):
    def run():
        try:
            piece(torch.ones(2), torch.ones(2, device="cuda"))
        except RuntimeError as e:
            return str(e)
    return _sim(torch, run)


@case("cpu 上的 0 维张量可以加入 / a 0-dim cpu tensor may join")
def cpu_scalar(piece, torch, np):
    return _sim(torch, lambda: (piece(torch.ones(2, device="cuda"), torch.tensor(3.0)),
                                piece(torch.tensor(3.0), torch.ones(2, device="cuda"))))


@case("GPU 上的 0 维张量不能和 cpu 张量一起 / a 0-dim GPU tensor with a cpu tensor")
def cuda_scalar(piece, torch, np):
    return _sim(torch, lambda: piece(torch.tensor(1.0, device="cuda"), torch.ones(3)))


@case("两个 0 维：GPU 与 cpu / two 0-dim tensors: GPU and cpu")
def two_scalars(piece, torch, np):
    return _sim(torch, lambda: piece(torch.tensor(1.0), torch.tensor(2.0, device="cuda")))


@case("三个张量，第三个在别处 / three tensors, the third elsewhere")
def three(piece, torch, np):
    return _sim(torch, lambda: piece(torch.ones(2, device="cuda"), torch.tensor(1.0),
                                     torch.ones(2, 2)))


@case("空张量与 float64 / empty tensors and float64")
def empty(piece, torch, np):
    return _sim(torch, lambda: (piece(torch.zeros(0), torch.zeros(0, dtype=torch.float64)),
                                piece(torch.zeros(0, device="cuda"), torch.zeros(3, device="cuda"))))
