"""Channel dropout (dropout1d/2d/3d, nn.Dropout1d/2d/3d), alpha dropout (alpha_dropout,
feature_alpha_dropout, nn.AlphaDropout, nn.FeatureAlphaDropout) and nn.Softmax2d against torch
2.13: shapes, reprs, warnings and errors equal; the random masks (other generators) compared by
their statistics and by what the gradient must be."""
import warnings

import numpy as np
import pytest

import course_lib

torch = pytest.importorskip("torch")

CASES = [
    "F.dropout2d(x[0], 0.5).shape", "F.dropout2d(x[0, 0], 0.5).shape",
    "F.dropout1d(x[0, 0], 0.5).shape", "F.dropout1d(x, 0.5)", "F.dropout1d(x[0, 0, 0], 0.5)",
    "F.dropout3d(x, 0.5).shape", "F.dropout3d(x[0], 0.5).shape", "F.dropout3d(x[0, 0], 0.5).shape",
    "F.dropout2d(x, 1.5)", "F.dropout2d(x, -0.1)", "F.dropout2d(x, 0.5, training=False) is x",
    "F.dropout2d(x, 0.0) is x", "F.dropout2d(x, 1.0).abs().sum()", "F.dropout2d(x.long(), 0.5)",
"F.alpha_dropout(x, 0.5, False) is x", "F.alpha_dropout(x, 0.5).grad_fn",
    "F.alpha_dropout(x, 1.0, True)", "F.alpha_dropout(x, 0.5, True).grad_fn",
    "F.feature_alpha_dropout(x, 0.5, True).shape", "F.feature_alpha_dropout(x[0, 0, 0], 0.5, True)",
    "F.dropout2d(x.requires_grad_(), 0.5).grad_fn", "F.dropout3d(x.requires_grad_(), 0.5).grad_fn",
    "F.dropout1d(T.ones(2, 3, 5), 0.5, inplace=True).shape",
    "nn.Dropout2d(0.3)", "nn.Dropout1d()", "nn.Dropout3d(0.1, True)", "nn.AlphaDropout(0.2)",
    "nn.FeatureAlphaDropout(0.7)", "nn.Dropout2d(1.1)", "nn.Dropout2d().eval()(x) is x",
    "nn.Softmax2d()", "nn.Softmax2d()(x[0, 0])", "nn.Softmax2d()(x[0]).sum()",
    "nn.Softmax2d()(x).sum((1,))", "nn.Sequential(nn.Dropout3d(), nn.FeatureAlphaDropout(0.1))",
]


def _outcome(T, expr):
    env = {"T": T, "F": T.nn.functional, "nn": T.nn, "x": T.ones(2, 3, 4, 4)}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            text = repr(eval(expr, env)).replace("torch", "T").replace("course_lib", "T")
            got = " ".join(w.split(" object at ")[0] for w in text.split("<"))
        except Exception as e:  # noqa: BLE001 - the error is what we compare
            got = f"{type(e).__name__}: {e}"
    return got, [str(w.message) for w in caught]


@pytest.mark.parametrize("expr", CASES)
def test_like_torch(expr):
    assert _outcome(course_lib, expr) == _outcome(torch, expr)


@pytest.mark.parametrize("name,shape,dims", [("dropout1d", (50, 40, 7), (2,)),
                                             ("dropout2d", (50, 40, 3, 3), (2, 3)),
                                             ("dropout3d", (50, 40, 2, 2, 2), (2, 3, 4))])
def test_channels_drop_whole_and_the_rest_scales(name, shape, dims):
    course_lib.manual_seed(0)
    x = course_lib.rand(*shape, dtype=course_lib.float64) + 0.5
    x.requires_grad_()
    y = getattr(course_lib.nn.functional, name)(x, 0.25)
    ratio = (y / x).detach().numpy()
    per_channel = ratio.reshape(shape[0], shape[1], -1)
    np.testing.assert_allclose(per_channel.min(-1), per_channel.max(-1))  # kept or dropped whole
    assert set(np.unique(per_channel.round(12))) <= {0.0, round(1 / 0.75, 12)}
    assert abs((per_channel[..., 0] == 0).mean() - 0.25) < 0.05
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), ratio)  # the gradient is the mask


def test_alpha_dropout_keeps_mean_and_variance():
    course_lib.manual_seed(0)
    z = course_lib.randn(400_000, dtype=course_lib.float64)
    y = course_lib.nn.functional.alpha_dropout(z, 0.2, True)
    assert abs(y.mean().item()) < 0.01 and abs(y.std().item() - 1) < 0.01
    alpha, p = 1.7580993408473766, 0.2  # every dropped unit gets −α·a·(1 − p)
    a = 1 / np.sqrt((alpha * alpha * p + 1) * (1 - p))
    dropped = y[(y + alpha * a * (1 - p)).abs() < 1e-12]
    assert abs(dropped.numel() / z.numel() - 0.2) < 0.01


def test_dropout2d_module_uses_training_flag():
    m = course_lib.nn.Dropout2d(0.5)
    x = course_lib.ones(8, 16, 2, 2)
    assert (m(x) == 0).any()
    m.eval()
    assert m(x) is x
