"""Tensor hooks under ``autograd.grad`` / ``backward(inputs=...)``, and attributes set on a
tensor (``t.name = ...``): every case runs on course_lib and on torch and must come out the
same (values, which hooks ran and in what order, errors with their messages)."""
from __future__ import annotations

import copy
import io
import pickle

import pytest

import course_lib as cl

torch = pytest.importorskip("torch")


def _plain(x):
    """A comparable form of a result: tensors as values rounded to float32's precision
    (+ requires_grad, has a grad_fn); library names in strings as torch's."""
    if isinstance(x, (cl.Tensor, torch.Tensor)):
        values = [round(v, 4) for v in x.detach().cpu().double().reshape(-1).tolist()]
        return ("T", list(x.shape), values, x.requires_grad, x.grad_fn is not None)
    if isinstance(x, str):
        return x.replace("course_lib", "torch")
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    return x


def _outcome(lib, case):
    try:
        return _plain(case(lib))
    except Exception as e:  # the same error, type and message (library names aside)
        return ("raises", type(e).__name__, _plain(str(e)))


def _same(case):
    ours, theirs = _outcome(cl, case), _outcome(torch, case)
    assert ours == theirs
    return ours


def _leaf(lib, n=3):
    return lib.ones(n, requires_grad=True)


def _counter(calls, tag, factor=None):
    def hook(g):
        calls.append((tag, g.detach().cpu().numpy().tolist()))
        return None if factor is None else g * factor
    return hook


# -- hooks -----------------------------------------------------------------------------------

def leaf_input(lib):  # torch: [20, 20, 20]; the hook's result is the returned gradient
    x, calls = _leaf(lib), []
    x.register_hook(_counter(calls, "x", 10))
    return lib.autograd.grad((x * 2).sum(), x), calls, x.grad


def leaf_hook_returns_none(lib):
    x, calls = _leaf(lib), []
    x.register_hook(_counter(calls, "x"))
    return lib.autograd.grad((x * 2).sum(), x), calls


def several_hooks_in_order(lib):
    x = _leaf(lib)
    x.register_hook(lambda g: g + 1)
    x.register_hook(lambda g: g * 10)
    return lib.autograd.grad((x * 2).sum(), x)


def leaf_reached_twice(lib):  # one call, with the summed gradient
    x, calls = _leaf(lib), []
    x.register_hook(_counter(calls, "x", 10))
    return lib.autograd.grad((x * 2 + x * 3).sum(), x), calls


def grad_attribute_untouched(lib):
    x, w = _leaf(lib), _leaf(lib)
    x.grad = lib.full((3,), 7.0)
    x.register_hook(lambda g: g * 10)
    w.register_hook(lambda g: g * 10)
    return lib.autograd.grad((x * w * 2).sum(), [x, w]), x.grad, w.grad


def input_given_twice(lib):
    x, calls = _leaf(lib), []
    x.register_hook(_counter(calls, "x", 10))
    y = x * 2
    y.register_hook(lambda g: g * 3)
    return lib.autograd.grad((y * 2).sum(), [x, x, y, y]), calls


def nonleaf_input(lib):  # the node of y does not run: its hooks run, then y's gradient is taken
    x = _leaf(lib)
    y = x * 2
    y.register_hook(lambda g: g * 10)
    return lib.autograd.grad((y * 3).sum(), y), x.grad


def nonleaf_and_leaf_behind_it(lib):  # y's node runs (x needs it): y's gradient before its hooks
    x = _leaf(lib)
    x.register_hook(lambda g: g * 7)
    y = x * 2
    y.register_hook(lambda g: g * 10)
    return lib.autograd.grad((y * 3).sum(), [y, x])


def retain_grad_under_grad(lib):
    out = []
    for inputs in ("y", "yx", "x"):
        x = _leaf(lib)
        y = x * 2
        y.retain_grad()
        y.register_hook(lambda g: g * 10)
        ins = {"y": [y], "yx": [y, x], "x": [x]}[inputs]
        out.append((lib.autograd.grad((y * 3).sum(), ins), y.grad))
    return out


