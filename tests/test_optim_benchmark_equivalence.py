"""The benchmark compares equal work: its hand-written numpy MLP and course_lib's MLP (and torch's)
produce the same parameters after an epoch from the same initial weights and data."""
import sys
from pathlib import Path

import numpy as np
import pytest

import course_lib as cl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import bench  # noqa: E402


def test_numpy_reference_and_course_lib_train_identically():
    x, y = bench.digits_train()
    x, y = x[:320], y[:320]
    sizes = [64, 32, 16, 10]
    w = bench.init_weights(sizes)
    ref = bench.numpy_epoch(w, x, y, 64, lr=0.1)
    model, run = bench.lib_epoch(cl, sizes, w, x, y, 64, lr=0.1)
    run()
    for got, want in zip(model.parameters(), ref.p):
        np.testing.assert_allclose(got.detach().numpy(), want, rtol=2e-5, atol=2e-6)
    torch = pytest.importorskip("torch")
    tmodel, trun = bench.lib_epoch(torch, sizes, w, x, y, 64, lr=0.1)
    trun()
    for got, want in zip(tmodel.parameters(), ref.p):
        np.testing.assert_allclose(got.detach().numpy(), want, rtol=2e-5, atol=2e-6)


def test_overhead_whatif_variants_train_like_the_library(capsys):
    """benchmarks/overhead_whatif.py's variants (bias sums by numpy, one fused loss node) compute
    the same training as course_lib as is (its own check), patch only while they run, and report a
    row per variant."""
    import overhead_whatif
    from course_lib.autograd.functions import linalg
    from course_lib.nn import _loss_ops

    before = (linalg.unbroadcast, _loss_ops.cross_entropy)
    overhead_whatif.main(["--repeats", "1"])
    assert (linalg.unbroadcast, _loss_ops.cross_entropy) == before
    out = capsys.readouterr().out
    for name in ("hand-written numpy", "as is", "sum", "loss", "both"):
        assert f"| {name} |" in out
