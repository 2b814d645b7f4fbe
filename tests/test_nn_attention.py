"""F.scaled_dot_product_attention, F.multi_head_attention_forward and nn.MultiheadAttention
against torch 2.13 in float64: outputs, attention weights, gradients of inputs and parameters,
grad_fn, reprs, parameter names, errors; double backward by gradgradcheck."""
import numpy as np
import pytest

import course_lib

torch = pytest.importorskip("torch")

G = np.random.default_rng(1)
Q, K, V = (G.standard_normal(s) for s in [(2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)])
DEAD = np.vstack([np.zeros((1, 5), bool), np.ones((3, 5), bool)])  # rows 1-3 see no key

SDPA = {"plain": {}, "causal": {"is_causal": True},
        "bool mask": {"attn_mask": np.tril(np.ones((4, 5), bool))},
        "float mask": {"attn_mask": np.arange(20.0).reshape(4, 5) / 7},
        "scale": {"scale": 0.3}, "rows without keys": {"attn_mask": DEAD},
        "batched mask": {"attn_mask": G.standard_normal((2, 1, 4, 5))}}


def _sdpa(T, kw, q=Q, k=K, v=V):
    args = {n: (T.tensor(a) if isinstance(a, np.ndarray) else a) for n, a in kw.items()}
    ts = [T.tensor(a, requires_grad=True) for a in (q, k, v)]
    out = T.nn.functional.scaled_dot_product_attention(*ts, **args)
    out.backward(T.tensor(np.cos(np.arange(out.numel())).reshape(tuple(out.shape))))
    return out, [out.detach().numpy()] + [t.grad.numpy() for t in ts]


