"""Real-GPU check (run on a machine with an NVIDIA GPU and cupy): the GPU tests, lesson 03 on
real CUDA, course_lib cuda vs cpu vs torch parity, and a few timings. Writes a JSON report.

真实 GPU 检查：GPU 测试、第 03 课在真实 CUDA 上运行、与 CPU / PyTorch 的一致性以及几项计时。

    python tools/gpu_check.py OUT_DIR
It needs only numpy, cupy, pytest (and torch for the parity part); no Jupyter: lesson cells are
taken from the solutions notebook with json and run in one namespace, as a kernel would.
"""
from __future__ import annotations

import contextlib
import io
import json
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# --simulate: a dry run of this script on the simulated device (no GPU)
SIMULATE = "--simulate" in sys.argv


def _timed(fn, repeat=20, sync=None):
    fn()
    if sync:
        sync()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        if sync:
            sync()
        best = min(best, time.perf_counter() - t0)
    return best


def run_lesson(lesson: str) -> dict:
    """Every code cell of solutions/<lesson> in one namespace; time and outcome per cell."""
    nb = json.loads((ROOT / "solutions" / lesson / f"{lesson}.ipynb").read_text(encoding="utf-8"))
    ns = {"__name__": "__main__"}
    cells = []
    t_all = time.perf_counter()
    for i, c in enumerate(nb["cells"]):
        if c["cell_type"] != "code":
            continue
        src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        src = "\n".join(ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!")))
        out = io.StringIO()
        t0 = time.perf_counter()
        err = None
        with contextlib.redirect_stdout(out):
            try:
                exec(compile(src, f"<{lesson} cell {i}>", "exec"), ns)
            except Exception:
                err = traceback.format_exc(limit=4)
        cells.append({"cell": i, "id": (c["metadata"].get("nbgrader") or {}).get("grade_id", ""),
                      "seconds": round(time.perf_counter() - t0, 4), "error": err,
                      "stdout": out.getvalue()[-1500:]})
    try:
        import matplotlib.pyplot as plt
        plt.close("all")
    except ImportError:
        pass
    return {"lesson": lesson, "seconds": round(time.perf_counter() - t_all, 3),
            "errors": sum(c["error"] is not None for c in cells), "cells": cells}


def parity() -> dict:
    """The same small programs on course_lib cuda (cupy) and cpu, and on torch cuda."""
    import numpy as np

    import course_lib as cl
    cl.cuda.simulate(SIMULATE)
    res = {}
    g = np.random.default_rng(0)
    x = g.standard_normal((64, 32))
    w = g.standard_normal((16, 32))
    b = g.standard_normal(16)
    y = g.integers(0, 16, 64)

    def mlp(dev, lib):
        X = lib.tensor(x, dtype=lib.float64, device=dev)
        W = lib.tensor(w, dtype=lib.float64, device=dev, requires_grad=True)
        B = lib.tensor(b, dtype=lib.float64, device=dev, requires_grad=True)
        Y = lib.tensor(y, device=dev)
        out = lib.nn.functional.linear(X, W, B).relu()
        loss = lib.nn.functional.cross_entropy(out, Y)
        loss.backward()
        return float(loss.item()), W.grad.cpu().numpy(), B.grad.cpu().numpy()

    cpu = mlp("cpu", cl)
    gpu = mlp("cuda", cl)
    res["mlp_loss_cpu_vs_cuda_absdiff"] = abs(cpu[0] - gpu[0])
    res["mlp_grad_cpu_vs_cuda_maxdiff"] = float(max(np.abs(cpu[1] - gpu[1]).max(),
                                                    np.abs(cpu[2] - gpu[2]).max()))
    try:
        import torch
        if torch.cuda.is_available():
            tt = mlp("cuda", torch)
            res["mlp_loss_vs_torch_cuda_absdiff"] = abs(gpu[0] - tt[0])
            res["mlp_grad_vs_torch_cuda_maxdiff"] = float(np.abs(gpu[1] - tt[1]).max())
    except ImportError:
        pass
    # conv + pooling + softmax on the GPU vs cpu
    img = g.standard_normal((4, 3, 16, 16)).astype(np.float32)
    k = g.standard_normal((8, 3, 3, 3)).astype(np.float32)

    def conv(dev):
        I = cl.tensor(img, device=dev, requires_grad=True)
        K = cl.tensor(k, device=dev, requires_grad=True)
        o = cl.nn.functional.max_pool2d(cl.nn.functional.conv2d(I, K, padding=1), 2)
        (o * o).sum().backward()
        return o.detach().cpu().numpy(), K.grad.cpu().numpy()

    c1, c2 = conv("cpu"), conv("cuda")
    res["conv_out_maxdiff"] = float(np.abs(c1[0] - c2[0]).max())
    res["conv_grad_maxrel"] = float(np.abs(c1[1] - c2[1]).max() / (np.abs(c1[1]).max() + 1e-12))
    dev_t = cl.ones(3, device="cuda")
    res["array_module"] = type(dev_t._data).__module__
    try:
        dev_t + cl.ones(3)
        res["device_mismatch_error"] = None
    except RuntimeError as e:
        res["device_mismatch_error"] = str(e)
    return res


def timings() -> dict:
    import numpy as np

    import course_lib as cl
    out = {}
    for n in (1024, 4096):
        for dev in ("cpu", "cuda"):
            if dev == "cpu" and n > 1024:
                continue
            a = cl.randn(n, n, device=dev)
            b = cl.randn(n, n, device=dev)
            s = cl.cuda.synchronize if dev == "cuda" else None
            out[f"course_lib matmul {n} {dev} (ms)"] = round(1e3 * _timed(lambda: a @ b, 10, s), 3)
    try:
        import torch
        if torch.cuda.is_available():
            for n in (1024, 4096):
                a = torch.randn(n, n, device="cuda")
                b = torch.randn(n, n, device="cuda")
                out[f"torch matmul {n} cuda (ms)"] = round(
                    1e3 * _timed(lambda: a @ b, 10, torch.cuda.synchronize), 3)
    except ImportError:
        pass

    # training step of a 64-256-256-10 MLP, batch 64 (the course's small MLP) and a big one
    def step_time(lib, dev, sizes, batch, sync):
        lib.manual_seed(0)
        layers = []
        for i, (m, n) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(lib.nn.Linear(m, n))
            if i < len(sizes) - 2:
                layers.append(lib.nn.ReLU())
        model = lib.nn.Sequential(*layers).to(dev)
        opt = lib.optim.SGD(model.parameters(), lr=0.01)
        X = lib.randn(batch, sizes[0], device=dev)
        Y = lib.randint(0, sizes[-1], (batch,), device=dev)

        def step():
            opt.zero_grad()
            lib.nn.functional.cross_entropy(model(X), Y).backward()
            opt.step()
        return _timed(step, 30, sync)

    for sizes, batch, tag in (((64, 256, 256, 10), 64, "small MLP"),
                              ((784, 1024, 1024, 10), 512, "big MLP")):
        for dev in ("cpu", "cuda"):
            s = cl.cuda.synchronize if dev == "cuda" else None
            out[f"course_lib {tag} step {dev} (ms)"] = round(1e3 * step_time(cl, dev, sizes, batch, s), 3)
        try:
            import torch
            if torch.cuda.is_available():
                out[f"torch {tag} step cuda (ms)"] = round(
                    1e3 * step_time(torch, "cuda", sizes, batch, torch.cuda.synchronize), 3)
        except ImportError:
            pass
    return out


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--simulate"]
    outdir = Path(args[0] if args else ".")
    outdir.mkdir(parents=True, exist_ok=True)
    report = {"python": platform.python_version()}
    try:
        report["nvidia_smi"] = subprocess.run(["nvidia-smi"], capture_output=True, text=True,
                                              timeout=30).stdout
    except Exception as e:  # noqa: BLE001
        report["nvidia_smi"] = f"failed: {e}"
    import numpy as np

    import course_lib as cl
    from course_lib.utils import collect_env as ce
    report["versions"] = {"numpy": np.__version__}
    try:
        import cupy
        report["versions"]["cupy"] = cupy.__version__
    except ImportError as e:
        report["versions"]["cupy"] = f"missing: {e}"
    try:
        import torch
        report["versions"]["torch"] = torch.__version__
    except ImportError:
        pass
    cl.cuda.simulate(SIMULATE)
    report["is_available"] = cl.cuda.is_available()
    report["device_name"] = cl.cuda.get_device_name(0) if report["is_available"] else None
    report["version_cuda"] = cl.version.cuda
    smi = report["nvidia_smi"]
    for name in ("parse_driver_version", "parse_driver_cuda_version"):
        try:
            report[name] = str(getattr(ce, name)(smi))
        except Exception as e:  # noqa: BLE001
            report[name] = f"{type(e).__name__}: {e}"
    steps = [("pytest", lambda: subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "gpu or not gpu",
         "tests/test_device.py"], cwd=ROOT, capture_output=True, text=True, timeout=300).stdout[-3000:]),
        ("parity", parity), ("lesson_03", lambda: run_lesson("03_cuda")), ("timings", timings)]
    for name, fn in steps:
        t0 = time.perf_counter()
        try:
            report[name] = fn()
        except Exception:  # noqa: BLE001
            report[name] = {"crashed": traceback.format_exc()}
        print(f"{name}: {time.perf_counter() - t0:.1f} s", flush=True)
    (outdir / "gpu_report.json").write_text(json.dumps(report, indent=1, default=str))
    print(json.dumps({k: v for k, v in report.items() if k not in ("nvidia_smi", "lesson_03")},
                     indent=1, default=str)[:6000])
    les = report.get("lesson_03", {})
    print("lesson 03:", les.get("seconds"), "s, errors:", les.get("errors"))
    for c in les.get("cells", []):
        if c.get("error"):
            print(c["cell"], c["id"], c["error"][-800:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
