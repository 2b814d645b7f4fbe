"""Order statistics, counting and searching against torch: median / nanmedian, mode, kthvalue,
quantile / nanquantile, msort, cummax / cummin, bucketize, searchsorted, histc, bincount,
unique_consecutive, repeat_interleave, diff — values, dtypes, return_types, grad_fn names (the
whole graph where torch composes the op), gradients, gradcheck + gradgradcheck, torch's errors,
reprs, simulated CUDA. 顺序统计、计数与查找，与 torch 对照。

Known differences (documented here, not hidden):
- ties: torch picks the index of a tied median / kthvalue with its selection algorithm;
  course_lib takes the stable sorted order, so the cases below use distinct values where the
  index is compared (the value, and mode's last-occurrence index, always agree).
- histc and bincount record no graph (torch: histc's output has no grad_fn, bincount's weights
  get a ``NotImplemented`` node); unique_consecutive records none either (torch:
  UniqueConsecutiveBackward0, whose backward is not implemented).
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

import course_lib as cl
from course_lib.autograd import gradcheck, gradgradcheck

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from like_torch import assert_like_torch, graph_names, same  # noqa: E402

torch = pytest.importorskip("torch")


def _env(lib):
    return {"T": lib, "nan": math.nan, "inf": math.inf}


def _same(code):
    assert_like_torch(code, _env)


A = "T.tensor([[3., -1., 4.5, 1.], [5., 9., -2., 6.], [0.5, 2., 7., -3.]], requires_grad=True)"
D = "T.tensor([[3., -1., 4.5, 1.], [5., 9., -2., 6.], [0.5, 2., 7., -3.]], dtype=T.float64)"
N = "T.tensor([[1., nan, 3., 2.], [nan, nan, nan, nan], [4., -1., nan, 0.]])"
V = "T.tensor([1., 3., 5., 7., 9.])"
I = "T.tensor([[5, 2, 2, 5, 3], [1, 1, 2, 2, 2]])"
Q2 = "T.tensor([0.25, 0.6, 1.])"
EMPTY = "T.tensor([])"

VALUES = [
    # median / nanmedian: whole tensor (lower median of an even count), along a dim, nan
    f"T.median({A})", f"{A}.median()", f"{A}.median(1)", f"{A}.median(0, keepdim=True)",
    f"{A}.median(-1)", f"T.median({A}, dim=0)", f"{A}[:, :2].median()", f"{D}.median(1)",
    f"{I}.median()", f"{N}.median()", f"{N}.median(1)", f"{N}.nanmedian()", f"{N}.nanmedian(1).values", f"{N}[::2].nanmedian(1)",
    f"T.nanmedian({N}, 0, True)", f"{A}.nanmedian(1)", "T.tensor(3.).median()",
    "T.tensor(3.).median(0)", "T.tensor(3., requires_grad=True).median(-1, True)",
    f"{EMPTY}.median()", f"{EMPTY}.nanmedian()", f"{EMPTY}.median(0)", "T.zeros(0, 3).median(1)",
    "T.zeros(0, 3).median(0)", f"{A}.median(2)", f"{A}.median(-3)",
    "T.tensor([True, False]).median()", "T.tensor([True, False]).median(0)",
    "T.tensor([True, False]).nanmedian()",
    # kthvalue
    f"{A}.kthvalue(2)", f"{A}.kthvalue(1, 0)", f"T.kthvalue({A}, 3, 0, True)",
    f"{A}.kthvalue(4, dim=1)", f"{D}.kthvalue(2, 0)", f"{A}.kthvalue(0)", f"{A}.kthvalue(5)",
    f"{A}.kthvalue(4, 0)", f"{A}.kthvalue(-1)", f"{A}.kthvalue(1, 2)", "T.tensor(3.).kthvalue(1)",
    "T.tensor(3.).kthvalue(2)", f"{EMPTY}.kthvalue(1)", f"{I}.kthvalue(3)",
    f"{N}.kthvalue(3)",
    # mode: the smallest most frequent value, the index of its last occurrence
    f"{I}.mode()", f"{I}.mode(0)", f"T.mode({I}, 1, True)",
    "T.tensor([1, 2, 2, 1, 3, 1, 3]).mode()", "T.tensor([[1., 1.], [2., 1.]]).mode(0)",
    f"{A}.mode(1)", "T.tensor(3.).mode()", f"{EMPTY}.mode()", "T.zeros(0, 3).mode(1)",
    "T.zeros(0, 3).mode(0)", "T.tensor([True, False, True]).mode()", f"{A}.mode(3)",
    # quantile / nanquantile
    *[f"T.quantile({A}, 0.3, interpolation='{m}')" for m in
      ("linear", "lower", "higher", "midpoint", "nearest")],
    *[f"T.quantile({A}, {Q2}, dim=1, interpolation='{m}')" for m in
      ("linear", "lower", "higher", "midpoint", "nearest")],
    f"{A}.quantile(0.5, 0)", f"{A}.quantile(0.5, 0, keepdim=True)", f"{A}.quantile(0.)",
    f"{A}.quantile(1.)", f"{A}.quantile({Q2}, keepdim=True)", f"{A}.quantile({Q2}, 0, True)",
    f"{A}.quantile(T.tensor(0.4))", f"{A}.quantile(T.tensor([0.4]), -1)", f"{D}.quantile(0.7)",
    f"{V}.quantile(0.3)", f"{V}.quantile(0.3, keepdim=True)", "T.tensor(2.).quantile(0.5)",
    "T.tensor(2.).quantile(0.5, 0, True)",
    "T.quantile(T.arange(10.), T.tensor([0.05, 0.15, 0.35, 0.45, 0.55, 0.95]), "
    "interpolation='nearest')",
    f"{N}.quantile(0.5, 1)", f"{N}.nanquantile(0.5, 1)", f"{N}.nanquantile({Q2}, 1)",
    f"T.nanquantile({N}, 0.25)", f"{N}.nanquantile(0.5, 0, interpolation='higher')",
    f"{V}.quantile(1.5)", f"{V}.quantile(-0.1)", f"{V}.quantile(T.tensor([0.5, 1.2]))",
    f"{V}.quantile(T.tensor([[0.5]]))", f"{V}.quantile(0.5, interpolation='foo')",
    f"{V}.quantile(2, interpolation='foo')", f"{EMPTY}.quantile(2.)",
    "T.tensor([1, 2]).quantile(0.5)", f"{EMPTY}.quantile(0.5)", "T.zeros(0, 3).quantile(0.5, 1)",
    f"{V}.quantile(T.tensor([0.5], dtype=T.float64))", f"{V}.quantile(0.3, dim=3)",
    f"{V}.nanquantile(1.5)",
    # msort
    f"T.msort({A})", f"{A}.msort()", "T.msort(T.tensor(3., requires_grad=True))",
    f"T.msort({I})",
    # cummax / cummin
    f"{A}.cummax(1)", f"{A}.cummin(0)", f"T.cummax({A}, -1)", f"T.cummin({D}, 1)",
    "T.tensor([1., 3., 3., 2., 3., 5., nan, 1., nan]).cummax(0)",
    "T.tensor([1., 3., 3., 2., 3., 0., nan, 1.]).cummin(0)", f"{I}.cummax(1)", f"{I}.cummin(0)",
    "T.tensor([True, False, True]).cummax(0)", "T.tensor(3., requires_grad=True).cummax(0)",
    "T.tensor(3.).cummin(-1)", "T.zeros(0, 2).cummax(0)", f"{A}.cummax(2)",
    # bucketize / searchsorted
    f"T.bucketize(T.tensor([1, 5, 9, 0, 10]), {V})",
    f"T.bucketize(T.tensor([1, 5, 9]), {V}, right=True)",
    f"T.bucketize(T.tensor([[1, 5], [3, 3]]), {V}, out_int32=True)", f"T.bucketize(5, {V})",
    f"T.bucketize(5.5, {V}, right=True)", f"T.bucketize(T.tensor([1., 5.]), {V}.reshape(1, 5))",
    "T.bucketize(T.tensor([1, 5]), T.tensor(3.))",
    f"T.searchsorted({V}, T.tensor([1, 5, 9]))", f"T.searchsorted({V}, 5)",
    f"T.searchsorted({V}, 5., side='right')", f"T.searchsorted({V}, T.tensor([[1, 5, 9]]))",
    f"T.searchsorted({V}, T.tensor(4.), right=True)",
    f"T.searchsorted({V}, T.tensor([1, 5]), out_int32=True)",
    f"T.searchsorted({V}, 5, side='left', right=True)",
    f"T.searchsorted({V}, 5, side='right', right=True)", f"T.searchsorted({V}, 5, side='foo')",
    "T.searchsorted(T.tensor([[1, 3, 5], [2, 4, 6]]), T.tensor([[3, 6, 0], [1, 5, 7]]))",
    "T.searchsorted(T.tensor([[1, 3, 5], [2, 4, 6]]), T.tensor([[3, 6]]))",
    "T.searchsorted(T.tensor([[1, 3, 5], [2, 4, 6]]), T.tensor([3, 6]))",
    "T.searchsorted(T.tensor([[1, 3, 5], [2, 4, 6]]), 3)",
    "T.searchsorted(T.tensor([5, 1, 3]), T.tensor([2, 4, 6]), sorter=T.tensor([1, 2, 0]))",
    "T.searchsorted(T.tensor([[5, 1, 3]]), T.tensor([[2, 4]]), right=True, "
    "sorter=T.tensor([[1, 2, 0]]))",
    "T.searchsorted(T.tensor([5, 1, 3]), T.tensor([2, 4]), sorter=T.tensor([1, 2]))",
    "T.searchsorted(T.tensor([5, 1, 3]), T.tensor([2, 4]), sorter=T.tensor([1., 2., 0.]))",
    "T.searchsorted(T.tensor([5, 1, 3]), T.tensor([2, 4]), sorter=T.tensor([1, 2, 5]))",
    "T.searchsorted(T.tensor(1.), T.tensor([1, 5]))", f"T.searchsorted({EMPTY}, T.tensor([1, 5]))",
    f"T.searchsorted({V}, T.tensor([1., nan, 9.]))",
    # histc
    "T.histc(T.tensor([1., 2., 1.]), bins=4, min=0, max=3)",
    "T.histc(T.tensor([1., 2., 1., 7., -1., 3.]), bins=4, min=0, max=3)",
    "T.histc(T.tensor([1., 2., 1., 7., -1., 3.]), bins=4)", "T.histc(T.tensor([2., 2.]), bins=4)",
    "T.histc(T.tensor([0.1, 0.2, 0.3, 0.7, 1.0]), bins=10, min=0, max=1)",
    "T.histc(T.tensor([[1., 2.], [3., 4.]], dtype=T.float64), bins=3)",
    "T.tensor([1., 2., 1.]).histc(4, 1, 1)", "T.histc(T.tensor([1, 2, 1]), bins=4, min=0, max=3)",
    "T.histc(T.tensor([1., 2.]), bins=0)", "T.histc(T.tensor([1., 2.]), bins=-2)",
    "T.histc(T.tensor([1., 2.]), bins=4, min=3, max=1)",
    "T.histc(T.tensor([1., inf, 1.]), bins=4)", "T.histc(T.tensor([1., nan, 1.]), bins=4)",
    "T.histc(T.tensor([1., 2.]), bins=3, min=nan, max=2)",
    "T.histc(T.tensor([1., nan, 1.]), bins=4, min=0, max=2)", f"T.histc({EMPTY}, bins=4)",
    "T.histc(T.tensor([0.5, 1.5, 2.5], requires_grad=True), bins=3)",
    # bincount
    "T.bincount(T.tensor([1, 1, 3]))", "T.bincount(T.tensor([1, 1, 3]), minlength=6)",
    "T.tensor([1, 1, 3]).bincount(T.tensor([0.5, 1., 2.]))",
    "T.bincount(T.tensor([1, 1, 3]), weights=T.tensor([0.5, 1., 2.], dtype=T.float64))",
    "T.bincount(T.tensor([1, 1, 3]), weights=T.tensor([1, 1, 2]))",
    "T.bincount(T.tensor([1, 1, 3]), weights=T.tensor([0.5, 1.]))",
    "T.bincount(T.tensor([1, -1, 3]))", "T.bincount(T.tensor([[1, 1, 3]]))",
    "T.bincount(T.tensor(3))", "T.bincount(T.tensor([1., 1.]))",
    "T.bincount(T.tensor([True, False]))", "T.bincount(T.tensor([], dtype=T.long))",
    "T.bincount(T.tensor([], dtype=T.long), minlength=3)",
    "T.bincount(T.tensor([1, 1, 3]), minlength=-1)",
    "T.bincount(T.tensor([1, 1, 3], dtype=T.int32))", "T.bincount(T.tensor([1, 1, 3], dtype=T.uint8))",
    # unique_consecutive
    "T.unique_consecutive(T.tensor([1, 1, 2, 2, 3, 1, 1, 2]))",
    "T.unique_consecutive(T.tensor([1, 1, 2, 2, 3, 1, 1, 2]), return_inverse=True)",
    "T.unique_consecutive(T.tensor([1, 1, 2, 2, 3, 1, 1, 2]), return_counts=True)",
    "T.tensor([1, 1, 2, 2, 3]).unique_consecutive(return_counts=True, return_inverse=True)",
    "T.unique_consecutive(T.tensor([[1, 1], [2, 2], [1, 1]]), True, True)",
    "T.unique_consecutive(T.tensor([[1, 1], [1, 1], [2, 2], [1, 1]]), True, True, dim=0)",
    "T.unique_consecutive(T.tensor([[1, 1, 2], [1, 1, 2]]), True, True, dim=1)",
    "T.unique_consecutive(T.tensor([[1., 1., 2.]]), return_inverse=True, dim=-1)",
    "T.unique_consecutive(T.tensor([[1, 1, 2], [1, 1, 2]]), dim=2)",
    "T.unique_consecutive(T.tensor(3))",
    "T.unique_consecutive(T.tensor(3), return_inverse=True, return_counts=True)",
    f"T.unique_consecutive({EMPTY}, return_inverse=True, return_counts=True)",
    "T.unique_consecutive(T.zeros(0, 2), return_inverse=True, return_counts=True, dim=0)",
    "T.unique_consecutive(T.tensor(3), dim=0)",
    "T.unique_consecutive(T.tensor([1., 1., nan, nan]))",
    # repeat_interleave
    f"{A}.repeat_interleave(2)", f"{A}.repeat_interleave(2, dim=1)",
    f"T.repeat_interleave({A}, 3, 0)", f"{A}.repeat_interleave(T.tensor(2))",
    f"{A}.repeat_interleave(T.tensor([2]), dim=1)", f"{A}.repeat_interleave(T.tensor([1, 0, 2]), 0)",
    f"{A}.repeat_interleave(T.tensor([1, 2, 0, 1]), dim=-1, output_size=4)",
    "T.tensor(2., requires_grad=True).repeat_interleave(2)", f"{V}.repeat_interleave(repeats=0)",
    f"T.repeat_interleave({V}, 2, output_size=10)", f"T.repeat_interleave({V}, 2, output_size=9)",
    "T.repeat_interleave(T.tensor([1, 2, 0]))", "T.repeat_interleave(T.tensor([1, 2, 0]), output_size=3)",
    "T.repeat_interleave(T.tensor([1, 2, 0]), output_size=4)",
    "T.repeat_interleave(T.tensor([1, -2, 0]))", "T.repeat_interleave(T.tensor([[1, 2, 0]]))",
    "T.repeat_interleave(T.tensor(2))", "T.repeat_interleave(T.tensor([1., 2.]))",
    "T.repeat_interleave(T.tensor([1, 2], dtype=T.int32))",
    "T.repeat_interleave(T.tensor([], dtype=T.long))",
    f"T.repeat_interleave({V}, -1)", f"T.repeat_interleave({V}, 2, dim=3)",
    f"T.repeat_interleave({V}, T.tensor([1, 2]))", f"T.repeat_interleave({V}, T.tensor([1, 2, 3, -1, 0]))",
    f"T.repeat_interleave({V}, T.tensor([1., 2., 3., 1., 0.]))",
    f"T.repeat_interleave({V}, T.tensor([[1]]))",
    f"T.repeat_interleave({V}, T.tensor([1, 2, 3, 1, 0]), output_size=8)",
    "T.repeat_interleave(T.tensor(2.), 3, dim=0)",
    "T.repeat_interleave(T.tensor(2.), T.tensor([3]), dim=0)", f"T.repeat_interleave({V}, 2.5)",
    # diff
    f"{A}.diff()", f"T.diff({A}, 2, 0)", f"{A}.diff(n=7)",
    f"{A}.diff(prepend={A})", f"{A}.diff(dim=0, append={A}[:1])",
    f"T.diff({A}, 2, -1, {A}[:, :1], {A}[:, :2] * 2)", f"{V}.diff()",
    "T.diff(T.tensor([True, False, False, True]))", "T.diff(T.tensor([True, False, True]), n=2)",
    "T.diff(T.tensor([1, 5, 2]))", "T.diff(T.tensor([1, 2, 4], dtype=T.uint8))",
    "T.diff(T.tensor([1, 2]), prepend=T.tensor([1.5]))", "T.diff(T.zeros(2, 0))",
    "T.diff(T.zeros(2, 0), n=3)", "T.diff(T.tensor(3.))", f"T.diff({V}, n=-1)",
    f"T.diff({V}, dim=1)", f"T.diff({V}, prepend=T.tensor(3.))",
    "T.diff(T.ones(2, 3), prepend=T.ones(1, 2))", "T.diff(T.ones(2, 3), dim=0, prepend=T.ones(1, 2))",
    f"T.diff({V}, prepend=1)",
]


@pytest.mark.parametrize("code", VALUES)
def test_values_like_torch(code):
    _same(code)


def test_median_of_an_even_count_is_the_lower_one():
    for lib in (cl, torch):
        assert lib.tensor([1., 2., 3., 4.]).median().item() == 2.
        r = lib.tensor([[4., 1., 3., 2.]]).median(1)
        assert r.values.tolist() == [2.] and r.indices.tolist() == [3]


def test_tied_values_agree_and_index_points_at_them():
    """Ties: the value is torch's; the index (torch's selection algorithm picks one of the tied
    positions) points at an element with that value."""
    x = [[3., 1., 3., 2., 1.], [2., 2., 2., 2., 5.]]
    for name, args in (("median", (1,)), ("kthvalue", (2, 1)), ("kthvalue", (4, 1)),
                       ("nanmedian", (1,))):
        ours = getattr(cl.tensor(x), name)(*args)
        theirs = getattr(torch.tensor(x), name)(*args)
        assert ours.values.tolist() == theirs.values.tolist()
        picked = np.take_along_axis(np.array(x), np.array(ours.indices.tolist())[:, None], 1)
        assert picked[:, 0].tolist() == ours.values.tolist()


def _grads(lib, code):
    g = np.random.default_rng(3)
    x = lib.tensor(g.permutation(12).reshape(3, 4) * 0.5 - 2.0, requires_grad=True)
    y = lib.tensor(g.standard_normal((3, 4)), requires_grad=True)
    try:
        out = eval(code, {"T": lib, "x": x, "y": y, "nan": math.nan})
        out = out[0] if isinstance(out, tuple) else out
        (out * lib.arange(out.numel(), dtype=out.dtype).reshape(out.shape)).sum().backward()
    except Exception as e:  # noqa: BLE001
        return ("exc", type(e).__name__, str(e).split("\n")[0])
    return [None if t.grad is None else np.asarray(t.grad.tolist()) for t in (x, y)] + \
        [out.grad_fn.name()]


GRADS = [
    "x.median()", "x.median(1)", "x.median(0, True)", "x.nanmedian()", "x.nanmedian(1)",
    "x.kthvalue(2)", "x.kthvalue(3, 0, True)", "x.mode(1)", "x.msort()",
    "x.quantile(0.3)", "x.quantile(0.3, 0)", "x.quantile(T.tensor([0.2, 0.9], dtype=T.float64), 1, True)", "x.diff(n=0) * 1",
    "x.quantile(0.5, interpolation='midpoint')", "x.quantile(0.45, 1, interpolation='nearest')",
    "x.nanquantile(T.tensor([0.1, 0.5], dtype=T.float64), 0)", "x.quantile(0.7, interpolation='lower')",
    "x.cummax(1)", "x.cummin(0)", "T.tensor([[1., 1.], [0., 2.]]) * 0 + x[:2, :2].cummax(1)[0]",
    "x.repeat_interleave(2)", "x.repeat_interleave(3, 1)",
    "x.repeat_interleave(T.tensor([2, 0, 1]), 0)", "x.repeat_interleave(T.tensor(2))",
    "x.diff()", "x.diff(2, 0)", "x.diff(prepend=y)", "x.diff(dim=0, prepend=y[:1], append=y)",
    "T.lerp(x, y, T.tensor([0.2, 0.7, -1.5, 2.], dtype=T.float64))",
    "T.lerp(x, y[0], x.detach().sigmoid())",
]


@pytest.mark.parametrize("code", GRADS)
def test_gradients_like_torch(code):
    theirs, ours = _grads(torch, code), _grads(cl, code)
    assert same(ours, theirs), f"{code}\n torch: {theirs}\n ours:  {ours}"


def test_median_gradient_shared_among_ties_and_nan():
    for lib in (cl, torch):
        x = lib.tensor([2., 1., 2., 3., 2.], requires_grad=True)
        x.median().backward()
        assert x.grad.tolist() == pytest.approx([1 / 3, 0, 1 / 3, 0, 1 / 3])
        x = lib.tensor([2., math.nan, 1., math.nan], requires_grad=True)
        x.median().backward()
        assert x.grad.tolist() == [0, 0.5, 0, 0.5]


@pytest.mark.parametrize("code", [
    "x.median()", "x.median(1)[0]", "x.nanmedian(0, True)[0]", "x.kthvalue(2, 1)[0]",
    "x.mode(0)[0]", "T.msort(x)", "x.quantile(0.3)", "x.quantile(T.tensor([0.25, 0.8], "
    "dtype=T.float64), 0, True)", "x.nanquantile(0.5, 1, interpolation='midpoint')",
    "x.cummax(1)[0]", "x.cummin(0)[0]", "x.repeat_interleave(2)", "x.repeat_interleave(2, 0)",
    "x.repeat_interleave(T.tensor([1, 3, 0, 2]), 1)", "x.diff()", "x.diff(2, 0, prepend=y)",
    "T.lerp(x, y, y * 0.5)"])
def test_gradcheck_and_gradgradcheck_float64(code):
    g = np.random.default_rng(5)
    x = cl.tensor(g.permutation(12).reshape(3, 4) * 0.7 + g.uniform(0, 0.1, (3, 4)),
                  requires_grad=True)
    y = cl.tensor(g.standard_normal((3, 4)), requires_grad=True)

    def f(a, b):
        return eval(code, {"T": cl, "x": a, "y": b})
    assert gradcheck(f, (x, y)) and gradgradcheck(f, (x, y))


@pytest.mark.parametrize("code", [
    "x.quantile(0.3)", "x.quantile(0.3, 1)", "x.quantile(0.3, 0)", "x.quantile(q, 1)",
    "x.quantile(q, 0, True)", "x.quantile(q)", "x.quantile(0.3, interpolation='lower')",
    "x.quantile(0.3, interpolation='midpoint')", "x.nanquantile(q, 1, interpolation='nearest')",
    "x[0].quantile(0.3)", "T.msort(x)", "x.repeat_interleave(2)", "x[0].repeat_interleave(2)",
    "x[0, 0].repeat_interleave(2)", "x.repeat_interleave(2, dim=1)",
    "x.repeat_interleave(T.tensor(2))", "x.repeat_interleave(T.tensor([1, 2, 0]), dim=0)",
    "x.diff()", "x.diff(n=2, dim=0)", "x.diff(prepend=x)", "x.diff(dim=1, append=x[:, :1])",
    "x.diff(n=0)", "x.diff(n=7)", "T.lerp(x, x * 2, x.detach())"])
def test_graph_names_like_torch(code):
    """torch composes these from sort / gather / lerp / squeeze_, unsqueeze / expand / clone /
    view, index_select, narrow / sub: the whole graph has torch's node names."""
    names = []
    for lib in (torch, cl):
        x = lib.tensor(np.arange(12.).reshape(3, 4) % 5, requires_grad=True)
        q = lib.tensor([0.2, 0.5], dtype=lib.float64)
        names.append(graph_names(eval(code, {"T": lib, "x": x, "q": q})))
    assert names[1] == names[0]


