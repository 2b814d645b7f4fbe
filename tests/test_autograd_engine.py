"""The backward engine: deep graphs, freeing, errors, accumulation, hooks, grad modes, Function.

反向传播引擎的行为测试（与 torch 对照）。
"""
import gc
import warnings
import weakref

import numpy as np
import pytest

import course_lib as cl


def test_100k_chain_backpropagates():
    x = cl.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert x.grad.item() == 1.0


def test_saved_arrays_freed_after_backward_unless_retained():
    x = cl.randn(50, requires_grad=True)
    y = (x * 2).sin()  # SinBackward0 saves x * 2, referenced by nothing else
    ref = weakref.ref(y.grad_fn.saved[0])
    s = y.sum()
    s.backward(retain_graph=True)
    gc.collect()
    assert ref() is not None  # retained
    s.backward()
    gc.collect()
    assert ref() is None  # freed
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        s.backward()


def test_grads_accumulate_and_zero():
    x = cl.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    assert x.grad.tolist() == [6.0, 6.0]
    x.grad.zero_()
    assert x.grad.tolist() == [0.0, 0.0]


def test_grad_is_not_aliased_between_leaves():
    a = cl.ones(3, requires_grad=True)
    b = cl.ones(3, requires_grad=True)
    (a + b).sum().backward()
    a.grad.zero_()
    assert b.grad.tolist() == [1.0, 1.0, 1.0]


def test_broadcast_grad_summed_to_input_shape():
    a = cl.ones(2, 1, 3, requires_grad=True)
    b = cl.ones(4, 1, requires_grad=True)
    (a * b).sum().backward()
    assert a.grad.shape == (2, 1, 3) and np.all(a.grad.numpy() == 4)
    assert b.grad.shape == (4, 1) and np.all(b.grad.numpy() == 6)


def test_implicit_grad_only_for_scalars_and_other_errors():
    x = cl.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        (x * 2).backward()
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        cl.ones(2).sum().backward()
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        (x * 2).backward(cl.ones(2))
    (x * 2).backward(cl.ones(3))
    assert x.grad.tolist() == [2.0, 2.0, 2.0]


def test_next_functions_end_in_accumulate_grad():
    x = cl.ones(2, requires_grad=True)
    y = (x * 2 + 1).sum()
    fn = y.grad_fn
    names = []
    while fn is not None:
        names.append(type(fn).__name__)
        fn = fn.next_functions[0][0] if fn.next_functions else None
    assert names == ["SumBackward0", "AddBackward0", "MulBackward0", "AccumulateGrad"]
    assert y.grad_fn.next_functions[0][0].next_functions[1] == (None, 0)
    acc = (x * 2).grad_fn.next_functions[0][0]
    assert acc.variable is x and acc is (x + 1).grad_fn.next_functions[0][0]


def test_nonleaf_grad_warning_and_retain_grad():
    x = cl.ones(2, requires_grad=True)
    y = x * 2
    with pytest.warns(UserWarning, match="is not a leaf Tensor"):
        assert y.grad is None
    z = x * 3
    z.retain_grad()
    (z * z).sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert z.grad.tolist() == [6.0, 6.0]
    assert z.retains_grad and not y.retains_grad


def test_hooks():
    x = cl.ones(3, requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(g.tolist()))
    y = x * 2
    h = y.register_hook(lambda g: g * 10)
    y.sum().backward()
    assert seen == [[20.0, 20.0, 20.0]] and x.grad.tolist() == [20.0] * 3
    h.remove()
    x.grad = None
    y = x * 2
    y.sum().backward()
    assert x.grad.tolist() == [2.0] * 3
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        cl.ones(1).register_hook(lambda g: g)


def test_autograd_grad_does_not_touch_dot_grad():
    x = cl.tensor([1.0, 2.0], requires_grad=True)
    y = cl.tensor([3.0], requires_grad=True)
    out = (x * x).sum() * y
    gx, gy = cl.autograd.grad(out, (x, y))
    assert gx.tolist() == [6.0, 12.0] and gy.tolist() == [5.0]
    assert x.grad is None and y.grad is None
    z = cl.ones(1, requires_grad=True)
    with pytest.raises(RuntimeError, match="appears to not have been used"):
        cl.autograd.grad((x * 2).sum(), (x, z))
    assert cl.autograd.grad((x * 2).sum(), (x, z), allow_unused=True)[1] is None
    mid = x * 3
    (gm,) = cl.autograd.grad((mid * mid).sum(), mid)
    assert gm.tolist() == [6.0, 12.0]
    (g,) = cl.autograd.grad((x * x).sum(), x, create_graph=True)  # a gradient with a graph
    assert g.grad_fn is not None and cl.autograd.grad(g.sum(), x)[0].tolist() == [2.0, 2.0]