@pytest.mark.parametrize("case", sorted(SDPA))
def test_sdpa_like_torch(case):
    (o1, mine), (o2, theirs) = _sdpa(course_lib, SDPA[case]), _sdpa(torch, SDPA[case])
    assert type(o1.grad_fn).__name__ == type(o2.grad_fn).__name__
    for a, b in zip(mine, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_sdpa_grouped_query_heads_like_torch():
    k, v = K[:, :1], V[:, :1]
    (_, mine), (_, theirs) = (_sdpa(T, {"enable_gqa": True}, Q, k, v) for T in (course_lib, torch))
    for a, b in zip(mine, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("expr", [
    "F.scaled_dot_product_attention(q, k.float(), v)",
    "F.scaled_dot_product_attention(q, k, v, attn_mask=T.ones(4, 5, dtype=T.bool), is_causal=True)",
])
def test_sdpa_errors_like_torch(expr):
    got = []
    for T in (course_lib, torch):
        env = {"T": T, "F": T.nn.functional, "q": T.tensor(Q), "k": T.tensor(K), "v": T.tensor(V)}
        with pytest.raises(Exception) as e:
            eval(expr, env)
        got.append((type(e.value).__name__, str(e.value)))
    assert got[0] == got[1]


def test_sdpa_double_backward():
    ts = [course_lib.tensor(a[:1, :1, :3, :3], requires_grad=True) for a in (Q, K, V)]
    f = course_lib.nn.functional.scaled_dot_product_attention
    assert course_lib.autograd.gradgradcheck(lambda q, k, v: f(q, k, v, is_causal=True), ts)


MODULES = {"default": {}, "batch_first": {"batch_first": True},
           "bias_kv, zero_attn": {"add_bias_kv": True, "add_zero_attn": True},
           "kdim, vdim": {"kdim": 5, "vdim": 3}, "no bias": {"bias": False}}
CALLS = {"weights": {}, "no weights": {"need_weights": False},
         "padding": {"key_padding_mask": "kpm"},
         "mask, per head": {"attn_mask": "am", "average_attn_weights": False},
         "mask + padding, sdpa": {"attn_mask": "am", "need_weights": False,
                                  "key_padding_mask": "kpm"},
         "causal hint": {"attn_mask": "causal", "need_weights": False, "is_causal": True},
         "float mask": {"attn_mask": "fm"}}


def _mha(T, mkw, ckw, params=None):
    T.manual_seed(0)
    m = T.nn.MultiheadAttention(8, 2, dtype=T.float64, **mkw)
    if params is not None:
        with T.no_grad():
            for p, a in zip(m.parameters(), params):
                p.copy_(T.tensor(a))
    g = np.random.default_rng(0)
    xq = g.standard_normal((4, 2, 8))
    xk, xv = g.standard_normal((6, 2, mkw.get("kdim", 8))), g.standard_normal((6, 2, mkw.get("vdim", 8)))
    if mkw.get("batch_first"):
        xq, xk, xv = (a.transpose(1, 0, 2).copy() for a in (xq, xk, xv))
    kpm = np.zeros((2, 6), bool)
    kpm[1, -2:] = True
    masks = {"kpm": kpm, "am": np.triu(np.ones((4, 6), bool), 3),
             "causal": np.triu(np.ones((4, 6), bool), 1), "fm": g.standard_normal((4, 6))}
    args = {n: (T.tensor(masks[a]) if isinstance(a, str) else a) for n, a in ckw.items()}
    q, k, v = (T.tensor(a, requires_grad=True) for a in (xq, xk, xv))
    out, w = m(q, k, v, **args)
    (out ** 2).sum().backward()
    got = [out.detach().numpy(), None if w is None else w.detach().numpy(),
           q.grad.numpy(), k.grad.numpy(), v.grad.numpy()]
    got += [p.grad.numpy() for p in m.parameters()]
    return m, got


@pytest.mark.parametrize("call", sorted(CALLS))
@pytest.mark.parametrize("mod", sorted(MODULES))
def test_multihead_attention_like_torch(mod, call):
    mine, got = _mha(course_lib, MODULES[mod], CALLS[call])
    params = [p.detach().numpy() for p in mine.parameters()]
    theirs, want = _mha(torch, MODULES[mod], CALLS[call], params)
    assert repr(mine) == repr(theirs).replace("torch", "course_lib")
    assert [n for n, _ in mine.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    for a, b in zip(got, want):
        if b is None:
            assert a is None
        else:
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_multihead_attention_unbatched_and_init():
    course_lib.manual_seed(0)
    m = course_lib.nn.MultiheadAttention(6, 3)
    x = course_lib.randn(5, 6)
    out, w = m(x, x, x)
    assert out.shape == (5, 6) and w.shape == (5, 5)
    np.testing.assert_allclose(w.sum(-1).detach().numpy(), 1, rtol=1e-6)
    assert m.in_proj_bias.abs().sum().item() == 0 and m.out_proj.bias.abs().sum().item() == 0
    bound = (6 / (6 + 18)) ** 0.5  # xavier_uniform_ of (3E, E)
    assert m.in_proj_weight.abs().max().item() <= bound
    assert type(m.out_proj).__name__ == "NonDynamicallyQuantizableLinear"
    assert isinstance(m.out_proj, course_lib.nn.Linear)


@pytest.mark.parametrize("expr", [
    "nn.MultiheadAttention(8, 3)", "nn.MultiheadAttention(0, 2)",
    "nn.MultiheadAttention(8, 2)(x, x, x, is_causal=True)",
    "nn.MultiheadAttention(8, 2)(x, x, x, attn_mask=T.ones(3, 3))",
    "nn.MultiheadAttention(8, 2)(x, x, x, key_padding_mask=T.ones(4, 2))",
    "nn.MultiheadAttention(8, 2)(x, x[:2], x)", "nn.MultiheadAttention(8, 2)(x[0, 0], x, x)",
    "nn.MultiheadAttention(8, 2)(x, x, x, attn_mask=T.ones(4, 4, dtype=T.long))",
])
def test_multihead_attention_errors_like_torch(expr):
    got = []
    for T in (course_lib, torch):
        env = {"T": T, "nn": T.nn, "x": T.ones(4, 2, 8)}
        with pytest.raises(Exception) as e:
            eval(expr, env)
        got.append((type(e.value).__name__, str(e.value).replace("course_lib.", "torch.")))
    assert got[0] == got[1]


def test_a_tiny_transformer_block_learns():
    """Attention + MLP on the course's own engine and optimizer: predict each token's sum with
    the previous token (causal mask) — the loss falls by 10x."""
    T = course_lib
    T.manual_seed(0)
    attn = T.nn.MultiheadAttention(16, 2, batch_first=True)
    embed, head = T.nn.Linear(1, 16), T.nn.Linear(16, 1)
    pos = T.nn.Parameter(T.randn(6, 16) * 0.5)  # learned positions: "the previous token"
    params = [*attn.parameters(), *embed.parameters(), *head.parameters(), pos]
    opt = T.optim.Adam(params, lr=1e-2)
    mask = T.ones(6, 6, dtype=T.bool).triu(1)
    losses = []
    for _ in range(150):
        x = T.randn(32, 6, 1)
        target = x + T.cat([T.zeros(32, 1, 1), x[:, :-1]], 1)
        h = embed(x) + pos
        a, _ = attn(h, h, h, attn_mask=mask, need_weights=False)
        loss = T.nn.functional.mse_loss(head(h + a), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert np.mean(losses[-10:]) < np.mean(losses[:10]) / 10
