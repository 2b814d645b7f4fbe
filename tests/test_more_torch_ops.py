"""torch functions and Tensor methods added for breadth, each run on course_lib and on torch
2.13: printed results (values, dtype, shape, grad_fn), gradients and errors must be the same.

fmax/fmin, copysign, ldexp, logaddexp/logaddexp2, float_power, heaviside, sgn, signbit, positive,
logical_xor, aminmax, std_mean/var_mean, unfold, ravel, fliplr/flipud, diag/diagflat,
index_fill/index_copy, tril/triu_indices, windows, vander, combinations, unravel_index, isin,
is_nonzero & co., and torch's aten forms of nn.functional ops (torch.dropout(x, p, train) …)."""
import numpy as np
import pytest

import course_lib

torch = pytest.importorskip("torch")


def _env(T):
    g = np.random.default_rng(0)

    def t(*shape, grad=True):
        return T.tensor(g.standard_normal(shape), dtype=T.float64, requires_grad=grad)
    nan = float("nan")
    return {"T": T, "F": T.nn.functional, "a": t(2, 3), "b": t(2, 3), "c": t(3), "s": t(),
            "m": t(3, 4), "i": T.tensor([[1, -2, 0], [3, 4, -5]]),
            "f": T.tensor([1.0, nan, 3.0, -0.0]), "h": T.tensor([2.0, 1.0, nan, 0.0]),
            "bt": T.tensor([True, False]), "u8": T.tensor([1, 2], dtype=T.uint8),
            "x": T.arange(12.0).reshape(3, 4), "k": T.tensor([0, 2])}


