"""nn.RNNCell / LSTMCell / GRUCell, nn.RNN / LSTM / GRU (RNNBase, RNNCellBase) and
nn.utils.rnn (pad_sequence, pack_padded_sequence, pad_packed_sequence, PackedSequence input to
the RNN modules) against torch: parameter names / shapes / init bounds, state_dict keys,
reprs, outputs and float64 gradients with torch's weights copied over, unbatched input, h0 / c0
given or not, batch_first, bidirectional, proj_size, errors, grad_fn names, gradcheck +
gradgradcheck, simulated CUDA, and an LSTM classifier trained the same as torch.
循环层与 torch 一致。

grad_fn names: the cells' top nodes are torch's (TanhBackward0 / ReluBackward0 for RNNCell,
MulBackward0 / AddBackward0 for LSTMCell's h / c, AddBackward0 for GRUCell) and the modules'
(StackBackward0, CatBackward0 when bidirectional, SqueezeBackward1 when unbatched,
TransposeBackward0 with batch_first). Below the top the graphs differ where course_lib's ops do:
torch's CPU cells run ``addmm`` (AddmmBackward0) and split gates with ``unsafe_chunk``
(UnsafeSplitBackward0), course_lib runs ``F.linear`` and ``chunk``.
"""
import math
import warnings

import numpy as np
import pytest

import course_lib as cl
from course_lib.autograd import gradcheck, gradgradcheck

torch = pytest.importorskip("torch")

MODULES = [
    "RNN(4, 3)", "RNN(4, 3, 2, 'relu', False)", "RNN(4, 3, num_layers=2, bidirectional=True)",
    "RNN(4, 3, batch_first=True, nonlinearity='relu')",
    "LSTM(4, 3)", "LSTM(4, 3, num_layers=2, bias=False, batch_first=True)",
    "LSTM(4, 3, bidirectional=True)", "LSTM(4, 3, num_layers=2, proj_size=2, bidirectional=True)",
    "GRU(4, 3)", "GRU(4, 3, num_layers=3, bidirectional=True, batch_first=True)",
    "GRU(4, 3, bias=False, dropout=0.3, num_layers=2)",
]
CELLS = ["RNNCell(4, 3)", "RNNCell(4, 3, False, 'relu')", "LSTMCell(4, 3)",
         "LSTMCell(4, 3, bias=False)", "GRUCell(4, 3)", "GRUCell(4, 3, False)"]


def _pair(expr):
    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tm = eval("torch.nn." + expr).double()
        m = eval("cl.nn." + expr).double()
    m.load_state_dict({k: cl.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})
    return m, tm


def _flat(y):
    if isinstance(y, (tuple, list)):
        return [t for a in y for t in _flat(a)]
    return [y]


def _compare(m, tm, args):
    """Run both on the same float64 data (args: numpy arrays, tuples of them, or None);
    compare outputs, grad_fn names of the tops and gradients of inputs, states and weights."""
    def conv(T, a):
        if a is None:
            return None
        if isinstance(a, tuple):
            return tuple(conv(T, b) for b in a)
        return T.tensor(a, dtype=T.float64, requires_grad=True)

    ours, theirs = [conv(cl, a) for a in args], [conv(torch, a) for a in args]
    y, ty = _flat(m(*ours)), _flat(tm(*theirs))
    assert len(y) == len(ty)
    for a, b in zip(y, ty):
        assert tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-10, atol=1e-12)
        assert a.grad_fn.name() == b.grad_fn.name()
    for k, (a, b) in enumerate(zip(y, ty)):
        u = np.cos(np.arange(a.numel()) * 0.7 + k).reshape(tuple(a.shape))
        (a * cl.tensor(u)).sum().backward(retain_graph=True)
        (b * torch.tensor(u)).sum().backward(retain_graph=True)
    for a, b in zip(_flat(ours) + list(m.parameters()), _flat(theirs) + list(tm.parameters())):
        if b is None:
            continue
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("expr", MODULES + CELLS)
def test_parameters_state_dict_repr_init(expr):
    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tm, m = eval("torch.nn." + expr), eval("cl.nn." + expr)
    assert repr(m) == repr(tm)
    assert [(k, tuple(v.shape)) for k, v in m.named_parameters()] == \
        [(k, tuple(v.shape)) for k, v in tm.named_parameters()]
    assert list(m.state_dict()) == list(tm.state_dict())
    bound = 1 / math.sqrt(m.hidden_size)
    assert all(p.dtype == cl.float32 and p.requires_grad for p in m.parameters())
    v = np.concatenate([p.detach().numpy().ravel() for p in m.parameters()])
    assert np.all(np.abs(v) <= bound) and v.std() > bound / 3  # U(-b, b) has std b/sqrt(3)
    if isinstance(m, cl.nn.RNNBase):
        assert isinstance(m, cl.nn.RNNBase) and not isinstance(m, cl.nn.RNNCellBase)
        assert [[n for n in w] for w in m._all_weights] == [list(w) for w in tm._all_weights]
    else:
        assert isinstance(m, cl.nn.RNNCellBase)


