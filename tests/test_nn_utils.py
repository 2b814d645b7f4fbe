"""nn.utils: clip_grad_norm_ / clip_grad_value_ / parameters_to_vector / vector_to_parameters
like torch. 梯度裁剪与参数向量化，与 torch 一致。"""
import math

import numpy as np
import pytest

import course_lib as cl


def _params(T, dtype, scale=1.0):
    g = np.random.default_rng(7)
    ps = [T.tensor(g.standard_normal(s) * scale, dtype=dtype, requires_grad=True)
          for s in ((3, 4), (4,), (2, 2, 2))]
    (sum((p * p * p).sum() for p in ps)).backward()
    return ps


@pytest.mark.parametrize("norm_type", [2.0, 1.0, math.inf, 3.0, 0.5, 0.0, -math.inf])
@pytest.mark.parametrize("max_norm", [0.5, 1e3])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_clip_grad_norm_like_torch(norm_type, max_norm, dtype):
    torch = pytest.importorskip("torch")
    got = []
    for T in (cl, torch):
        ps = _params(T, getattr(T, dtype))
        total = T.nn.utils.clip_grad_norm_(ps, max_norm, norm_type=norm_type)
        got.append((type(total).__name__, str(total.dtype).split(".")[1], float(total),
                    [p.grad.numpy().copy() for p in ps]))
    assert got[0][:2] == ("Tensor", dtype) and got[1][:2] == ("Tensor", dtype)
    rtol = 1e-5 if dtype == "float32" else 1e-12
    assert got[0][2] == pytest.approx(got[1][2], rel=rtol)
    for a, b in zip(got[0][3], got[1][3]):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * 1e-3)


def test_clip_grad_norm_edge_cases():
    assert float(cl.nn.utils.clip_grad_norm_([cl.ones(2, requires_grad=True)], 1.0)) == 0.0
    ps = _params(cl, cl.float64)
    ps[0].grad[0, 0] = float("nan")
    with pytest.raises(RuntimeError, match="non-finite, so it cannot be clipped"):
        cl.nn.utils.clip_grad_norm_(ps, 1.0, error_if_nonfinite=True)
    single = cl.ones(4, requires_grad=True)
    (single * 3).sum().backward()  # grad = 3 everywhere, norm 6
    total = cl.nn.utils.clip_grad_norm_(single, 1.0)  # a lone tensor works too
    assert float(total) == pytest.approx(6.0)
    assert float(single.grad.norm()) == pytest.approx(1.0, rel=1e-5)


def test_clip_grad_value_like_torch():
    torch = pytest.importorskip("torch")
    got = []
    for T in (cl, torch):
        ps = _params(T, T.float64, scale=2.0)
        assert T.nn.utils.clip_grad_value_(ps, 0.7) is None
        got.append([p.grad.numpy().copy() for p in ps])
    for a, b in zip(*got):
        assert np.abs(a).max() <= 0.7
        np.testing.assert_array_equal(a, b)


def test_parameters_to_vector_and_back():
    m = cl.nn.Linear(3, 2)
    v = cl.nn.utils.parameters_to_vector(m.parameters())
    assert v.shape == (8,) and v.grad_fn is not None
    cl.nn.utils.vector_to_parameters(cl.arange(8.0), m.parameters())
    assert m.weight.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert m.bias.tolist() == [6.0, 7.0] and m.weight.requires_grad
    with pytest.raises(TypeError, match="expected torch.Tensor, but got"):
        cl.nn.utils.vector_to_parameters([1.0] * 8, m.parameters())


@pytest.mark.parametrize("p", [0, -math.inf, math.inf, 1, 2, 0.5])
@pytest.mark.parametrize("dim", [None, 1])
def test_tensor_norm_orders_like_torch(p, dim):
    """p = 0 counts the non-zeros and p = −inf is the smallest |x| (both were wrong before)."""
    torch = pytest.importorskip("torch")
    a = [[0.0, 1.0, -2.0], [3.0, 0.0, 0.5]]
    ours, theirs = cl.tensor(a).norm(p, dim), torch.tensor(a).norm(p, dim)
    assert ours.tolist() == pytest.approx(theirs.tolist())


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf")])
def test_get_total_norm_and_clip_grads_with_norm_like_torch(norm_type):
    """torch 2.6's split of clip_grad_norm_: the total norm, then the scaling."""
    torch = pytest.importorskip("torch")
    got = []
    for T in (cl, torch):
        ps = [T.nn.Parameter(T.tensor(np.arange(6.0).reshape(2, 3) - 2)),
              T.nn.Parameter(T.tensor([0.5, -4.0]))]
        for p in ps:
            p.grad = p.detach() * 3
        total = T.nn.utils.get_total_norm([p.grad for p in ps], norm_type)
        T.nn.utils.clip_grads_with_norm_(ps, 2.0, total)
        got.append((total.item(), [p.grad.tolist() for p in ps],
                    T.nn.utils.get_total_norm([]).item(),
                    T.nn.utils.get_total_norm(ps[1].grad, norm_type).item()))
    assert got[0][0] == pytest.approx(got[1][0], rel=1e-12)
    assert got[0][2:] == pytest.approx(got[1][2:], rel=1e-12)
    for a, b in zip(got[0][1], got[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_get_total_norm_nonfinite_error_like_torch():
    torch = pytest.importorskip("torch")
    msgs = []
    for T in (cl, torch):
        with pytest.raises(RuntimeError) as e:
            T.nn.utils.get_total_norm([T.tensor([float("inf"), 1.0])], error_if_nonfinite=True)
        msgs.append(str(e.value))
    assert msgs[0] == msgs[1]