def test_return_types_and_reprs_like_torch():
    for code in ("T.tensor([[3., 1.], [2., 5.]]).median(1)", "T.tensor([1., 3.]).nanmedian(0)",
                 "T.tensor([1, 3, 3]).mode()", "T.tensor([3., 1.]).kthvalue(1)",
                 "T.tensor([1., 3., 2.], requires_grad=True).cummax(0)",
                 "T.tensor([1., 3., 2.]).cummin(0)"):
        theirs = eval(code, {"T": torch})
        ours = eval(code, {"T": cl})
        assert type(ours).__name__ == type(theirs).__name__
        assert ours.values.tolist() == theirs.values.tolist()
        assert repr(ours).replace("course_lib.", "") == repr(theirs).replace("torch.", "")
    assert cl.return_types.cummax.__module__ == "course_lib.return_types"


@pytest.mark.parametrize("code", [
    "x.median()", "x.median(1).values", "x.nanmedian(0).values", "x.kthvalue(2).values",
    "x.mode(1).values", "x.quantile(q, 1)", "x.nanquantile(0.4)", "T.msort(x)",
    "x.cummax(1).values", "x.cummin(0).values", "x.repeat_interleave(2)",
    "x.repeat_interleave(T.tensor([1, 0, 2], device=x.device), 0)", "x.diff(prepend=x)",
    "T.lerp(x, x * 2, q[0].expand(4))"])
