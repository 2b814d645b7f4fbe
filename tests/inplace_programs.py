"""Random programs mixing views and in-place ops, run on course_lib and on torch.

随机生成"视图 + 原地运算"的小程序，分别在 course_lib 与 torch 上运行并比较（值、grad_fn、异常、梯度）。
A program is a list of steps on a pool of tensors; ``generate`` uses torch to keep only steps
that are valid for the shapes, ``run`` replays a program on either library and returns a trace.
"""
from __future__ import annotations

import numpy as np

VIEWS = ("slice", "select", "t", "view", "reshape", "transpose", "narrow", "unsqueeze",
         "squeeze", "ellipsis", "expand", "unbind", "split", "detach", "step")
INPLACE = ("add_", "mul_", "sub_", "div_", "clamp_", "copy_", "fill_", "zero_", "setitem",
           "setitem_t", "mul_t", "add_t", "exp_", "neg_", "setitem_adv", "masked_fill_",
           "pow_", "sigmoid_", "relu_", "copy_row", "no_grad_mul_")
OUT = ("mul2", "sin", "exp", "sum1", "clone")


def _view(L, t, kind, p):
    n = t.dim()
    if kind == "slice":
        d = p[0] % n
        size = t.shape[d]
        a = p[1] % size
        b = a + 1 + p[2] % (size - a)
        return t[(slice(None),) * d + (slice(a, b),)]
    if kind == "select":
        d = p[0] % n
        return t.select(d, p[1] % t.shape[d])
    if kind == "t":
        return t.t()
    if kind == "view":
        return t.view(-1)
    if kind == "reshape":
        return t.reshape(t.shape[::-1]) if n > 1 else t.reshape(1, -1)
    if kind == "transpose":
        return t.transpose(0, n - 1)
    if kind == "narrow":
        d = p[0] % n
        return t.narrow(d, 0, 1 + p[1] % t.shape[d])
    if kind == "unsqueeze":
        return t.unsqueeze(p[0] % (n + 1))
    if kind == "squeeze":
        return t.squeeze()
    if kind == "expand":
        return t.unsqueeze(0).expand(2, *t.shape)
    if kind == "unbind":
        return t.unbind(p[0] % n)[p[1] % t.shape[p[0] % n]]
    if kind == "split":
        return t.split(2, p[0] % n)[0]
    if kind == "detach":
        return t.detach()
    if kind == "step":
        d = p[0] % n
        return t[(slice(None),) * d + (slice(p[1] % 2, None, 2),)]
    return t[...]


def _inplace(L, t, kind, p, leaves):
    s = (p[0] % 7 - 3) / 2 + 0.25  # a scalar that is never 0
    if any(st == 0 and n > 1 for st, n in zip(t.stride(), t.shape)):
        # torch lets fill_/zero_/masked_fill_/index_put_ write into an expanded tensor;
        # course_lib's expanded views are read-only (a known difference): not generated
        raise ValueError("skip: expanded")
    if kind in ("add_", "mul_", "sub_"):
        return getattr(t, kind)(s)
    if kind == "div_":
        return t.div_(s)
    if kind == "clamp_":
        return t.clamp_(-0.3, 0.6)
    if kind == "exp_":
        return t.exp_()
    if kind == "neg_":
        return t.neg_()
    if kind == "zero_":
        return t.zero_()
    if kind == "masked_fill_":
        return t.masked_fill_(t > 0.2, s)
    if kind == "pow_":
        return t.pow_(2)
    if kind == "sigmoid_":
        return t.sigmoid_()
    if kind == "relu_":
        return t.relu_()
    if kind == "no_grad_mul_":
        with L.no_grad():
            return t.mul_(s)
    if kind == "fill_":
        return t.fill_(s)
    w = leaves[p[1] % len(leaves)]
    w = w.reshape(-1)[: t.numel()].reshape(t.shape) if t.dim() else w.reshape(-1)[0]
    w = w * 1.5
    if kind == "copy_":
        return t.copy_(w)
    if kind == "copy_row":
        return t.copy_(w[0] if t.dim() > 1 else w)
    if kind == "mul_t":
        return t.mul_(w)
    if kind == "add_t":
        return t.add_(w, alpha=0.5)
    if t.dim() == 0:
        t[...] = w if kind == "setitem_t" else s
        return t
    d = p[2] % t.dim()
    idx = (slice(None),) * d + (p[3] % t.shape[d],)
    if kind == "setitem_adv":
        ix = (slice(None),) * d + (L.tensor([0, t.shape[d] - 1]),)
        t[ix] = w[ix] if p[0] % 2 else s
        return t
    if kind == "setitem":
        t[idx] = s
    else:
        t[idx] = w[idx]
    return t


