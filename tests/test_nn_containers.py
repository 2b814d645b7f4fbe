"""nn.ParameterList, nn.ParameterDict and nn.Buffer against torch: list and dict methods, reprs,
registration (named_parameters, state_dict / load_state_dict, .to(), zero_grad), errors, the
simulated CUDA device. 参数容器与缓冲区与 torch 一致。"""
import copy
from collections import OrderedDict

import numpy as np
import pytest

import course_lib as cl

torch = pytest.importorskip("torch")


def _same_repr(ours, theirs):
    assert repr(ours) == repr(theirs).replace("torch.", "course_lib.")


def _t(T, *shape, seed=0, dtype=None):
    return T.tensor(np.random.default_rng(seed).standard_normal(shape),
                    dtype=dtype or T.float32)


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the error itself is compared
        return type(e).__name__, str(e).replace("torch.", "course_lib.")
    return None


# ------------------------------------------------------------------ ParameterList

def _plist(T):
    return T.nn.ParameterList([_t(T, 2, 3), T.nn.Parameter(_t(T, 4, seed=1)), 3, "s",
                               T.nn.Linear(1, 1), _t(T, 2, dtype=T.float64)])


def _plist_state(pl):
    return ([(n, p.shape, str(p.dtype), p.requires_grad) for n, p in pl.named_parameters()],
            list(pl.state_dict()), len(pl), [type(v).__name__ for v in pl])


def test_parameter_list_registers_like_torch():
    ours, theirs = _plist(cl), _plist(torch)
    _same_repr(ours, theirs)
    a, b = _plist_state(ours), _plist_state(theirs)
    assert a[1:] == b[1:]
    assert [(n, tuple(s), d.split(".")[-1], r) for n, s, d, r in a[0]] == \
        [(n, tuple(s), d.split(".")[-1], r) for n, s, d, r in b[0]]
    assert isinstance(ours[0], cl.nn.Parameter) and isinstance(ours[5], cl.nn.Parameter)
    assert ours[2] == 3 and ours[-3] == "s" and ours[4] is ours._modules["4"]


def test_parameter_list_list_methods_like_torch():
    got = []
    for T in (cl, torch):
        pl = _plist(T)
        p = T.nn.Parameter(T.ones(1))
        pl.append(p)
        assert pl[-1] is p and pl[6] is p
        pl += [T.zeros(2)]
        pl.extend((T.ones(3),))
        pl[0] = T.ones(5)  # a Tensor becomes a Parameter, the old one replaced
        pl[1] = None
        sl = pl[1:7:2]
        got.append((repr(pl), repr(sl), repr(pl[::-1]), len(pl), len(sl), type(sl).__name__,
                    [n for n, _ in pl.named_parameters()], list(pl.state_dict()),
                    [type(v).__name__ for v in pl], [k for k in dir(pl) if k.isdigit()],
                    _error(lambda: pl[len(pl)]), _error(lambda: pl[-len(pl) - 1]),
                    _error(lambda: pl["0"]), _error(lambda: pl.extend(T.ones(2))),
                    _error(lambda: pl.extend(3)), _error(lambda: pl(T.ones(1))),
                    _error(lambda: T.nn.ParameterList([T.ones(1, dtype=T.int64)]))))
    ours, theirs = got
    assert ours[0] == theirs[0].replace("torch.", "course_lib.")
    assert ours[1] == theirs[1].replace("torch.", "course_lib.")
    assert ours[2] == theirs[2].replace("torch.", "course_lib.")
    assert ours[3:] == theirs[3:]


def test_parameter_list_empty_and_nested_reprs():
    for make in (lambda T: T.nn.ParameterList(),
                 lambda T: T.nn.Sequential(T.nn.Linear(2, 2), T.nn.ParameterList([T.ones(2)])),
                 lambda T: T.nn.ParameterList([T.nn.ParameterList([T.ones(1)])])):
        _same_repr(make(cl), make(torch))


