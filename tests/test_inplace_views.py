"""In-place ops, views and autograd like torch: shared memory, CopySlices, AsStridedBackward0,
torch's errors; random programs against torch and finite differences; 0-d tensors and dims."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import course_lib as cl
import inplace_programs as programs

torch = pytest.importorskip("torch")


def _norm(x):
    return repr(x).replace("torch.", "course_lib.").replace("torch::", "course_lib::")


def _both(f):
    """f(lib) on torch and course_lib: (result or exception type+message) for each."""
    out = []
    for lib in (torch, cl):
        try:
            out.append(("ok", f(lib)))
        except Exception as e:  # noqa: BLE001
            out.append(("exc", type(e).__name__, str(e).split(" Hint:")[0]))
    return out


def _same(f):
    a, b = _both(f)
    assert _norm(a) == _norm(b)
    return b


# -- memory: an in-place op writes into the memory that views and aliases share ----------------
def test_view_sees_inplace_on_graph_tensor_and_gets_as_strided_backward():
    def f(L):
        x = L.ones(3, requires_grad=True)
        y = x * 1
        v = y[0:2]
        y.add_(1)
        return v.tolist(), type(v.grad_fn).__name__, type(y.grad_fn).__name__
    assert _same(f)[1] == ([2.0, 2.0], "AsStridedBackward0", "AddBackward0")


def test_inplace_keeps_numpy_and_detach_aliases():
    x = cl.ones(3, requires_grad=True)
    y = x * 1
    d = y.detach()
    a = d.numpy()
    y.mul_(3)
    assert a.tolist() == [3.0] * 3 and d.tolist() == [3.0] * 3
    assert y._version == d._version == 1
    z = x * 2
    alias = z.detach()
    z[1] = 7.0
    assert alias.tolist() == [2.0, 7.0, 2.0]


def test_inplace_into_view_is_copy_slices():
    def f(L):
        x = L.ones(3, requires_grad=True)
        y = x * 1
        y[0:2].mul_(3)
        y.sum().backward()
        return y.tolist(), type(y.grad_fn).__name__, x.grad.tolist()
    assert _same(f)[1] == ([3.0, 3.0, 1.0], "CopySlices", [3.0, 3.0, 1.0])


@pytest.mark.parametrize("op", ["zero_()", "fill_(5)", "fill_(L.tensor(2., requires_grad=True))",
                                "copy_(L.ones(3, requires_grad=True))", "copy_(L.ones(1))",
                                "clamp_(0, 1)", "normal_()", "uniform_()", "neg_()", "relu_()",
                                "pow_(2)", "div_(2)", "sub_(1, alpha=2)", "sigmoid_()", "exp_()",
                                "mul_(L.full((1,), 3., requires_grad=True))", "square_()",
                                "masked_fill_(L.tensor([True, False, True]), 0.)"])
def test_inplace_node_names_and_gradients_like_torch(op):
    def f(L):
        x = L.tensor([0.3, 0.6, 1.2], requires_grad=True)
        y = x * 2
        r = eval("y." + op, {"L": L, "y": y})
        y.sum().backward()
        fn = r.grad_fn
        return (type(fn).__name__, [type(n).__name__ for n, _ in fn.next_functions],
                np.round(x.grad.tolist(), 5).tolist() if "normal" not in op and
                "uniform" not in op else x.grad.shape)
    _same(f)


def test_setitem_node_names_like_torch():
    for code in ("y[1:] = 5.", "y[...] = 5.", "y[:] = L.ones(3, requires_grad=True)",
                 "y[L.tensor([0, 2])] = L.tensor(5., requires_grad=True)",
                 "y[L.tensor([True, False, True])] = 5.", "y[1] = x[0] * 3"):
        def f(L, code=code):
            x = L.ones(3, requires_grad=True)
            y = x * 2
            exec(code, {"L": L, "x": x, "y": y})
            y.sum().backward()
            return (type(y.grad_fn).__name__, [type(n).__name__ for n, _ in
                                               y.grad_fn.next_functions], x.grad.tolist())
        _same(f)


def test_chained_views_and_inplace():
    def f(L):
        x = L.arange(6.).reshape(2, 3).requires_grad_()
        y = x * 1
        v = y.t()[0]
        v.add_(10)
        w = y.view(3, 2)
        w[1].mul_(2)
        out = (y * L.arange(6.).reshape(2, 3)).sum() + (v * 3).sum()
        out.backward()
        return (y.tolist(), type(v.grad_fn).__name__, type(w.grad_fn).__name__,
                x.grad.tolist())
    _same(f)


def test_base_without_grad_gets_copy_slices_and_siblings_require_grad():
    def f(L):
        x = L.zeros(4)
        v1, v2 = x[0:2], x[1:3]
        w = L.ones(2, requires_grad=True)
        v1.mul_(w)
        v1.add_(w)
        (x * L.arange(4.)).sum().backward()
        return (type(x.grad_fn).__name__, v2.requires_grad, type(v2.grad_fn).__name__,
                w.grad.tolist())
    _same(f)


def test_retain_grad_follows_the_tensor():
    def f(L):
        x = L.ones(3, requires_grad=True)
        y = x * 1
        y.retain_grad()
        v = y[0:2]
        v.retain_grad()
        y.add_(1)
        (y * 2).sum().backward()
        return y.retains_grad, v.retains_grad, y.grad.tolist()
    _same(f)


def test_views_of_non_contiguous_and_expanded_bases():
    def f(L):
        arr = np.asfortranarray(np.arange(12.).reshape(3, 4))
        x = L.from_numpy(arr.copy(order="F")).requires_grad_()
        y = x * 1  # Fortran-ordered result: a base that is not C-contiguous
        v = y[1:3, 0:2].t()
        v.mul_(L.tensor([[2.], [3.]], requires_grad=True))
        w = y[0]
        e = y[2].unsqueeze(0).expand(2, 4)  # overlapping view
        y.add_(1)
        ((y * L.arange(12.).reshape(3, 4)).sum() + (w * w).sum() + v.sum()
         + (e * L.arange(8.).reshape(2, 4)).sum()).backward()
        return x.grad.tolist(), type(w.grad_fn).__name__, type(e.grad_fn).__name__
    _same(f)


def test_inplace_on_views_on_the_simulated_gpu():
    was = cl.cuda.is_simulated()
    cl.cuda.simulate(True)
    try:
        x = cl.ones(2, 3, device="cuda", requires_grad=True)
        y = x * 1
        y[:, 1].mul_(cl.tensor([2., 3.], device="cuda", requires_grad=True))
        w = y[0]
        y.add_(1)
        ((y * y).sum() + (w * 3).sum()).backward()
        assert x.grad.device.type == "cuda" and type(w.grad_fn).__name__ == "AsStridedBackward0"
        assert x.grad.cpu().tolist() == [[7.0, 18.0, 7.0], [4.0, 24.0, 4.0]]
    finally:
        cl.cuda.simulate(was)


# -- torch's errors ------------------------------------------------------------------------
ERRORS = {
    "leaf": "x.add_(1)",
    "view of leaf": "x[0:2].mul_(2)",
    "leaf setitem basic": "x[0] = 5.",
    "leaf setitem advanced": "x[L.tensor([0])] = 5.",
    "no-grad view": "y = x * 1\nwith L.no_grad():\n    v = y[0:2]\nv.mul_(2)",
    "no-grad view, base changed": "y = x * 1\nwith L.no_grad():\n    v = y[0:2]\ny.add_(1)\nv.grad_fn",
    "view of no-grad view": "y = x * 1\nwith L.no_grad():\n    v = y[0:2]\nv[0:1].mul_(2)",
    "split view": "y = x * 1\ny.split(2)[0].mul_(2)",
    "split sizes view": "y = x * 1\ny.split([1, 2])[1].mul_(2)",
    "unbind view": "y = x * 1\ny.unbind(0)[0].add_(1)",
    "chunk view, base changed": "y = x * 1\na = y.chunk(2)[0]\ny.add_(1)\na.grad_fn",
    "split of base without grad": "z = L.zeros(4)\nz.split(2)[0].mul_(L.ones(2, requires_grad=True))",
    "expand": "y = x * 1\ny[None].expand(2, 3).add_(1)",
    "partial overlap": "y = x * 1\ny[:2].add_(y[1:])",
    "partial overlap no grad": "z = L.ones(3)\nz[:2].add_(z[1:])",
    "own view operand": "y = x * 1\ny.mul_(y[0])",
    "saved output changed": "y = x.sigmoid()\ny.add_(1)\ny.sum().backward()",
    "saved input changed": "a = x * 1\nb = a.sin()\na.add_(1)\nb.sum().backward()",
    "saved view changed via base": "a = x * 1\nb = a[:2]\nc = b * b\na.add_(1)\nc.sum().backward()",
    "mul_ by itself": "y = x * 1\ny.mul_(y)\ny.sum().backward()",
    "leaf changed under no_grad": "y = x.sin()\nwith L.no_grad():\n    x.add_(1)\ny.sum().backward()",
    "clamp_ output changed": "y = x * 1\ny.exp_()\ny.clamp_(0, 2)\nz = y * 1\ny.mul_(2)\n"
                             "(y * z).sum().backward()",
    "fine: mul_ then add_": "w = L.ones(3, requires_grad=True)\na = x * 1\na.mul_(w)\na.add_(1)\n"
                            "a.sum().backward()\nprint(w.grad)",
    "fine: a * 2 then a changed": "a = x * 1\nb = a * 2\na.add_(1)\nb.sum().backward()",
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_like_torch(name):
    def f(L):
        x = L.ones(3, requires_grad=True)
        exec(ERRORS[name], {"L": L, "x": x})
        return x.grad.tolist() if x.grad is not None else None
    _same(f)


# -- random programs mixing views and in-place ops ----------------------------------------------
def _grads_close(ra, rb):
    if ra is None or rb is None:
        return ra is rb
    if abs(ra[0] - rb[0]) > 1e-9:
        return False
    return all((a is None) == (b is None) and (a is None or np.allclose(a, b, atol=1e-9))
               for a, b in zip(ra[1], rb[1]))


@pytest.mark.parametrize("start", range(0, 240, 40))
def test_random_programs_match_torch(start):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for seed in range(start, start + 40):
            prog = programs.generate(torch, seed)
            ta, ra = programs.run(torch, prog)
            tb, rb = programs.run(cl, prog)
            assert _norm(ta) == _norm(tb), (seed, prog)
            assert _grads_close(ra, rb), (seed, prog)


@pytest.mark.parametrize("seed", range(1000, 1016))
def test_random_programs_gradient_by_finite_differences(seed):
    """x.grad of the float64 program equals the numerical derivative of its loss."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prog = programs.generate(torch, seed)
        # a view made under no_grad is a leaf for autograd (torch): not a derivative of x
        prog["no_grad_view"] = False
        x0 = np.random.default_rng(prog["seed"]).standard_normal((3, 4))
        _, r = programs.run(cl, prog, x0)
        if r is None or r[1][0] is None:
            return
        num = np.zeros_like(x0)
        eps = 1e-6
        for i in np.ndindex(x0.shape):
            hi, lo = x0.copy(), x0.copy()
            hi[i] += eps
            lo[i] -= eps
            num[i] = (programs.run(cl, prog, hi)[1][0] - programs.run(cl, prog, lo)[1][0]) / (2 * eps)
        assert np.allclose(r[1][0], num, atol=1e-5), (seed, prog)