def _out(L, t, kind):
    if kind == "mul2":
        return t * 2
    if kind == "sin":
        return t.sin()
    if kind == "exp":
        return (t * 0.5).exp()
    if kind == "clone":
        return t.clone()
    return t.sum(0, keepdim=True) if t.dim() else t + 0


def run(L, prog, values=None):
    """Replay ``prog`` on library ``L``; the trace lists what each step showed."""
    g = np.random.default_rng(prog["seed"])
    x0 = g.standard_normal((3, 4)) if values is None else values
    x = L.tensor(x0, dtype=L.float64, requires_grad=True)
    w = L.tensor(g.standard_normal((3, 4)), dtype=L.float64, requires_grad=True)
    leaves = [x, w]
    c = L.tensor(g.standard_normal((3, 4)), dtype=L.float64)
    pool = [x * 1.0, L.zeros(3, 4, dtype=L.float64), c * 2]
    if prog.get("no_grad_view"):
        with L.no_grad():
            pool.append(pool[0][0:2])
    trace = []
    for step in prog["steps"]:
        what, k, kind, p = step
        try:
            t = pool[k % len(pool)]
            if what == "view":
                r = _view(L, t, kind, p)
                pool.append(r)
            elif what == "inplace":
                r = _inplace(L, t, kind, p, leaves)
            else:
                r = _out(L, t, kind)
                pool.append(r)
            trace.append(_show(r))
        except Exception as e:  # noqa: BLE001 - the same error is expected on both sides
            trace.append(("error", type(e).__name__, str(e).split(" Hint:")[0]))
            return trace, None
    loss = 0
    try:
        for i, t in enumerate(pool):
            trace.append(("final", i) + _show(t))
            if t.requires_grad:
                loss = loss + (t * (1.0 + 0.1 * i)).sin().sum()
        if isinstance(loss, int):
            return trace, None
        loss.backward()
    except Exception as e:  # noqa: BLE001
        trace.append(("error", type(e).__name__, str(e).split(" Hint:")[0]))
        return trace, None
    grads = [None if t.grad is None else np.array(t.grad.tolist()) for t in leaves]
    return trace, (float(loss.item()), grads)


def _show(t):
    fn = t.grad_fn
    a = np.array(t.detach().tolist(), dtype=float)
    a = np.array([float("%.9g" % v) for v in a.ravel()]).reshape(a.shape)
    return ((a + 0.0).tolist(), tuple(t.shape),
            t.requires_grad, None if fn is None else type(fn).__name__)


def generate(torch, seed, n_steps=10):
    """A program whose steps all run on torch (kept: autograd errors; dropped: shape errors)."""
    g = np.random.default_rng(seed)
    prog = {"seed": int(seed), "steps": [], "no_grad_view": bool(g.random() < 0.1)}
    tries = 0
    while len(prog["steps"]) < n_steps and tries < 60:
        tries += 1
        r = g.random()
        what = "view" if r < 0.4 else ("inplace" if r < 0.85 else "out")
        kind = g.choice(VIEWS if what == "view" else INPLACE if what == "inplace" else OUT)
        step = (what, int(g.integers(0, 50)), str(kind), [int(v) for v in g.integers(0, 50, 4)])
        trial = {**prog, "steps": prog["steps"] + [step]}
        trace, _ = run(torch, trial)
        last = trace[-1]
        if last[0] == "error" and not _is_autograd_error(last[2]):
            continue
        prog = trial
        if last[0] == "error":
            break
    return prog


def _is_autograd_error(msg):
    return any(k in msg for k in ("leaf Variable", "view", "inplace", "memory location"))
