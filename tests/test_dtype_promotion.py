"""dtypes and torch's type promotion (tensor-tensor, 0-dim, Python scalars), against torch.

数据类型与 torch 的类型提升规则。
"""
import itertools

import numpy as np
import pytest

import course_lib as cl
from course_lib._dtype import ALL

NAMES = [d._name for d in ALL]


def test_dtype_objects():
    assert repr(cl.float32) == "course_lib.float32" and str(cl.int64) == "course_lib.int64"
    assert cl.float is cl.float32 and cl.double is cl.float64 and cl.long is cl.int64
    assert cl.half is cl.float16 and cl.int is cl.int32 and cl.short is cl.int16
    assert cl.float32.is_floating_point and not cl.int64.is_floating_point
    assert cl.float64.itemsize == 8 and cl.bool.itemsize == 1
    assert cl.float32._np == np.float32
    assert cl.get_default_dtype() is cl.float32


def test_default_dtype_switch():
    try:
        cl.set_default_dtype(cl.float64)
        assert cl.tensor([1.5]).dtype is cl.float64 and cl.zeros(1).dtype is cl.float64
        assert (cl.tensor([1]) * 0.5).dtype is cl.float64
    finally:
        cl.set_default_dtype(cl.float32)
    with pytest.raises(TypeError):
        cl.set_default_dtype(cl.int64)


@pytest.mark.parametrize("a,b", list(itertools.combinations_with_replacement(NAMES, 2)))
def test_promote_types_table_vs_torch(a, b):
    torch = pytest.importorskip("torch")
    got = cl.promote_types(getattr(cl, a), getattr(cl, b))
    exp = torch.promote_types(getattr(torch, a), getattr(torch, b))
    assert str(got).split(".")[1] == str(exp).split(".")[1]
    assert cl.promote_types(getattr(cl, b), getattr(cl, a)) is got


def _make(lib, name, zero_dim):
    dt = getattr(lib, name)
    data = 1 if zero_dim else [1, 1]
    return lib.tensor(data, dtype=dt)


@pytest.mark.parametrize("za,zb", [(False, False), (True, False), (False, True), (True, True)])
def test_binary_result_dtype_vs_torch(za, zb):
    torch = pytest.importorskip("torch")
    for a, b in itertools.product(NAMES, NAMES):
        if "bool" in (a, b):
            continue  # bool - bool is an error in both; checked below
        got = (_make(cl, a, za) + _make(cl, b, zb)).dtype
        exp = (_make(torch, a, za) + _make(torch, b, zb)).dtype
        assert str(got).split(".")[1] == str(exp).split(".")[1], (a, za, b, zb)


@pytest.mark.parametrize("scalar", [True, 2, 2.5])
def test_scalar_result_dtype_vs_torch(scalar):
    torch = pytest.importorskip("torch")
    for a in NAMES:
        for op in ("add", "mul"):
            got = getattr(_make(cl, a, False), "__%s__" % op)(scalar).dtype
            exp = getattr(_make(torch, a, False), "__%s__" % op)(scalar).dtype
            assert str(got).split(".")[1] == str(exp).split(".")[1], (a, op, scalar)


def test_division_and_unary_float_results():
    i = cl.tensor([1, 2])
    assert (i / 2).dtype is cl.float32 and (i / i).dtype is cl.float32
    assert i.exp().dtype is cl.float32 and i.sqrt().dtype is cl.float32
    assert (i // 2).dtype is cl.int64 and i.abs().dtype is cl.int64
    assert i.sum().dtype is cl.int64 and cl.tensor([True, False]).sum().dtype is cl.int64
    with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype"):
        i.mean()


def test_inference_from_python_data():
    assert cl.tensor([1, 2]).dtype is cl.int64
    assert cl.tensor([1, 2.0]).dtype is cl.float32
    assert cl.tensor([True]).dtype is cl.bool
    assert cl.tensor(np.zeros(2)).dtype is cl.float64  # numpy keeps float64
    assert cl.tensor(np.zeros(2, np.int32)).dtype is cl.int32
    assert cl.full((2,), 7).dtype is cl.int64 and cl.full((2,), 7.0).dtype is cl.float32
    assert cl.arange(3).dtype is cl.int64 and cl.arange(0, 1, 0.25).dtype is cl.float32
    assert cl.zeros(2, dtype=float).dtype is cl.float64
    with pytest.raises(TypeError):
        cl.from_numpy(np.zeros(2, np.complex64))


def test_inplace_cannot_downcast_float_into_int():
    i = cl.tensor([1, 2])
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output "
                                           "type Long"):
        i.add_(1.5)
    i.add_(1)
    assert i.tolist() == [2, 3]