def _data(m, batched, given, rng):
    nd = 2 if getattr(m, "bidirectional", False) else 1
    real = getattr(m, "proj_size", 0) or m.hidden_size
    if isinstance(m, cl.nn.RNNCellBase):
        x = rng.standard_normal((2, 4) if batched else (4,))
        h = rng.standard_normal((2, 3) if batched else (3,))
        hx = None if not given else ((h, h * 0.5) if isinstance(m, cl.nn.LSTMCell) else h)
        return [x, hx]
    x = rng.standard_normal(((2, 5, 4) if m.batch_first else (5, 2, 4)) if batched else (5, 4))
    lead = (m.num_layers * nd, 2) if batched else (m.num_layers * nd,)
    h, c = rng.standard_normal(lead + (real,)), rng.standard_normal(lead + (m.hidden_size,))
    hx = None if not given else ((h, c) if isinstance(m, cl.nn.LSTM) else h)
    return [x, hx]


@pytest.mark.parametrize("given", [False, True], ids=["no_h0", "h0"])
@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("expr", MODULES + CELLS)
def test_forward_backward_like_torch(expr, batched, given):
    m, tm = _pair(expr)
    m.eval(), tm.eval()
    _compare(m, tm, _data(m, batched, given, np.random.default_rng(3)))


ERRORS = [
    ("RNNCell(4, 3)", "T.randn(2, 5)", None), ("RNNCell(4, 3)", "T.randn(2, 4)", "T.randn(2, 2)"),
    ("RNNCell(4, 3)", "T.randn(2, 4)", "T.randn(3, 3)"), ("RNNCell(4, 3)", "T.randn(2, 2, 4)", None),
    ("GRUCell(4, 3)", "T.randn(2, 4)", "T.randn(2, 3, 1)"), ("LSTMCell(4, 3)", "T.randn(2, 5)", None),
    ("LSTMCell(4, 3)", "T.randn(2, 4)", "(T.randn(2, 3), T.randn(2, 2))"),
    ("LSTMCell(4, 3)", "T.randn(2, 4)", "(T.randn(2, 3), T.randn(2, 3, 1))"),
    ("RNN(4, 3)", "T.randn(2, 5, 5)", None), ("RNN(4, 3)", "T.randn(2, 5, 4)", "T.randn(1, 2, 3)"),
    ("RNN(4, 3)", "T.randn(4)", None), ("GRU(4, 3)", "T.randn(1, 2, 3, 4)", None),
    ("LSTM(4, 3)", "T.randn(4)", None),
    ("RNN(4, 3)", "T.randn(2, 5, 4)", "T.randn(2, 3)"), ("GRU(4, 3)", "T.randn(5, 4)", "T.randn(1, 1, 3)"),
    ("LSTM(4, 3)", "T.randn(2, 5, 4)", "(T.randn(1, 5, 3), T.randn(1, 2, 3))"),
    ("LSTM(4, 3)", "T.randn(2, 5, 4)", "(T.randn(1, 2, 3), T.randn(1, 5, 3))"),
    ("LSTM(4, 3)", "T.randn(2, 5, 4)", "(T.randn(1, 5, 3), T.randn(5, 3))"),
    ("LSTM(4, 3)", "T.randn(5, 4)", "(T.randn(1, 5, 3), T.randn(5, 3))"),
    ("LSTM(4, 3, proj_size=2)", "T.randn(2, 5, 4)", "(T.randn(1, 5, 3), T.randn(1, 5, 3))"),
    ("RNN(4, 3)", "T.randn(2, 5, 4, dtype=T.float64)", None),
    ("RNN(4, 3, nonlinearity='x')", None, None), ("RNN(4, 3, dropout=2)", None, None),
    ("RNN(4, 3, proj_size=2)", None, None), ("GRU(4, 3, proj_size=2)", None, None),
    ("LSTM(4, 3, proj_size=3)", None, None), ("LSTM(4, 3, proj_size=-1)", None, None),
    ("LSTM(4, 0)", None, None), ("LSTM(4, 3, 0)", None, None), ("GRU(4, 2.5)", None, None),
]


