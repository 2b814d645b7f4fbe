"""Bad input raises torch's exception type with torch's message — never a numpy traceback.

错误输入（形状、dtype、设备不对）：course_lib 抛出与 torch 相同类型的异常，信息与 torch 相同
（写出出错的形状 / dtype / 设备），绝不会从 numpy 内部抛出 numpy 的错误。

Every case of ``bad_input_cases.ALL`` runs on course_lib and on torch: same outcome (no error,
or the same exception type), and by default the same first line of the message (``torch`` →
``course_lib``). ``LOOSE`` cases compare a key phrase instead (torch's argument-parser wording,
device names …); ``KNOWN`` lists the differences that remain, each with its reason.
"""
import os
import traceback
import warnings

import numpy as np
import pytest

import course_lib as cl
from bad_input_cases import ALL

_NUMPY_DIR = os.path.dirname(np.__file__)

# case → a phrase both messages must contain (the rest of torch's wording is not ours to copy)
LOOSE = {
    "T.arange(3).clamp_(0.5)": "result type Float can't be cast to the desired output type",
    "T.ones(6).view((2, 3), 1)": "view()",
    "T.ones(6).view(2.5)": "view() received an invalid combination of arguments - got (float)",
    "T.ones(6).reshape('a')": "reshape(): argument 'shape' (position 1) must be tuple of ints",
    "T.ones(2, 3).softmax()": "softmax() missing 1 required positional argument",
    "T.ones(2, 3).sum(1.5)": "received an invalid combination of arguments - got (float)",
    "T.ones(2, 3).sum('a')": "received an invalid combination of arguments - got (str)",
    "T.ones(2) < 'a'": "'Tensor' and 'str'",
    "T.ones(2).tolist(5)": "tolist()",
    "T.ones((2, 3), dtype='float32')": "argument 'dtype' must be course_lib.dtype, not str",
    "T.ones_like(T.ones(2), dtype=5)": "argument 'dtype' must be course_lib.dtype, not int",
    "T.arange('a')": "arange(): argument 'end'",
    "T.randint(5)": "randint()",
    "T.from_numpy(np.array(['a']))": "can't convert np.ndarray of type numpy.str_",
    "T.tensor(np.array([1, 2], dtype=object))": "can't convert np.ndarray of type numpy.object_",
    "T.full_like(T.ones(2), 'x')": "argument 'fill_value' (position 2) must be Number, not str",
    "T.ones(2).new_full((2,), 'a')": "argument 'fill_value' (position 2) must be Number, not str",
    "x = T.ones(2, requires_grad=True); x[0].detach_()": "Can't detach views in-place.",
    "x = T.ones(2, requires_grad=True); y = x.exp(); y.add_(1); y.sum().backward()":
        "[course_lib.FloatTensor [2]], which is output 0 of Exp, is at version 1; expected "
        "version 0 instead.",
    "T.ones(2).to('float32')": "device string",
    "T.ones(2).to(dtype='float32')": "to() received an invalid combination of arguments",
    "T.tensor([1, 2]).clamp_(min=0.5)": "result type Float can't be cast to the desired output",
    "T.ones(2, 3).unsqueeze(1.5)": "argument 'dim'",
    "T.ones(2, 3).argmax(dim=(0, 1))": "argument 'dim' must be int, not tuple",
    "T.ones(2, 3).cumsum()": "missing 1 required positional argument",
    "T.ones(2).masked_fill(T.tensor([True]), 'a')":
        "masked_fill() received an invalid combination of arguments - got (Tensor, str)",
    "T.cat([T.ones(2, 3), T.ones(2, 3)], dim=1.5)": "argument 'dim' must be int, not float",
    "T.cat([T.ones(2, 3)], dim='a')": "argument 'dim' must be int, not str",
    "T.tensor([1, [2]])": "",  # the same TypeError, worded by each parser
    "T.linspace(0, 1, 2.5)": "linspace() received an invalid combination of arguments",
    "T.eye(2, 3.5)": "eye() received an invalid combination of arguments",
}

