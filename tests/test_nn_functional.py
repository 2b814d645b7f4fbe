"""Layers and nn.functional against torch: values, gradients, grad_fn names, stability."""
import warnings

import numpy as np
import pytest

import course_lib as cl
import course_lib.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional
rng = np.random.default_rng(0)


def pair(a, requires_grad=True):
    """The same float64 data as a course_lib and a torch leaf."""
    return (cl.tensor(a, requires_grad=requires_grad), torch.tensor(a, requires_grad=requires_grad))


def close(ours, theirs, rtol=1e-10, atol=1e-12):
    np.testing.assert_allclose(np.asarray(ours.detach().numpy()), theirs.detach().numpy(),
                               rtol=rtol, atol=atol)


def check(fn_ours, fn_theirs, *arrays, nondiff=(), extra=(), grad=True):
    """Forward values + gradients of every float input, with a random upstream gradient."""
    ours = [pair(a) if i not in nondiff else (cl.tensor(a), torch.tensor(a))
            for i, a in enumerate(arrays)]
    o = fn_ours(*[p[0] for p in ours], *extra)
    t = fn_theirs(*[p[1] for p in ours], *extra)
    close(o, t)
    assert tuple(o.shape) == tuple(t.shape) and str(o.dtype)[11:] == str(t.dtype)[6:]
    if grad:
        g = rng.standard_normal(tuple(t.shape))
        o.backward(cl.tensor(g))
        t.backward(torch.tensor(g))
        for i, (a, b) in enumerate(ours):
            if i not in nondiff:
                close(a.grad, b.grad)
    return o, t


@pytest.mark.parametrize("shape,bias", [((4, 3), True), ((4, 3), False), ((2, 5, 3), True),
                                        ((3,), True)])
def test_linear(shape, bias):
    x, w, b = rng.standard_normal(shape), rng.standard_normal((2, 3)), rng.standard_normal(2)
    args = (x, w, b) if bias else (x, w)
    o, t = check(F.linear, TF.linear, *args)
    assert type(o.grad_fn).__name__ == type(t.grad_fn).__name__


def test_linear_module_matches_torch_and_init_bounds():
    cl.manual_seed(0)
    lin = cl.nn.Linear(50, 30)
    w = lin.weight.detach().numpy()
    assert w.dtype == np.float32 and np.abs(w).max() <= 1 / np.sqrt(50) and np.abs(w).max() > 0.12
    assert np.abs(lin.bias.detach().numpy()).max() <= 1 / np.sqrt(50)
    assert abs(w.std() - (1 / np.sqrt(50)) / np.sqrt(3)) < 0.01  # U(-b, b) has std b/√3
    cl.manual_seed(0)
    assert np.array_equal(cl.nn.Linear(50, 30).weight.detach().numpy(), w)  # seeded


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_family(dim):
    x = rng.standard_normal((3, 4, 5))
    check(lambda a: F.softmax(a, dim), lambda a: TF.softmax(a, dim), x)
    check(lambda a: F.log_softmax(a, dim), lambda a: TF.log_softmax(a, dim), x)
    # one LogSoftmaxBackward0 node over lesson 05's row, as torch
    o, t = check(lambda a: cl.nn.LogSoftmax(dim)(a), lambda a: TF.log_softmax(a, dim), x)
    assert type(o.grad_fn).__name__ == type(t.grad_fn).__name__ == "LogSoftmaxBackward0"
    o, t = check(lambda a: cl.nn.Softmax(dim)(a), lambda a: TF.softmax(a, dim), x)
    assert type(o.grad_fn).__name__ == "SoftmaxBackward0"


