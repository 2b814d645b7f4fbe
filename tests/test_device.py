"""Devices: ``course_lib.device``, cuda errors without cupy/GPU, the simulated CUDA device, GPU.

设备：device 对象、没有 cupy/GPU 时的报错、模拟 CUDA 设备、真实 GPU（有则测）。
"""
import numpy as np
import pytest

import course_lib as cl
from course_lib import _backend


def test_device_objects_like_torch():
    d = cl.device("cuda:0")
    assert d.type == "cuda" and d.index == 0 and str(d) == "cuda:0"
    assert repr(d) == "device(type='cuda', index=0)" and repr(cl.device("cpu")) == "device(type='cpu')"
    assert cl.device("cuda", 1) == cl.device("cuda:1") and cl.device(0) == cl.device("cuda:0")
    assert str(cl.device("cuda")) == "cuda" and cl.device(d) is d
    assert len({cl.device("cpu"), cl.device("cpu")}) == 1
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda"):
        cl.device("gpu")
    assert cl.ones(1).device == cl.device("cpu") and cl.ones(1).device.index is None


def test_without_cupy_cuda_is_unavailable_and_explains(monkeypatch):
    if _backend.real_cuda_available():
        pytest.skip("a real GPU is present")
    monkeypatch.setitem(_backend._state, "simulate", False)
    assert not cl.cuda.is_available() and cl.cuda.device_count() == 0
    assert cl.version.cuda is None
    for make in (lambda: cl.ones(2).cuda(), lambda: cl.zeros(2, device="cuda"),
                 lambda: cl.ones(2).to("cuda"), lambda: cl.cuda.get_device_name()):
        with pytest.raises(RuntimeError) as e:
            make()
        msg = str(e.value)
        assert "cupy" in msg and "simulate" in msg and "无法使用 CUDA" in msg


def test_simulated_device_semantics(simulated):
    assert cl.cuda.is_available() and cl.cuda.device_count() == 1
    assert cl.cuda.get_device_name(0) == "Simulated CUDA device (numpy)"
    x = cl.ones(2, 3, device="cuda")
    assert x.device == cl.device("cuda:0") and x.is_cuda
    assert type(x._data) is _backend.SimulatedCudaArray
    assert "device='cuda:0'" in repr(x)
    assert x.cuda() is x and x.to("cuda") is x and x.to("cuda:0") is x
    h = x.cpu()
    assert h.device.type == "cpu" and type(h._data) is np.ndarray
    h.add_(1)  # a real copy: the device tensor is unchanged
    assert x.sum().item() == 6.0
    y = cl.arange(3.0).to("cuda")
    assert (y * 2 + 1).device.type == "cuda" and y.sum().device.type == "cuda"
    assert (y + cl.tensor(1.0)).device.type == "cuda"  # cpu 0-dim tensors may join, like torch
    with pytest.raises(RuntimeError, match=r"^Expected all tensors to be on the same device, but "
                                           r"found at least two devices, cuda:0 and cpu!$"):
        y + cl.ones(3)
    with pytest.raises(RuntimeError, match="same device"):
        cl.ones(3) @ y
    with pytest.raises(RuntimeError, match="same device"):
        cl.cat([y, cl.ones(3)])
    with pytest.raises(TypeError, match="can't convert cuda:0 device type tensor to numpy"):
        y.numpy()
    assert y.tolist() == [0.0, 1.0, 2.0] and y[1].item() == 1.0
    assert y.to(cl.float64).device.type == "cuda"


def test_simulated_device_autograd_and_modules(simulated):
    w = cl.randn(3, 2, device="cuda", requires_grad=True)
    x = cl.randn(4, 3).to("cuda")
    loss = (x @ w).relu().mean()
    loss.backward()
    assert w.grad.device.type == "cuda" and w.grad.shape == (3, 2)
    a = cl.ones(2, requires_grad=True)
    a.to("cuda").mul(3).sum().backward()  # gradient comes back to the cpu leaf
    assert a.grad.device.type == "cpu" and a.grad.tolist() == [3.0, 3.0]
    m = cl.nn.Linear(3, 2).to("cuda")
    assert m.weight.device.type == "cuda" and m(x).device.type == "cuda"


def test_env_var_switch(monkeypatch):
    import subprocess
    import sys

    code = "import course_lib as c; print(c.cuda.is_available(), c.ones(1, device='cuda').device)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"COURSE_LIB_SIMULATE_CUDA": "1", "PATH": ""}, check=True)
    assert out.stdout.split() == ["True", "cuda:0"]


@pytest.mark.gpu
def test_real_gpu_roundtrip():
    if not _backend.real_cuda_available():
        pytest.skip("needs cupy and an NVIDIA GPU")
    old = _backend.simulating()
    cl.cuda.simulate(False)
    try:
        x = cl.randn(64, 32, requires_grad=True)
        xg = x.cuda()
        assert type(xg._data).__module__.startswith("cupy")
        w = cl.randn(32, 8, device="cuda", requires_grad=True)
        loss = (xg @ w).relu().sum()
        loss.backward()
        ref = (x.detach().numpy() @ w.detach().cpu().numpy())
        np.testing.assert_allclose(loss.item(), np.maximum(ref, 0).sum(), rtol=1e-4)
        assert x.grad.device.type == "cpu" and w.grad.device.type == "cuda"
        assert cl.version.cuda is not None and cl.cuda.get_device_name()
    finally:
        cl.cuda.simulate(old)