def _outcome(T, make, x, hx):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = eval("T.nn." + make)
            T.manual_seed(0) if T is torch else None
            env = {"T": T}
            m(eval(x, env), None if hx is None else eval(hx, env))
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("make, x, hx", ERRORS)
def test_errors_like_torch(make, x, hx):
    got = _outcome(cl, make, x or "None", hx)
    want = _outcome(torch, make, x or "None", hx)
    assert got is not None and got == (want[0], want[1].replace("torch.", "course_lib."))


def test_dropout_warning_and_training_dropout():
    for T in (torch, cl):
        with pytest.warns(UserWarning, match="dropout option adds dropout after all but last"):
            T.nn.GRU(4, 3, dropout=0.5)
    m = cl.nn.LSTM(4, 3, num_layers=2, dropout=0.5)
    x = cl.randn(5, 2, 4)
    m.eval()
    a, b = m(x)[0], m(x)[0]
    np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    m.train()
    outs = [m(x)[0].detach().numpy() for _ in range(3)]
    assert not np.allclose(outs[0], outs[1]) or not np.allclose(outs[1], outs[2])


@pytest.mark.parametrize("expr", ["RNNCell(3, 2, nonlinearity='tanh')", "LSTMCell(3, 2)",
                                  "GRUCell(3, 2)", "RNN(3, 2, bidirectional=True)",
                                  "LSTM(3, 2, proj_size=1)", "GRU(3, 2, num_layers=2)"])
def test_gradcheck_gradgradcheck(expr):
    """Gradients w.r.t. the input and layer 0's input / hidden weights (others held fixed)."""
    m = eval("cl.nn." + expr).double()
    seq = isinstance(m, cl.nn.RNNBase)
    x = cl.tensor(np.random.default_rng(1).standard_normal((2, 1, 3) if seq else (1, 3)),
                  dtype=cl.float64, requires_grad=True)
    names = [n for n, _ in m.named_parameters()][:2]
    ws = tuple(getattr(m, n) for n in names)

    def f(x, *w):
        for name, p in zip(names, w):
            m._parameters[name] = p
        return tuple(_flat(m(x)))

    assert gradcheck(f, (x,) + ws)
    assert gradgradcheck(f, (x,) + ws)


@pytest.mark.parametrize("expr", ["LSTMCell(4, 3)", "GRU(4, 3, bidirectional=True)",
                                  "LSTM(4, 3, batch_first=True)"])
