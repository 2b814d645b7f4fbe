"""grad_fn parity: the same code builds the same graph as torch (what repr and pictures show).

For each expression, the graph behind the result is reduced to a signature: the grad_fn class
name and, recursively, the signatures of its ``next_functions`` (``AccumulateGrad`` at leaves).
Entries ``None`` are dropped: torch leaves out arguments that can never be differentiated (the
condition of ``where``, the target of ``nll_loss``) while course_lib keeps a ``None`` for them;
nothing a student prints depends on that. Everything else — names, order, depth — must match.
"""
import numpy as np
import pytest

import course_lib

EXPRESSIONS = """
a + b | a - b | a * b | a / b | a + 1 | 1 + a | a - 1 | 1 - a | a * 2 | 2 * a | a / 2 | 2 / a
a ** 2 | 2 ** a | a ** b | -a | a.neg() | a.pow(3) | a.reciprocal() | a.mul(b).add(a)
a.sub(b, alpha=2) | a.add(b, alpha=3)
a @ m | m.t() @ a.t() | T.mm(m.t(), m) | T.matmul(a, m) | v @ v | T.dot(v, v) | a @ v
a.sum() | a.sum(0) | a.sum(dim=1, keepdim=True) | a.mean() | a.mean(1) | a.max() | a.max(dim=1)[0]
a.min(0).values | a.prod() | a.prod(1) | a.std() | a.var(0) | a.norm() | a.logsumexp(1) | a.amax(1)
a.exp() | a.log() | a.sqrt() | a.abs() | a.sin() | a.cos() | a.tanh() | a.sigmoid() | a.relu()
T.relu(a) | a.clamp(0, 1) | a.clamp(min=0) | T.where(a > 0, a, b) | a.maximum(b) | a.minimum(b)
a.masked_fill(a > 0, 0.0) | a.gather(1, T.tensor([[0], [1]])) | a.tril()
a.view(6) | a.view(-1, 2) | a.reshape(3, 2) | a.flatten() | a.t() | a.T | a.transpose(0, 1)
a.permute(1, 0) | a.unsqueeze(0) | a.squeeze() | a[None].squeeze(0) | a.expand(4, 2, 3)
a.contiguous() | a.t().contiguous() | a.clone() | a.float() | a.double() | a.to(T.float32)
a[0] | a[:, 1] | a[0, 1] | a[..., 1:] | a[[0, 1]] | a[a > 0] | a[:, [0, 2]]
T.cat([a, b]) | T.cat([a, b], 1) | T.stack([a, b]) | a.split(1)[0] | a.chunk(2, 1)[1]
a.unbind(0)[1] | a.repeat(2, 1) | a.flip(0)
a.softmax(1) | a.log_softmax(1) | (a * b).sum().sqrt() | a.mean() + b.mean() | a.exp().log().sum()
F.softmax(a, dim=1) | F.log_softmax(a, dim=1) | F.relu(a) | F.mse_loss(a, b)
F.cross_entropy(a, T.tensor([0, 2])) | F.nll_loss(a, T.tensor([0, 2]))
F.binary_cross_entropy_with_logits(a, b.detach().sigmoid())
F.linear(a, w) | F.linear(a, w, c) | F.linear(a[0], w, c)
"""
CASES = [e.strip() for line in EXPRESSIONS.strip().splitlines() for e in line.split("|")]


def signature(fn, depth=0):
    if depth > 15:
        return "..."
    return (type(fn).__name__,
            tuple(signature(n, depth + 1) for n, _ in getattr(fn, "next_functions", ()) if n is not None))


def build(T, expr):
    g = np.random.default_rng(0)
    a0 = g.standard_normal((2, 3))
    env = {"T": T, "F": T.nn.functional,
           "a": T.tensor(a0, requires_grad=True),
           "b": T.tensor(g.standard_normal((2, 3)), requires_grad=True),
           "m": T.tensor(g.standard_normal((3, 2)), requires_grad=True),
           "v": T.tensor(g.standard_normal(3), requires_grad=True),
           "w": T.tensor(g.standard_normal((4, 3)), requires_grad=True),
           "c": T.tensor(g.standard_normal(4), requires_grad=True)}
    return eval(expr, env)


@pytest.mark.parametrize("expr", CASES)
def test_graph_like_torch(expr):
    torch = pytest.importorskip("torch")
    ours, theirs = build(course_lib, expr), build(torch, expr)
    assert signature(ours.grad_fn) == signature(theirs.grad_fn)


def test_known_names_without_torch():
    """A few graphs written out, so the check also runs where torch is not installed."""
    assert signature(build(course_lib, "F.linear(a, w, c)").grad_fn) == (
        "AddmmBackward0", (("AccumulateGrad", ()), ("AccumulateGrad", ()),
                           ("TBackward0", (("AccumulateGrad", ()),))))
    assert signature(build(course_lib, "(a * 2).sum()").grad_fn) == (
        "SumBackward0", (("MulBackward0", (("AccumulateGrad", ()),)),))
    assert signature(build(course_lib, "F.cross_entropy(a, T.tensor([0, 2]))").grad_fn) == (
        "NllLossBackward0", (("LogSoftmaxBackward0", (("AccumulateGrad", ()),)),))
    assert repr(build(course_lib, "a.view(6)")).endswith("grad_fn=<ViewBackward0>)")
