"""create_graph=True for the nn ops beyond tests/test_create_graph.py's one row each: the
variants that take other code paths (stride, padding, dilation, groups, overlapping and padded
pooling windows, eval-mode batch norm, in-place activations, BCE targets), first gradients and a
Hessian-vector product against torch in float64; and the torch errors these ops gained.
"""
import sys
from pathlib import Path

import numpy as np
import pytest

import course_lib
from course_lib.autograd import gradgradcheck

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from second_order import assert_same, derivatives, leaves  # noqa: E402

torch = pytest.importorskip("torch")


def _env(T):
    g = np.random.default_rng(0)

    def t(*shape, kind="normal", grad=True):
        x = g.uniform(0.1, 0.9, shape) if kind == "unit" else g.standard_normal(shape)
        return T.tensor(x, dtype=T.float64, requires_grad=grad)

    return {
        "T": T, "F": T.nn.functional,
        "x": t(2, 2, 5, 6), "k": t(3, 2, 3, 2), "kg": t(4, 1, 3, 3), "b": t(3), "b4": t(4),
        "xw": t(1, 2, 6, 10), "xu": t(2, 5, 6), "x3": t(4, 3, 2), "w3": t(3), "w32": t(3, 2),
        "x4": t(2, 4, 3, 3), "rm": t(3, grad=False), "rv": t(3, kind="unit", grad=False),
        "emb": t(5, 3), "idx": T.tensor(g.integers(0, 5, (2, 4))), "a": t(2, 3),
        "p": t(2, 3, kind="unit"), "y": t(2, 3, kind="unit"), "wc": t(3, kind="unit", grad=False),
        "xs": t(1, 2, 4, 4), "ks": t(2, 1, 3, 3), "bs": t(2), "x4s": t(1, 4, 2, 2),
        "xl": t(2, 2, 9), "kl": t(3, 2, 3), "kt": t(2, 3, 3, 2), "ktl": t(2, 3, 2),
    }


CASES = [
    # conv: stride/padding, dilation, groups, the wide (Wo >= 8) path, 'same' with an even kernel,
    # unbatched, one side constant
    "F.conv2d(x, k, b, stride=2, padding=1)",
    "F.conv2d(x, k, None, stride=(1, 2), padding=(2, 1), dilation=(2, 1))",
    "F.conv2d(x, kg, b4, groups=2, padding=1)",
    "F.conv2d(xw, k, b, padding=1) ** 2",
    "F.conv2d(xw, k, b, padding='same')",
    "F.conv2d(xu, k, b)",
    "F.conv2d(x.detach(), k, b)",
    "F.conv2d(x, k.detach())",
    # 1-D and transposed convolutions (one ConvolutionBackward0 each; unbatched: Unsqueeze /
    # Squeeze around it)
    "F.conv1d(xl, kl, b, stride=2, padding=1, dilation=2)",
    "F.conv1d(xl[0], kl, b, padding='same') ** 2",
    "F.conv_transpose2d(x, kt, b, stride=2, padding=1, output_padding=1) ** 2",
    "F.conv_transpose2d(x, kt.detach(), None, dilation=(1, 2))",
    "F.conv_transpose1d(xl, ktl, b, stride=3, padding=1, output_padding=2) ** 2",
    # pooling: overlapping, padded, ceil mode, dilation, unbatched
    "F.max_pool1d(xl, 3, 2, 1) ** 2",
    "F.avg_pool1d(xl, 3, 2, 1, ceil_mode=True) ** 2",
    "F.adaptive_avg_pool1d(xl, 4) ** 2",
    "F.max_pool2d(x, 3, 1, 1) ** 2",
    "F.max_pool2d(x, 2, 2, 1, ceil_mode=True) ** 2",
    "F.max_pool2d(x, (2, 3), (1, 2), dilation=(2, 1)) * x.sum()",
    "F.max_pool2d(xu, 2) ** 2",
    "F.avg_pool2d(x, 3, 2, 1) ** 2",
    "F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False) ** 2",
    "F.avg_pool2d(x, 2, divisor_override=3) * x.mean()",
    "F.adaptive_avg_pool2d(x, (3, 4)) ** 2",
    "F.adaptive_avg_pool2d(xu, 4) ** 2",
    # norms: no affine, 2-D normalized shape, eval and training batch norm, group norm
    "F.layer_norm(x3, (2,))",
    "F.layer_norm(x3, (3, 2), w32, w32 * 2) ** 2",
    "F.batch_norm(x3, rm, rv, w3, b, training=False) ** 2",
    "F.batch_norm(x3, None, None, training=True) ** 2",
    "F.batch_norm(x3, rm.clone(), rv.clone(), w3, b, training=True) ** 3",
    "F.group_norm(x4, 2, b4, b4) ** 2",
    "F.group_norm(x4, 4) ** 2",
    "F.embedding(idx, emb, padding_idx=1) ** 2",
    # padding: constant with a crop (its gradient pads), circular (slice copies, as torch)
    "F.pad(x3, (-1, 2, 1, 0), value=2.0) ** 2",
    "F.pad(x, (1, 2, 2, 1), mode='circular') ** 2",
    "F.pad(x, (-1, 2, 1, 0), mode='circular') ** 2",
    # activations, also in place (the saved input is a copy linked to the input's old graph)
    "F.gelu(a * 2, approximate='tanh') * a",
    "F.leaky_relu(a * 2, 0.3) * a",
    "(lambda z: (F.elu(z, inplace=True), z)[1])(a * 2) * a",
    "(lambda z: (F.mish(z, inplace=True), z)[1])(a * 2) * a",
    "(lambda z: (F.leaky_relu(z, 0.2, inplace=True), z)[1])(a * 2) * a",
    "(lambda z: (F.selu_(z), z)[1])(a * 2) * a",
    "(lambda z: (F.celu(z, 0.5, inplace=True), z)[1])(a * 2) * a",
    "(lambda z: (F.hardtanh_(z, -0.5, 0.5), z)[1])(a * 2) * a",
    "(lambda z: (F.threshold(z, 0.2, 1.0, inplace=True), z)[1])(a * 2) * a",
    "F.prelu(x, b4[:2]) ** 2",
    "F.prelu(a, b4[:1]) * a",
    "F.glu(x4, 1) ** 2",
    "F.softmin(a, 1) ** 2",
    "F.tanhshrink(a) ** 2",
    "F.rms_norm(x3, (3, 2), w32) ** 2",
    "F.rms_norm(x3.transpose(1, 2), (3,), w3) ** 2",
    # binary cross entropy: the target's gradient too, weights, every reduction
    "F.binary_cross_entropy(p, y)",
    "F.binary_cross_entropy(p, y, weight=wc, reduction='none')",
    "F.binary_cross_entropy_with_logits(a, y, reduction='sum')",
    "F.binary_cross_entropy_with_logits(a, y, weight=wc, pos_weight=wc * 3, reduction='none')",
    # smooth L1 / Huber: one node each, input and target (the target broadcast: ExpandBackward0)
    "F.smooth_l1_loss(a * 2, p, beta=0.7) * a.sum()",
    "F.smooth_l1_loss(a * 2, w3, reduction='none') ** 2",
    "F.huber_loss(a * 2, p, delta=0.5, reduction='sum') ** 2",
    "F.huber_loss(a * 2, y, reduction='none') * a",
    # kl_div: torch's ops (xlogy / exp), the target's gradient too; normalize, cosine similarity
    # (broadcast: both expanded), pairwise distance (NormBackward1 for several p)
    "F.kl_div(a, y, reduction='batchmean') * a.sum()",
    "F.kl_div(a, p, reduction='none', log_target=True) ** 2",
    "F.normalize(a * 2, dim=0) ** 2",
    "F.normalize(a, 2, 1, eps=0.5) * a",
    "F.cosine_similarity(a, w3, dim=-1) ** 2",
    "F.cosine_similarity(a * 2, y) * a.sum()",
    "F.pairwise_distance(a, y) ** 2",
    "F.pairwise_distance(a, w3, p=float('inf'), keepdim=True) * a",
    "F.pairwise_distance(a, y, p=0.5) ** 2",
]


