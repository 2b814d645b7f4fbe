"""F.unfold / F.fold (im2col / col2im), nn.Unfold / nn.Fold, F.pixel_shuffle / pixel_unshuffle,
nn.PixelShuffle / PixelUnshuffle against torch 2.13: values and gradients (exact: only copies
and sums), grad_fn names, batched and unbatched input, reprs, errors; conv2d as W @ unfold(x)."""
import numpy as np
import pytest

import course_lib as cl

torch = pytest.importorskip("torch")

FOLDS = [dict(kernel_size=2), dict(kernel_size=(2, 3), dilation=(1, 2), padding=1, stride=(2, 1)),
         dict(kernel_size=3, padding=2, stride=2), dict(kernel_size=(1, 4), stride=(3, 1)),
         dict(kernel_size=(3, 2), dilation=2, padding=(2, 0))]


def _fold_run(T, kw, batched):
    x = np.random.default_rng(0).standard_normal((2, 3, 5, 6))
    x = x if batched else x[0]
    F = T.nn.functional
    X = T.tensor(x, requires_grad=True)
    u = F.unfold(X, **kw)
    u.backward(T.tensor(np.cos(np.arange(u.numel())).reshape(tuple(u.shape))))
    U = T.tensor(u.detach().numpy() * 0.5, requires_grad=True)
    f = F.fold(U, (5, 6), **kw)
    f.backward(T.tensor(np.sin(np.arange(f.numel())).reshape(tuple(f.shape))))
    names = [type(u.grad_fn).__name__, type(f.grad_fn).__name__]
    return [u.detach().numpy(), X.grad.numpy(), f.detach().numpy(), U.grad.numpy()], names


@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("kw", FOLDS, ids=[str(sorted(k.items())) for k in FOLDS])
def test_unfold_fold_like_torch(kw, batched):
    (mine, n1), (theirs, n2) = _fold_run(cl, kw, batched), _fold_run(torch, kw, batched)
    assert n1 == n2 == ["Im2ColBackward0", "Col2ImBackward0"]
    for a, b in zip(mine, theirs):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_convolution_is_a_matrix_product_with_unfold():
    cl.manual_seed(0)
    x, w = cl.randn(2, 3, 6, 7, dtype=cl.float64), cl.randn(4, 3, 3, 2, dtype=cl.float64)
    cols = cl.nn.functional.unfold(x, (3, 2), padding=1, stride=(2, 1))
    y = (w.view(4, -1) @ cols).view(2, 4, 3, 8)
    np.testing.assert_allclose(y.numpy(), cl.nn.functional.conv2d(
        x, w, padding=1, stride=(2, 1)).numpy(), rtol=1e-12, atol=1e-12)


SHUFFLES = [("pixel_shuffle", (2, 8, 2, 3), 2), ("pixel_shuffle", (2, 3, 9, 2, 3), 3),
            ("pixel_shuffle", (4, 1, 1), 2), ("pixel_unshuffle", (2, 2, 4, 6), 2),
            ("pixel_unshuffle", (3, 6, 9), 3), ("pixel_unshuffle", (2, 1, 2, 4, 4), 1)]


@pytest.mark.parametrize("name,shape,r", SHUFFLES)
def test_pixel_shuffle_like_torch(name, shape, r):
    got = []
    for T in (cl, torch):
        X = T.tensor(np.random.default_rng(1).standard_normal(shape), requires_grad=True)
        y = getattr(T.nn.functional, name)(X, r)
        y.backward(T.tensor(np.cos(np.arange(y.numel())).reshape(tuple(y.shape))))
        got.append((y.detach().numpy(), X.grad.numpy(), type(y.grad_fn).__name__))
    np.testing.assert_array_equal(got[0][0], got[1][0])
    np.testing.assert_array_equal(got[0][1], got[1][1])
    assert got[0][2] == got[1][2]


@pytest.mark.parametrize("expr", [
    "nn.Unfold((2, 3))", "nn.Fold((5, 6), (2, 3))", "nn.Unfold(2, 1, 1, 2)", "nn.PixelShuffle(2)",
    "nn.PixelUnshuffle(3)", "nn.Unfold(2)(x).shape", "nn.Fold(5, 2)(T.ones(1, 4, 16)).shape",
    "T.pixel_shuffle(T.ones(1, 4, 2, 2), 2).shape", "nn.PixelShuffle(2)(T.ones(1, 8, 1, 1)).shape",
    "F.unfold(x, 7)", "F.unfold(x, 2, stride=0)", "F.unfold(x, (2, 3, 4))",
    "F.unfold(x, 0)", "F.unfold(x, 2, padding=-1)", "F.unfold(x, 2, dilation=0)",
    "F.fold(T.ones(2, 13, 20), (5, 6), 2)", "F.fold(T.ones(2, 12, 20, 1), (5, 6), 2)",
    "F.fold(T.ones(2, 12, 21), (5, 6), 2)", "F.pixel_shuffle(T.ones(1, 5, 2, 3), 2)",
    "F.pixel_shuffle(T.ones(5, 3), 2)", "F.pixel_shuffle(T.ones(1, 4, 2, 3), 0)",
    "F.pixel_unshuffle(T.ones(1, 2, 5, 6), 2)", "F.pixel_unshuffle(T.ones(1, 2, 4, 5), 2)",
    "F.pixel_unshuffle(T.ones(1, 2, 4, 4), 0)",
])
def test_modules_and_errors_like_torch(expr):
    got = []
    for T in (cl, torch):
        env = {"T": T, "nn": T.nn, "F": T.nn.functional, "x": T.ones(2, 3, 5, 6)}
        try:
            out = repr(eval(expr, env)).replace("torch", "T").replace("course_lib", "T")
        except Exception as e:  # noqa: BLE001 - the error is what we compare
            out = f"{type(e).__name__}: {e}"
        got.append(out)
    assert got[0] == got[1]


def test_unfold_of_2d_input_says_what_it_needs():
    """(torch: an IndexError from inside, "Dimension out of range"; ours names the rule)"""
    with pytest.raises(RuntimeError, match="Expected 3D or 4D"):
        cl.nn.functional.unfold(cl.ones(5, 6), 2)