# -- small parity gaps -------------------------------------------------------------------------
ZERO_D = [f"{name}(dim={d}, keepdim={k})" for name in ("sum", "mean", "amax", "amin", "logsumexp",
                                                      "all", "any", "std", "var", "norm")
          for d in (0, -1, 1) for k in (False, True)] + \
    [f"{name}({d}, keepdim={k})" for name in ("prod", "argmax", "argmin", "max", "min")
     for d in (0, -1, -2) for k in (False, True)] + \
    [f"{name}({d})" for name in ("softmax", "log_softmax", "cumsum", "unsqueeze", "squeeze", "size",
                                 "stride", "sort", "argsort", "unbind", "flip", "flatten")
     for d in (0, -1, 1)] + \
    ["select(0, 0)", "narrow(0, 0, 1)", "split(1, 0)", "chunk(1, 0)", "transpose(0, -1)",
     "movedim(0, 0)", "topk(1, 0)", "index_select(0, L.tensor([0]))", "gather(0, L.tensor(0))",
     "count_nonzero(0)", "unflatten(0, (1,))", "max()", "sum()", "mean()"]


@pytest.mark.parametrize("expr", ZERO_D)
def test_zero_dim_tensors_take_dim_0_and_minus_1_like_torch(expr):
    def f(L):
        t = L.tensor(3.0, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = eval("t." + expr, {"L": L, "t": t})
        rs = tuple(r) if isinstance(r, tuple) else (r,)
        out = []
        for x in rs:
            if hasattr(x, "tolist"):
                out.append((np.round(np.array(x.tolist(), dtype=float), 6).tolist(),
                            tuple(x.shape), str(x.dtype).split(".")[-1],
                            None if x.grad_fn is None else type(x.grad_fn).__name__))
            else:
                out.append(x)
        first = rs[0]
        if hasattr(first, "grad_fn") and first.grad_fn is not None and first.dtype == L.float32:
            with np.errstate(all="ignore"):
                first.sum().backward()
            out.append(np.round(t.grad.tolist(), 6).tolist())
        return out
    a, b = _both(f)
    if a[0] == "exc":  # torch adds a C++ backtrace to some messages
        assert b[0] == "exc" and a[1] == b[1] and a[2].replace("torch", "course_lib").startswith(b[2])
    else:
        assert _norm(a) == _norm(b)


def test_repr_of_a_no_grad_view_whose_base_changed_is_invalid_like_torch():
    def f(L):
        w = L.nn.Parameter(L.ones(2, 3))
        with L.no_grad():
            row = w[0]
            w.add_(1)
        return repr(row)
    _same(f)


def test_where_has_two_inputs_like_torch():
    a = cl.ones(3, requires_grad=True)
    r = cl.where(a > 0, a, cl.zeros(3))
    assert len(r.grad_fn.next_functions) == 2 and r.grad_fn.next_functions[1][0] is None
    r.sum().backward()
    assert a.grad.tolist() == [1.0] * 3


def test_tensor_type_prints_like_torch():
    assert repr(type(cl.ones(1))) == "<class 'course_lib.Tensor'>"
    assert cl.Tensor.__qualname__ == "Tensor"


_INDEXING = {  # op on x (3×3, requires grad) with an index tensor i that its node keeps
    "gather": (lambda lib: lib.tensor([[0, 1, 2]]), lambda lib, x, i: x.gather(0, i)),
    "scatter": (lambda lib: lib.tensor([[2, 0, 1]]),
                lambda lib, x, i: x.scatter(0, i, lib.ones(1, 3, requires_grad=True))),
    "scatter_add": (lambda lib: lib.tensor([[2, 0, 1]]),
                    lambda lib, x, i: x.scatter_add(0, i, lib.ones(1, 3, requires_grad=True))),
    "index_select": (lambda lib: lib.tensor([0, 2]), lambda lib, x, i: x.index_select(1, i)),
    "getitem": (lambda lib: lib.tensor([0, 2, 2]), lambda lib, x, i: x[i]),
    "getitem_tuple": (lambda lib: lib.tensor([1, 0]), lambda lib, x, i: x[i, 1:]),
    "masked_select": (lambda lib: lib.tensor([True, False, True]),
                      lambda lib, x, i: x.masked_select(i)),
    "where": (lambda lib: lib.tensor([True, False, True]), lambda lib, x, i: lib.where(i, x, 0.0)),
    "masked_fill": (lambda lib: lib.tensor([True, False, True]),
                    lambda lib, x, i: x.masked_fill(i, 0.0)),
    "embedding": (lambda lib: lib.tensor([0, 2]),
                  lambda lib, x, i: lib.nn.functional.embedding(i, x)),
    "index_put": (lambda lib: lib.tensor([0, 2]), lambda lib, x, i: _put(x.clone(), i, lib)),
}


def _put(y, i, lib):
    y[i] = lib.ones(3)
    return y


@pytest.mark.parametrize("op", sorted(_INDEXING))
@pytest.mark.parametrize("change", [False, True])
def test_index_tensor_changed_in_place_is_an_error_at_backward(op, change):
    """The index (mask) an indexing node keeps is watched like a saved input: changed in place
    after the forward, backward raises torch's error (course_lib computed a wrong gradient or an
    IndexError); unchanged, the gradients equal torch's."""
    make_index, f = _INDEXING[op]

    def run(lib):
        x = lib.arange(9.0).reshape(3, 3).requires_grad_()
        i = make_index(lib)
        y = f(lib, x, i)
        if change:
            i.fill_(False) if i.dtype == lib.bool else i.fill_(1)
        (y * y).sum().backward()
        return x.grad.tolist()

    theirs, ours = _both(run)
    assert _norm(ours) == _norm(theirs)
    assert (ours[0] == "exc") == change
