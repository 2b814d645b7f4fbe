"""Tensor basics: creation, Size, views sharing memory, indexing, in-place, out=, numpy interop.

张量基础：创建、Size、共享内存的视图、索引、原地运算、out=、与 numpy 互通。
"""
import numpy as np
import pytest

import course_lib as cl


def test_size_and_metadata():
    x = cl.zeros(2, 3)
    assert repr(x.shape) == "course_lib.Size([2, 3])" and x.shape == (2, 3)
    assert isinstance(x.shape, tuple) and x.size() == x.shape and x.size(-1) == 3
    assert x.shape[1:] == cl.Size([3]) and isinstance(x.shape[1:], cl.Size)
    assert x.dim() == x.ndim == 2 and x.numel() == 6 and len(x) == 2
    assert x.shape.numel() == 6 and x.stride() == (3, 1) and x.is_contiguous()
    assert x.t().stride() == (1, 3) and not x.t().is_contiguous()
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.size(2)


def test_creation_functions():
    assert cl.zeros((2, 3)).shape == (2, 3) and cl.ones([2]).tolist() == [1.0, 1.0]
    assert cl.full((2, 2), 3.0).sum().item() == 12.0
    assert cl.arange(1, 7, 2).tolist() == [1, 3, 5]
    assert cl.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert cl.eye(3).sum().item() == 3.0
    x = cl.ones(2, 3, dtype=cl.float64)
    for f in (cl.zeros_like, cl.ones_like, cl.rand_like, cl.randn_like, cl.empty_like):
        y = f(x)
        assert y.shape == x.shape and y.dtype is cl.float64
    assert x.new_ones(4).dtype is cl.float64 and x.new_zeros((1, 2)).shape == (1, 2)
    assert x.new_tensor([1, 2]).dtype is cl.float64 and x.new_full((2,), 5).tolist() == [5.0, 5.0]
    assert cl.Tensor(2, 3).shape == (2, 3) and cl.Tensor([1, 2]).dtype is cl.float32
    r = cl.randint(0, 5, (100,))
    assert r.dtype is cl.int64 and 0 <= r.min().item() and r.max().item() < 5
    cl.manual_seed(3)
    a = cl.randn(5)
    cl.manual_seed(3)
    assert cl.equal(a, cl.randn(5))
    t = cl.tensor([1.0], requires_grad=True)
    assert t.requires_grad and t.is_leaf and t.grad is None


VIEWS = {
    "view": lambda x: x.view(12), "reshape": lambda x: x.reshape(4, 3), "t": lambda x: x.t(),
    "transpose": lambda x: x.transpose(0, 1), "permute": lambda x: x.permute(1, 0),
    "select": lambda x: x[1], "slice": lambda x: x[:, 1:3], "unsqueeze": lambda x: x.unsqueeze(0),
    "squeeze": lambda x: x[None].squeeze(0), "flatten": lambda x: x.flatten(),
    "detach": lambda x: x.detach(), "T": lambda x: x.T, "unbind": lambda x: x.unbind(0)[1],
    "split": lambda x: x.split(2)[0], "chunk": lambda x: x.chunk(2, 1)[1],
    "ellipsis": lambda x: x[...], "data": lambda x: x.data, "numpy": lambda x: x.numpy(),
}


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_views_share_memory(name):
    x = cl.arange(12.0).view(3, 4)
    v = VIEWS[name](x)
    if isinstance(v, np.ndarray):
        v[...] = 100
    else:
        v.fill_(100.0)
        if name != "data":  # .data shares memory but not the version counter, as in torch
            assert v._version == x._version == 1  # views share the version counter
    assert (x == 100).sum().item() == (v.size if isinstance(v, np.ndarray) else v.numel())


def test_advanced_indexing_copies_and_expand_is_read_only():
    x = cl.arange(12.0).view(3, 4)
    y = x[[0, 2]]
    y.fill_(-1)
    assert x.min().item() == 0.0
    e = cl.ones(3).expand(2, 3)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        e.add_(1)


def test_view_error_like_torch():
    x = cl.zeros(3, 4).t()
    with pytest.raises(RuntimeError, match="view size is not compatible with input tensor's size "
                                           "and stride"):
        x.view(12)
    assert x.reshape(12).shape == (12,)
    with pytest.raises(RuntimeError, match=r"shape '\[5\]' is invalid for input of size 12"):
        x.reshape(5)


def test_indexing_read_write():
    x = cl.arange(12).view(3, 4)
    assert x[1, 2].item() == 6 and x[-1].tolist() == [8, 9, 10, 11]
    assert x[:, ::2].tolist() == [[0, 2], [4, 6], [8, 10]]
    assert x[x > 9].tolist() == [10, 11]
    assert x[cl.tensor([2, 0])][:, 0].tolist() == [8, 0]
    assert x[..., 1].tolist() == [1, 5, 9] and x[None].shape == (1, 3, 4)
    x[0] = 0
    x[1, :2] = cl.tensor([7, 7])
    x[x == 11] = -1
    assert x.tolist() == [[0, 0, 0, 0], [7, 7, 6, 7], [8, 9, 10, -1]]
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
        x[5]
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 2"):
        x[0, 0, 0]


