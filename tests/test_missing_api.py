"""What PyTorch has and course_lib lacks gets a clear bilingual AttributeError; a name neither
has gets Python's usual message; every public name of course_lib exists in PyTorch (the API
promise); the generated name table matches the installed PyTorch. 缺少的 PyTorch 功能有清楚的提示。"""
import importlib
import types

import pytest

import course_lib as cl
from course_lib._torch_names import NAMES, TORCH_VERSION

COURSE_ONLY = {  # public names of ours that torch does not have at that path, with the reason
    "annotations": "from __future__ import annotations",
    "exercise": "nn.functional: the exercise decorator of the lessons",
    "warnings_warn": "nn.init: an alias used inside",
    "FunctionCtx": "torch.autograd.function.FunctionCtx", "Node": "torch.autograd.graph.Node",
    "once_differentiable": "torch.autograd.function.once_differentiable",
    "is_grad_enabled": "torch.is_grad_enabled", "run_backward": "the engine's entry point",
    "simulate": "the simulated CUDA device", "is_simulated": "the simulated CUDA device",
}
EXAMPLES = [("course_lib.nn", "LazyLinear"), ("course_lib", "fft"),
            ("course_lib.linalg", "eigh"),
            ("course_lib.nn.functional", "grid_sample"), ("course_lib.optim", "SparseAdam"),
            ("course_lib.optim", "LBFGS"),
            ("course_lib.utils.data", "IterableDataset"), ("course_lib.cuda", "memory_allocated"),
            ("course_lib.autograd", "forward_ad"), ("course_lib.nn.init", "kaiming_normal")]


def _obj(mod):
    return cl.Tensor if mod == "Tensor" else importlib.import_module(mod)


@pytest.mark.parametrize("mod,name", EXAMPLES)
def test_pytorch_name_course_lib_lacks_is_explained(mod, name):
    if hasattr(_obj(mod), name):
        pytest.skip(f"course_lib has {mod}.{name} now")
    assert name in NAMES[mod]
    target = _obj(mod)
    with pytest.raises(AttributeError) as e:
        getattr(target, name)
    msg = str(e.value)
    assert "PyTorch" in msg and "import torch" in msg and "course_lib 只实现了课程用到的部分" in msg
    assert e.value.name == name
    assert not hasattr(target, name)


def test_other_names_get_pythons_message():
    with pytest.raises(AttributeError) as e:
        cl.nn.BatchNrm2d  # noqa: B018  (a typo)
    assert str(e.value) == "module 'course_lib.nn' has no attribute 'BatchNrm2d'"
    with pytest.raises(AttributeError) as e:
        cl.ones(1).cumprodd  # noqa: B018  (Tensor: Python's own message, no __getattr__)
    assert str(e.value) == "'Tensor' object has no attribute 'cumprodd'"
    assert "__getattr__" not in vars(cl.Tensor)  # it would slow every attribute access


@pytest.mark.parametrize("mod", sorted(NAMES))
def test_every_public_name_of_ours_exists_in_pytorch(mod):
    obj = _obj(mod)
    ours = {n for n in dir(obj) if not n.startswith("_")
            and not (mod != "Tensor" and isinstance(getattr(obj, n), types.ModuleType)
                     and n not in NAMES[mod])}
    extra = ours - NAMES[mod] - set(COURSE_ONLY)
    assert not extra, f"{mod}: not in PyTorch {TORCH_VERSION}: {sorted(extra)}"


def test_name_table_matches_the_installed_pytorch():
    """Equal up to submodules (``dir(torch)`` lists a lazily imported one only once imported)."""
    import importlib.util
    torch = pytest.importorskip("torch")
    if torch.__version__.split("+")[0] != TORCH_VERSION:
        pytest.skip(f"table made from torch {TORCH_VERSION}")
    for mod, names in NAMES.items():
        tmod = "torch.Tensor" if mod == "Tensor" else mod.replace("course_lib", "torch", 1)
        theirs = torch.Tensor if mod == "Tensor" else importlib.import_module(tmod)
        now = {n for n in dir(theirs) if not n.startswith("_")}
        odd = [n for n in names ^ now
               if mod == "Tensor" or importlib.util.find_spec(f"{tmod}.{n}") is None]
        assert not odd, (mod, odd)


def test_unimported_submodule_is_imported_on_access(monkeypatch):
    import sys
    cl.datasets  # noqa: B018  (imported once, so that monkeypatch restores the very module)
    monkeypatch.delattr(cl, "datasets")
    monkeypatch.delitem(sys.modules, "course_lib.datasets")
    mod = cl.datasets  # the package's __getattr__ imports it, as torch does for its submodules
    assert mod.__name__ == "course_lib.datasets"
    assert sys.modules["course_lib.datasets"] is mod
