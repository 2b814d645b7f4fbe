"""Library speed: course_lib vs hand-written numpy vs PyTorch (when installed), one run.

库速度基准：course_lib 对比手写 numpy 与 PyTorch（若已安装），同一次运行、相同数据与初始权重。
Usage / 用法:  make bench      (or: .venv/bin/python benchmarks/bench.py [--quick] [--write])

Workloads
  mlp_digits   one epoch of an MLP 64-256-256-10 at batch 64 on the digits training set
               (SGD lr 0.1, cross-entropy; 1437 samples → 23 steps), twice: batches sliced in
               the loop as the numpy reference does (the library's training step), and from a
               DataLoader over a TensorDataset (samples fetched one by one and collated, as torch)
  mlp_big      20 steps of an MLP 784-1024-1024-10 at batch 512 on random data
  cnn_digits   one training step of a small CNN (Conv 1→16 3×3, ReLU, MaxPool 2, Conv 16→32,
               ReLU, MaxPool 2, Flatten, Linear 128→10) at batch 64
  per_op       forward + backward of one elementwise op (mul) on a 4-element tensor, µs
  import       `import course_lib` / `import torch` in a fresh interpreter, s
Every number is the median of several repeats; ratios are against hand-written numpy.
BLAS runs single-threaded for all three (OPENBLAS_NUM_THREADS=1, torch.set_num_threads(1)) and
both process CPU time and wall time are reported: on a shared 2-core machine the CPU time is the
stable measure of the work a library does (wall time swings with other jobs).
"""
from __future__ import annotations

import argparse
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time

if __name__ == "__main__":  # before numpy is imported (not when a test imports this file)
    for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def interleaved(fns, repeats, warmup=1):
    """{clock: {name: median seconds}}; the callables take turns (fair under drifting load),
    starting with a different one in each repeat (no one always runs right after another)."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    ts = {c: {k: [] for k in fns} for c in CLOCKS}
    items = list(fns.items())
    for r in range(repeats):
        for k, fn in items[r % len(items):] + items[:r % len(items)]:
            c0, w0 = time.process_time(), time.perf_counter()
            fn()
            ts["cpu"][k].append(time.process_time() - c0)
            ts["wall"][k].append(time.perf_counter() - w0)
    return {c: {k: statistics.median(v) for k, v in d.items()} for c, d in ts.items()}


def scaled(res, factor):
    return {c: {k: v * factor for k, v in d.items()} for c, d in res.items()}


# ------------------------------------------------------------------ data and initial weights
def digits_train():
    from course_lib.datasets import _arrays, N_TEST
    x, y = _arrays()
    return x[:-N_TEST].reshape(-1, 64), y[:-N_TEST]


def init_weights(sizes, seed=0):
    """torch's Linear init (U(±1/√fan_in) for W and b), float32, shared by all three."""
    rng = np.random.default_rng(seed)
    ws = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        b = 1 / np.sqrt(fan_in)
        ws.append(rng.uniform(-b, b, (fan_out, fan_in)).astype(np.float32))
        ws.append(rng.uniform(-b, b, fan_out).astype(np.float32))
    return ws


# ------------------------------------------------------------------ hand-written numpy
class NumpyMLP:
    """The reference: the same MLP written directly in numpy (fused softmax-CE backward)."""

    def __init__(self, weights, lr):
        self.p = [w.copy() for w in weights]
        self.lr = np.float32(lr)

    def step(self, x, y, marks=None):
        """One SGD step; ``marks`` (a list): perf_counter() appended after the forward, the
        loss with its gradient, and the backward (bench's per-phase table)."""
        p = self.p
        n_layers = len(p) // 2
        acts = [x]
        h = x
        for i in range(n_layers):
            z = h @ p[2 * i].T
            z += p[2 * i + 1]
            if i < n_layers - 1:
                np.maximum(z, 0, out=z)
            acts.append(z)
            h = z
        if marks is not None:
            marks.append(time.perf_counter())
        m = h.max(axis=1, keepdims=True)
        e = np.exp(h - m)
        s = e.sum(axis=1, keepdims=True)
        n = x.shape[0]
        loss = float(np.mean(np.log(s[:, 0]) + m[:, 0] - h[np.arange(n), y]))
        g = e / s
        g[np.arange(n), y] -= 1
        g /= n
        if marks is not None:
            marks.append(time.perf_counter())
        grads = []
        for i in reversed(range(n_layers)):
            a = acts[i]
            gw = g.T @ a
            gb = g.sum(axis=0)
            if i > 0:
                g = g @ p[2 * i]
                g *= acts[i] > 0
            grads.append((i, gw, gb))
        if marks is not None:
            marks.append(time.perf_counter())
        for i, gw, gb in grads:
            p[2 * i] -= self.lr * gw
            p[2 * i + 1] -= self.lr * gb
        return loss


