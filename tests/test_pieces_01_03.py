"""Lessons 01–03: every piece carries the library (issue 13 point 3).

第 01–03 课的每个练习都被库本身使用：注册一个故意写错的答案，一个不提到该练习的公开结果就会改变。
Each test registers a deliberately wrong answer with ``implements(key)`` (the slot a student's
answer takes) and shows that a public result that does not name the piece changes.
"""
import numpy as np
import pytest

import course_lib as torch
from course_lib import exercises
from course_lib.exercises import implements


@pytest.fixture
def wrong(restore_overrides):
    """Register wrong answers (conftest.py's fixture restores ``exercises.overrides``)."""
    def register(key, f):
        implements(key)(f)

    return register


# ------------------------------------------------------------------ 01_tensors
def test_broadcast_shapes_decides_the_shape_of_a_plus_b(wrong):
    a, b = torch.ones(3, 1), torch.arange(4.0)
    assert (a + b).shape == (3, 4)
    wrong("course_lib.broadcast_shapes", lambda *shapes: torch.Size([2, 3, 4]))
    assert (a + b).shape == (2, 3, 4)  # the piece's (wrong) answer is what the op returns
    assert (a * b).shape == (2, 3, 4) and torch.where(a > 0, a, b).shape == (2, 3, 4)


def test_broadcast_shapes_refusing_breaks_in_place_and_binary_ops(wrong):
    x = torch.zeros(2, 3)
    wrong("course_lib.broadcast_shapes", lambda *shapes: (_ for _ in ()).throw(RuntimeError("no")))
    with pytest.raises(RuntimeError, match="cannot be broadcast"):
        x + torch.ones(3)
    with pytest.raises(RuntimeError):
        x.add_(torch.ones(3))
    x + torch.ones(2, 3)  # equal shapes need no broadcasting


def test_promote_types_decides_the_dtype_of_mixed_ops(wrong):
    i, f = torch.tensor([1, 2], dtype=torch.int32), torch.tensor([0.5, 0.5])
    assert (i + f).dtype == torch.float32
    wrong("course_lib.promote_types", lambda a, b: torch.float64)
    assert (i + f).dtype == torch.float64
    assert torch.result_type(i, f) == torch.float64


def test_result_type_decides_tensor_with_python_number(wrong):
    i = torch.tensor([1, 2])
    assert (i * 0.5).dtype == torch.float32 and (i * 0.5).tolist() == [0.5, 1.0]
    wrong("course_lib.result_type", lambda a, b: torch.int64)
    assert (i * 0.5).dtype != torch.float32  # numpy's own float64, not the piece's float32
    assert (torch.tensor([True]) + torch.tensor([2], dtype=torch.int8)).dtype == torch.int64


def test_is_contiguous_decides_contiguous_and_reshape(wrong):
    x = torch.arange(6.0).reshape(2, 3).t()
    assert x.contiguous().stride() == (2, 1)
    wrong("course_lib.Tensor.is_contiguous", lambda self, memory_format=None: True)
    assert x.contiguous() is x and x.contiguous().stride() == (1, 3)
    y = torch.arange(6.0, requires_grad=True).view(2, 3).t()
    with pytest.raises(RuntimeError):
        y.reshape(-1)


def test_is_contiguous_names_the_reshape_node(wrong):
    x = torch.ones(2, 3, requires_grad=True)
    assert type(x.reshape(3, 2).grad_fn).__name__ == "ViewBackward0"
    wrong("course_lib.Tensor.is_contiguous", lambda self, memory_format=None: False)
    assert type(x.reshape(3, 2).grad_fn).__name__ == "ReshapeAliasBackward0"


def test_result_type_and_promote_types_carry_cat(wrong):
    a, b = torch.ones(2), torch.ones(2, dtype=torch.float64)
    assert torch.cat([a, a]).dtype == torch.float32 and torch.cat([a, b, a]).dtype == torch.float64
    wrong("course_lib.result_type", lambda x, y: torch.float16)
    assert torch.cat([a, a]).dtype == torch.float16
    wrong("course_lib.promote_types", lambda x, y: torch.int64)
    assert torch.cat([a, a, a]).dtype == torch.int64


def test_flatten_carries_nn_flatten(wrong):
    x = torch.ones(2, 3, 4)
    assert torch.nn.Flatten()(x).shape == (2, 12)
    wrong("course_lib.Tensor.flatten", lambda self, start_dim=0, end_dim=-1: self)
    assert torch.nn.Flatten()(x).shape == (2, 3, 4)
    assert torch.flatten(x).shape == (2, 3, 4)