# expressions whose printed result (or error) must equal torch's
SAME = [
    # pointwise
    "T.fmax(a, b)", "T.fmin(a, b)", "T.fmax(f, h)", "T.fmin(f, h)", "T.fmax(i, i * 2)",
    "T.fmax(i, f[:3])", "T.fmax(bt, bt)", "T.fmax(a, 2.0)", "a.fmax(b)",
    "T.fmax(a, c[:2])",
    "T.logaddexp(a, b)", "T.logaddexp2(a, b)", "T.logaddexp(i, i)", "T.logaddexp(bt, bt)",
    "T.logaddexp2(i[0], f[:3])", "T.logaddexp(a, 2.0)", "a.logaddexp2(b)", "T.logaddexp2(i, i)",
    "T.copysign(a, b)", "T.copysign(a, -1.5)", "T.copysign(i, i)", "T.copysign(i, -1)",
    "T.copysign(f, h)", "T.copysign(2.0, f)", "T.copysign(bt, u8)", "a.copysign(-0.0)",
    "T.ldexp(a, b)", "T.ldexp(i, i)", "T.ldexp(a, 2)", "T.ldexp(f, k.repeat(2))", "T.ldexp(bt, u8)",
    "T.float_power(a, 2)", "T.float_power(a, b)", "T.float_power(i, 2)", "T.float_power(2, f)",
    "T.float_power(i, i)", "a.float_power(0.5)", "T.float_power(2, 3)",
    "a.clone().float_power_(2)", "f.clone().float_power_(2)",
    "T.heaviside(a, b)", "T.heaviside(i, i)", "T.heaviside(f, h)", "T.heaviside(f, 0.5)",
    "T.heaviside(i, f[:3])",
    "a.sgn()", "T.sgn(i)", "T.sgn(bt)", "T.sgn(f)", "i.clone().sgn_()",
    "T.signbit(a)", "T.signbit(i)", "T.signbit(f)", "T.signbit(bt)", "T.signbit(u8)",
    "a.positive()", "T.positive(i)", "T.positive(bt)", "+bt", "+a",
    "T.logical_xor(a, b > 0)", "T.logical_xor(i, f[:3])", "T.logical_xor(i, 0)",
    "a.logical_xor(1.0)", "T.logical_and(a, 0)", "T.logical_or(i, i)", "x.clone().logical_xor_(x > 5)",
    "a.fix()", "T.fix(i)", "T.greater(a, b)", "T.less_equal(i, 0)", "T.not_equal(a, a)",
    "T.greater_equal(a, b)", "T.less(a, 0.5)",
    "a.clone().copysign_(-1)", "i.clone().copysign_(-1)", "a.clone().ldexp_(i)",
    "a.detach().clone().hypot_(b.detach())", "a.detach().clone().atan2_(b.detach())",
    "i.clone().heaviside_(i)",
    # reductions
    "T.aminmax(a)", "T.aminmax(a, dim=1)", "T.aminmax(a, dim=0, keepdim=True)", "T.aminmax(i)",
    "T.aminmax(bt)", "a.aminmax(dim=-1)", "T.aminmax(s, dim=0)", "T.aminmax(a, 0)",
    "T.aminmax(T.zeros(0, 3), dim=1)", "T.aminmax(T.zeros(0, 3), dim=0)", "T.aminmax(T.zeros(0))",
    "T.aminmax(s, dim=1)", "T.aminmax(a, dim=None, keepdim=True)",
    "T.std_mean(a)", "T.std_mean(a, 1)", "T.std_mean(a, 1, keepdim=True)",
    "T.std_mean(a, dim=1, correction=0)", "T.std_mean(a, False)", "T.std_mean(a, unbiased=False)",
    "T.var_mean(a, [0, 1])", "T.var_mean(a, 0)", "T.var_mean(i)", "T.var_mean(x, (0, 1))",
    "T.var_mean(x, -1, keepdim=True, correction=2)",
    # shape
    "a.unfold(1, 2, 1)", "m.unfold(0, 2, 1)", "m.unfold(1, 2, 2)", "m.unfold(-1, 3, 1)",
    "x.unfold(1, 4, 3)", "x.unfold(1, 0, 1)", "s.unfold(0, 1, 1)", "x.unfold(2, 1, 1)",
    "x.unfold(1, 5, 1)", "x.unfold(1, 2, 0)", "x.unfold(1, 2, 1).stride()", "x.t().unfold(0, 2, 1)",
    "x.unfold(0, 2, 1).storage_offset()", "x.unfold(1, 2, 1)[1].storage_offset()",
    "a.ravel()", "a.t().ravel()", "s.ravel()", "T.ravel(x[:, 1:])",
    "a.fliplr()", "a.flipud()", "T.fliplr(c)", "T.flipud(s)", "T.flipud(c)",
    "T.diag(m)", "T.diag(m, 1)", "T.diag(m, -2)", "T.diag(m, 9)", "m.diag(-1)", "T.diag(c)",
    "T.diag(c, -1)", "T.diag(a[0].unsqueeze(0).unsqueeze(0))",
    "T.diagflat(a)", "T.diagflat(c, 1)", "a.diagflat(-2)", "T.diagflat(s)",
    # index_fill / index_copy
    "a.index_fill(1, k, 2.0)", "a.index_fill(1, k, s)", "a.index_fill(1, k, T.tensor([2.0]))",
    "a.index_fill(1, k.float(), 2.0)", "a.index_fill(1, T.tensor([9]), 2.0)",
    "a.index_fill(1, T.tensor([[1]]), 2.0)", "T.index_fill(a, 1, k, 2)",
    "T.index_fill(a, 0, T.tensor(1), -1.0)", "s.index_fill(0, T.tensor([0]), 1.0)",
    "T.zeros(3, dtype=T.long).index_fill(0, T.tensor([0]), 1.5)", "a.index_fill(1, T.tensor([-1]), 2.0)",
    "a.detach().clone().index_fill_(0, T.tensor([1]), 3.0)", "a.index_fill(-1, k, 2.0)",
    "a.index_copy(1, k, b[:, :2])", "a.index_copy(1, k.float(), b[:, :2])",
    "a.index_copy(1, T.tensor([[0, 2]]), b[:, :2])", "a.index_copy(1, k, b[:, :2].float())",
    "a.index_copy(1, k, b)", "a.index_copy(1, k, T.ones(2, 2, dtype=T.float64))",
    "a.index_copy(1, T.tensor([0, 5]), b[:, :2])", "a.index_copy(1, T.tensor([-1, 0]), b[:, :2])",
    "T.index_copy(a, 0, T.tensor([1]), b[:1])", "T.zeros(5).index_copy_(0, T.tensor([4, 0]), T.tensor([1.0, 2.0]))",
    "T.index_copy(a, 0, T.tensor(1), b[0])",
    # creation
    "T.tril_indices(3, 4, 1)", "T.triu_indices(4, 3, -1)", "T.tril_indices(0, 0)",
    "T.tril_indices(3, 3, dtype=T.int32)", "T.triu_indices(3, 3, dtype=T.float)",
    "T.triu_indices(2, 5, 2)",
    "T.hann_window(5)", "T.hann_window(5, periodic=False)", "T.hamming_window(4)",
    "T.hamming_window(4, False, 0.5, 0.5)", "T.bartlett_window(5)", "T.bartlett_window(6, False)",
    "T.kaiser_window(5)", "T.kaiser_window(5, False, 8.0)", "T.hann_window(1)", "T.hann_window(0)",
    "T.hann_window(4, dtype=T.float64)", "T.hann_window(4, dtype=T.long)", "T.hann_window(2.0)",
    "T.hann_window(3, requires_grad=True)", "T.blackman_window(7, False, dtype=T.float64)",
    "T.blackman_window(5)", "T.blackman_window(6, dtype=T.float64)", "T.hamming_window(7, False)",
    "T.bartlett_window(1)", "T.bartlett_window(2)", "T.kaiser_window(6, dtype=T.float64)",
    "T.vander(T.tensor([1, 2, 3]))", "T.vander(T.tensor([1.0, 2, 3]), N=2, increasing=True)",
    "T.vander(x)", "T.vander(T.tensor([1, 2], dtype=T.int32)).dtype", "T.vander(bt)",
    "T.vander(c, N=0)", "T.vander(c, N=1)", "T.vander(c, N=3)", "T.vander(c, 4, True)",
    "T.vander(c, N=-1)",
    "T.combinations(T.tensor([1, 2, 3]), r=3)", "T.combinations(T.tensor([1, 2, 3]), with_replacement=True)",
    "T.combinations(T.tensor([1, 2, 3]), r=0)", "T.combinations(x)", "T.combinations(c, r=4)",
    "T.combinations(c)", "T.combinations(c, 3, True).shape", "T.combinations(T.zeros(0))",
    "T.unravel_index(T.tensor([4, 5]), (2, 3))", "T.unravel_index(T.tensor(7), (2, 3))",
    "T.unravel_index(T.tensor(-1), (2, 3))", "T.unravel_index(T.tensor([[1, 2]]), 6)",
    "T.unravel_index(T.tensor([3]), T.Size([2, 2]))",
    "T.isin(x, T.tensor([1.0, 4.0]))", "T.isin(x, 4.0)", "T.isin(4.0, x)",
    "T.isin(x, T.tensor([1, 4]), invert=True)", "T.isin(T.tensor([1, 2]), T.tensor([1.5, 2.0]))",
    "T.isin(1.0, 2.0)", "T.isin(f, h)",
    # metadata
    "x.is_nonzero()", "T.tensor([0.0]).is_nonzero()", "T.tensor([]).is_nonzero()",
    "T.is_nonzero(T.tensor(2))", "x.is_same_size(x.t())", "T.is_same_size(x, x + 1)",
    "bt.is_signed()", "u8.is_signed()", "T.is_signed(x)", "i.is_signed()", "x.get_device()",
    "T.get_device(x)", "x[1, 1:].storage_offset()", "x.t()[1].storage_offset()",
    "x.storage_offset()", "x[2].view(2, 2)[1].storage_offset()", "T.is_complex(x)",
    # torch's aten forms of nn.functional ops
    "T.embedding(m, T.tensor([1, 2]))", "T.embedding(m, T.tensor([1, 2]), 1)",
    "T.dropout(a, 0.5)", "T.dropout(a, 0.5, False)", "T.dropout(a, 0.0, True)", "T.dropout(a)",
    "T.threshold(a, 1.0)", "T.celu()", "T.batch_norm(a)",
    "T.layer_norm(a, [3])", "T.layer_norm(a, (3,), c, c, 1e-3)", "T.selu(a)", "T.selu(a, inplace=True)",
    "T.celu(a, 2.0)", "T.threshold(a, 0.1, 20.0)", "T.max_pool1d(x[None], 2)",
    "T.max_pool2d(x[None, None], 2)", "T.group_norm(x[None], 1)",
    "T.batch_norm(a, None, None, None, None, True, 0.1, 1e-5, False)", "T.rms_norm(a, [3])",
    "T.conv1d(x[None], T.ones(2, 3, 2))", "T.hardshrink(a, 0.5)", "T.cosine_similarity(a, b)",
    "T.pairwise_distance(a, b)", "T.prelu(a, T.tensor([0.5], dtype=T.float64))",
    "T.avg_pool1d(x[None], 2)", "T.adaptive_avg_pool1d(x[None], 2)",
]