def numpy_epoch(weights, x, y, bs, lr=0.1):
    net = NumpyMLP(weights, lr)
    for s in range(0, len(y), bs):
        net.step(x[s:s + bs], y[s:s + bs])
    return net


# ------------------------------------------------------------------ course_lib / torch
def lib_mlp(lib, sizes, weights):
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(lib.nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(lib.nn.ReLU())
    model = lib.nn.Sequential(*layers)
    with lib.no_grad():
        for p, w in zip(model.parameters(), weights):
            p.copy_(lib.tensor(w))
    return model


def lib_epoch(lib, sizes, weights, x, y, bs, lr=0.1, loader=True):
    model = lib_mlp(lib, sizes, weights)
    opt = lib.optim.SGD(model.parameters(), lr=lr)
    loss_fn = lib.nn.CrossEntropyLoss()
    X, Y = lib.tensor(x), lib.tensor(y)
    if loader:
        batches = lib.utils.data.DataLoader(lib.utils.data.TensorDataset(X, Y), batch_size=bs)
    else:  # sliced in the loop, as the numpy reference does
        batches = None

    def run():
        for xb, yb in (batches if batches is not None else
                       ((X[s:s + bs], Y[s:s + bs]) for s in range(0, len(y), bs))):
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
    return model, run


PHASES = ("batch", "forward", "loss", "backward", "update")


def phases(lib, sizes, weights, x, y, bs, repeats, lr=0.1):
    """µs per step of each phase of the sliced MLP epoch, median over ``repeats`` epochs:
    {"numpy": {phase: µs}, "course_lib": {...}}. numpy's loss phase includes the loss's
    gradient (its fused softmax − one-hot); course_lib's loss nodes run in its backward."""
    model = lib_mlp(lib, sizes, weights)
    opt = lib.optim.SGD(model.parameters(), lr=lr)
    loss_fn = lib.nn.CrossEntropyLoss()
    X, Y = lib.tensor(x), lib.tensor(y)
    clock = time.perf_counter
    out = {"numpy": {k: [] for k in PHASES}, "course_lib": {k: [] for k in PHASES}}
    for _ in range(repeats + 1):  # the first epoch warms up
        net = NumpyMLP(weights, lr)
        tn, tl = dict.fromkeys(PHASES, 0.0), dict.fromkeys(PHASES, 0.0)
        for s in range(0, len(y), bs):
            t0 = clock()
            xb, yb = x[s:s + bs], y[s:s + bs]
            m = [clock()]
            net.step(xb, yb, m)
            m.append(clock())
            for k, a, b in zip(PHASES, [t0] + m, m):
                tn[k] += b - a
            t0 = clock()
            opt.zero_grad()
            xb, yb = X[s:s + bs], Y[s:s + bs]
            t1 = clock()
            h = model(xb)
            t2 = clock()
            loss = loss_fn(h, yb)
            t3 = clock()
            loss.backward()
            t4 = clock()
            opt.step()
            t5 = clock()
            for k, a, b in zip(PHASES, (t0, t1, t2, t3, t4), (t1, t2, t3, t4, t5)):
                tl[k] += b - a
        n = -(-len(y) // bs)
        for name, t in (("numpy", tn), ("course_lib", tl)):
            for k in PHASES:
                out[name][k].append(t[k] / n * 1e6)
    return {name: {k: statistics.median(v[1:]) for k, v in d.items()} for name, d in out.items()}


def phase_table(ph):
    rows = ["| phase (µs per step, wall, median) | numpy | course_lib | difference |",
            "|---|---|---|---|"]
    for k in PHASES + ("total",):
        a = sum(ph["numpy"].values()) if k == "total" else ph["numpy"][k]
        b = sum(ph["course_lib"].values()) if k == "total" else ph["course_lib"][k]
        rows.append(f"| {k} | {a:.1f} | {b:.1f} | {b - a:+.1f} |")
    return rows


def cnn(lib):
    nn = lib.nn
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(128, 10))


def cnn_step(lib, x, y):
    model = cnn(lib)
    opt = lib.optim.SGD(model.parameters(), lr=0.05)
    loss_fn = lib.nn.CrossEntropyLoss()
    X, Y = lib.tensor(x.reshape(-1, 1, 8, 8)), lib.tensor(y)

    def run():
        opt.zero_grad()
        loss_fn(model(X), Y).backward()
        opt.step()
    return run


def per_op(lib, n=2000):
    x = lib.ones(4, requires_grad=True)
    g = lib.ones(4)

    def run():
        for _ in range(n):
            (x * x).backward(g)
    return lambda: run(), n


def import_time(mod, repeats):
    code = f"import time; t=time.perf_counter(); import {mod}; print(time.perf_counter()-t)"
    ts = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        if out.returncode != 0:
            return None
        ts.append(float(out.stdout.strip()))
    return statistics.median(ts)


# ------------------------------------------------------------------ main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats (smoke run)")
    ap.add_argument("--write", action="store_true", help="write benchmarks/RESULTS.md")
    args = ap.parse_args(argv)
    rep = 3 if args.quick else 9
    load0 = os.getloadavg()[0]
    import course_lib as cl
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        torch = None
    libs = [("course_lib", cl)] + ([("torch", torch)] if torch is not None else [])
    rows = []

    x, y = digits_train()
    sizes = [64, 256, 256, 10]
    w = init_weights(sizes)
    for loader, title in ((False, "MLP 64-256-256-10, batch 64, 1 epoch digits (s)"),
                          (True, "the same from a DataLoader (s)")):
        fns = {"numpy": lambda: numpy_epoch(w, x, y, 64)}
        for name, lib in libs:
            fns[name] = lib_epoch(lib, sizes, w, x, y, 64, loader=loader)[1]
        rows.append((title, interleaved(fns, rep * 3)))

    ph = phases(cl, sizes, w, x, y, 64, rep * 3)

    rng = np.random.default_rng(1)
    xb = rng.standard_normal((512 * 20, 784)).astype(np.float32)
    yb = rng.integers(0, 10, 512 * 20)
    sizes_b = [784, 1024, 1024, 10]
    wb = init_weights(sizes_b, 1)
    fns = {"numpy": lambda: numpy_epoch(wb, xb, yb, 512)}
    for name, lib in libs:
        fns[name] = lib_epoch(lib, sizes_b, wb, xb, yb, 512, loader=False)[1]
    rows.append(("MLP 784-1024-1024-10, batch 512, 20 steps (s)", interleaved(fns, max(3, rep // 2))))

    fns = {name: cnn_step(lib, x[:64], y[:64]) for name, lib in libs}
    rows.append(("small CNN step, batch 64 on digits (ms)", scaled(interleaved(fns, rep * 5), 1e3)))

    n_op = 2000
    fns = {name: per_op(lib, n_op)[0] for name, lib in libs}
    rows.append(("per-op overhead: mul fwd+bwd on 4 elements (µs)",
                 scaled(interleaved(fns, rep), 1e6 / n_op)))

    res = {"course_lib": import_time("course_lib", rep)}
    if torch is not None:
        res["torch"] = import_time("torch", max(3, rep // 3))
    rows.append(("import time (s, wall, fresh interpreter)", {"cpu": res, "wall": res}))

    lines = ["### CPU time (process_time) / CPU 时间", ""] + report(rows, "cpu") + [
        "", "### Wall time / 挂钟时间", ""] + report(rows, "wall") + [
        "", "### Where the small MLP's step goes / 小 MLP 每步时间分布", "",
        "The sliced MLP epoch (first row) timed phase by phase: batch = zero_grad + slicing, "
        "forward = the model, loss = cross-entropy (numpy: with its gradient), backward, "
        "update = SGD.", ""] + phase_table(ph)
    print("\n".join(lines))
    if args.write:
        cpu0 = rows[0][1]["cpu"]
        ratio = cpu0["course_lib"] / cpu0["numpy"]
        per_op_us = next(r[1]["cpu"]["course_lib"] for r in rows if r[0].startswith("per-op"))
        head = [
            "# Library benchmarks / 库性能基准", "",
            "Command / 命令: `make bench` (= `.venv/bin/python benchmarks/bench.py --write`)", "",
            f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, numpy {np.__version__}"
            + (f", torch {torch.__version__}" if torch is not None else ""), "",
            f"Load average (1 min) at start / end: {load0:.1f} / {os.getloadavg()[0]:.1f} (a shared "
            "machine: other jobs disturb wall times most; the libraries take turns in every repeat, "
            "each repeat starting with another one, so drift hits all alike). "
            f"BLAS threads: OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}.",
            "",
            "Medians of repeated runs; `×numpy` = time / hand-written numpy time (lower is better).",
            "Targets (issue 13): small MLP ≤ 1.25 × numpy; per-op < 10 µs; import < 0.3 s.", ""]
        tail = ["", "### Notes / 说明", "",
                "- The numpy reference is a careful hand-written MLP (in-place bias/ReLU, fused "
                "softmax-cross-entropy gradient); `tests/test_optim_benchmark_equivalence.py` checks "
                "that it, course_lib and torch train to the same parameters.",
                "- Since the students' pieces carry the library (issue 13), the hot path runs them: "
                "`F.linear` (addmm + t(), torch's graph) instead of a fused private linear, the "
                "lesson-04 engine loop `execute` and formula rows, `sum_to_size` for every broadcast "
                "gradient, the lesson-05 loss rows, `SGD.step`, `DataLoader.__iter__` and "
                "`default_collate`, each through its dispatcher (the phase table above says what "
                "that costs per step).",
                "- The DataLoader row times the loader as well: every batch is the lesson-06 "
                "`DataLoader.__iter__` fetching the samples one by one and `default_collate` "
                "stacking them, as torch's map-style fetcher does for a `TensorDataset` (torch "
                "defines `__getitems__` only for `Subset` and `StackDataset`); there is no gathered "
                "fast path (issue 13 point 3), so that row is over the 1.25× target by the "
                "loader's cost, which torch pays too (its column, same row).",
                f"- Per-op overhead: {per_op_us:.2f} µs, "
                + ("under" if per_op_us < 10 else "over") + " the 10 µs target and far below "
                "torch's (a Python graph without dispatcher layers).",
                f"- Small MLP: {ratio:.2f} × numpy (CPU time), "
                + ("within" if ratio <= 1.25 else "over") + " the 1.25 × target. The phase table "
                "shows where the difference lies: course_lib builds and runs torch's graph of 16 "
                "nodes per step (3 AddmmBackward0, 3 TBackward0, 2 ReluBackward0, "
                "LogSoftmaxBackward0, NllLossBackward0, 6 AccumulateGrad), each op through its "
                "public checks and each node through the lesson-04 engine and formula pieces; "
                "numpy's step is one fused function (in-place ReLU and its mask, fused "
                "softmax-cross-entropy gradient) with no graph. The matrix products, about three "
                "quarters of numpy's step, cost the same in both. Why the 1.25 × target is not "
                "reachable with the pieces carrying the step, and what would reach it: the kept "
                "section \"Small MLP and the 1.25× target\" below (benchmarks/overhead_whatif.py)."]
        path = ROOT / "benchmarks" / "RESULTS.md"
        kept = []  # sections written by other tools (tools/gpu_check.py's real-GPU figures)
        if path.exists():
            text = path.read_text(encoding="utf-8")
            if KEEP in text:
                kept = ["", KEEP + text.split(KEEP, 1)[1].rstrip("\n")]
        path.write_text("\n".join(head + lines + tail + kept) + "\n", encoding="utf-8")


KEEP = "<!-- sections below are kept by bench.py --write -->"


def report(rows, clock):
    out = ["| workload | numpy | course_lib | torch | course_lib ×numpy | torch ×numpy |",
           "|---|---|---|---|---|---|"]
    for title, both in rows:
        res = both[clock]
        def f(k):
            v = res.get(k)
            return "—" if v is None else f"{v:.4g}"

        def r(k):
            if res.get(k) is None or res.get("numpy") is None:
                return "—"
            return f"{res[k] / res['numpy']:.2f}"
        out.append(f"| {title} | {f('numpy')} | {f('course_lib')} | {f('torch')} | "
                   f"{r('course_lib')} | {r('torch')} |")
    return out


if __name__ == "__main__":
    main()
