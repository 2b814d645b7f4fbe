"""save/load: safe format round trips, map_location, whole modules, foreign/corrupt files."""
import io
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import course_lib as cl


def roundtrip(obj, **kw):
    buf = io.BytesIO()
    cl.save(obj, buf)
    buf.seek(0)
    return cl.load(buf, **kw)


def test_tensors_and_nested_containers(tmp_path):
    t = cl.tensor([[1.5, 2.0]], dtype=cl.float64)
    obj = {"t": t, "again": t, "ints": cl.arange(3), "b": cl.tensor([True, False]),
           "nested": [1, 2.5, "s", None, (3, 4), {"x": float("inf")}], 7: b"raw",
           "shape": cl.Size([2, 3]), "dtype": cl.float16, "np": np.arange(3), "c": 1 + 2j}
    path = tmp_path / "obj.pt"
    cl.save(obj, path)
    got = cl.load(path)
    assert got["t"].dtype == cl.float64 and got["t"].tolist() == [[1.5, 2.0]]
    assert got["again"] is got["t"]
    assert got["ints"].dtype == cl.int64 and got["b"].dtype == cl.bool
    assert got["nested"] == [1, 2.5, "s", None, (3, 4), {"x": float("inf")}]
    assert got[7] == b"raw" and got["shape"] == cl.Size([2, 3]) and got["dtype"] is cl.float16
    assert np.array_equal(got["np"], np.arange(3)) and got["c"] == 1 + 2j


def test_state_dicts_model_and_optimizer():
    model = cl.nn.Sequential(cl.nn.Linear(3, 4), cl.nn.ReLU(), cl.nn.Linear(4, 2))
    opt = cl.optim.Adam(model.parameters(), lr=0.01)
    model(cl.ones(2, 3)).sum().backward()
    opt.step()
    ck = roundtrip({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": 3})
    assert isinstance(ck["model"], OrderedDict) and list(ck["model"]) == list(model.state_dict())
    fresh = cl.nn.Sequential(cl.nn.Linear(3, 4), cl.nn.ReLU(), cl.nn.Linear(4, 2))
    fresh.load_state_dict(ck["model"])
    for a, b in zip(fresh.parameters(), model.parameters()):
        assert np.array_equal(a.detach().numpy(), b.detach().numpy())
    opt2 = cl.optim.Adam(fresh.parameters())
    opt2.load_state_dict(ck["opt"])
    assert opt2.param_groups[0]["lr"] == 0.01
    st = opt2.state[next(iter(fresh.parameters()))]
    assert float(st["step"]) == 1.0 and st["exp_avg"].shape == (4, 3)


def test_whole_module_needs_weights_only_false():
    model = cl.nn.Sequential(cl.nn.Linear(2, 2), cl.nn.Tanh())
    buf = io.BytesIO()
    cl.save(model, buf)
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="weights_only=False"):
        cl.load(buf)
    buf.seek(0)
    m2 = cl.load(buf, weights_only=False)
    assert repr(m2) == repr(model)
    x = cl.ones(1, 2)
    assert np.allclose(m2(x).detach().numpy(), model(x).detach().numpy())
    assert isinstance(m2[0].weight, cl.nn.Parameter) and m2[0].weight.requires_grad


def test_map_location_and_requires_grad():
    t = cl.ones(2, requires_grad=True)
    for loc in (None, "cpu", cl.device("cpu"), {"cpu": "cpu"}, lambda s, l: s):
        got = roundtrip(t, map_location=loc)
        assert got.device == cl.device("cpu") and got.requires_grad and got.is_leaf


class Evil:
    def __reduce__(self):
        return (print, ("pwned",))


def test_foreign_and_corrupt_files_are_refused(tmp_path, capsys):
    p = tmp_path / "evil.pt"
    p.write_bytes(pickle.dumps(Evil()))
    with pytest.raises(pickle.UnpicklingError, match="pickle"):
        cl.load(p)
    assert "pwned" not in capsys.readouterr().out
    p.write_bytes(b"not a checkpoint at all")
    with pytest.raises(RuntimeError, match="不是 zip.*not a zip"):
        cl.load(p)
    buf = io.BytesIO()
    cl.save({"a": cl.ones(3)}, buf)
    data = bytearray(buf.getvalue())
    p.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(RuntimeError, match="Cannot load"):
        cl.load(p)
    with zipfile.ZipFile(p, "w") as zf:  # looks like a PyTorch file
        zf.writestr("archive/data.pkl", pickle.dumps({"a": 1}))
    with pytest.raises(RuntimeError, match="PyTorch"):
        cl.load(p)
    with zipfile.ZipFile(p, "w") as zf:  # our layout, but an object array smuggled in
        zf.writestr("course_lib_archive/data.json",
                    '{"format": "course_lib.save", "version": 1, "root": {"t": "ndarray", '
                    '"a": "course_lib_archive/arrays/0.npy"}}')
        b = io.BytesIO()
        np.save(b, np.array([Evil()], dtype=object), allow_pickle=True)
        zf.writestr("course_lib_archive/arrays/0.npy", b.getvalue())
    with pytest.raises(RuntimeError, match="corrupt|Python objects"):
        cl.load(p)
    assert "pwned" not in capsys.readouterr().out


def test_unsavable_objects_raise():
    with pytest.raises(TypeError, match="cannot store"):
        roundtrip({"f": lambda x: x})