# ------------------------------------------------------------------ ParameterDict

def _pdict(T):
    return T.nn.ParameterDict({"b": _t(T, 2), "a": T.nn.Parameter(_t(T, 2, 2, dtype=T.float64)),
                               "c": 5, "lin": T.nn.Linear(2, 1)})


def test_parameter_dict_registers_like_torch():
    ours, theirs = _pdict(cl), _pdict(torch)
    _same_repr(ours, theirs)
    assert list(ours) == list(theirs) == ["a", "b", "c", "lin"]  # a plain dict: sorted keys
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert ours["c"] == 5 and isinstance(ours["b"], cl.nn.Parameter)


def test_parameter_dict_dict_methods_like_torch():
    got = []
    for T in (cl, torch):
        pd = T.nn.ParameterDict(OrderedDict([("z", T.ones(1)), ("y", T.zeros(2))]))
        pd.update([("x", T.ones(3)), ["w", 7]])
        pd.update(T.nn.ParameterDict({"v": T.ones(1)}))
        r = [list(pd), list(reversed(pd)), len(pd), "x" in pd, "q" in pd, pd.get("q", 4),
             pd.get("w")]
        r.append(type(pd.setdefault("u", T.ones(2))).__name__)
        r.append(pd.setdefault("z") is pd["z"])
        r.append(pd.pop("y").shape == (2,))
        k, v = pd.popitem()
        r += [k, type(v).__name__, list(pd.keys()), [type(v).__name__ for v in pd.values()],
              [k for k, _ in pd.items()]]
        c = pd.copy()
        r += [list(c), c["z"] is pd["z"], type(c).__name__]
        f = pd.fromkeys(["p", "q"], T.ones(2))
        r += [list(f), [n for n, _ in f.named_parameters()], f["p"] is not f["q"] or "shared"]
        both = pd | T.nn.ParameterDict({"n": T.ones(1)})
        rboth = T.nn.ParameterDict({"n": T.ones(1)}).__ror__(pd)
        pd |= {"m": T.ones(1)}
        r += [list(both), list(rboth), list(pd)]
        del pd["w"]
        r += [list(pd), [n for n, _ in pd.named_parameters()], list(pd.state_dict())]
        pd.clear()
        r += [len(pd), list(pd.named_parameters()), repr(pd)]
        bad = T.nn.ParameterDict()
        r += [_error(lambda: bad[1]), _error(lambda: bad.__setitem__(1, T.ones(1))), list(bad._keys),
              _error(lambda: bad.update(3)), _error(lambda: bad.update([3])),
              _error(lambda: bad.update([(1, 2, 3)])), _error(lambda: bad(T.ones(1))),
              _error(lambda: bad["missing"]), _error(lambda: bad.pop("missing")),
              _error(lambda: bad.__setitem__("a.b", T.ones(1))),
              _error(lambda: bad.__setitem__("", T.ones(1)))]
        got.append(r)
    ours, theirs = got
    assert ours[:-11] == theirs[:-11]
    for a, b in zip(ours[-11:], theirs[-11:]):
        # AttributeError names the class of the module: identical apart from torch's name
        assert a == b, (a, b)


def test_parameter_dict_reprs_of_mixed_entries():
    for make in (lambda T: T.nn.ParameterDict(),
                 lambda T: T.nn.ParameterDict({"t": T.ones(2, 1, dtype=T.float64), "s": "x"}),
                 lambda T: T.nn.ModuleDict({"p": T.nn.ParameterDict({"w": T.ones(3)})})):
        _same_repr(make(cl), make(torch))


# ------------------------------------------------------------------ registration at work

class _Net:
    @staticmethod
    def make(T):
        class Net(T.nn.Module):
            def __init__(self):
                super().__init__()
                self.pl = T.nn.ParameterList([_t(T, 2, 2), _t(T, 3, seed=1)])
                self.pd = T.nn.ParameterDict({"w": _t(T, 2, seed=2)})
                self.stat = T.nn.Buffer(T.zeros(2))
                self.tmp = T.nn.Buffer(T.ones(1), persistent=False)

            def forward(self, x):
                return (self.pl[0] @ x * self.pd["w"]).sum() + self.pl[1].sum() + self.stat.sum()
        return Net()