# (torch's message differs only in how it names a dtype: course_lib.float32 vs torch.float32)
_TYPE_ONLY = {"T.unravel_index(T.tensor([1.0]), (2, 3))"}
SAME += sorted(_TYPE_ONLY)


def _outcome(T, expr):
    env = _env(T)
    T.manual_seed(0)
    try:
        r = eval(expr, env)
    except Exception as e:  # noqa: BLE001 - the error is what we compare
        msg = str(e).split("(Triggered internally")[0]
        return type(e).__name__, "" if expr in _TYPE_ONLY else msg.strip()
    text = repr(r).replace("torch", "T").replace("course_lib", "T")
    return "ok", " ".join(w.split(" object at ")[0] for w in text.split("<"))


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("expr", SAME)
def test_prints_like_torch(expr):
    assert _outcome(course_lib, expr) == _outcome(torch, expr)


# expressions whose gradients (for the env's float64 leaves) must equal torch's
GRADS = [
    "T.fmax(a, b)", "T.fmin(a, b * 0 + a.detach())", "T.fmax(a, b.detach() * 0 + a.detach())",
    "T.fmax(a, c)", "T.logaddexp(a, b)", "T.logaddexp2(a, c)", "T.copysign(a, b)",
    "T.copysign(a, -1.0)", "T.ldexp(a, b)", "T.float_power(a, b)", "T.float_power(a.abs(), 0.5)",
    "a.sgn() * a", "T.aminmax(a).min + T.aminmax(a).max", "T.aminmax(a, dim=0).max * 2",
    "T.aminmax(T.cat([a, a.detach()]), dim=0).min",
    "T.std_mean(a)[0] + T.std_mean(a)[1]", "T.std_mean(a, 1)[1] * 3", "T.var_mean(a, 0)[0]",
    "(lambda r: r[0] * r[1])(T.var_mean(m, (0, 1), keepdim=True))",
    "(lambda r: r[0] / r[1])(T.std_mean(m, -1, correction=0))",
    "a.unfold(1, 2, 1)", "m.unfold(1, 3, 1).sum(-1)", "m.unfold(0, 2, 1) * 2", "s.unfold(0, 1, 1)",
    "a.t().ravel()", "a.fliplr() * b", "T.diag(m, 1)", "T.diag(c, -1)", "T.diagflat(a, 1)",
    "a.index_fill(1, k, 2.0)", "a.index_fill(1, k, s)", "a.index_copy(1, k, b[:, :2])",
    "a.index_copy(0, T.tensor([1, 1]), b)",
    "T.combinations(c)", "T.combinations(c, 2, True)", "T.dropout(a, 0.0, True)",
    "T.layer_norm(a, [3], c, c)", "T.selu(a)", "T.celu(a, 0.5)", "T.threshold(a, 0.1, 2.0)",
]


