"""Values, gradients and grad_fn names of many ops equal torch's (float64), and finite differences.

每个运算的数值、梯度与 grad_fn 名称都与 torch 相同；并用有限差分检查梯度。
"""
import numpy as np
import pytest

import course_lib as cl

# name -> (function of (lib, *tensors), input shapes, positive inputs?)
OPS = {
    "add": (lambda t, a, b: a + b, [(3, 4), (4,)], False),
    "add_scalar": (lambda t, a: a + 1.5, [(3,)], False),
    "radd": (lambda t, a: 2 + a, [(3,)], False),
    "sub": (lambda t, a, b: a - b, [(2, 3), (2, 1)], False),
    "rsub": (lambda t, a: 1 - a, [(3,)], False),
    "mul": (lambda t, a, b: a * b, [(2, 3), (3,)], False),
    "mul_scalar": (lambda t, a: a * 3, [(2, 3)], False),
    "div": (lambda t, a, b: a / b, [(2, 3), (2, 3)], True),
    "rdiv": (lambda t, a: 2 / a, [(3,)], True),
    "pow_scalar": (lambda t, a: a ** 3, [(4,)], False),
    "pow_half": (lambda t, a: a.pow(0.5), [(4,)], True),
    "rpow": (lambda t, a: 2 ** a, [(4,)], False),
    "pow_tensor": (lambda t, a, b: a ** b, [(3,), (3,)], True),
    "neg": (lambda t, a: -a, [(3,)], False),
    "exp": (lambda t, a: a.exp(), [(3, 2)], False),
    "log": (lambda t, a: a.log(), [(3,)], True),
    "log1p": (lambda t, a: t.log1p(a), [(3,)], True),
    "sqrt": (lambda t, a: a.sqrt(), [(3,)], True),
    "rsqrt": (lambda t, a: a.rsqrt(), [(3,)], True),
    "abs": (lambda t, a: a.abs(), [(5,)], False),
    "sin": (lambda t, a: t.sin(a), [(3,)], False),
    "cos": (lambda t, a: a.cos(), [(3,)], False),
    "tanh": (lambda t, a: a.tanh(), [(3,)], False),
    "sigmoid": (lambda t, a: t.sigmoid(a), [(2, 3)], False),
    "relu": (lambda t, a: a.relu(), [(6,)], False),
    "clamp": (lambda t, a: a.clamp(-0.5, 0.5), [(6,)], False),
    "clamp_min": (lambda t, a: a.clamp(min=0.1), [(6,)], False),
    "maximum": (lambda t, a, b: t.maximum(a, b), [(3,), (2, 3)], False),
    "where": (lambda t, a, b: t.where(a > 0, a, b), [(2, 3), (3,)], False),
    "sum": (lambda t, a: a.sum(), [(2, 3)], False),
    "sum_dim": (lambda t, a: a.sum(1), [(2, 3)], False),
    "sum_dims_keep": (lambda t, a: a.sum((0, 2), keepdim=True), [(2, 3, 4)], False),
    "mean": (lambda t, a: a.mean(), [(2, 3)], False),
    "mean_dim": (lambda t, a: a.mean(-1), [(2, 3)], False),
    "max": (lambda t, a: a.max(), [(2, 3)], False),
    "max_dim": (lambda t, a: a.max(1)[0], [(2, 3)], False),
    "min_dim_keep": (lambda t, a: a.min(0, keepdim=True).values, [(2, 3)], False),
    "amax": (lambda t, a: a.amax(1), [(2, 3)], False),
    "prod": (lambda t, a: a.prod(), [(2, 3)], False),
    "prod_dim": (lambda t, a: a.prod(1), [(2, 3)], False),
    "var": (lambda t, a: a.var(), [(2, 3)], False),
    "std_dim": (lambda t, a: a.std(0), [(4, 3)], False),
    "var_biased": (lambda t, a: a.var(1, unbiased=False), [(2, 3)], False),
    "softmax": (lambda t, a: a.softmax(1), [(2, 3)], False),
    "log_softmax": (lambda t, a: a.log_softmax(-1), [(2, 3)], False),
    "logsumexp": (lambda t, a: a.logsumexp(1), [(2, 3)], False),
    "cumsum": (lambda t, a: a.cumsum(0), [(3, 2)], False),
    "mm": (lambda t, a, b: a @ b, [(2, 3), (3, 4)], False),
    "mv": (lambda t, a, b: a @ b, [(2, 3), (3,)], False),
    "dot": (lambda t, a, b: a @ b, [(3,), (3,)], False),
    "vm": (lambda t, a, b: a @ b, [(3,), (3, 2)], False),
    "bmm": (lambda t, a, b: t.bmm(a, b), [(2, 2, 3), (2, 3, 4)], False),
    "matmul_bcast": (lambda t, a, b: a @ b, [(2, 2, 3), (3, 4)], False),
    "addmm": (lambda t, c, a, b: t.addmm(c, a, b), [(4,), (2, 3), (3, 4)], False),
    "view": (lambda t, a: a.view(3, 2), [(2, 3)], False),
    "reshape_t": (lambda t, a: a.t().reshape(6), [(2, 3)], False),
    "flatten": (lambda t, a: a.flatten(), [(2, 3)], False),
    "t": (lambda t, a: a.t(), [(2, 3)], False),
    "T": (lambda t, a: a.T, [(2, 3)], False),
    "transpose": (lambda t, a: a.transpose(0, 2), [(2, 3, 4)], False),
    "permute": (lambda t, a: a.permute(2, 0, 1), [(2, 3, 4)], False),
    "squeeze": (lambda t, a: a.squeeze(), [(2, 1, 3)], False),
    "squeeze_dim": (lambda t, a: a.squeeze(1), [(2, 1, 3)], False),
    "unsqueeze": (lambda t, a: a.unsqueeze(-1), [(2, 3)], False),
    "expand": (lambda t, a: a.expand(4, 3), [(3,)], False),
    "contiguous": (lambda t, a: a.t().contiguous(), [(2, 3)], False),
    "clone": (lambda t, a: a.clone(), [(2, 3)], False),
    "cat": (lambda t, a, b: t.cat([a, b], 1), [(2, 3), (2, 2)], False),
    "stack": (lambda t, a, b: t.stack([a, b], 1), [(2, 3), (2, 3)], False),
    "split": (lambda t, a: a.split(2)[1], [(5, 2)], False),
    "chunk": (lambda t, a: a.chunk(2, 1)[0], [(2, 4)], False),
    "unbind": (lambda t, a: a.unbind(1)[2], [(2, 3)], False),
    "select": (lambda t, a: a[1], [(3, 2)], False),
    "slice": (lambda t, a: a[1:], [(3, 2)], False),
    "slice_select": (lambda t, a: a[1:, 0], [(3, 2)], False),
    "index_list": (lambda t, a: a[[0, 2, 0]], [(3, 2)], False),
    "index_mask": (lambda t, a: a[a > 0], [(3, 2)], False),
    "none_index": (lambda t, a: a[None], [(3, 2)], False),
    "repeat": (lambda t, a: a.repeat(2, 1), [(2, 3)], False),
    "to_float": (lambda t, a: a.float(), [(3,)], False),
    "masked_fill": (lambda t, a: a.masked_fill(a > 0, 0.0), [(2, 3)], False),
    "sort": (lambda t, a: a.sort(1, descending=True)[0], [(2, 4)], False),
    "topk": (lambda t, a: a.topk(2, 0).values, [(4, 3)], False),
    "gather": (lambda t, a: a.gather(1, t.tensor([[0, 0], [2, 1]])), [(2, 3)], False),
    "index_select": (lambda t, a: a.index_select(0, t.tensor([1, 1, 0])), [(2, 3)], False),
    "tril": (lambda t, a: a.tril(), [(3, 3)], False),
    "narrow": (lambda t, a: a.narrow(1, 1, 2), [(2, 4)], False),
    "norm": (lambda t, a: a.norm(), [(2, 3)], False),
    "norm_dim": (lambda t, a: a.norm(dim=1), [(2, 3)], False),
    "where_scalar": (lambda t, a: t.where(a > 0, a, 0.0), [(2, 3)], False),
    "tan": (lambda t, a: a.tan(), [(3,)], False),
    "log10": (lambda t, a: t.log10(a), [(3,)], True),
    "expm1": (lambda t, a: a.expm1(), [(3,)], False),
    "sinh": (lambda t, a: a.sinh(), [(3,)], False),
    "masked_select": (lambda t, a: a.masked_select(a > 0), [(2, 3)], False),
    "index_mixed": (lambda t, a: a[0, :, [0, 1]], [(2, 3, 4)], False),
    "index_chain": (lambda t, a: a[1:, None, 0, ::2], [(3, 2, 4)], False),
    "index_bool_rows": (lambda t, a: a[a[:, 0] > 0, 1:], [(4, 3)], False),
    "add_alpha": (lambda t, a, b: a.add(b, alpha=2.5), [(3,), (2, 3)], False),
    "sub_alpha": (lambda t, a, b: t.sub(a, b, alpha=-1.5), [(2, 3), (3,)], False),
    "lerp": (lambda t, a, b: a.lerp(b, 0.3), [(3,), (3,)], False),
}