def test_grad_modes():
    x = cl.ones(2, requires_grad=True)
    with cl.no_grad():
        y = x * 2
        with cl.enable_grad():
            z = x * 2
    assert not y.requires_grad and y.grad_fn is None and z.requires_grad

    @cl.no_grad()
    def f(t):
        return t * 2

    @cl.no_grad
    def g(t):
        return t * 2

    assert not f(x).requires_grad and not g(x).requires_grad and cl.is_grad_enabled()
    with cl.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert cl.is_grad_enabled()
    cl.set_grad_enabled(False)
    assert not cl.is_grad_enabled()
    cl.set_grad_enabled(True)
    assert (x * 2).requires_grad


def test_inplace_rules_and_version_counter():
    leaf = cl.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an "
                                           "in-place operation."):
        leaf.add_(1)
    with cl.no_grad():
        leaf.add_(1)  # allowed, as an optimiser does
    assert leaf.tolist() == [2.0] * 3 and leaf._version == 1
    x = cl.ones(3, requires_grad=True)
    y = x.exp()
    y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
    a = x * 1
    b = a.sin()
    a.add_(1)
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0"):
        b.sum().backward()
    c = x * 2
    c.add_(1)  # in-place on a non-leaf: new grad_fn, gradient still right
    assert type(c.grad_fn).__name__ == "AddBackward0"
    c.sum().backward()
    assert x.grad.tolist() == [2.0] * 3


def test_detach_and_requires_grad_():
    x = cl.ones(3, requires_grad=True)
    d = x.detach()
    assert not d.requires_grad and d.is_leaf
    d[0] = 5.0
    assert x[0].item() == 5.0  # shares memory
    y = x * 2
    y.detach_()
    assert y.grad_fn is None and not y.requires_grad
    with pytest.raises(RuntimeError, match="only Tensors of floating point"):
        cl.ones(2, dtype=cl.int64).requires_grad_()
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf variables"):
        (x * 2).requires_grad_(False)


def test_setitem_in_graph_is_copy_slices():
    x = cl.ones(3, requires_grad=True)
    v = cl.tensor(5.0, requires_grad=True)
    y = x * 2
    y[1] = v * 3
    assert type(y.grad_fn).__name__ == "CopySlices"
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 0.0, 2.0] and v.grad.item() == 3.0


class Cube(cl.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        ctx.save_for_backward(x)
        ctx.k = k
        return x ** 3 * k

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x ** 2 * ctx.k, None


def test_custom_function():
    x = cl.tensor([1.0, 2.0], requires_grad=True)
    y = Cube.apply(x, 2.0)
    assert type(y.grad_fn).__name__ == "CubeBackward" and y.grad_fn.needs_input_grad == (True,
                                                                                         False)
    y.sum().backward()
    assert x.grad.tolist() == [6.0, 24.0]
    with pytest.raises(RuntimeError, match="second time"):
        y.grad_fn.saved_tensors


def test_grad_dtype_follows_input_after_promotion():
    a = cl.ones(3, requires_grad=True)
    b = cl.tensor(2.0, dtype=cl.float64, requires_grad=True)
    y = a * b
    assert y.dtype == cl.float32
    y.sum().backward()
    assert a.grad.dtype == cl.float32 and b.grad.dtype == cl.float64 and b.grad.item() == 3.0


def test_leaf_grad_never_aliases_what_others_hold():
    x = cl.ones(3, requires_grad=True)
    g = cl.ones(3)
    x.backward(g)  # the root is the leaf itself: x.grad must not be g's memory
    x.grad.zero_()
    assert g.tolist() == [1.0, 1.0, 1.0]
    kept = []
    y = cl.ones(3, requires_grad=True)
    y.register_hook(lambda t: kept.append(t))
    (y * 2).sum().backward()
    y.grad.zero_()
    assert kept[0].tolist() == [2.0, 2.0, 2.0]
    z = cl.ones(2, requires_grad=True)
    (z * 1).sum().backward()
    before = z.grad
    (z * 1).sum().backward()
    assert z.grad is before and before.tolist() == [2.0, 2.0]  # accumulated in place, like torch


class _Split2(cl.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        return g1 * 2 + g2 * 3


class _Square(cl.autograd.Function):
    @staticmethod
    def forward(x):
        return x ** 2

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x * g


class _TwoGrads(cl.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1

    @staticmethod
    def backward(ctx, g):
        return g, g


def test_function_multi_output_setup_context_and_errors():
    x = cl.ones(3, requires_grad=True)
    a, b = _Split2.apply(x)
    assert a.grad_fn is b.grad_fn and (a._output_nr, b._output_nr) == (0, 1)
    assert repr(a.grad_fn).startswith("<course_lib.autograd.function._Split2Backward object")
    a.sum().backward()  # the unused output's gradient is materialised as zeros
    assert x.grad.tolist() == [2.0] * 3
    y = cl.tensor([3.0], requires_grad=True)
    _Square.apply(y).backward()
    assert y.grad.tolist() == [6.0]
    with pytest.raises(RuntimeError, match="returned an incorrect number of gradients"):
        _TwoGrads.apply(y).backward()