def hooks_off_the_path_do_not_run(lib):
    calls = []
    x, w = _leaf(lib), _leaf(lib)
    x.register_hook(_counter(calls, "leaf x"))
    y = x * 2
    y.register_hook(_counter(calls, "y"))
    y.grad_fn.register_hook(lambda gi, go: calls.append("post y"))
    g1 = lib.autograd.grad((y * w).sum(), w)            # x's side is not needed
    v = _leaf(lib)
    v.register_hook(_counter(calls, "leaf v"))
    u = v * 2
    g2 = lib.autograd.grad((u * 3).sum(), u)            # v lies behind the input u
    return g1, g2, calls


def multi_output_node(lib):
    out = []
    for which in ("a", "ax", "ab"):
        x = _leaf(lib, 4)
        a, b = x.split(2)
        a.register_hook(lambda g: g * 10)
        b.register_hook(lambda g: g * 100)
        ins = {"a": [a], "ax": [a, x], "ab": [a, b]}[which]
        out.append(lib.autograd.grad((a * 1 + b * 2).sum(), ins))
    return out


def output_without_gradient(lib):
    out = []
    for kw in ({}, {"allow_unused": True}, {"materialize_grads": True}):
        x = _leaf(lib, 4)
        a, b = x.split(2)
        try:
            out.append(lib.autograd.grad((b * 2).sum(), [a, x], **kw))
        except RuntimeError as e:
            out.append(str(e))
    return out


def hook_order(lib):
    order = []
    for mode in ("backward", "grad", "inputs"):
        x = _leaf(lib)
        y = x * 2
        z = y * 3
        y.grad_fn.next_functions[0][0].register_prehook(lambda gs, m=mode: order.append(m + " pre x"))
        x.register_hook(lambda g, m=mode: order.append(m + " tensor x"))
        z.grad_fn.register_prehook(lambda gs, m=mode: order.append(m + " pre z"))
        z.register_hook(lambda g, m=mode: order.append(m + " tensor z"))
        if mode == "backward":
            z.sum().backward()
        elif mode == "grad":
            lib.autograd.grad(z.sum(), [z, x])
        else:
            z.sum().backward(inputs=[x])
    return order


def backward_inputs(lib):
    x, w = _leaf(lib), _leaf(lib)
    x.register_hook(lambda g: g * 10)
    (x * w * 2).sum().backward(inputs=[x])
    a = _leaf(lib)
    y = a * 2
    y.register_hook(lambda g: g * 10)
    z = (y * 3).sum()
    z.backward(inputs=[y], retain_graph=True)
    first = y.grad.clone()
    z.backward(inputs=[y, a])  # accumulates, y's retain_grad now kept
    return x.grad, w.grad, first, y.grad, a.grad, y.retains_grad


def backward_inputs_errors(lib):
    x = _leaf(lib)
    out = []
    for ins in ([], [lib.ones(3)]):
        try:
            (x * 2).sum().backward(inputs=ins)
        except RuntimeError as e:
            out.append(str(e))
    return out


def create_graph_through_hooks(lib):
    x = _leaf(lib)
    seen = []
    x.register_hook(lambda g: seen.append(g.requires_grad))
    x.register_hook(lambda g: g * x * 10)   # recorded: the hook runs with grad mode on
    (g,) = lib.autograd.grad((x * x).sum(), x, create_graph=True)
    (gg,) = lib.autograd.grad(g.sum(), x)
    v = _leaf(lib)
    y = v * v
    y.register_hook(lambda g: g * y)
    (gy,) = lib.autograd.grad((y * 3).sum(), y, create_graph=True)
    (gv,) = lib.autograd.grad(gy.sum(), v)
    w = _leaf(lib)
    w.register_hook(lambda g: g * 10)
    (w * w).sum().backward(inputs=[w], create_graph=True)
    return g, gg, gy, gv, seen, w.grad.detach()


