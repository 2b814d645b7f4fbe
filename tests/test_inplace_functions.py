"""torch's module-level in-place functions (``torch.sin_(x)`` …) and the in-place unary methods
behind them (``x.asin_()`` …), compared with torch 2.13: same object returned, values, grad_fn
name and gradient when the tensor is in the graph, errors."""
import numpy as np
import pytest

import course_lib
from course_lib._ops.aliases import INPLACE

torch = pytest.importorskip("torch")

X0 = np.array([0.3, -0.2, 0.7, 1.5])
ARGS = {"clamp_min_": (0.1,)}


def _run(T, name, method):
    a = T.tensor(X0, requires_grad=True)
    y = a * 1
    args = ARGS.get(name, ())
    r = getattr(y, name)(*args) if method else getattr(T, name)(y, *args)
    same = r is y
    y.sum().backward()
    return same, y.tolist(), type(y.grad_fn).__name__, a.grad.tolist()


@pytest.mark.parametrize("method", [False, True], ids=["function", "method"])
@pytest.mark.parametrize("name", sorted(INPLACE))
def test_inplace_like_torch(name, method):
    mine, theirs = _run(course_lib, name, method), _run(torch, name, method)
    assert mine[0] and theirs[0]
    np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-12)
    assert mine[2] == theirs[2]
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
