"""What would the small MLP cost if the students' pieces did not carry its hot path?

若学生的组件不承担热路径，小 MLP 会快多少？（只用于测量，库从不调用这里的代码。）
Usage / 用法:  .venv/bin/python benchmarks/overhead_whatif.py [--repeats N]

bench.py's small-MLP epoch (sliced batches) is timed in one process, interleaved, as it is and
with each of two changes that issue 13 forbids, patched in only while its own run lasts:
  sum      bias gradients summed by numpy directly (not by lesson 04's ``Tensor.sum_to_size``)
  loss     cross-entropy as ONE node with numpy's fused formula (softmax − one-hot) / N, the
           hand-written reference's loss, instead of lesson 05's log_softmax and nll_loss rows
           and torch's two nodes (LogSoftmaxBackward0 ← NllLossBackward0)
  both     the two together
It prints CPU µs per step and the ratio to hand-written numpy for each (RESULTS.md records a run).
"""
from __future__ import annotations

import argparse
import os
import sys

if __name__ == "__main__":
    for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

SIZES = [64, 256, 256, 10]
BATCH = 64


def _patches(lib):
    """{name: [(module, attribute, replacement)]} for the two changes."""
    from course_lib._tensor import _wrap
    from course_lib.autograd import node as N
    from course_lib.autograd.functions import linalg as L
    from course_lib.autograd.grad_mode import STATE
    from course_lib.nn import _loss_ops as LO

    def numpy_unbroadcast(g, shape):
        if g.shape == shape:
            return g
        lead = g.ndim - len(shape)
        keep = tuple(lead + i for i, s in enumerate(shape) if s == 1 and g.shape[lead + i] != 1)
        if keep:
            g = g.sum(axis=keep, keepdims=True)
        return g.sum(axis=tuple(range(lead))) if lead else g

    class FusedCrossEntropyBackward(N.Node):
        __slots__ = ("p", "t")

        def backward(self, g):
            p = self.p
            p[np.arange(p.shape[0]), self.t] -= 1
            p *= g / p.shape[0]
            return (p, None)

    def fused_cross_entropy(input, target, weight, ignore_index, reduction, cdim):
        x, t = input._data, target._data  # (N, C) logits, class indices, mean (the benchmark's case)
        m = x.max(axis=1, keepdims=True)
        e = np.exp(x - m)
        s = e.sum(axis=1, keepdims=True)
        n = x.shape[0]
        res = _wrap(np.mean(np.log(s[:, 0]) + m[:, 0] - x[np.arange(n), t]).astype(x.dtype))
        if STATE[0] and input._requires_grad:
            node = FusedCrossEntropyBackward()
            node.p, node.t = e / s, t
            N.attach2(res, node, input, None)
        return res

    sum_patch = [(L, "unbroadcast", numpy_unbroadcast)]
    loss_patch = [(LO, "cross_entropy", fused_cross_entropy)]
    return {"as is": [], "sum": sum_patch, "loss": loss_patch, "both": sum_patch + loss_patch}


def _patched(run, patch):
    def go():
        old = [(m, a, getattr(m, a)) for m, a, _ in patch]
        for m, a, f in patch:
            setattr(m, a, f)
        try:
            run()
        finally:
            for m, a, f in old:
                setattr(m, a, f)
    return go


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=40)
    args = ap.parse_args(argv)
    import course_lib as lib

    x, y = bench.digits_train()
    w = bench.init_weights(SIZES)
    fns = {"numpy": lambda: bench.numpy_epoch(w, x, y, BATCH)}
    for name, patch in _patches(lib).items():
        _, run = bench.lib_epoch(lib, SIZES, w, x, y, BATCH, loader=False)
        fns[name] = _patched(run, patch)
    cpu = bench.interleaved(fns, args.repeats)["cpu"]
    # the variants compute the same training: one epoch each from the same start, same parameters
    trained = {}
    for name, patch in _patches(lib).items():
        model, run = bench.lib_epoch(lib, SIZES, w, x, y, BATCH, loader=False)
        _patched(run, patch)()
        trained[name] = [p.detach().numpy() for p in model.parameters()]
    for name, ps in trained.items():
        for a, b in zip(trained["as is"], ps):
            if not np.allclose(a, b, rtol=1e-4, atol=1e-6):
                raise SystemExit(f"variant {name!r} trains to other parameters than 'as is' "
                                 f"(max difference {np.abs(a - b).max():.2e})")
    steps = -(-len(y) // BATCH)
    print("| course_lib | µs per step (CPU) | ×numpy |")
    print("|---|---|---|")
    print(f"| hand-written numpy | {cpu['numpy'] / steps * 1e6:.1f} | 1.00 |")
    for name in fns:
        if name != "numpy":
            print(f"| {name} | {cpu[name] / steps * 1e6:.1f} | {cpu[name] / cpu['numpy']:.3f} |")


if __name__ == "__main__":
    main()