def test_inplace_and_out():
    x = cl.ones(3)
    v = x[1:]
    x.mul_(2).add_(1)
    assert v.tolist() == [3.0, 3.0] and x._version == 2
    x.zero_()
    x += 1
    x *= 3
    assert x.tolist() == [3.0, 3.0, 3.0]
    r = cl.empty(3)
    out = cl.add(x, 1, out=r)
    assert out is r and r.tolist() == [4.0, 4.0, 4.0]
    cl.mul(x, x, out=r)
    assert r.tolist() == [9.0] * 3
    with pytest.raises(RuntimeError, match="output with shape \\[3\\] doesn't match the broadcast "
                                           "shape \\[2, 3\\]"):
        x.add_(cl.ones(2, 3))
    x.clamp_(0, 1)
    assert x.tolist() == [1.0, 1.0, 1.0]
    x.normal_()
    x.uniform_(0, 1)
    assert 0 <= x.min().item() and x.max().item() < 1


def test_numpy_interop():
    a = np.arange(4.0)
    t = cl.from_numpy(a)
    assert t.dtype is cl.float64
    a[0] = 10
    assert t[0].item() == 10.0
    t.add_(1)
    assert a[1] == 2.0 and t.numpy() is a
    c = cl.tensor(a)
    a[0] = -5
    assert c[0].item() == 11.0  # tensor() copies
    assert np.asarray(t) is a
    prod = a * cl.ones(4, dtype=cl.float64)
    assert isinstance(prod, cl.Tensor)
    with pytest.raises(TypeError, match="expected np.ndarray"):
        cl.from_numpy([1, 2])
    with pytest.raises(RuntimeError, match="Can't call numpy\\(\\) on Tensor that requires grad"):
        cl.ones(2, requires_grad=True).numpy()
    assert cl.as_tensor(a).numpy() is a


def test_python_protocols():
    x = cl.tensor([[1, 2], [3, 4]])
    assert [r.tolist() for r in x] == [[1, 2], [3, 4]]
    assert float(cl.tensor(2.5)) == 2.5 and int(cl.tensor([7])) == 7 and bool(cl.tensor(1))
    assert [10, 20, 30][cl.tensor(1)] == 20
    assert cl.tensor(3.5).item() == 3.5 and isinstance(cl.tensor(3).item(), int)
    with pytest.raises(RuntimeError, match="a Tensor with 4 elements cannot be converted to Scalar"):
        x.item()
    with pytest.raises(RuntimeError, match="Boolean value of Tensor with more than one value is "
                                           "ambiguous"):
        bool(x)
    assert x.tolist() == [[1, 2], [3, 4]] and cl.tensor(2.0).tolist() == 2.0
    assert x in {x} and x not in {cl.tensor([[1, 2], [3, 4]])}


def test_shape_errors_like_torch():
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of "
                                           r"tensor b \(4\) at non-singleton dimension 1"):
        cl.ones(2, 3) + cl.ones(4)
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and "
                                           r"4x5\)"):
        cl.ones(2, 3) @ cl.ones(4, 5)
    with pytest.raises(RuntimeError, match="Sizes of tensors must match except in dimension 0"):
        cl.cat([cl.ones(2, 3), cl.ones(2, 4)])
    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
        cl.stack([cl.ones(2), cl.ones(3)])
    with pytest.raises(RuntimeError, match="The expanded size of the tensor"):
        cl.ones(3).expand(2, 4)


def test_reductions_and_misc():
    x = cl.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
    v, i = x.max(1)
    assert v.tolist() == [5.0, 6.0] and i.tolist() == [1, 2] and i.dtype is cl.int64
    assert x.max(dim=0).indices.tolist() == [1, 0, 1]
    assert x.argmax().item() == 5 and x.argmin(1).tolist() == [0, 1]
    assert x.sum(0, keepdim=True).shape == (1, 3) and x.mean().item() == 3.5
    assert x.prod().item() == 720.0 and x.all() and not (x > 5).all() and (x > 5).any()
    assert abs(x.std().item() - np.std(x.numpy(), ddof=1)) < 1e-6
    assert cl.where(x > 3, x, cl.zeros(1)).tolist() == [[0, 5, 0], [4, 0, 6]]
    assert cl.allclose(x, x + 1e-9) and cl.equal(x, x.clone()) and not cl.equal(x, x[:1])
    assert (x > 2).dtype is cl.bool and (~(x > 2)).sum().item() == 2
    assert ((x > 2) & (x < 6)).sum().item() == 3
    assert cl.broadcast_shapes((2, 1, 4), (3, 1)) == (2, 3, 4)
    assert cl.ones(2, 3, 4).sum_to_size(3, 1).shape == (3, 1)
    assert x.flatten().shape == (6,) and cl.ones(2, 3, 4).flatten(1).shape == (2, 12)


def test_rng_state_roundtrip_and_generators():
    s = cl.get_rng_state()
    a = cl.randn(3)
    cl.set_rng_state(s)
    assert cl.equal(a, cl.randn(3)) and s.dtype is cl.uint8
    g1 = cl.Generator().manual_seed(7)
    g2 = cl.Generator().manual_seed(7)
    assert cl.equal(cl.rand(4, generator=g1), cl.rand(4, generator=g2))
    assert g1.initial_seed() == 7


def test_setitem_mixed_int_and_array_index_like_torch():
    torch = pytest.importorskip("torch")
    out = []
    for T in (cl, torch):
        w = T.ones(2, 3, 4, requires_grad=True)
        y = w * 1
        v = T.full((3, 2), 2.0, requires_grad=True)
        y[1, :, [1, 3]] = v  # torch: select dim 0 first, then index → a (3, 2) target
        (y * T.arange(24.0).view(2, 3, 4)).sum().backward()
        out.append((y.tolist(), v.grad.tolist(), w.grad.tolist()))
    assert out[0] == out[1]
