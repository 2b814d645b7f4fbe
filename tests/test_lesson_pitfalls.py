"""The pitfalls lessons 01 and 03 teach behave as in PyTorch (the oracle).

第 01、03 课讲的陷阱与 PyTorch 一致：``torch.Tensor(...)`` 与 ``torch.tensor(...)``、笔误的错误信息、
``cat``/``stack`` 的形状与错误、``new_ones`` / ``randn_like(dtype=)``。
"""
from __future__ import annotations

import numpy as np
import pytest

import course_lib as cl

torch = pytest.importorskip("torch")


def _outcome(lib, make):
    """(shape, dtype name) of what ``make(lib)`` returns, or (exception type, message)."""
    try:
        t = make(lib)
    except Exception as e:  # noqa: BLE001 - the exception is the result compared
        return type(e).__name__, str(e)
    return tuple(t.shape), str(t.dtype).split(".")[-1]


LEGACY = {
    "data list": lambda lib: lib.Tensor([1, 2]),
    "one int is a shape": lambda lib: lib.Tensor(3),
    "two ints": lambda lib: lib.Tensor(2, 3),
    "a tuple is data": lambda lib: lib.Tensor((2, 3)),
    "a range is data": lambda lib: lib.Tensor(range(4)),
    "no arguments": lambda lib: lib.Tensor(),
    "a float": lambda lib: lib.Tensor(2.5),
    "a bool": lambda lib: lib.Tensor(True),
    "a numpy float": lambda lib: lib.Tensor(np.float64(2.5)),
    "None": lambda lib: lib.Tensor(None),
    "a 0-d array": lambda lib: lib.Tensor(np.array(2.5)),
    "tensor(3) is data": lambda lib: lib.tensor(3),
    "tensor([1, 2]) keeps int64": lambda lib: lib.tensor([1, 2]),
}


@pytest.mark.parametrize("name", LEGACY)
def test_legacy_constructor_like_torch(name):
    assert _outcome(cl, LEGACY[name]) == _outcome(torch, LEGACY[name])


TYPOS = {
    "x.gred": lambda lib: lib.tensor([1.0], requires_grad=True).gred,
    "tensor(requiresgrad=)": lambda lib: lib.tensor([1.0], requiresgrad=True),
    "ones(requiresgrad=)": lambda lib: lib.ones(2, requiresgrad=True),
}


@pytest.mark.parametrize("name", TYPOS)
def test_typo_errors_like_torch(name):
    ours, theirs = _outcome(cl, TYPOS[name]), _outcome(torch, TYPOS[name])
    assert ours == theirs and ours[0] in ("AttributeError", "TypeError")


def test_assigning_a_misspelt_attribute_is_silent_as_in_torch():
    """torch silently adds the attribute (requires_grad stays False); so does course_lib."""
    for lib in (torch, cl):
        t = lib.tensor([1.0])
        t.requiresgrad = True
        assert t.requires_grad is False and t.requiresgrad is True


JOINS = {
    "cat dim 0": lambda lib: lib.cat([lib.zeros(2, 3), lib.ones(2, 3)], dim=0),
    "cat dim 1": lambda lib: lib.cat([lib.zeros(2, 3), lib.ones(2, 3)], dim=1),
    "cat mismatch": lambda lib: lib.cat([lib.zeros(2, 3), lib.ones(2, 2)]),
    "stack dim 0": lambda lib: lib.stack([lib.zeros(2, 3), lib.ones(2, 3)]),
    "stack dim 2": lambda lib: lib.stack([lib.zeros(2, 3), lib.ones(2, 3)], dim=2),
    "stack unequal": lambda lib: lib.stack([lib.zeros(2, 3), lib.ones(1, 3)]),
    "new_ones": lambda lib: lib.zeros(2, dtype=lib.float64).new_ones(4),
    "randn_like dtype": lambda lib: lib.randn_like(lib.zeros(2, 3), dtype=lib.float64),
    "randn_like int": lambda lib: lib.randn_like(lib.zeros(3, dtype=lib.int64)),
    "randn_like int, float dtype": lambda lib: lib.randn_like(lib.zeros(3, dtype=lib.int64),
                                                               dtype=lib.float32),
}


@pytest.mark.parametrize("name", JOINS)
def test_join_and_like_like_torch(name):
    assert _outcome(cl, JOINS[name]) == _outcome(torch, JOINS[name])


def test_stack_layers_are_the_inputs():
    a, b = np.arange(6.0).reshape(2, 3), -np.arange(6.0).reshape(2, 3)
    ours = cl.stack([cl.tensor(a), cl.tensor(b)], dim=1).numpy()
    theirs = torch.stack([torch.tensor(a), torch.tensor(b)], dim=1).numpy()
    np.testing.assert_array_equal(ours, theirs)