def test_no_overflow_at_extreme_logits():
    x = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]], dtype=np.float32)
    t = np.array([1, 2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fn, tfn in [(lambda a: F.log_softmax(a, 1), lambda a: TF.log_softmax(a, 1)),
                        (lambda a: F.softmax(a, 1), lambda a: TF.softmax(a, 1)),
                        (cl.nn.LogSoftmax(1), torch.nn.LogSoftmax(1))]:
            o = fn(cl.tensor(x))
            assert np.all(np.isfinite(o.numpy()))
            np.testing.assert_allclose(o.numpy(), tfn(torch.tensor(x)).numpy(), rtol=1e-6)
        xs = cl.tensor(x, requires_grad=True)
        loss = F.cross_entropy(xs, cl.tensor(t))
        loss.backward()
        ref = TF.cross_entropy(torch.tensor(x), torch.tensor(t))
        assert abs(float(loss.detach()) - float(ref)) < 1e-3 and np.all(np.isfinite(xs.grad.numpy()))
        z = cl.tensor(x, requires_grad=True)
        F.binary_cross_entropy_with_logits(z, cl.tensor(np.ones_like(x))).backward()
        assert np.all(np.isfinite(z.grad.numpy()))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_and_nll(reduction):
    x = rng.standard_normal((6, 5))
    t = np.array([0, 4, 1, -100, 2, 2])
    w = rng.random(5) + 0.5
    for kw in [dict(), dict(weight=True), dict(label_smoothing=0.1), dict(ignore_index=2)]:
        ours_kw = {k: (cl.tensor(w) if k == "weight" else v) for k, v in kw.items()}
        theirs_kw = {k: (torch.tensor(w) if k == "weight" else v) for k, v in kw.items()}
        tt = np.where(t == -100, 0, t) if "ignore_index" in kw else t
        o, th = check(lambda a, b: F.cross_entropy(a, b, reduction=reduction, **ours_kw),
                      lambda a, b: TF.cross_entropy(a, b, reduction=reduction, **theirs_kw),
                      x, tt, nondiff=(1,))
        if not kw:  # torch's two nodes over lesson 05's rows
            assert type(o.grad_fn).__name__ == type(th.grad_fn).__name__ == "NllLossBackward0"
            assert type(o.grad_fn.next_functions[0][0]).__name__ == "LogSoftmaxBackward0"
            m = cl.nn.CrossEntropyLoss(reduction=reduction)
            close(m(cl.tensor(x), cl.tensor(tt)), th)
    lp = TF.log_softmax(torch.tensor(x), 1).numpy()
    check(lambda a, b: F.nll_loss(a, b, reduction=reduction),
          lambda a, b: TF.nll_loss(a, b, reduction=reduction), lp, t, nondiff=(1,))
    check(lambda a, b: cl.nn.NLLLoss(weight=cl.tensor(w), reduction=reduction)(a, b),
          lambda a, b: torch.nn.NLLLoss(weight=torch.tensor(w), reduction=reduction)(a, b),
          lp, t, nondiff=(1,))


def test_cross_entropy_probabilities_spatial_and_errors():
    x, p = rng.standard_normal((4, 3)), rng.dirichlet(np.ones(3), 4)
    check(F.cross_entropy, TF.cross_entropy, x, p, nondiff=(1,))
    x4, t4 = rng.standard_normal((2, 3, 4, 4)), rng.integers(0, 3, (2, 4, 4))
    check(F.cross_entropy, TF.cross_entropy, x4, t4, nondiff=(1,))
    check(F.cross_entropy, TF.cross_entropy, rng.standard_normal(3), np.array(1), nondiff=(1,))
    with pytest.raises(IndexError, match="Target 7 is out of bounds"):
        F.cross_entropy(cl.tensor(x), cl.tensor([0, 1, 7, 0]))
    with pytest.raises(ValueError, match="Expected input batch_size"):
        F.cross_entropy(cl.tensor(x), cl.tensor([0, 1]))
    with pytest.raises(ValueError, match="is not a valid value for reduction"):
        F.cross_entropy(cl.tensor(x), cl.tensor([0, 1, 2, 0]), reduction="avg")


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_regression_and_binary_losses(reduction):
    a, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    check(lambda x, y: F.mse_loss(x, y, reduction=reduction),
          lambda x, y: TF.mse_loss(x, y, reduction=reduction), a, b)
    o, t = check(lambda x, y: cl.nn.MSELoss(reduction=reduction)(x, y),
                 lambda x, y: torch.nn.MSELoss(reduction=reduction)(x, y), a, b)
    # MSELoss runs lesson 05's row in one MseLossBackward0 node, as torch
    assert type(o.grad_fn).__name__ == type(t.grad_fn).__name__ == "MseLossBackward0"
    check(lambda x, y: F.l1_loss(x, y, reduction=reduction),
          lambda x, y: TF.l1_loss(x, y, reduction=reduction), a, b)
    p, y = rng.uniform(0.05, 0.95, (4, 3)), rng.random((4, 3))
    w = rng.random((4, 3))
    check(lambda x, t: F.binary_cross_entropy(x, t, reduction=reduction),
          lambda x, t: TF.binary_cross_entropy(x, t, reduction=reduction), p, y, nondiff=(1,))
    check(lambda x, t: cl.nn.BCELoss(weight=cl.tensor(w), reduction=reduction)(x, t),
          lambda x, t: torch.nn.BCELoss(weight=torch.tensor(w), reduction=reduction)(x, t),
          p, y, nondiff=(1,))
    pw = rng.random(3) + 0.5
    check(lambda x, t: cl.nn.BCEWithLogitsLoss(pos_weight=cl.tensor(pw), reduction=reduction)(x, t),
          lambda x, t: torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(pw),
                                                  reduction=reduction)(x, t), a, y, nondiff=(1,))
    check(lambda x, t: F.binary_cross_entropy_with_logits(x, t, reduction=reduction),
          lambda x, t: TF.binary_cross_entropy_with_logits(x, t, reduction=reduction),
          a * 30, y, nondiff=(1,))


def test_bce_clamps_log_like_torch():
    p, y = np.array([0.0, 1.0, 0.5]), np.array([1.0, 0.0, 1.0])
    check(F.binary_cross_entropy, TF.binary_cross_entropy, p, y, nondiff=(1,), grad=False)
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(cl.tensor([1.5]), cl.tensor([1.0]))


@pytest.mark.parametrize("kw", [dict(), dict(stride=2, padding=1), dict(padding=2, dilation=2),
                                dict(stride=(2, 1), padding=(0, 1)), dict(padding="same")])
def test_conv2d(kw):
    x, w, b = rng.standard_normal((2, 3, 7, 8)), rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)
    o, t = check(lambda *a: F.conv2d(*a, **kw), lambda *a: TF.conv2d(*a, **kw), x, w, b)
    assert type(o.grad_fn).__name__ == "ConvolutionBackward0"
    check(lambda *a: F.conv2d(*a, **kw), lambda *a: TF.conv2d(*a, **kw), x[0], w)  # unbatched