# case → why course_lib still differs (xfail, not strict: fixing one is welcome)
KNOWN = {
    "T.ones(2).numpy(force=5)": "course_lib does not type-check every flag argument",
    "T.empty(2, 3, dtype=T.float32, requires_grad=5).foo": "flags are not type-checked",
    "T.randint(0, 5, 3)": "course_lib also accepts an int size",
    "T.tensor([T.ones(2), T.ones(3)])": "course_lib builds tensors from lists of tensors",
    "T.ones(2).to(5)": "DESIGN: without a GPU the error names what is missing (cupy / GPU)",
    "T.Size([2, 'a'])": "Size does not validate its items (kept cheap: shapes are hot)",
    "T.promote_types(T.float32, 'int64')": "_dtype.promote_types takes dtypes only",
    "T.ones(3) @ T.ones(3, 1, 2)": "torch folds 1-D @ batched differently by shape: other message",
}


def _first_line(ex):
    s = str(ex)
    return (s.splitlines()[0] if s else "").replace("torch", "course_lib")[:150]


def run(T, case):
    """(exception or None, warnings' first lines) of running ``case`` with library ``T``."""
    ns = {"T": T, "F": T.nn.functional, "nn": T.nn, "np": np}
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            exec(case, ns)  # noqa: S102 - the cases are this repository's own table
            ex = None
        except Exception as e:  # noqa: BLE001 - the exception is what we compare
            ex = e
    return ex, sorted({f"{x.category.__name__}: {str(x.message).splitlines()[0][:80]}"
                       .replace("torch", "course_lib") for x in w})


_NUMPY_WORDS = ("operands could not be broadcast", "axis", "ufunc", "inhomogeneous",
                "numpy boolean", "could not be coerced", "object arrays")


def assert_not_from_numpy(ex, theirs=None):
    """The error is raised by course_lib itself: no numpy type, frame, chained cause or
    numpy wording (a ufunc's ValueError has no Python frame inside numpy)."""
    assert not type(ex).__module__.startswith("numpy"), type(ex)
    for w in _NUMPY_WORDS:
        assert w not in str(ex) or w in str(theirs), f"numpy's wording: {ex}"
    last = traceback.extract_tb(ex.__traceback__)[-1].filename
    assert not last.startswith(_NUMPY_DIR), f"raised inside numpy: {last}"
    assert ex.__cause__ is None
    assert ex.__context__ is None or ex.__suppress_context__, repr(ex.__context__)


def check_case(case, torch, loose=None):
    """Same exception type as torch, never from numpy, and torch's first message line (or, for
    the cases in ``loose``, a key phrase of it)."""
    loose = LOOSE if loose is None else loose
    mine, _ = run(cl, case)
    theirs, _ = run(torch, case)
    if theirs is None:
        assert mine is None, f"torch runs it, course_lib raises {mine!r}"
        return
    assert mine is not None, f"torch raises {theirs!r}, course_lib does not"
    assert type(mine).__name__ == type(theirs).__name__, (repr(mine), repr(theirs))
    assert_not_from_numpy(mine, theirs)
    if case in loose:
        key = loose[case]
        assert key in str(mine) and key in str(theirs).replace("torch", "course_lib"), \
            (str(mine), str(theirs))
    else:
        assert _first_line(mine) == _first_line(theirs)


@pytest.mark.parametrize("case", ALL)
def test_same_error_as_torch(case):
    torch = pytest.importorskip("torch")
    if case in KNOWN:
        pytest.xfail(KNOWN[case])
    check_case(case, torch)


def test_table_is_large_and_clean():
    assert len(ALL) >= 700
    assert len(set(ALL)) == len(ALL), "duplicate cases"
    assert not (set(LOOSE) | set(KNOWN)) - set(ALL), "LOOSE/KNOWN name cases not in the table"


WARNS = [
    "F.mse_loss(T.ones(3, 1), T.ones(3))",
    "F.mse_loss(T.ones(2), T.ones(3))",
    "F.l1_loss(T.ones(4), T.ones(1))",
    "T.ones(3).expand(2, 3).masked_fill_(T.tensor([True, False, True]), 0)",
    "e = T.ones(3, 1).expand(3, 3); e[T.tensor([True, False, True])] = 1.",
    "T.ones(1).std()",
]