def test_simulated_cuda(simulated, expr):
    m, _ = _pair(expr)
    x, hx = _data(m, True, False, np.random.default_rng(2))
    ref = [t.detach().numpy() for t in _flat(m(cl.tensor(x)))]
    m.to("cuda")
    xc = cl.tensor(x, dtype=cl.float64).to("cuda").requires_grad_()
    y = _flat(m(xc))
    assert all(t.device.type == "cuda" for t in y)
    for a, b in zip(y, ref):
        np.testing.assert_allclose(a.detach().cpu().numpy(), b, rtol=1e-12)
    sum(t.sum() for t in y).backward()
    assert xc.grad.device.type == "cuda"
    assert all(p.grad.device.type == "cuda" for p in m.parameters())


def _classifier(T):
    class Net(T.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = T.nn.LSTM(2, 4, batch_first=True)
            self.head = T.nn.Linear(4, 2)

        def forward(self, x):
            _, (h, _) = self.lstm(x)
            return self.head(h[-1])

    return Net()


def test_lstm_classifier_trains_like_torch():
    """Toy task: is the sum of the first feature over the sequence positive? Same initial
    weights, data and SGD steps: the loss curves agree within 1e-6 (float64) and the loss drops."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 5, 2))
    y = (x[:, :, 0].sum(1) > 0).astype(np.int64)
    torch.manual_seed(0)
    tnet = _classifier(torch).double()
    net = _classifier(cl).double()
    net.load_state_dict({k: cl.tensor(v.detach().numpy()) for k, v in tnet.state_dict().items()})
    curves = []
    for T, model in ((torch, tnet), (cl, net)):
        opt = T.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
        xs, ys = T.tensor(x, dtype=T.float64), T.tensor(y)
        losses = []
        for _ in range(15):
            opt.zero_grad()
            loss = T.nn.functional.cross_entropy(model(xs), ys)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        curves.append(losses)
    np.testing.assert_allclose(curves[1], curves[0], rtol=0, atol=1e-6)
    assert curves[1][-1] < 0.5 * curves[1][0]


PAD = ["pad_sequence([a, b, c])", "pad_sequence((a, b, c), True)",
       "pad_sequence([a, b, c], batch_first=True, padding_value=-1.5, padding_side='left')",
       "pad_sequence([b, c], padding_side='left')", "pad_sequence(a)", "pad_sequence([d, e])",
       "pad_sequence([a, b.detach()], True) * 2"]


def _pad_env(T):
    g = np.random.default_rng(4)

    def t(*shape):
        return T.tensor(g.standard_normal(shape), dtype=T.float64, requires_grad=True)

    return {"pad_sequence": T.nn.utils.rnn.pad_sequence, "a": t(4, 2), "b": t(1, 2),
            "c": t(3, 2), "d": t(2, 3, 2), "e": t(5, 3, 2)}


@pytest.mark.parametrize("expr", PAD)
def test_pad_sequence_like_torch(expr):
    got = []
    for T in (torch, cl):
        env = _pad_env(T)
        y = eval(expr, env)
        (y * T.tensor(np.cos(np.arange(y.numel())).reshape(tuple(y.shape)))).sum().backward()
        got.append((y.grad_fn.name(), y.detach().numpy(),
                    {k: v.grad.numpy() for k, v in env.items()
                     if isinstance(v, T.Tensor) and v.grad is not None}))
    (tn, ty, tg), (cn, cy, cg) = got
    assert cn == tn.replace("torch::autograd::", "")
    np.testing.assert_array_equal(cy, ty)
    assert tg.keys() == cg.keys()
    for k in tg:
        np.testing.assert_array_equal(cg[k], tg[k])


@pytest.mark.parametrize("expr", ["pad_sequence([])", "pad_sequence([a], padding_side='x')",
                                  "pad_sequence([a, d])"])
def test_pad_sequence_errors(expr):
    out = []
    for T in (torch, cl):
        with pytest.raises(Exception) as e:
            eval(expr, _pad_env(T))
        out.append((e.type, str(e.value)))
    assert out[0] == out[1]


PACKED = ["RNN(4, 3)", "LSTM(4, 3, num_layers=2, bidirectional=True)",
          "GRU(4, 3, bidirectional=True, batch_first=True)", "LSTM(4, 3, proj_size=2)"]


@pytest.mark.parametrize("given", [False, True], ids=["no_h0", "h0"])
@pytest.mark.parametrize("enforce_sorted", [True, False])
@pytest.mark.parametrize("expr", PACKED)
def test_packed_input_like_torch(expr, enforce_sorted, given):
    """pack_padded_sequence → RNN → pad_packed_sequence: values, lengths, batch_sizes,
    sorted / unsorted indices and float64 gradients as torch (the packed data's grad_fn is
    CatBackward0 here, torch's PackPaddedSequenceBackward0)."""
    m, tm = _pair(expr)
    x, hx = _data(m, True, given, np.random.default_rng(5))
    x = np.concatenate([x, x[:1] if m.batch_first else x[:, :1]], 0 if m.batch_first else 1)
    lengths = [5, 3, 2] if enforce_sorted else [2, 5, 1]
    if hx is not None:
        hx = tuple(np.concatenate([h, h[:, :1] * 0.3], 1) for h in _flat(hx))
        hx = hx if isinstance(m, cl.nn.LSTM) else hx[0]
    res = []
    for T, mod in ((torch, tm), (cl, m)):
        r = T.nn.utils.rnn
        xt = T.tensor(x, dtype=T.float64, requires_grad=True)
        h = None if hx is None else (tuple(T.tensor(v, requires_grad=True) for v in hx)
                                      if isinstance(hx, tuple) else T.tensor(hx, requires_grad=True))
        p = r.pack_padded_sequence(xt, lengths, batch_first=m.batch_first,
                                   enforce_sorted=enforce_sorted)
        out, hn = mod(p, h)
        assert isinstance(out, r.PackedSequence)
        y, lens = r.pad_packed_sequence(out, batch_first=m.batch_first, total_length=6)
        outs = [y] + _flat(hn)
        sum(((o * T.tensor(np.sin(np.arange(o.numel())).reshape(tuple(o.shape)))).sum()
             for o in outs)).backward()
        ints = [out.batch_sizes, out.sorted_indices, out.unsorted_indices, lens]
        res.append(([None if i is None else i.tolist() for i in ints],
                    [o.detach().numpy() for o in outs],
                    [v.grad.numpy() for v in [xt] + _flat(h) + list(mod.parameters())
                     if v is not None]))
    assert res[0][0] == res[1][0]
    for a, b in zip(res[0][1] + res[0][2], res[1][1] + res[1][2]):
        np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-12)


def test_pack_errors_like_torch():
    out = []
    for T in (torch, cl):
        r, x = T.nn.utils.rnn, T.zeros(4, 3, 2)
        msgs = []
        for f in (lambda: r.pack_padded_sequence(x, [2, 4, 1]),
                  lambda: r.pack_padded_sequence(x, [2, 0, 1], enforce_sorted=False),
                  lambda: r.pad_packed_sequence(r.pack_padded_sequence(x, [4, 2, 1]),
                                                total_length=3)):
            with pytest.raises(Exception) as e:
                f()
            msgs.append((e.type.__name__, str(e.value)))
        out.append(msgs)
    assert out[0] == out[1]


@pytest.mark.parametrize("enforce_sorted", [True, False])
def test_pack_sequence_like_torch(enforce_sorted):
    env = [_pad_env(T) for T in (torch, cl)]
    seqs = ["a", "c", "b"] if enforce_sorted else ["c", "a", "b"]
    got = [T.nn.utils.rnn.pack_sequence([e[k] for k in seqs], enforce_sorted=enforce_sorted)
           for T, e in zip((torch, cl), env)]
    for a, b in zip(got[0], got[1]):
        if a is None:
            assert b is None
        else:
            np.testing.assert_array_equal(b.detach().numpy(), a.detach().numpy())
