"""F.interpolate (every mode: nearest, nearest-exact, linear, bilinear, bicubic, trilinear, area;
size or scale_factor, align_corners, recompute_scale_factor), nn.Upsample, UpsamplingNearest2d,
UpsamplingBilinear2d and the deprecated F.upsample* against torch 2.13: values, gradients and
grad_fn in float64 (1e-12) and float32, module reprs, warnings, errors."""
import warnings

import numpy as np
import pytest

import course_lib as cl

torch = pytest.importorskip("torch")

MODES = [((2, 3, 5), "nearest"), ((2, 3, 5), "nearest-exact"), ((2, 3, 5), "linear"),
         ((2, 3, 4, 5), "nearest"), ((2, 3, 4, 5), "nearest-exact"), ((2, 3, 4, 5), "bilinear"),
         ((2, 3, 4, 5), "bicubic"), ((2, 3, 7, 5), "area"), ((1, 2, 3, 4, 5), "nearest"),
         ((1, 2, 3, 4, 5), "trilinear"), ((2, 3, 9), "area")]
SIZES = ["size=7", "size=3", "scale_factor=2", "scale_factor=1.7", "scale_factor=0.6",
         "scale_factor=2.5, recompute_scale_factor=True", "size=9, align_corners=True",
         "scale_factor=1.3, align_corners=True"]
CASES = [(s, m, k) for s, m in MODES for k in SIZES
         if "align_corners" not in k or m in ("linear", "bilinear", "bicubic", "trilinear")]


def _run(T, shape, mode, kw, dtype):
    x = np.random.default_rng(len(shape)).standard_normal(shape)
    X = T.tensor(x, dtype=getattr(T, dtype), requires_grad=True)
    y = eval(f"T.nn.functional.interpolate(X, mode=mode, {kw})",
             {"T": T, "X": X, "mode": mode})
    go = np.cos(np.arange(y.numel())).reshape(tuple(y.shape))
    y.backward(T.tensor(go, dtype=getattr(T, dtype)))
    return y.detach().numpy(), X.grad.numpy(), type(y.grad_fn).__name__


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("shape,mode,kw", CASES, ids=[f"{m}-{len(s)}d-{k}" for s, m, k in CASES])
def test_interpolate_like_torch(shape, mode, kw, dtype):
    mine, theirs = _run(cl, shape, mode, kw, dtype), _run(torch, shape, mode, kw, dtype)
    assert mine[2] == theirs[2] and mine[0].shape == theirs[0].shape
    tol = dict(rtol=1e-12, atol=1e-12) if dtype == "float64" else dict(rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(mine[0], theirs[0], **tol)
    np.testing.assert_allclose(mine[1], theirs[1], **tol)


def test_nearest_2x_repeats_and_bilinear_keeps_a_linear_ramp():
    x = cl.arange(4.0).reshape(1, 1, 2, 2)
    up = cl.nn.functional.interpolate(x, scale_factor=2)
    assert up[0, 0].tolist() == [[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]]
    ramp = cl.arange(5.0, dtype=cl.float64).reshape(1, 1, 5)
    y = cl.nn.functional.interpolate(ramp, size=9, mode="linear", align_corners=True)
    np.testing.assert_allclose(y.flatten().numpy(), np.linspace(0, 4, 9))


@pytest.mark.parametrize("expr", [
    "nn.Upsample(scale_factor=2)", "nn.Upsample(size=(3, 4), mode='bilinear')",
    "nn.UpsamplingNearest2d(scale_factor=2)", "nn.UpsamplingBilinear2d(size=5)",
    "nn.Upsample(scale_factor=(2, 3))", "nn.Upsample(scale_factor=2)(x).shape",
    "nn.UpsamplingBilinear2d(scale_factor=2)(x)", "nn.Upsample(size=3, mode='bicubic')(x)",
    "F.upsample(x, scale_factor=2).shape", "F.upsample_nearest(x, size=3)",
    "F.upsample_bilinear(x, scale_factor=1.5)",
    "F.interpolate(x, size=3, scale_factor=2)", "F.interpolate(x)",
    "F.interpolate(x, size=3, align_corners=True)", "F.interpolate(x, size=(3, 4, 5))",
    "F.interpolate(x, scale_factor=(2, 2, 2))", "F.interpolate(x, size=(3.0, 4))",
    "F.interpolate(x, size=3, recompute_scale_factor=True)",
    "F.interpolate(x, size=3, mode='linear')", "F.interpolate(x, size=3, mode='trilinear')",
    "F.interpolate(x[0], size=3, mode='bilinear')", "F.interpolate(x, size=3, mode='foo')",
    "F.interpolate(x[0, 0], size=3)", "F.interpolate(x, size=3, mode='nearest', antialias=True)",
    "F.interpolate(x.long(), size=3)", "F.interpolate(x, size=0)",
    "F.interpolate(x[0].long(), size=3, mode='linear')", "F.interpolate(x[0], size=0)",
    "F.interpolate(x[None], size=0)", "F.interpolate(x.long(), size=3, mode='bicubic')",
    "F.interpolate(x.long(), size=3, mode='bilinear')", "F.interpolate(x.half(), size=3)",
])
def test_modules_and_errors_like_torch(expr):
    got = []
    for T in (cl, torch):
        env = {"T": T, "nn": T.nn, "F": T.nn.functional,
               "x": T.arange(24.0).reshape(1, 2, 3, 4)}
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                text = repr(eval(expr, env)).replace("torch", "T").replace("course_lib", "T")
                out = " ".join(s.split(" object at ")[0] for s in text.split("<"))
            except Exception as e:  # noqa: BLE001 - the error is what we compare
                out = f"{type(e).__name__}: {e}"
        got.append((out, [str(m.message) for m in w]))
    assert got[0] == got[1]


def test_a_tiny_decoder_learns_with_upsampling():
    """Conv → upsample (bilinear) → conv: fit a smooth 8×8 image from a 4×4 code."""
    T = cl
    T.manual_seed(0)
    net = T.nn.Sequential(T.nn.Conv2d(1, 4, 3, padding=1), T.nn.Tanh(),
                          T.nn.Upsample(scale_factor=2, mode="bilinear"),
                          T.nn.Conv2d(4, 1, 3, padding=1))
    code = T.randn(1, 1, 4, 4)
    yy, xx = np.meshgrid(np.linspace(-1, 1, 8), np.linspace(-1, 1, 8), indexing="ij")
    target = T.tensor(np.sin(2 * xx) * np.cos(2 * yy), dtype=T.float32)[None, None]
    opt = T.optim.Adam(net.parameters(), lr=0.02)
    first = None
    for _ in range(120):
        loss = T.nn.functional.mse_loss(net(code), target)
        first = loss.item() if first is None else first
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < first / 10