VALUES = [
    "b = T.ones(3); e = b.expand(2, 3); e.fill_(2.); e[0, 1] = 5.; e[1].add_(1); r = b",
    "b = T.zeros(3, 1); e = b.expand(3, 3); e[T.tensor([True, False, True])] = 1.; r = b",
    "r = T.tensor([1.5, -2.]).view(T.int32)",
    "r = T.tensor([[1, 2], [3, 4]], dtype=T.int16).view(T.int32)",
    "r = T.tensor([1, 200], dtype=T.uint8) - 300",
    "r = T.arange(6).view(2, 3).flip(dims=[1])",
    "r = T.tensor([[1., 2.], [3., 4.]]).t().view(T.int32)",
]


@pytest.mark.parametrize("case", VALUES)
def test_same_values_as_torch(case):
    """The writes and reinterpretations torch allows give torch's values."""
    torch = pytest.importorskip("torch")
    got, want = {}, {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(case, {"T": cl}, got)  # noqa: S102
        exec(case, {"T": torch}, want)  # noqa: S102
    assert got["r"].tolist() == want["r"].tolist()
    assert str(got["r"].dtype).split(".")[-1] == str(want["r"].dtype).split(".")[-1]


@pytest.mark.parametrize("case", WARNS)
def test_same_warnings_as_torch(case):
    torch = pytest.importorskip("torch")
    (ex1, w1), (ex2, w2) = run(cl, case), run(torch, case)
    assert type(ex1).__name__ == type(ex2).__name__
    strip = [w.split(" (Triggered internally")[0] for w in w2]
    assert [w[:70] for w in w1] == [w[:70] for w in strip]


def test_expanded_writes_follow_torch():
    """fill_/zero_/masked_fill_ and ``e[0] = v`` write through an expanded view (torch allows
    them); ops that would write one memory location twice raise torch's error."""
    base = cl.ones(3)
    e = base.expand(2, 3)
    e.fill_(2.)
    assert base.tolist() == [2., 2., 2.]
    e[0, 1] = 5.
    assert base.tolist() == [2., 5., 2.]
    e[1].add_(1)
    assert base.tolist() == [3., 6., 3.]
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        e.add_(1)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        e[:, 0] = 0.
    assert base.tolist() == [3., 6., 3.]


# -- devices: the simulated CUDA device; torch's messages on a real GPU ---------------------
DEVICE = [
    ("T.ones(3).cuda() + T.ones(3)", RuntimeError,
     "Expected all tensors to be on the same device, but found at least two devices, cuda:0 "
     "and cpu!"),
    ("T.ones(3) * T.ones(3).cuda()", RuntimeError, "Expected all tensors to be on the same device"),
    ("T.tensor(1.).cuda() + T.ones(3)", RuntimeError, "Expected all tensors to be on the same"),
    ("T.ones(2, 3).cuda() @ T.ones(3, 2)", RuntimeError, "Expected all tensors to be on the same"),
    ("T.mm(T.ones(2, 3), T.ones(3, 2).cuda())", RuntimeError, "Expected all tensors to be on"),
    ("T.ones(2).cuda().dot(T.ones(2))", RuntimeError, "Expected all tensors to be on the same"),
    ("T.cat([T.ones(2).cuda(), T.ones(2)])", RuntimeError, "Expected all tensors to be on the"),
    ("T.stack([T.ones(2), T.ones(2).cuda()])", RuntimeError, "Expected all tensors to be on the"),
    ("T.where(T.ones(2).cuda() > 0, T.ones(2), T.ones(2))", RuntimeError, "Expected all tensors"),
    ("T.maximum(T.ones(2).cuda(), T.ones(2))", RuntimeError, "Expected all tensors to be on the"),
    ("T.ones(2).cuda() == T.ones(2)", RuntimeError, "Expected all tensors to be on the same"),
    ("T.ones(2).add_(T.ones(2).cuda())", RuntimeError, "Expected all tensors to be on the same"),
    ("T.add(T.ones(2).cuda(), 1, out=T.zeros(2))", RuntimeError, "Expected all tensors to be on"),
    ("T.lerp(T.ones(2).cuda(), T.ones(2), 0.5)", RuntimeError, "Expected all tensors to be on"),
    ("F.linear(T.ones(2, 3), T.ones(4, 3).cuda())", RuntimeError, "Expected all tensors to be on"),
    ("F.cross_entropy(T.ones(2, 3).cuda(), T.tensor([0, 1]))", RuntimeError,
     "Expected all tensors to be on the same device"),
    ("F.mse_loss(T.ones(2).cuda(), T.ones(2))", RuntimeError, "Expected all tensors to be on"),
    ("T.ones(3)[T.tensor([0]).cuda()]", RuntimeError,
     "indices should be either on cpu or on the same device as the indexed tensor (cpu)"),
    ("T.ones(2).cuda().numpy()", TypeError, "can't convert cuda:0 device type tensor to numpy. "
     "Use Tensor.cpu() to copy the tensor to host memory first."),
    ("T.ones(2).cuda().item()", RuntimeError, "a Tensor with 2 elements cannot be converted to "
     "Scalar"),
    ("x = T.ones(2, requires_grad=True); x.grad = T.ones(2).cuda()", RuntimeError,
     "attempting to assign a gradient with device type 'cuda' to a tensor with device type "
     "'cpu'"),
    ("T.ones(2, device='cuda:1')", RuntimeError, "CUDA error: invalid device ordinal"),
    ("T.ones(3).cuda().expand(2, 3).add_(1)", RuntimeError,
     "more than one element of the written-to tensor refers to a single memory location"),
    ("T.ones(3).cuda() + T.ones(2).cuda()", RuntimeError,
     "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0"),
    ("T.ones(2, 3).cuda() @ T.ones(4, 5).cuda()", RuntimeError,
     "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"),
    ("T.ones(2, 3).cuda().sum(2)", IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
]
DEVICE_OK = ["T.ones(3).cuda()[T.tensor([0])]", "T.ones(2).cuda().copy_(T.ones(2))",
             "T.tensor(2.) * T.ones(3).cuda()", "float(T.ones(1).cuda())",
             "e = T.ones(3).cuda().expand(2, 3); e.fill_(2.); e[0].add_(1)"]


@pytest.fixture
def simulated_cuda():
    was = cl.cuda.is_simulated()
    cl.cuda.simulate(True)
    yield
    cl.cuda.simulate(was)


@pytest.mark.parametrize("case,exc,phrase", DEVICE)
def test_device_errors(simulated_cuda, case, exc, phrase):
    ex, _ = run(cl, case)
    assert type(ex) is exc, repr(ex)
    assert phrase in str(ex)
    assert_not_from_numpy(ex)


@pytest.mark.parametrize("case", DEVICE_OK)
def test_device_mixes_torch_allows(simulated_cuda, case):
    ex, _ = run(cl, case)
    assert ex is None, repr(ex)


class _OnCuda:
    """``course_lib`` whose creation functions default to the (simulated) GPU."""
    MAKERS = ("ones", "zeros", "tensor", "arange", "empty", "full", "rand", "randn", "eye",
              "linspace", "randint")

    def __getattr__(self, name):
        value = getattr(cl, name)
        if name not in self.MAKERS:
            return value

        def make(*args, **kwargs):
            kwargs.setdefault("device", "cuda")
            return value(*args, **kwargs)
        return make


def test_table_on_the_simulated_gpu(simulated_cuda):
    """Every bad call of the table fails on the GPU as on the CPU (type and message, device
    names aside), never inside numpy (nn modules aside: their parameters stay on the CPU)."""
    gpu, bad = _OnCuda(), []
    gpu.nn, gpu.cuda = cl.nn, cl.cuda
    for case in ALL:
        if "nn." in case or case in KNOWN:
            continue
        (cpu_ex, _), (gpu_ex, _) = run(cl, case), run(gpu, case)
        if cpu_ex is None:
            if gpu_ex is not None:
                bad.append(f"{case}: {gpu_ex!r}")
            continue
        msg = str(gpu_ex).replace("course_lib.cuda.", "course_lib.").replace("cuda:0", "cpu")
        same = type(gpu_ex) is type(cpu_ex) and msg == str(cpu_ex)
        if not same:
            bad.append(f"{case}: cpu {cpu_ex!r} / gpu {gpu_ex!r}")
        elif "INDICES element" not in str(gpu_ex):
            assert_not_from_numpy(gpu_ex)
    assert not bad, "\n".join(bad)
