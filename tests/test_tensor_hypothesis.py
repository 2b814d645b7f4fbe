"""Property tests: broadcasting, reshape/view, sum_to_size and grads agree with numpy/theory.

性质测试：广播、reshape/view、sum_to_size 与梯度。
"""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import course_lib as cl

FAST = settings(max_examples=40, deadline=None)


@FAST
@given(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=4))
def test_broadcast_shapes_and_ops_agree_with_numpy(shapes):
    sa, sb = shapes.input_shapes
    assert tuple(cl.broadcast_shapes(sa, sb)) == shapes.result_shape
    a = np.arange(math.prod(sa), dtype=np.float64).reshape(sa)
    b = np.arange(math.prod(sb), dtype=np.float64).reshape(sb) + 1
    ta = cl.tensor(a, requires_grad=True)
    tb = cl.tensor(b, requires_grad=True)
    out = ta * tb + ta
    np.testing.assert_array_equal(out.detach().numpy(), a * b + a)
    out.sum().backward()
    # d/da sum(a*b + a) = sum of (b + 1) over the broadcast dims, d/db = sum of a
    np.testing.assert_allclose(ta.grad.numpy(), cl.tensor(np.broadcast_to(b + 1, shapes.result_shape)
                                                          ).sum_to_size(sa).numpy())
    np.testing.assert_allclose(tb.grad.numpy(), cl.tensor(np.broadcast_to(a, shapes.result_shape)
                                                          ).sum_to_size(sb).numpy())
    assert ta.grad.shape == sa and tb.grad.shape == sb


@FAST
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_reshape_roundtrip_and_view_sharing(shape, rnd):
    n = math.prod(shape)
    x = cl.arange(float(n)).view(*shape)
    dims = list(range(len(shape)))
    rnd.shuffle(dims)
    p = x.permute(*dims)
    assert p.shape == tuple(shape[d] for d in dims)
    np.testing.assert_array_equal(p.numpy(), np.transpose(x.numpy(), dims))
    flat = p.reshape(-1)
    np.testing.assert_array_equal(flat.numpy(), np.transpose(x.numpy(), dims).reshape(-1))
    v = x.view(-1)
    v[0] = -1.0
    assert x.reshape(-1)[0].item() == -1.0
    with pytest.raises(RuntimeError):
        x.view(n + 1)


@FAST
@given(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), st.data())
def test_reductions_keepdim_and_grads(shape, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    keep = data.draw(st.booleans())
    a = np.random.default_rng(0).standard_normal(shape)
    t = cl.tensor(a, requires_grad=True)
    s = t.sum(dim, keepdim=keep)
    np.testing.assert_allclose(s.detach().numpy(), a.sum(dim, keepdims=keep))
    m = t.mean(dim, keepdim=keep)
    (s.sum() + m.sum()).backward()
    np.testing.assert_allclose(t.grad.numpy(), np.full(shape, 1 + 1 / shape[dim]))
