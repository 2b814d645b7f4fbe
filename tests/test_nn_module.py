"""nn.Module mechanics: registration, iteration, modes, state_dict, repr (torch is the oracle)."""
from collections import OrderedDict

import numpy as np
import pytest

import course_lib as cl
from course_lib import nn


def build(lib):
    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = lib.nn.Flatten()
            self.stack = lib.nn.Sequential(
                lib.nn.Linear(64, 32), lib.nn.ReLU(), lib.nn.Dropout(0.25),
                lib.nn.Linear(32, 32, bias=False), lib.nn.Tanh(), lib.nn.Linear(32, 10))
            self.blocks = lib.nn.ModuleList([lib.nn.Linear(4, 4) for _ in range(3)] + [lib.nn.Sigmoid()])
            self.conv = lib.nn.Conv2d(1, 4, 3, padding=1, bias=False)
            self.conv2 = lib.nn.Conv2d(4, 8, kernel_size=(3, 2), stride=2, dilation=(1, 2))
            self.pool = lib.nn.MaxPool2d(2)
            self.head = lib.nn.Sequential(OrderedDict(sm=lib.nn.Softmax(dim=1),
                                                      lsm=lib.nn.LogSoftmax(dim=-1),
                                                      id=lib.nn.Identity(),
                                                      r=lib.nn.ReLU(inplace=True)))
            self.losses = lib.nn.ModuleList([lib.nn.CrossEntropyLoss(), lib.nn.MSELoss(),
                                             lib.nn.L1Loss(), lib.nn.NLLLoss(), lib.nn.BCELoss(),
                                             lib.nn.BCEWithLogitsLoss()])
            self.register_buffer("running", lib.zeros(3))
            self.register_buffer("scratch", lib.ones(2), persistent=False)

        def forward(self, x):
            return self.stack(self.flatten(x))
    return Net()


def test_repr_equals_torch():
    torch = pytest.importorskip("torch")
    assert repr(build(cl)) == repr(build(torch))
    assert repr(cl.nn.Linear(3, 2)) == "Linear(in_features=3, out_features=2, bias=True)"
    assert repr(cl.nn.Sequential()) == repr(torch.nn.Sequential())
    assert repr(cl.nn.ModuleList()) == repr(torch.nn.ModuleList())


def test_names_and_order_equal_torch():
    torch = pytest.importorskip("torch")
    a, b = build(cl), build(torch)
    assert [n for n, _ in a.named_parameters()] == [n for n, _ in b.named_parameters()]
    assert [tuple(p.shape) for p in a.parameters()] == [tuple(p.shape) for p in b.parameters()]
    assert [n for n, _ in a.named_modules()] == [n for n, _ in b.named_modules()]
    assert [n for n, _ in a.named_children()] == [n for n, _ in b.named_children()]
    assert [n for n, _ in a.named_buffers()] == [n for n, _ in b.named_buffers()]
    assert list(a.state_dict().keys()) == list(b.state_dict().keys())


def test_parameter_repr_and_flags():
    p = nn.Parameter(cl.tensor([1.0, 2.0]))
    assert p.requires_grad and p.is_leaf
    assert repr(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    q = nn.Parameter(cl.tensor([1.0]), requires_grad=False)
    assert not q.requires_grad
    with pytest.raises(RuntimeError):
        nn.Parameter(cl.tensor([1, 2]))


def test_setattr_registration_and_errors():
    m = nn.Module()
    m.w = nn.Parameter(cl.zeros(2))
    m.sub = nn.Linear(2, 2)
    m.plain = cl.zeros(1)  # a plain tensor is NOT a parameter
    assert [n for n, _ in m.named_parameters()] == ["w", "sub.weight", "sub.bias"]
    with pytest.raises(TypeError, match="cannot assign 'course_lib.FloatTensor' as parameter 'w'"):
        m.w = cl.zeros(2)
    m.w = None
    assert [n for n, _ in m.named_parameters()] == ["sub.weight", "sub.bias"]
    with pytest.raises(KeyError, match="attribute 'plain' already exists"):
        m.register_buffer("plain", cl.zeros(1))
    with pytest.raises(AttributeError, match="'Module' object has no attribute 'nope'"):
        m.nope
    del m.sub
    assert list(m.children()) == []

    class Early(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(cl.zeros(1))
    with pytest.raises(AttributeError, match="before Module.__init__"):
        Early()
    with pytest.raises(NotImplementedError, match='missing the required "forward" function'):
        nn.Module()(1)


def test_shared_parameter_once_and_train_eval_apply():
    lin = nn.Linear(3, 3)
    seq = nn.Sequential(lin, nn.ReLU(), lin)
    assert len(list(seq.parameters())) == 2
    assert len(list(seq.named_parameters(remove_duplicate=False))) == 4
    assert seq.training and all(m.training for m in seq.modules())
    assert seq.eval() is seq and not any(m.training for m in seq.modules())
    seq.train()
    assert all(m.training for m in seq.modules())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        seq.train("yes")
    seen = []
    seq.apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "ReLU", "Sequential"]  # torch: a shared child is visited once


def test_sequential_indexing_slicing_append():
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert len(seq) == 3 and isinstance(seq[-1], nn.Linear) and isinstance(seq[1], nn.ReLU)
    sub = seq[1:]
    assert isinstance(sub, nn.Sequential) and len(sub) == 2 and sub[0] is seq[1]
    with pytest.raises(IndexError, match="index 3 is out of range"):
        seq[3]
    seq.append(nn.Sigmoid())
    assert [n for n, _ in seq.named_children()] == ["0", "1", "2", "3"]
    del seq[0]
    assert [n for n, _ in seq.named_children()] == ["0", "1", "2"]
    ml = nn.ModuleList([nn.ReLU()])
    ml.append(nn.Tanh()).extend([nn.Sigmoid()])
    assert len(ml) == 3 and isinstance(ml[-1], nn.Sigmoid)


def test_zero_grad_and_requires_grad():
    lin = nn.Linear(2, 2)
    lin(cl.ones(1, 2)).sum().backward()
    assert lin.weight.grad is not None
    lin.zero_grad(set_to_none=False)
    assert np.all(lin.weight.grad._data == 0)
    lin.zero_grad()
    assert lin.weight.grad is None
    lin.requires_grad_(False)
    assert not lin.weight.requires_grad


def test_state_dict_roundtrip_and_errors():
    a, b = nn.Linear(3, 2), nn.Linear(3, 2)
    sd = a.state_dict()
    assert isinstance(sd, OrderedDict) and list(sd) == ["weight", "bias"]
    assert sd["weight"].grad_fn is None and not sd["weight"].requires_grad
    r = b.load_state_dict(sd)
    assert repr(r) == "<All keys matched successfully>"
    assert np.array_equal(b.weight._data, a.weight._data)
    assert b.weight._data is not a.weight._data  # copied, not aliased
    bad = OrderedDict(weight=cl.zeros(2, 4), extra=cl.zeros(1))
    with pytest.raises(RuntimeError) as e:
        b.load_state_dict(bad)
    msg = str(e.value)
    assert msg.startswith("Error(s) in loading state_dict for Linear:")
    assert 'Missing key(s) in state_dict: "bias".' in msg
    assert 'Unexpected key(s) in state_dict: "extra".' in msg
    assert ("size mismatch for weight: copying a param with shape course_lib.Size([2, 4]) from "
            "checkpoint, the shape in current model is course_lib.Size([2, 3]).") in msg
    r = b.load_state_dict({"weight": cl.zeros(2, 3)}, strict=False)
    assert r.missing_keys == ["bias"] and r.unexpected_keys == []


def test_state_dict_message_equals_torch():
    torch = pytest.importorskip("torch")
    msgs = []
    for lib in (cl, torch):
        m = lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.ReLU(), lib.nn.Linear(2, 1))
        sd = {"0.weight": lib.zeros(2, 4), "2.bias": lib.zeros(1), "3.weight": lib.zeros(1)}
        with pytest.raises(RuntimeError) as e:
            m.load_state_dict(sd)
        msgs.append(str(e.value).replace("torch.", "course_lib."))
    assert msgs[0] == msgs[1]