def _inputs(shapes, positive, seed):
    g = np.random.default_rng(seed)
    out = []
    for s in shapes:
        a = g.standard_normal(s)
        out.append(np.abs(a) + 0.5 if positive else a)
    return out


def _run(lib, fn, arrays):
    ts = [lib.tensor(a, dtype=lib.float64, requires_grad=True) for a in arrays]
    y = fn(lib, *ts)
    w = lib.tensor(np.linspace(-1, 1, y.numel()).reshape(tuple(y.shape)), dtype=y.dtype)
    (y * w).sum().backward()
    return y, [t.grad for t in ts]


@pytest.mark.parametrize("name", sorted(set(OPS) - {"to_float"}))  # float32 is too coarse
def test_finite_differences(name):
    fn, shapes, positive = OPS[name]
    arrays = _inputs(shapes, positive, 1)
    y, grads = _run(cl, fn, arrays)
    w = np.linspace(-1, 1, y.numel()).reshape(tuple(y.shape))
    eps = 1e-6
    for i, a in enumerate(arrays):
        num = np.zeros_like(a)
        for j in range(a.size):
            for sgn in (1, -1):
                b = [x.copy() for x in arrays]
                b[i].reshape(-1)[j] += sgn * eps
                with cl.no_grad():
                    val = (fn(cl, *[cl.tensor(x) for x in b])._data * w).sum()
                num.reshape(-1)[j] += sgn * val / (2 * eps)
        assert grads[i] is not None
        np.testing.assert_allclose(grads[i].numpy(), num, rtol=1e-5, atol=1e-6, err_msg=name)


@pytest.mark.parametrize("name", sorted(OPS))
def test_matches_torch(name):
    torch = pytest.importorskip("torch")
    fn, shapes, positive = OPS[name]
    arrays = _inputs(shapes, positive, 2)
    y, grads = _run(cl, fn, arrays)
    ty, tgrads = _run(torch, fn, arrays)
    assert type(y.grad_fn).__name__ == type(ty.grad_fn).__name__
    assert tuple(y.shape) == tuple(ty.shape)
    assert str(y.dtype).split(".")[-1] == str(ty.dtype).split(".")[-1]
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-7, atol=1e-12)
    for g, tg in zip(grads, tgrads):
        np.testing.assert_allclose(g.numpy(), tg.numpy(), rtol=1e-7, atol=1e-12, err_msg=name)