def test_conv2d_module_matches_torch():
    tm = torch.nn.Conv2d(2, 3, (3, 2), stride=(1, 2), padding=1, bias=True).double()
    m = cl.nn.Conv2d(2, 3, (3, 2), stride=(1, 2), padding=1).double()
    m.load_state_dict({k: cl.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})
    x = rng.standard_normal((2, 2, 6, 5))
    check(m, tm, x)
    assert repr(m) == repr(tm)


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1),
                                dict(kernel_size=3, stride=2, ceil_mode=True),
                                dict(kernel_size=2, stride=1, dilation=2)])
def test_max_pool2d(kw):
    x = rng.standard_normal((2, 3, 7, 9))
    o, t = check(lambda a: F.max_pool2d(a, **kw), lambda a: TF.max_pool2d(a, **kw), x)
    assert type(o.grad_fn).__name__ == "MaxPool2DWithIndicesBackward0"
    check(lambda a: cl.nn.MaxPool2d(**kw)(a), lambda a: torch.nn.MaxPool2d(**kw)(a), x[0])
    assert repr(cl.nn.MaxPool2d(**kw)) == repr(torch.nn.MaxPool2d(**kw))


def test_activations_flatten_identity():
    x = rng.standard_normal((2, 3, 4))
    for ours, theirs in [(cl.nn.ReLU(), torch.nn.ReLU()), (cl.nn.Sigmoid(), torch.nn.Sigmoid()),
                         (cl.nn.Tanh(), torch.nn.Tanh()), (cl.nn.Flatten(), torch.nn.Flatten()),
                         (cl.nn.Flatten(0, 1), torch.nn.Flatten(0, 1)),
                         (cl.nn.LeakyReLU(0.2), torch.nn.LeakyReLU(0.2)),
                         (cl.nn.Identity(), torch.nn.Identity())]:
        check(ours, theirs, x)
        assert repr(ours) == repr(theirs)
    check(F.relu, TF.relu, x)