@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.parametrize("expr", CASES)
def test_first_and_second_derivatives_like_torch(expr):
    (gs, hv, name), (tgs, thv, torch_name) = (derivatives(T, expr, _env(T))
                                              for T in (course_lib, torch))
    assert name == torch_name
    assert_same(gs + hv, tgs + thv, expr)


@pytest.mark.parametrize("expr", [
    "F.conv2d(xs, ks, bs, stride=2, padding=1, groups=2)",
    "F.max_pool2d(xs, 3, 1, 1)",
    "F.conv_transpose2d(xs, ks, bs, stride=2, groups=2)",
    "F.conv1d(xl, kl, b, groups=1, padding=2)",
    "F.layer_norm(x3, (3, 2), None, w32)",  # torch's own double backward fails on this one
    "F.group_norm(x4s, 2, b4, b4)",
])
def test_gradgradcheck_variants(expr):
    env = _env(course_lib)
    names = leaves(expr, env)

    def f(*xs):
        return eval(expr, {**env, **dict(zip(names, xs))})
    assert gradgradcheck(f, tuple(env[n] for n in names))


@pytest.mark.parametrize("expr", [
    "F.binary_cross_entropy(p, y, weight=w3)",
    "F.binary_cross_entropy_with_logits(a, y, weight=w3)",
    "F.binary_cross_entropy_with_logits(a, y, pos_weight=w3)",
    "F.group_norm(x4, 2, w3)",
    "F.group_norm(x4, 2, None, w3)",
    "F.group_norm(x4, 2, b4, b4.reshape(2, 2))",
    "conv_then_inplace(x.detach(), k)",
])
def test_same_error_as_torch(expr):
    errors = []
    for T in (course_lib, torch):
        env = _env(T)

        def conv_then_inplace(x, k):
            y = T.nn.functional.conv2d(x, k)
            x.add_(1)  # the saved input changed: backward refuses
            y.sum().backward()
        env["conv_then_inplace"] = conv_then_inplace
        with pytest.raises(RuntimeError) as e:
            eval(expr, env)
        errors.append(str(e.value).replace("torch.", "course_lib."))
    assert errors[0] == errors[1]


def test_weights_without_grad_mode_are_fine():
    for T in (course_lib, torch):
        env = _env(T)
        with T.no_grad():
            out = T.nn.functional.binary_cross_entropy_with_logits(env["a"], env["y"],
                                                                    pos_weight=env["w3"])
        assert out.grad_fn is None