def test_modules_with_containers_train_and_move_like_torch():
    got = []
    for T in (cl, torch):
        net = _Net.make(T)
        loss = net(T.ones(2))
        loss.backward()
        grads = [p.grad.numpy().copy() for p in net.parameters()]
        sd = net.state_dict()
        net.zero_grad()
        after_zero = [p.grad for p in net.parameters()]
        params = list(net.parameters())
        net.to(T.float64)
        moved = [(p is q, str(p.dtype).split(".")[-1]) for p, q in zip(net.parameters(), params)]
        bufs = [(n, str(b.dtype).split(".")[-1]) for n, b in net.named_buffers()]
        got.append((loss.item(), grads, list(sd), after_zero, moved, bufs, repr(net)))
    ours, theirs = got
    assert ours[0] == pytest.approx(theirs[0], rel=1e-6)
    for a, b in zip(ours[1], theirs[1]):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert ours[2:6] == theirs[2:6]
    assert ours[6] == theirs[6].replace("torch.", "course_lib.")


def test_load_state_dict_into_containers():
    src, dst = _Net.make(cl), _Net.make(cl)
    with cl.no_grad():
        for p in dst.parameters():
            p.zero_()
    assert repr(dst.load_state_dict(src.state_dict())) == "<All keys matched successfully>"
    for (n, p), (_, q) in zip(src.named_parameters(), dst.named_parameters()):
        assert np.array_equal(p.detach().numpy(), q.detach().numpy()), n
    r = dst.load_state_dict({"pl.0": cl.ones(2, 2)}, strict=False)
    assert sorted(r.missing_keys) == ["pd.w", "pl.1", "stat"] and r.unexpected_keys == []
    assert dst.pl[0].detach().numpy().tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_deepcopy_keeps_the_containers():
    for T in (cl, torch):
        net = _Net.make(T)
        c = copy.deepcopy(net)
        assert [n for n, _ in c.named_parameters()] == ["pl.0", "pl.1", "pd.w"]
        assert c.pl[0] is not net.pl[0] and len(c.pl) == 2 and list(c.pd) == ["w"]
        assert c._non_persistent_buffers_set == {"tmp"}


def test_containers_on_simulated_cuda(simulated):
    got = []
    for T, dev in ((cl, "cuda"), (torch, "meta")):
        pl = T.nn.ParameterList([T.ones(2), T.zeros(1, 3)]).to(dev)
        pd = T.nn.ParameterDict({"a": T.ones(2)}).to(dev)
        got.append((repr(pl), repr(pd), [p.device.type for p in pl.parameters()]))
    ours, theirs = got
    assert ours[0] == theirs[0].replace("torch.", "course_lib.").replace(
        "of size 2]", "of size 2 (cuda:0)]").replace("of size 1x3]", "of size 1x3 (cuda:0)]")
    assert ours[1] == theirs[1].replace("torch.meta.", "course_lib.cuda.").replace(
        "of size 2]", "of size 2 (cuda:0)]")
    assert ours[2] == ["cuda", "cuda"]


# ------------------------------------------------------------------ nn.Buffer