def test_item_carries_float_int_bool(wrong):
    t = torch.tensor([2.5])
    assert float(t) == 2.5 and int(t) == 2 and bool(t)
    wrong("course_lib.Tensor.item", lambda self: 0.0)
    assert float(t) == 0.0 and int(t) == 0 and not bool(t)


# ------------------------------------------------------------------ 02_numpy
def test_from_numpy_carries_tensor_of_ndarray(wrong):
    a = np.arange(3)
    assert torch.tensor(a).dtype == torch.int64
    wrong("course_lib.from_numpy", lambda ndarray: torch._tensor._wrap(ndarray.astype(np.float64)))
    assert torch.tensor(a).dtype == torch.float64
    assert (torch.ones(3) + a).dtype == torch.float64  # a numpy operand is converted too


def test_as_tensor_carries_asarray_and_numpy_operands(wrong):
    a = np.array([1.0, 2.0])
    assert torch.asarray(a).tolist() == [1.0, 2.0] and (torch.ones(2) * a).tolist() == [1.0, 2.0]
    wrong("course_lib.as_tensor", lambda data, dtype=None, device=None: torch.zeros(2))
    assert torch.asarray(a).tolist() == [0.0, 0.0] and (torch.ones(2) * a).tolist() == [0.0, 0.0]


def test_as_tensor_shares_through_from_numpy(wrong):
    a = np.zeros(3)
    torch.as_tensor(a)[0] = 1.0
    assert a[0] == 1.0
    wrong("course_lib.from_numpy", lambda ndarray: torch._tensor._wrap(ndarray.copy()))
    torch.as_tensor(a)[1] = 1.0
    assert a[1] == 0.0  # no longer the same memory


def test_numpy_carries_asarray_and_tolist(wrong):
    t = torch.tensor([1.0, 2.0])
    assert np.asarray(t).tolist() == [1.0, 2.0] and t.tolist() == [1.0, 2.0]
    wrong("course_lib.Tensor.numpy", lambda self, force=False: np.array([9.0, 9.0], np.float32))
    assert np.asarray(t).tolist() == [9.0, 9.0] and t.tolist() == [9.0, 9.0]


def test_array_carries_save(wrong, tmp_path):
    t = torch.tensor([1.0, 2.0])
    torch.save({"t": t}, tmp_path / "a.pt")
    assert torch.load(tmp_path / "a.pt")["t"].tolist() == [1.0, 2.0]
    wrong("course_lib.Tensor.__array__", lambda self, dtype=None, copy=None: np.zeros(2, np.float32))
    torch.save({"t": t}, tmp_path / "b.pt")
    assert torch.load(tmp_path / "b.pt")["t"].tolist() == [0.0, 0.0]


def test_as_tensor_carries_tensor_of_ndarray(wrong):
    wrong("course_lib.as_tensor", lambda data, dtype=None, device=None: torch.zeros(2))
    assert torch.tensor(np.array([1.0, 2.0])).tolist() == [0.0, 0.0]


def test_array_carries_numpy_functions(wrong):
    t = torch.tensor([1.0, 2.0])
    assert np.asarray(t, dtype=np.float64).tolist() == [1.0, 2.0]
    wrong("course_lib.Tensor.__array__", lambda self, dtype=None, copy=None: np.zeros(2))
    assert np.asarray(t).tolist() == [0.0, 0.0] and np.array(t).sum() == 0.0


# ------------------------------------------------------------------ 03_cuda
def test_to_carries_casts_and_module_to(wrong):
    x = torch.tensor([1.5])
    assert x.double().dtype == torch.float64
    wrong("course_lib.Tensor.to", lambda self, *a, **k: self)
    assert x.double().dtype == torch.float32 and x.type(torch.float64).dtype == torch.float32
    assert torch.nn.Linear(2, 2).double().weight.dtype == torch.float32
    assert x.cpu() is x


def test_common_device_carries_conv(wrong):
    x = torch.randn(1, 1, 4, 4)
    conv = torch.nn.Conv2d(1, 2, 3)
    conv(x)

    def refuse(*tensors):
        raise RuntimeError("Expected all tensors to be on the same device, but found at least "
                           "two devices, cuda:0 and cpu!")
    wrong("course_lib._device.common_device", refuse)
    with pytest.raises(RuntimeError, match="same device"):
        conv(x)


