"""einsum with autograd: values and float64 gradients against torch (when installed) and
finite differences; ellipsis, implicit output, broadcasting, repeated letters, letters in one
operand only, 0-d and empty operands, views, errors, the simulated CUDA device.
爱因斯坦求和：数值与梯度和 torch 及有限差分比较。"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import course_lib as cl
from course_lib import _backend

CASES = [  # (equation, shapes)
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),                      # implicit output
    ("bij,bjk->bik", [(5, 2, 3), (5, 3, 4)]),
    ("...ij,...jk->...ik", [(2, 1, 2, 3), (4, 3, 2)]),  # ellipsis + broadcasting
    ("i,i->", [(4,), (4,)]),
    ("i,j->ij", [(3,), (2,)]),
    ("ij->", [(2, 3)]),
    ("ij->j", [(2, 3)]),
    ("ii->i", [(3, 3)]),                               # diagonal
    ("ii", [(3, 3)]),                                  # trace
    ("iij->ij", [(2, 2, 3)]),
    ("ij,ij->ij", [(2, 3), (2, 3)]),
    ("ij,j->i", [(2, 3), (1,)]),                       # size-1 broadcasting
    ("ij,ij->i", [(2, 1), (2, 3)]),
    ("ijk,k,ij->j", [(2, 3, 4), (4,), (2, 3)]),        # three operands
    ("i,->i", [(3,), ()]),                             # 0-d operand
    ("ij,jk->ik", [(0, 3), (3, 2)]),                   # empty
    ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]),  # attention scores
    ("Ab,ab", [(2, 3), (2, 3)]),                       # ASCII order A < a
    ("ij->ji", [(2, 3)]),                              # a view (PermuteBackward0)
    ("ijk,ik->j", [(2, 3, 4), (2, 4)]),                # j only in the first operand's output
    ("ij,k->ij", [(2, 3), (4,)]),                      # k only in the second: summed
]


def _arrays(shapes, seed=0):
    g = np.random.default_rng(seed)
    return [g.standard_normal(s) for s in shapes]


def _ours(eq, arrays):
    ts = [cl.tensor(a, requires_grad=True) for a in arrays]
    out = cl.einsum(eq, *ts)
    out.backward(cl.tensor(np.cos(np.arange(out.numel()).reshape(out.shape) + 1.0)))
    return out, [t.grad.numpy() for t in ts]


@pytest.mark.parametrize("eq,shapes", CASES, ids=[c[0] for c in CASES])
def test_values_and_grads_like_torch(eq, shapes):
    torch = pytest.importorskip("torch")
    arrays = _arrays(shapes)
    out, grads = _ours(eq, arrays)
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    ref = torch.einsum(eq, *ts)
    ref.backward(torch.tensor(np.cos(np.arange(ref.numel()).reshape(ref.shape) + 1.0)))
    assert tuple(out.shape) == tuple(ref.shape) and out.dtype == cl.float64
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-12, atol=1e-12)
    for g, t in zip(grads, ts):
        assert g.shape == tuple(t.shape)
        np.testing.assert_allclose(g, t.grad.numpy(), rtol=1e-12, atol=1e-12)
    lhs, _, rhs = eq.partition("->")
    if "," not in lhs and len(set(lhs)) == len(lhs) == len(rhs):  # only a permutation
        assert type(out.grad_fn).__name__ == type(ref.grad_fn).__name__ == "PermuteBackward0"


@pytest.mark.parametrize("eq,shapes", [c for c in CASES if 0 not in sum(c[1], ())],
                         ids=[c[0] for c in CASES if 0 not in sum(c[1], ())])
def test_gradcheck_finite_differences(eq, shapes):
    ts = tuple(cl.tensor(a, requires_grad=True) for a in _arrays(shapes, seed=1))
    assert cl.autograd.gradcheck(lambda *xs: cl.einsum(eq, *xs), ts)


def test_values_like_numpy_without_torch():
    for eq, shapes in CASES:
        arrays = _arrays(shapes)
        got = cl.einsum(eq, *[cl.tensor(a) for a in arrays]).numpy()
        np.testing.assert_allclose(got, np.einsum(eq, *arrays), rtol=1e-12, atol=1e-12)


LETTERS = "abcd"


@st.composite
def equations(draw):
    """Two operands over a few letters (sizes 1–3), any output subset."""
    size = {c: draw(st.integers(1, 3)) for c in LETTERS}
    terms = [draw(st.lists(st.sampled_from(LETTERS), min_size=0, max_size=3, unique=True))
             for _ in range(2)]
    used = sorted(set(terms[0]) | set(terms[1]))
    out = draw(st.permutations(used).map(lambda p: p[:draw(st.integers(0, len(p)))]))
    eq = ",".join("".join(t) for t in terms) + "->" + "".join(out)
    return eq, [tuple(size[c] for c in t) for t in terms]


@settings(max_examples=60, deadline=None)
@given(equations())
def test_random_equations_grad_equals_the_gradient_by_einsum(case):
    """∂/∂x_k of <c, einsum(eq, x)> equals a direct numpy computation of the same sum."""
    eq, shapes = case
    arrays = _arrays(shapes, seed=2)
    out, grads = _ours(eq, arrays)
    c = np.cos(np.arange(out.numel()).reshape(out.shape) + 1.0)
    lhs, out_term = eq.split("->")
    terms = lhs.split(",")
    for k in range(2):  # the gradient is the einsum with x_k left out (no repeated letters)
        spec = ",".join([out_term, terms[1 - k]]) + "->" + terms[k]
        full = set(terms[k]) - set(out_term) - set(terms[1 - k])
        expect = np.einsum(spec.replace("->" + terms[k], "->" + "".join(
            x for x in terms[k] if x not in full)), c, arrays[1 - k])
        for i, x in enumerate(terms[k]):
            if x in full:
                expect = np.expand_dims(expect, i)
        np.testing.assert_allclose(grads[k], np.broadcast_to(expect, shapes[k]), rtol=1e-10,
                                   atol=1e-12)


def test_permutation_is_a_view_like_torch():
    a = cl.arange(6.0).reshape(2, 3).clone()
    v = cl.einsum("ij->ji", a)
    v[0, 1] = 100.0
    assert a[1, 0].item() == 100.0 and v._base is a
    b = cl.einsum("ij->ij", cl.ones(2, 2))
    assert b.shape == (2, 2)


def test_result_never_aliases_an_input_otherwise():
    a = cl.ones(3, 3)
    d = cl.einsum("ii->i", a)  # numpy returns a diagonal view; torch's result is a new tensor
    d.add_(1.0)
    assert a.sum().item() == 9.0


def test_errors_like_torch():
    with pytest.raises(RuntimeError, match="expected scalar type Float but found Double"):
        cl.einsum("ij,jk->ik", cl.ones(2, 3), cl.ones(3, 4, dtype=cl.float64))
    with pytest.raises(RuntimeError, match="operands were provided than specified"):
        cl.einsum("ij,jk->ik", cl.ones(2, 3))
    with pytest.raises(TypeError, match="must be tuple of Tensors"):
        cl.einsum("ij->ij", np.ones((2, 2)))


def test_no_graph_without_grad_or_under_no_grad():
    a = cl.ones(2, 3, requires_grad=True)
    assert cl.einsum("ij->", cl.ones(2, 3)).grad_fn is None
    with cl.no_grad():
        assert cl.einsum("ij->", a).grad_fn is None
    assert cl.einsum("ij->", a).requires_grad


def test_inplace_change_of_a_saved_input_is_caught():
    a = cl.ones(2, 3, requires_grad=True)
    b = cl.ones(3, 2)
    out = cl.einsum("ij,jk->ik", a, b)
    b.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()


def test_simulated_cuda_stays_on_device_and_mixing_devices_fails():
    old = _backend.simulating()
    cl.cuda.simulate(True)
    try:
        a = cl.ones(2, 3, device="cuda", requires_grad=True)
        b = cl.ones(3, 4, device="cuda")
        out = cl.einsum("ij,jk->ik", a, b)
        assert out.device.type == "cuda"
        out.sum().backward()
        assert a.grad.device.type == "cuda" and np.all(a.grad.cpu().numpy() == 4.0)
        with pytest.raises(RuntimeError, match="same device"):
            cl.einsum("ij,jk->ik", a, cl.ones(3, 4))
    finally:
        cl.cuda.simulate(old)
