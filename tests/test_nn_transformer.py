"""nn.TransformerEncoderLayer / DecoderLayer / Encoder / Decoder / Transformer against torch
2.13 (float64, dropout 0): the same parameters give the same outputs and gradients, in post- and
pre-norm, relu / gelu / a callable, batch_first, with causal and padding masks; reprs, parameter
names, warnings and errors equal; a small encoder trains on the course's own engine."""
import warnings

import numpy as np
import pytest

import course_lib

torch = pytest.importorskip("torch")

LAYERS = {"post-norm": {}, "pre-norm": {"norm_first": True}, "gelu": {"activation": "gelu"},
          "batch_first": {"batch_first": True}, "no bias": {"bias": False},
          "callable": {"activation": "tanh"}}


def _build(T, kind, kw):
    kw = dict(kw)
    if kw.get("activation") == "tanh":
        kw["activation"] = T.tanh
    T.manual_seed(0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if kind == "encoder":
            layer = T.nn.TransformerEncoderLayer(8, 2, 16, 0.0, dtype=T.float64, **kw)
            m = T.nn.TransformerEncoder(layer, 2, T.nn.LayerNorm(8, dtype=T.float64))
        elif kind == "decoder":
            layer = T.nn.TransformerDecoderLayer(8, 2, 16, 0.0, dtype=T.float64, **kw)
            m = T.nn.TransformerDecoder(layer, 2)
        else:
            m = T.nn.Transformer(8, 2, 1, 1, 16, 0.0, dtype=T.float64, **kw)
    return m, [str(w.message) for w in caught]


def _run(T, m, kind, kw, masks, params=None):
    if params is not None:
        with T.no_grad():
            for p, a in zip(m.parameters(), params):
                p.copy_(T.tensor(a))
    g = np.random.default_rng(0)
    src, tgt = g.standard_normal((5, 2, 8)), g.standard_normal((4, 2, 8))
    if kw.get("batch_first"):
        src, tgt = src.transpose(1, 0, 2).copy(), tgt.transpose(1, 0, 2).copy()
    s, t = T.tensor(src, requires_grad=True), T.tensor(tgt, requires_grad=True)
    pad = np.zeros((2, 5), bool)
    pad[1, -2:] = True
    args = {}
    if "causal" in masks:
        key = "mask" if kind == "encoder" else "tgt_mask"
        n = 5 if kind == "encoder" else 4
        args[key] = T.nn.Transformer.generate_square_subsequent_mask(n, dtype=T.float64)
    if "padding" in masks:
        key = {"encoder": "src_key_padding_mask", "decoder": "memory_key_padding_mask",
               "transformer": "src_key_padding_mask"}[kind]
        args[key] = T.tensor(pad)
        if kind == "transformer":
            args["memory_key_padding_mask"] = T.tensor(pad)
    out = m(s, **args) if kind == "encoder" else m(t, s, **args) if kind == "decoder" else \
        m(s, t, **args)
    (out * T.tensor(np.sin(np.arange(out.numel())).reshape(tuple(out.shape)))).sum().backward()
    return [out.detach().numpy(), s.grad.numpy()] + (
        [t.grad.numpy()] if kind != "encoder" else []) + [p.grad.numpy() for p in m.parameters()]


@pytest.mark.parametrize("masks", ["none", "causal", "padding", "causal+padding"])
@pytest.mark.parametrize("layer", sorted(LAYERS))
@pytest.mark.parametrize("kind", ["encoder", "decoder", "transformer"])
def test_like_torch(kind, layer, masks):
    kw = LAYERS[layer]
    (mine, w1), (theirs, w2) = _build(course_lib, kind, kw), _build(torch, kind, kw)
    assert repr(mine) == repr(theirs).replace("torch", "course_lib")
    assert [n for n, _ in mine.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert w1 == w2
    params = [p.detach().numpy() for p in mine.parameters()]
    with warnings.catch_warnings(record=True) as w1:
        warnings.simplefilter("always")
        got = _run(course_lib, mine, kind, kw, masks)
    with warnings.catch_warnings(record=True) as w2:
        warnings.simplefilter("always")
        want = _run(torch, theirs, kind, kw, masks, params)
    assert [str(w.message) for w in w1] == [str(w.message) for w in w2]
    assert len(got) == len(want)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-10)


def test_generate_square_subsequent_mask_like_torch():
    a = course_lib.nn.Transformer.generate_square_subsequent_mask(4)
    b = torch.nn.Transformer.generate_square_subsequent_mask(4)
    assert repr(a) == repr(b)


@pytest.mark.parametrize("expr", [
    "nn.TransformerEncoderLayer(8, 2, activation='tanh')",
    "nn.Transformer(8, 2, 1, 1, 16)(T.ones(3, 2, 8), T.ones(3, 4, 8))",
    "nn.Transformer(8, 2, 1, 1, 16)(T.ones(3, 2, 8), T.ones(3, 2, 6))",
    "nn.TransformerEncoderLayer(8, 3)",
])
def test_errors_like_torch(expr):
    got = []
    for T in (course_lib, torch):
        with pytest.raises(Exception) as e, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            eval(expr, {"T": T, "nn": T.nn})
        got.append((type(e.value).__name__, str(e.value)))
    assert got[0] == got[1]


def test_transformer_init_is_xavier_and_layers_are_independent():
    course_lib.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = course_lib.nn.Transformer(8, 2, 2, 1, 16)
    w0 = m.encoder.layers[0].linear1.weight
    w1 = m.encoder.layers[1].linear1.weight
    assert w0 is not w1
    bound = (6 / (8 + 16)) ** 0.5
    assert w0.abs().max().item() <= bound


def test_a_small_encoder_learns_to_sort_positions():
    """A batch_first encoder with a learned position table learns to output each token's
    reversed neighbour — the course's own engine, LayerNorm, attention and Adam."""
    T = course_lib
    T.manual_seed(0)
    enc = T.nn.TransformerEncoder(T.nn.TransformerEncoderLayer(16, 2, 32, 0.0, batch_first=True),
                                  1)
    embed, head = T.nn.Linear(1, 16), T.nn.Linear(16, 1)
    pos = T.nn.Parameter(T.randn(5, 16) * 0.5)
    opt = T.optim.Adam([*enc.parameters(), *embed.parameters(), *head.parameters(), pos], lr=5e-3)
    losses = []
    for _ in range(150):
        x = T.randn(32, 5, 1)
        loss = T.nn.functional.mse_loss(head(enc(embed(x) + pos)), x.flip(1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert np.mean(losses[-10:]) < np.mean(losses[:10]) / 5