def test_to_keeps_identity_and_converts_dtype():
    lin = nn.Linear(2, 2)
    w = lin.weight
    assert lin.to(cl.float64) is lin and lin.weight is w and w.dtype == cl.float64
    lin.float()
    assert w.dtype == cl.float32
    assert lin.to("cpu").weight.device == cl.device("cpu")
    with pytest.raises(TypeError, match="floating point"):
        lin.to(cl.int64)


def test_hooks_and_get_submodule():
    seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    seen = []
    h = seq[0].register_forward_hook(lambda m, i, o: seen.append(tuple(o.shape)))
    seq(cl.ones(3, 2))
    h.remove()
    seq(cl.ones(3, 2))
    assert seen == [(3, 2)]
    assert seq.get_submodule("1") is seq[1]


@pytest.fixture
def sim_cuda():
    was = cl.cuda.is_simulated()
    cl.cuda.simulate(True)
    yield
    cl.cuda.simulate(was)


def test_to_simulated_cuda_trains_and_errors_on_mixed_devices(sim_cuda):
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Dropout(0.1), nn.Linear(8, 3))
    w = model[0].weight
    assert model.to("cuda") is model and model[0].weight is w and w.device == cl.device("cuda", 0)
    x, t = cl.rand(4, 1, 4, 4), cl.tensor([0, 1, 2, 0])
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        model(x)
    opt = cl.optim.Adam(model.parameters(), lr=0.01)
    loss = nn.CrossEntropyLoss()(model(x.to("cuda")), t.to("cuda"))
    loss.backward()
    opt.step()
    assert loss.device.type == "cuda"
    assert {p.grad.device.type for p in model.parameters()} == {"cuda"}
    assert opt.state[w]["exp_avg"].device.type == "cuda"
    model.cpu()
    assert w.device == cl.device("cpu") and w.grad.device == cl.device("cpu")


_PUBLIC_PACKAGES = ("nn", "optim", "optim.lr_scheduler", "utils.data")


def _public_bases(cls, prefix):
    """The public classes of ``prefix`` that ``cls`` derives from, nearest first."""
    return [b.__name__ for b in cls.__mro__[1:]  # torch._C.TensorBase is torch's C half of Tensor
            if not b.__name__.startswith("_") and b.__module__.startswith(prefix)
            and b.__module__ != "torch._C"]


@pytest.mark.parametrize("package", _PUBLIC_PACKAGES)
def test_public_classes_derive_from_the_same_public_classes_as_torchs(package):
    """isinstance(nn.LogSoftmax(1), nn.Softmax) is False in torch, isinstance(nn.ZeroPad2d(1),
    nn.ConstantPad2d) True; shared code sits in private bases (torch's _MaxPoolNd …)."""
    torch = pytest.importorskip("torch")
    ours, theirs = cl, torch
    for part in package.split("."):
        ours, theirs = getattr(ours, part), getattr(theirs, part)
    compared = 0
    for name in dir(ours):
        c, t = getattr(ours, name), getattr(theirs, name, None)
        if name.startswith("_") or not isinstance(c, type) or not isinstance(t, type):
            continue
        compared += 1
        assert _public_bases(c, "course_lib") == _public_bases(t, "torch"), name
    assert compared >= 5