def test_common_device_decides_mixed_devices(wrong):
    torch.cuda.simulate(True)
    try:
        g, c = torch.ones(2, device="cuda"), torch.ones(2)
        with pytest.raises(RuntimeError, match="cuda:0 and cpu"):
            g + c
        assert (g + torch.tensor(1.0)).device.type == "cuda"  # a cpu scalar joins
        wrong("course_lib._device.common_device", lambda *ts: torch.device("cuda", 0))
        assert (g + c).device.type == "cuda"
    finally:
        torch.cuda.simulate(False)


def test_device_parsing_carries_to_and_creation(wrong):
    x = torch.ones(2)
    assert x.to("cpu") is x and torch.zeros(2, device="cpu").device.type == "cpu"
    wrong("course_lib.device.__new__", lambda cls, type, index=None: cls._make("cuda", 7))
    with pytest.raises(RuntimeError):  # "cpu" now parses as cuda:7: no such GPU here
        x.to("cpu")


def test_empty_like_carries_the_like_family(wrong):
    x = torch.ones(2, 3, dtype=torch.float64)
    assert torch.zeros_like(x).shape == (2, 3) and torch.ones_like(x).dtype == torch.float64
    wrong("course_lib.empty_like", lambda input, **kw: torch.empty(5))
    assert torch.zeros_like(x).shape == (5,) and torch.ones_like(x).dtype == torch.float32
    assert torch.rand_like(x).shape == (5,) and torch.full_like(x, 2.0).shape == (5,)


# ------------------------------------------------------------------ the pieces agree with torch
def test_pieces_match_torch():
    real = pytest.importorskip("torch")
    for a, b in [((3, 1), (4,)), ((2, 1, 4), (3, 1)), ((), (5,)), ((0, 1), (1, 3))]:
        assert tuple(torch.broadcast_shapes(a, b)) == tuple(real.broadcast_shapes(a, b))
    names = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
    for n1 in names:
        for n2 in names:
            assert str(torch.promote_types(getattr(torch, n1), getattr(torch, n2))).split(".")[-1] \
                == str(real.promote_types(getattr(real, n1), getattr(real, n2))).split(".")[-1]
        for s in (True, 3, 2.5):
            ours = torch.result_type(torch.zeros(2, dtype=getattr(torch, n1)), s)
            theirs = real.result_type(real.zeros(2, dtype=getattr(real, n1)), s)
            assert str(ours).split(".")[-1] == str(theirs).split(".")[-1], (n1, s)
            ours = torch.result_type(torch.zeros(2, dtype=getattr(torch, n1)),
                                     torch.tensor(s, dtype=torch.float64 if isinstance(s, float) else None))
            theirs = real.result_type(real.zeros(2, dtype=getattr(real, n1)),
                                      real.tensor(s, dtype=real.float64 if isinstance(s, float) else None))
            assert str(ours).split(".")[-1] == str(theirs).split(".")[-1], (n1, s)
    for shape, perm in [((2, 3), (1, 0)), ((2, 1, 3), (0, 2, 1)), ((0, 3), (1, 0)), ((1, 4), (1, 0))]:
        x, y = torch.zeros(shape).permute(perm), real.zeros(shape).permute(perm)
        assert x.is_contiguous() == y.is_contiguous(), (shape, perm)
    assert torch.zeros(4, 4)[:, ::2].is_contiguous() == real.zeros(4, 4)[:, ::2].is_contiguous()
    for shape, dt in [((2, 3), "float64"), ((0,), "int64"), ((), "bool")]:
        x, y = torch.ones(shape, dtype=getattr(torch, dt)), real.ones(shape, dtype=getattr(real, dt))
        for f in ("zeros_like", "ones_like", "empty_like", "rand_like"):
            if f == "rand_like" and dt != "float64":
                continue
            a, b = getattr(torch, f)(x), getattr(real, f)(y)
            assert tuple(a.shape) == tuple(b.shape) and str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1]
    for spec in ["cpu", "cuda", "cuda:1", "cuda:3"]:
        assert str(torch.device(spec)) == str(real.device(spec))
    for bad in ["gpu", "cuda:x", "cuda:-1"]:
        with pytest.raises(RuntimeError):
            torch.device(bad)
        with pytest.raises(RuntimeError):
            real.device(bad)