def hook_results_checked(lib):
    def retype(g):
        return g.double()

    out = []
    for hook in (lambda g: lib.ones(2), retype, lambda g: 5):
        for nonleaf in (False, True):
            x = _leaf(lib)
            t = x * 2 if nonleaf else x
            t.register_hook(hook)
            try:
                lib.autograd.grad((t * 2).sum(), t)
            except (RuntimeError, TypeError) as e:
                out.append((type(e).__name__, str(e)))
    return out


def repeated_and_removed(lib):
    x, calls = _leaf(lib), []
    h = x.register_hook(_counter(calls, "x", 10))
    z = (x * 2).sum()
    r = [lib.autograd.grad(z, x, retain_graph=True), lib.autograd.grad(z, x, retain_graph=True)]
    h.remove()
    r.append(lib.autograd.grad(z, x))
    return r, len(calls)


def root_is_input(lib):
    x = _leaf(lib)
    x.register_hook(lambda g: g * 10)
    y = x * 2
    y.register_hook(lambda g: g * 10)
    seed = lib.ones(3)
    return (lib.autograd.grad(x, x, seed), lib.autograd.grad(y, y, seed, retain_graph=True),
            lib.autograd.grad(y, x, seed))


def graph_off_the_path_kept(lib):  # nodes that did not run keep their saved values
    x = _leaf(lib)
    h = x.exp()
    z1, z2 = (h * 2).sum(), (h * 3).sum()
    g1 = lib.autograd.grad(z1, h)
    z2.backward()
    a, b = _leaf(lib), _leaf(lib)
    la, lb = a.exp().sum(), b.exp().sum()
    ga = lib.autograd.grad(la + lb, a)
    lb.backward()
    return g1, x.grad, ga, b.grad


def post_accumulate_hooks(lib):
    """register_post_accumulate_grad_hook: after .grad is final (after the tensor hooks), not for
    autograd.grad, removable; its errors (non-leaf, no grad, a hook that returns something)."""
    x, calls = _leaf(lib), []
    h = x.register_post_accumulate_grad_hook(lambda t: calls.append(("post", t is x, t.grad.tolist())))
    x.register_hook(_counter(calls, "pre"))
    (x * 2).sum().backward()
    (x * 3).sum().backward()  # accumulated: the hook sees 5
    lib.autograd.grad((x * 4).sum(), x)
    h.remove()
    (x * 1).sum().backward()
    errors = []
    for bad in (lambda: (x * 2).register_post_accumulate_grad_hook(print),
                lambda: lib.ones(2).register_post_accumulate_grad_hook(print)):
        try:
            bad()
        except RuntimeError as e:
            errors.append(str(e))
    z = _leaf(lib, 2)
    z.register_post_accumulate_grad_hook(lambda t: t * 2)
    try:
        (z * 1).sum().backward()
    except RuntimeError as e:
        errors.append(str(e))
    return calls, x.grad, errors


def optimizer_in_backward(lib):
    """The tutorial's pattern: each parameter's update runs in its post-accumulate hook."""
    w = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)

    def step(p):
        with lib.no_grad():
            p.add_(p.grad, alpha=-0.1)
        p.grad = None
    w.register_post_accumulate_grad_hook(step)
    for _ in range(3):
        (w * w).sum().backward()
    return w, w.grad


HOOK_CASES = [post_accumulate_hooks, optimizer_in_backward, leaf_input, leaf_hook_returns_none, several_hooks_in_order, leaf_reached_twice,
              grad_attribute_untouched, input_given_twice, nonleaf_input,
              nonleaf_and_leaf_behind_it, retain_grad_under_grad, hooks_off_the_path_do_not_run,
              multi_output_node, output_without_gradient, hook_order, backward_inputs,
              backward_inputs_errors, create_graph_through_hooks, hook_results_checked,
              repeated_and_removed, root_is_input, graph_off_the_path_kept]


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
@pytest.mark.parametrize("case", HOOK_CASES, ids=lambda c: c.__name__)
def test_hooks_like_torch(case):
    _same(case)