def test_dropout_train_eval_and_scaling():
    cl.manual_seed(0)
    d = cl.nn.Dropout(0.25)
    x = cl.ones(2000, requires_grad=True)
    y = d(x)
    vals = np.unique(y.detach().numpy())
    np.testing.assert_allclose(vals, [0.0, 1 / 0.75], rtol=1e-6)
    assert 0.2 < float((y == 0).float().mean()) < 0.3
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())
    d.eval()
    assert d(x) is x
    assert F.dropout(x, 0.5, training=False) is x
    assert np.all(F.dropout(x, 1.0).detach().numpy() == 0)
    with pytest.raises(ValueError, match="dropout probability"):
        cl.nn.Dropout(1.5)


def test_one_hot():
    t = cl.tensor([0, 2, 1])
    assert F.one_hot(t).tolist() == TF.one_hot(torch.tensor([0, 2, 1])).tolist()
    assert F.one_hot(t, 4).dtype == cl.int64 and tuple(F.one_hot(t, 4).shape) == (3, 4)
    with pytest.raises(RuntimeError, match="smaller than num_classes"):
        F.one_hot(t, 2)
    with pytest.raises(RuntimeError, match="LongTensor"):
        F.one_hot(cl.tensor([0.0]))


def test_finite_difference_fused_ops():
    """Fused backward of cross-entropy, conv2d, max_pool2d by central differences (float64)."""
    gradcheck = cl.autograd.gradcheck
    gradcheck = getattr(gradcheck, "gradcheck", gradcheck)
    x = cl.tensor(rng.standard_normal((3, 4)), requires_grad=True)
    t = cl.tensor([1, 0, 3])
    assert gradcheck(lambda a: F.cross_entropy(a, t, label_smoothing=0.1), (x,))
    img = cl.tensor(rng.standard_normal((1, 2, 5, 5)), requires_grad=True)
    ker = cl.tensor(rng.standard_normal((2, 2, 3, 3)), requires_grad=True)
    assert gradcheck(lambda a, k: F.conv2d(a, k, stride=2, padding=1), (img, ker))
    assert gradcheck(lambda a: F.max_pool2d(a, 2), (img,))
    assert gradcheck(lambda a: F.log_softmax(a, 1), (x,))


def test_init_functions():
    w = cl.empty(300, 200)
    cl.nn.init.xavier_uniform_(w)
    a = np.sqrt(6 / 500)
    assert np.abs(w.numpy()).max() <= a and np.abs(w.numpy()).max() > 0.9 * a
    cl.nn.init.kaiming_uniform_(w, nonlinearity="relu")
    b = np.sqrt(6 / 200)
    assert np.abs(w.numpy()).max() <= b and np.abs(w.numpy()).max() > 0.9 * b
    cl.nn.init.normal_(w, 2.0, 0.5)
    assert abs(w.numpy().mean() - 2) < 0.02 and abs(w.numpy().std() - 0.5) < 0.02
    cl.nn.init.constant_(w, 3.0)
    assert np.all(w.numpy() == 3)
    cl.nn.init.zeros_(w)
    assert np.all(w.numpy() == 0)
    cl.nn.init.ones_(w)
    assert np.all(w.numpy() == 1)
    cl.nn.init.uniform_(w, -1, 1)
    assert -1 <= w.numpy().min() and w.numpy().max() < 1
    for nl, p in [("relu", None), ("tanh", None), ("leaky_relu", 0.2), ("sigmoid", None), ("selu", None)]:
        assert cl.nn.init.calculate_gain(nl, p) == torch.nn.init.calculate_gain(nl, p)
    p = cl.nn.Parameter(cl.zeros(3, 3))
    cl.nn.init.uniform_(p)
    assert p.grad_fn is None and p.requires_grad


