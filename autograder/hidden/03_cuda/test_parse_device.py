"""Hidden cases for 03_cuda / parse_device = device.__new__(cls, type, index=None) (parsing a device)."""
from autograder.cases import case


def _show(d):
    return (type(d).__name__, d.type, d.index, str(d))


@case("cpu 与 cuda / cpu and cuda")
def plain(piece, torch, np):
    return _show(piece(torch.device, "cpu")), _show(piece(torch.device, "cuda"))


@case("带编号的字符串 / a string with an index")
def with_index(piece, torch, np):
    return _show(piece(torch.device, "cuda:0")), _show(piece(torch.device, "cuda:3")), _show(piece(torch.device, "cpu:0"))


@case("类型与编号分开给出 / type and index apart")
def type_and_index(piece, torch, np):
    return _show(piece(torch.device, "cuda", 1)), _show(piece(torch.device, "cpu", 0)), _show(piece(torch.device, "cuda", None))


@case("整数表示 GPU 编号 / an int is a GPU index")
def an_int(piece, torch, np):
    return _show(piece(torch.device, 0)), _show(piece(torch.device, 2))


@case("已经是 device：原样返回 / already a device: returned as is")
def a_device(piece, torch, np):
    d = torch.device("cuda:1")
    return piece(torch.device, d) is d


@case("未知的类型 / an unknown type")
def unknown(piece, torch, np):
    return piece(torch.device, "gpu")


@case("编号不是数字 / an index that is not a number")
def bad_index(piece, torch, np):
    return piece(torch.device, "cuda:x")


@case("负的编号 / a negative index")
def negative(piece, torch, np):
    return piece(torch.device, "cuda", -1)


@case("字符串带编号又给了编号 / an index in the string and as an argument")
def both(piece, torch, np):
    return piece(torch.device, "cuda:0", 1)


@case("cpu 的编号只能是 0 / a cpu index must be 0")
def cpu_index(piece, torch, np):
    return piece(torch.device, "cpu", 1)


@case("不是字符串、整数或设备 / not a string, int or device")
def wrong_type(piece, torch, np):
    return piece(torch.device, 1.5)