def test_simulated_cuda_keeps_device_and_values(simulated, code):
    g = np.random.default_rng(1)
    xs = g.permutation(12).reshape(3, 4) * 0.5
    outs = []
    for dev in ("cpu", "cuda"):
        x = cl.tensor(xs, device=dev, requires_grad=True)
        q = cl.tensor([0.3, 0.8], dtype=cl.float64, device=dev)
        out = eval(code, {"T": cl, "x": x, "q": q})
        assert out.device.type == dev
        out.sum().backward()
        assert x.grad.device.type == dev
        outs.append(np.ravel(out.cpu().tolist()).tolist() + x.grad.cpu().tolist())
    assert outs[0] == outs[1]


@pytest.mark.parametrize("code", [
    "x.median(1).indices", "x.mode(0).indices", "x.cummax(1).indices", "T.searchsorted(s, x)",
    "T.bucketize(x, s, right=True)", "T.histc(x, 4)", "T.bincount(i)", "T.bincount(i, x[0])",
    "T.unique_consecutive(i, return_inverse=True, return_counts=True)[2]",
    "T.unique_consecutive(i, return_inverse=True)[1]", "T.repeat_interleave(i)"])
def test_simulated_cuda_counting_and_searching(simulated, code):
    outs = []
    for dev in ("cpu", "cuda"):
        x = cl.tensor([[2., 0.5, 3., 1.], [4., 4., 1.5, 0.]], device=dev)
        s = cl.tensor([0., 1., 2., 3.], device=dev)
        i = cl.tensor([1, 1, 0, 3], device=dev)
        out = eval(code, {"T": cl, "x": x, "s": s, "i": i})
        assert out.device.type == dev
        outs.append(out.cpu().tolist())
    assert outs[0] == outs[1]
