"""torch's module-level in-place functions (``torch.sin_(x)`` …) and the in-place unary methods
behind them (``x.asin_()`` …), compared with torch 2.13: same object returned, values, grad_fn
name and gradient when the tensor is in the graph, errors."""
import numpy as np
import pytest

import course_lib
from course_lib._ops.aliases import INPLACE

torch = pytest.importorskip("torch")

X0 = np.array([0.3, -0.2, 0.7, 1.5])
# (ldexp_: torch's gradient is 0 for a negative integer exponent, 2**-1 in integers; ours is
# the true 0.5, checked in test_more_torch_ops)
ARGS = {"clamp_min_": (0.1,), "clamp_max_": (0.5,), "ldexp_": (np.array([1, 3, 2, 0]),),
        "addmv_": (np.arange(8.0).reshape(4, 2) / 7, np.array([1.5, -0.5]))}


def _run(T, name, method):
    a = T.tensor(X0, requires_grad=True)
    y = a * 1
    args = tuple(T.tensor(v) if isinstance(v, np.ndarray) else v for v in ARGS.get(name, ()))
    r = getattr(y, name)(*args) if method else getattr(T, name)(y, *args)
    same = r is y
    try:
        y.sum().backward()
    except NotImplementedError as e:  # asinh_ …: torch has no derivative of the in-place form
        return same, y.tolist(), type(y.grad_fn).__name__, [str(e)]
    return same, y.tolist(), type(y.grad_fn).__name__, a.grad.tolist()


@pytest.mark.parametrize("method", [False, True], ids=["function", "method"])
@pytest.mark.parametrize("name", sorted(INPLACE))
def test_inplace_like_torch(name, method):
    mine, theirs = _run(course_lib, name, method), _run(torch, name, method)
    assert mine[0] and theirs[0]
    np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-12)
    assert mine[2] == theirs[2]
    if isinstance(theirs[3][0], str):
        assert mine[3] == theirs[3]
    else:
        np.testing.assert_allclose(mine[3], theirs[3], rtol=1e-12)


def test_every_torch_function_with_a_method_is_there():
    names = [n for n in dir(torch) if n.endswith("_") and not n.startswith("_")
             and callable(getattr(torch, n)) and hasattr(course_lib.Tensor, n)]
    assert [n for n in names if not hasattr(course_lib, n)] == []
    assert [n for n in INPLACE if not hasattr(torch, n)] == []


@pytest.mark.parametrize("expr", ["T.sin_(3)", "T.asin_(T.tensor([0.5], requires_grad=True))",
                                  "T.log1p_(T.tensor([1, 2]))", "T.tensor([1, 2]).erf_()",
                                  "T.ones(2).expand(2, 2).tan_()"])
def test_errors_like_torch(expr):
    errs = []
    for T in (course_lib, torch):
        with pytest.raises(Exception) as e:
            eval(expr, {"T": T})
        errs.append((e.type.__name__, str(e.value).split("\n")[0]))
    assert errs[0] == errs[1]


def test_saved_input_changed_in_place_is_an_error_like_torch():
    msgs = []
    for T in (course_lib, torch):
        a = T.tensor(X0, requires_grad=True)
        y = a * 1
        z = y.exp()  # saves its result
        z.tan_()
        with pytest.raises(RuntimeError) as e:
            (z.sum() + y.sum()).backward()
        msgs.append(str(e.value).split(";")[0].replace("torch.", "course_lib."))
    assert msgs[0] == msgs[1]


def _views_run(T):
    """In-place view ops (x.unsqueeze_(0) …) on a non-leaf, a view, a stale view, errors."""
    out = []
    a = T.ones(1, 2, 1, 3, dtype=T.float64, requires_grad=True)
    for e in ["x.unsqueeze_(0)", "x.squeeze_()", "x.squeeze_(0)", "x.squeeze_((0, 2))",
              "x.transpose_(0, 1)", "x.swapdims_(0, 1)", "x.swapaxes_(1, 3)", "x.squeeze((0, 2))"]:
        x = a * 1
        v = x._version
        r = eval(e)
        out.append((e, r is x, type(r.grad_fn).__name__, tuple(r.shape), r.stride(), x._version - v))
        w = T.arange(r.numel(), dtype=T.float64).reshape(r.shape)
        (r * w).sum().backward()
        out.append(a.grad.flatten().tolist())
        a.grad = None
    b = T.ones(2, 3, dtype=T.float64, requires_grad=True)
    x = b * 1
    x.t_()
    out.append(type(x.grad_fn).__name__)
    for stale in (False, True):
        x = b * 1
        y = x[0]
        if stale:
            x.mul_(2)
        y.unsqueeze_(0)
        out.append((type(y.grad_fn).__name__, type(y.grad_fn.next_functions[0][0]).__name__,
                    y._base is x))
        (y * T.tensor([[1.0, 2, 3]], dtype=T.float64)).sum().backward()
        out.append(b.grad.tolist())
        b.grad = None
    x = b * 1
    z = x * x
    x.unsqueeze_(0)
    with pytest.raises(RuntimeError) as e:
        z.sum().backward()
    out.append(str(e.value).split(";")[0].replace("torch.", "course_lib."))
    for e in ["T.ones(2).t_()", "T.ones(2, 2, 2).t_()", "T.ones(2).unsqueeze_(3)",
              "T.ones(2).transpose_(0, 2)", "T.ones(2, 3).squeeze_(5)",
              "T.ones(2, requires_grad=True).unsqueeze_(0)"]:
        try:
            out.append((e, "ok", tuple(eval(e).shape)))
        except Exception as ex:  # noqa: BLE001 - the error is what is compared
            out.append((e, type(ex).__name__, str(ex)))
    c = T.ones(2, 3)
    w = c[0]
    c.unsqueeze_(0)
    out.append((tuple(c.shape), tuple(w.shape), c.is_contiguous()))
    with T.no_grad():
        z = T.ones(2, requires_grad=True)
        z.unsqueeze_(0)
        out.append((tuple(z.shape), z.requires_grad, z.is_leaf))
    return out


def test_inplace_view_ops_like_torch():
    for mine, theirs in zip(_views_run(course_lib), _views_run(torch), strict=True):
        assert mine == theirs