def test_hook_on_leaf_changes_autograd_grad():
    """The brief's example, spelt out: torch gives [20, 20, 20] (course_lib gave [2, 2, 2])."""
    (_, _, values, _, _), = _same(leaf_input)[0]
    assert values == [20.0, 20.0, 20.0]


# -- attributes set on a tensor ---------------------------------------------------------------

def _roundtrip_save(lib, t, weights_only):
    buf = io.BytesIO()
    lib.save(t, buf)
    buf.seek(0)
    return lib.load(buf, weights_only=weights_only)


def attrs_set_and_typo(lib):
    t = lib.ones(2)
    t.my_name = "w"
    t.requiresgrad = True
    out = [t.my_name, t.requiresgrad, t.requires_grad, dict(t.__dict__), vars(lib.ones(1))]
    del t.my_name
    return out + [dict(t.__dict__), hasattr(t, "my_name")]


def attrs_through_copies(lib):
    t = lib.ones(2, requires_grad=True)
    t.tag, t.other = "w", lib.zeros(1)
    d = copy.deepcopy(t)
    shared = copy.deepcopy([t, t])
    return {"deepcopy": sorted(d.__dict__), "deep value copied": d.other is not t.other,
            "deep value": d.other, "deepcopy shared": shared[0] is shared[1],
            "copy": sorted(copy.copy(t).__dict__),
            "pickle": sorted(pickle.loads(pickle.dumps(t)).__dict__),
            "pickled value": pickle.loads(pickle.dumps(t)).other,
            "save": sorted(_roundtrip_save(lib, t, False).__dict__),
            "save weights_only": _roundtrip_save(lib, t, True).tag,
            "detach": vars(t.detach()), "clone": vars(t.clone()), "view": vars(t.view(2)),
            "index": vars(t[0]), "data": vars(t.data), "op": vars(t + 1),
            "to other dtype": vars(t.to(lib.float64)), "to same": t.to(lib.float32) is t}


def attrs_on_parameters(lib):
    p = lib.nn.Parameter(lib.ones(2))
    p.tag = 1
    m = lib.nn.Linear(2, 2)
    m.weight.tag = "x"
    return {"deepcopy": vars(copy.deepcopy(p)), "pickle": vars(pickle.loads(pickle.dumps(p))),
            "pickle type": type(pickle.loads(pickle.dumps(p))).__name__,
            "save": vars(_roundtrip_save(lib, p, True)),
            "state_dict save": vars(_roundtrip_save(lib, m.state_dict(), True)["weight"]),
            "module deepcopy": vars(copy.deepcopy(m).weight), "module weight": m.weight.tag}


@pytest.mark.parametrize("case", [attrs_set_and_typo, attrs_through_copies, attrs_on_parameters],
                         ids=lambda c: c.__name__)
def test_attributes_like_torch(case):
    _same(case)


def test_saved_attributes_round_trip_and_stay_safe(tmp_path):
    """course_lib.save keeps tensor attributes in its JSON (no pickle): a whole object as an
    attribute still needs weights_only=False, as torch."""
    t = cl.ones(2)
    t.meta = {"epoch": 3, "names": ["a", "b"], "w": cl.zeros(1)}
    t.me = t  # the tensor itself: the saved reference comes back as the loaded tensor
    cl.save(t, tmp_path / "t.pt")
    back = cl.load(tmp_path / "t.pt")
    assert back.meta["epoch"] == 3 and back.meta["names"] == ["a", "b"] and back.me is back
    assert back.meta["w"].tolist() == [0.0]
    t.obj = cl.nn.Linear(1, 1)
    cl.save(t, tmp_path / "o.pt")
    with pytest.raises(pickle.UnpicklingError, match="weights_only"):
        cl.load(tmp_path / "o.pt")
    assert isinstance(cl.load(tmp_path / "o.pt", weights_only=False).obj, cl.nn.Linear)