def _grads(T, expr):
    env = _env(T)
    out = eval(expr, env)
    names = [n for n in ("a", "b", "c", "s", "m") if n in expr]
    go = T.tensor(np.random.default_rng(1).standard_normal(tuple(out.shape)), dtype=out.dtype)
    gs = T.autograd.grad(out, [env[n] for n in names], go, allow_unused=True)
    return [None if g is None else g.detach().numpy() for g in gs]


@pytest.mark.parametrize("expr", GRADS)
def test_gradients_like_torch(expr):
    for mine, theirs in zip(_grads(course_lib, expr), _grads(torch, expr)):
        if theirs is None:
            assert mine is None or not mine.any()
        else:
            np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-12)


def test_ldexp_gradient_is_the_true_one_for_negative_integer_exponents():
    """torch computes ldexp's gradient as g·2**other in the exponent's dtype, so 2**-1 is 0 for
    an integer exponent; course_lib gives the true derivative (checked by finite differences)."""
    x = course_lib.tensor([0.3, -0.2, 0.7], dtype=course_lib.float64, requires_grad=True)
    e = course_lib.tensor([1, -1, -3])
    course_lib.ldexp(x, e).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 0.5, 0.125])
    assert course_lib.autograd.gradcheck(lambda t: course_lib.ldexp(t, e), (x,))


def test_vander_gradient_by_finite_differences():
    """(torch 2.13 cannot differentiate its own vander: "modified by an inplace operation")"""
    c = course_lib.tensor([0.5, -1.2, 2.0], dtype=course_lib.float64, requires_grad=True)
    gc = course_lib.autograd
    assert gc.gradcheck(course_lib.vander, (c,)) and gc.gradgradcheck(course_lib.vander, (c,))
    assert gc.gradcheck(lambda t: course_lib.vander(t, 4, True), (c,))


def test_heaviside_has_no_derivative_as_in_torch():
    for T in (course_lib, torch):
        x = T.tensor([1.0, 0.0, -2.0], requires_grad=True)
        y = T.heaviside(x, T.tensor([0.5]))
        assert y.grad_fn.name() == "torch::autograd::NotImplemented"
        with pytest.raises(RuntimeError, match="derivative for aten::heaviside is not implemented"):
            y.sum().backward()


def test_unfold_is_a_view_and_windows_overlap():
    x = course_lib.arange(6.0)
    w = x.unfold(0, 3, 1)
    x[2] = 100.0
    assert w[:, 0].tolist() == [0.0, 1.0, 100.0, 3.0] and w[0, 2].item() == 100.0
    assert w._base is x


def test_std_mean_is_one_node_with_two_outputs():
    a = course_lib.randn(3, 4, dtype=course_lib.float64, requires_grad=True)
    s, m = course_lib.std_mean(a, 1)
    assert s.grad_fn is m.grad_fn and (s.output_nr, m.output_nr) == (0, 1)
    assert course_lib.autograd.gradgradcheck(lambda t: course_lib.std_mean(t, 0), (a,))
    lo, hi = course_lib.aminmax(a, dim=1)
    assert lo.grad_fn is hi.grad_fn