def test_linear_graph_structure_like_torch():
    """loss.grad_fn.next_functions walks the same node types as torch (the blitz prints them)."""
    def walk(lib):
        lin = lib.nn.Linear(3, 2)
        lin2 = lib.nn.Linear(3, 2, bias=False)
        x = lib.ones(4, 3, requires_grad=True)
        y = lib.nn.MSELoss()(lin(x.relu()) + lin2(x), lib.zeros(4, 2))
        names, stack = [], [y.grad_fn]
        while stack:
            n = stack.pop(0)
            names.append(type(n).__name__)
            stack.extend(f for f, _ in n.next_functions if f is not None)
        return names
    assert walk(cl) == walk(torch)


def test_pool_then_inplace_relu_and_ties_like_torch():
    """ReLU(inplace=True) after MaxPool2d (as in VGG/AlexNet) keeps the pool's gradient right;
    tied maxima (zeros after a ReLU) send the gradient to the first one, like torch."""
    x = np.maximum(rng.standard_normal((2, 3, 6, 6)), 0)

    def f(lib, a):
        nn = lib.nn
        return nn.Sequential(nn.MaxPool2d(2), nn.ReLU(inplace=True))(a * 1.0) * 2

    check(lambda a: f(cl, a), lambda a: f(torch, a), x)


@pytest.mark.parametrize("xs,ws,bs", [((2, 4), (3, 4), (2, 3)), ((2, 4), (3, 4), (1, 3)),
                                      ((2, 4), (3, 4), ()), ((5, 2, 4), (3, 4), (2, 3)),
                                      ((5, 2, 4), (3, 4), (5, 2, 3)), ((4,), (3, 4), (1, 3)),
                                      ((2, 4), (4,), None), ((4,), (4,), None)])
def test_linear_broadcast_bias_and_vector_weight(xs, ws, bs):
    """The shapes torch's linear accepts off the addmm path: same values and gradients."""
    args = [rng.standard_normal(xs), rng.standard_normal(ws)]
    if bs is not None:
        args.append(rng.standard_normal(bs))
    check(F.linear, TF.linear, *args)


@pytest.mark.parametrize("target", [[2], 1])
def test_unbatched_class_target_of_size_one(target):
    """1-D logits with a 0-d target or a 1-D target of one class (torch accepts both; its
    backward of the second raises "size mismatch" — course_lib gives the 0-d case's gradient)."""
    x = rng.standard_normal(5)
    t = np.array(target)
    for ours, theirs in ((F.cross_entropy, TF.cross_entropy), (F.nll_loss, TF.nll_loss)):
        for red in ("mean", "sum", "none"):
            check(lambda a, b: ours(a, b, reduction=red), lambda a, b: theirs(a, b, reduction=red),
                  x, t, nondiff=(1,), grad=t.ndim == 0)
    a, a0 = cl.tensor(x, requires_grad=True), cl.tensor(x, requires_grad=True)
    F.cross_entropy(a, cl.tensor(t)).backward()
    F.cross_entropy(a0, cl.tensor(t.reshape(()))).backward()
    assert a.grad.tolist() == a0.grad.tolist()


def test_softmax_of_an_empty_dim():
    for f, tf in ((F.softmax, TF.softmax), (F.log_softmax, TF.log_softmax)):
        check(lambda a: f(a, 1), lambda a: tf(a, 1), np.ones((2, 0)))
