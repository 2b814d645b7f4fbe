"""``einsum``: Einstein summation with autograd. 爱因斯坦求和（支持求导）。

The equation is first made explicit (``...`` → fresh letters, right-aligned; no ``->`` →
the broadcast letters, then every letter used once, in ASCII order — numpy's and torch's
rule), so forward and backward read the same subscripts.

Gradient of ``out[o] = Σ Π_k x_k[s_k]`` w.r.t. ``x_k``: the same sum with ``x_k`` replaced by
``grad`` — ``einsum("o,s_1,…(without s_k)->s_k", grad, …)``. Letters only in ``s_k`` get the
gradient broadcast along them, letters where ``x_k`` has size 1 but others more are summed
(broadcasting), and a repeated letter (``"ii->i"``) writes into the diagonal.

A single operand that is only permuted (``"ij->ji"``) returns a view, as torch does
(``PermuteBackward0``). Other graphs are one ``EinsumBackward0`` node: torch builds einsum out
of permute/bmm/sum/view nodes instead, so its ``grad_fn`` is one of those.
"""
from __future__ import annotations

import string
from collections import Counter

from ..autograd.node import Node, attach, fit
from ._util import STATE, Tensor, _wrap, same_device


class EinsumBackward0(Node):
    """``out = einsum(terms -> out_term, *inputs)``; saved: the input arrays."""

    __slots__ = ("terms", "out_term")

    def backward(self, g):
        data = self.saved
        return tuple(_grad_for(k, self.terms, self.out_term, g, data)
                     if e[0] is not None else None
                     for k, e in enumerate(self.next_functions))


def _grad_for(k, terms, out_term, g, data):
    """∂L/∂x_k (shape and dtype of ``data[k]``) from ``g`` = ∂L/∂out."""
    from .._backend import xp_of

    xp = xp_of(g)
    sk, shape = terms[k], data[k].shape
    others = [(terms[j], data[j]) for j in range(len(terms)) if j != k]
    letters = list(dict.fromkeys(sk))  # s_k without repeats, in order
    size = {c: shape[sk.index(c)] for c in letters}
    elsewhere = set(out_term).union(*(t for t, _ in others))
    kept = [c for c in letters if c in elsewhere]
    spec = ",".join([out_term] + [t for t, _ in others]) + "->" + "".join(kept)
    r = xp.einsum(spec, g, *(d for _, d in others))
    if not getattr(r, "is_tarray", False):  # create_graph's TArray is already an array
        r = xp.asanyarray(r)
    for i, c in enumerate(letters):  # letters only in s_k: constant along them
        if c not in elsewhere:
            r = xp.expand_dims(r, i)
    r = xp.broadcast_to(r, tuple(size[c] if n == 1 else n for c, n in zip(letters, r.shape)))
    axes = tuple(i for i, c in enumerate(letters) if size[c] == 1 and r.shape[i] != 1)
    if axes:  # x_k was broadcast along these letters
        r = r.sum(axis=axes, keepdims=True)
    if len(letters) == len(sk):
        return fit(r if getattr(r, "is_tarray", False) else xp.ascontiguousarray(r), shape,
                   data[k].dtype)
    out = xp.zeros_like(data[k])  # a repeated letter: the gradient is on the diagonal
    strides = tuple(sum(out.strides[p] for p, d in enumerate(sk) if d == c) for c in letters)
    xp.lib.stride_tricks.as_strided(out, r.shape, strides)[...] = r
    return out


def _explicit(eq: str, ndims) -> tuple[list, str]:
    """``(terms, out_term)`` with ``...`` replaced by letters and the output made explicit."""
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    fresh = iter(c for c in string.ascii_letters if c not in eq)
    n_ell = max((nd - (len(t) - 3) for t, nd in zip(terms, ndims) if "..." in t), default=0)
    ell = "".join(next(fresh) for _ in range(max(n_ell, 0)))
    terms = [t.replace("...", ell[len(ell) - max(nd - (len(t) - 3), 0):]) if "..." in t else t
             for t, nd in zip(terms, ndims)]
    if arrow:
        out = rhs.replace("...", ell)
    else:
        counts = Counter("".join(terms))
        out = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    return terms, out


def _check_einsum(eq, shapes):
    """torch's einsum errors (operand count, output subscripts, sizes) before numpy's."""
    lhs, _, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise RuntimeError(f"einsum(): {'fewer' if len(shapes) < len(terms) else 'more'} "
                           "operands were provided than specified in the equation")
    for c in rhs.replace(".", ""):
        if c not in lhs:
            raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation "
                               "for any input operand")
    if "." in lhs:
        return
    seen = {}
    for i, (term, shape) in enumerate(zip(terms, shapes)):
        if len(term) != len(shape):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(term)}) "
                               f"does not match the number of dimensions ({len(shape)}) for "
                               f"operand {i} and no ellipsis was given")
        for c, n in zip(term, shape):
            m = seen.setdefault(c, n)
            if m != n and 1 not in (m, n):
                raise RuntimeError(f"einsum(): subscript {c} has size {n} for operand {i} which "
                                   f"does not broadcast with previously seen size {m}")
            if m == 1:
                seen[c] = n


def _permutation(terms, out):
    """dims for ``permute`` when the equation only reorders one operand's distinct letters."""
    if len(terms) == 1 and len(set(terms[0])) == len(terms[0]) and sorted(terms[0]) == sorted(out):
        return tuple(terms[0].index(c) for c in out)
    return None


def einsum(equation, *operands):
    """Einstein summation over ``operands`` (differentiable). 爱因斯坦求和。

    ``einsum("ij,jk->ik", a, b)`` is ``a @ b``: (i, j), (j, k) → (i, k); a letter missing from
    the output is summed over; ``...`` stands for broadcast dimensions.
    """
    from .._backend import xp_of
    from .._dtype import _by_np, scalar_name

    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not isinstance(equation, str):
        raise TypeError(f"einsum(): argument 'equation' (position 1) must be str, not "
                        f"{type(equation).__name__}")
    for i, t in enumerate(operands):
        if not isinstance(t, Tensor):
            raise TypeError(f"einsum(): argument 'tensors' (position 2) must be tuple of Tensors, "
                            f"not {type(t).__name__}")
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    eq = equation.replace(" ", "")
    _check_einsum(eq, [t._data.shape for t in operands])
    data = [operands[0]._data] + [same_device(operands[0], t)[1] for t in operands[1:]]
    for t in operands[1:]:
        if t._data.dtype != data[0].dtype:
            raise RuntimeError(f"expected scalar type {scalar_name(_by_np[data[0].dtype])} but "
                               f"found {scalar_name(_by_np[t._data.dtype])}")
    try:
        terms, out_term = _explicit(eq, [d.ndim for d in data])
        dims = _permutation(terms, out_term)
        if dims is not None:  # a view, as in torch
            return operands[0].permute(*dims)
        xp = xp_of(data[0])
        res = xp.einsum(",".join(terms) + "->" + out_term, *data)
    except ValueError as e:
        raise RuntimeError(f"einsum(): {e}") from None
    if any(xp.may_share_memory(res, d) for d in data):  # numpy may hand back a view
        res = res.copy()
    out = _wrap(res)
    if STATE[0] and any(t._requires_grad for t in operands):
        node = EinsumBackward0()
        node.saved, node.terms, node.out_term = tuple(data), terms, out_term
        node.save_versions(*operands)
        attach(out, node, operands)
    return out