def test_buffer_is_a_marked_tensor_like_torch():
    for T in (cl, torch):
        t = T.ones(2)
        b = T.nn.Buffer(t)
        assert type(b) is T.Tensor and isinstance(b, T.nn.Buffer)
        assert isinstance(b, T.nn.parameter.Buffer) and not isinstance(t, T.nn.Buffer)
        assert b is not t and b.persistent is True and not b.requires_grad
        b[0] = 5.0  # shares t's memory
        assert t[0].item() == 5.0
        assert T.nn.Buffer(T.ones(2), persistent=False).persistent is False
        assert T.nn.Buffer().shape == (0,)
        g = T.nn.Buffer(T.ones(2, requires_grad=True))
        assert g.requires_grad and g.grad_fn is None and g.is_leaf
        assert not isinstance(T.nn.Parameter(T.ones(1)), T.nn.Buffer)
    assert repr(cl.nn.Buffer(cl.ones(2))) == repr(torch.nn.Buffer(torch.ones(2)))
    assert cl.nn.Buffer.__module__ == "course_lib.nn.parameter"
    assert _error(lambda: cl.nn.Buffer(cl.ones(1), True)) == \
        _error(lambda: torch.nn.Buffer(torch.ones(1), True))
    assert _error(lambda: cl.nn.Buffer([1.0])) == _error(lambda: torch.nn.Buffer([1.0]))


def _buffer_story(T):
    out = []
    m = T.nn.Module()
    m.x = T.nn.Buffer(T.ones(2), persistent=False)
    m.y = T.nn.Buffer(T.zeros(1))
    out.append((list(m._buffers), sorted(m._non_persistent_buffers_set), list(m.state_dict()),
                [n for n, _ in m.named_buffers()], list(m.parameters())))
    m.x = T.zeros(2)  # a plain Tensor for a buffer's name keeps it non-persistent
    out.append((sorted(m._non_persistent_buffers_set), m.x.tolist()))
    m.x = T.nn.Buffer(T.ones(2))  # a Buffer brings its own flag
    out.append((sorted(m._non_persistent_buffers_set), list(m.state_dict())))
    m.y = T.nn.Buffer(T.ones(1), persistent=False)
    out.append((sorted(m._non_persistent_buffers_set), list(m.state_dict())))
    m.z = T.ones(1)  # a plain Tensor stays a plain attribute
    out.append(("z" in m._buffers, "z" in m.__dict__))
    m.w = T.nn.Parameter(T.ones(1))
    m.lin = T.nn.Linear(1, 1)
    m.k = 1
    out += [_error(lambda: setattr(m, "w", T.nn.Buffer(T.ones(1)))),
            _error(lambda: setattr(m, "lin", T.nn.Buffer(T.ones(1)))),
            _error(lambda: setattr(m, "k", T.nn.Buffer(T.ones(1)))),
            _error(lambda: setattr(m, "a.b", T.nn.Buffer(T.ones(1))))]
    del m.x
    out.append((list(m._buffers), sorted(m._non_persistent_buffers_set)))

    class Early(T.nn.Module):
        def __init__(self):
            self.b = T.nn.Buffer(T.ones(1))

    out.append(_error(Early))
    return out


def test_assigning_a_buffer_registers_it_like_torch():
    ours, theirs = _buffer_story(cl), _buffer_story(torch)
    assert ours == theirs


def test_buffers_move_and_load_with_the_module():
    m = cl.nn.Module()
    m.b = cl.nn.Buffer(cl.arange(3.0))
    m.n = cl.nn.Buffer(cl.ones(1), persistent=False)
    b = m.b
    m.double()
    assert m.b is b and m.b.dtype == cl.float64 and m.n.dtype == cl.float64
    r = m.load_state_dict({"b": cl.zeros(3, dtype=cl.float64)})
    assert r.missing_keys == [] and m.b.tolist() == [0.0, 0.0, 0.0]


def test_setattr_piece_still_decides_everything_else(restore_overrides):
    """The Buffer branch sits before lesson 05's piece; every other assignment is the piece's."""
    from course_lib.exercises import implements

    @implements("course_lib.nn.Module.__setattr__")
    def plain(self, name, value):
        object.__setattr__(self, name, value)

    pl = cl.nn.ParameterList([cl.ones(2)])
    assert list(pl.parameters()) == [] and len(pl) == 1  # nothing registered without the piece
    m = cl.nn.Module()
    m.b = cl.nn.Buffer(cl.ones(1))
    assert list(m._buffers) == ["b"]
