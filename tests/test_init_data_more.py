"""nn.init.trunc_normal_ / eye_ / dirac_ / orthogonal_ / sparse_, utils.data.SubsetRandomSampler /
WeightedRandomSampler / StackDataset and Tensor.erfinv_ against torch 2.13: deterministic results
and errors equal; random ones by their statistics (other generator, same distribution)."""
import collections
import math
import warnings

import numpy as np
import pytest

import course_lib as cl

torch = pytest.importorskip("torch")


def test_trunc_normal_has_the_truncated_distribution():
    from scipy.stats import truncnorm
    for mean, std, a, b in [(0.0, 1.0, -2.0, 2.0), (1.0, 2.0, -1.0, 2.5), (0.0, 0.02, -0.04, 0.04)]:
        cl.manual_seed(0)
        t = cl.nn.init.trunc_normal_(cl.empty(200_000, dtype=cl.float64), mean, std, a, b)
        x = t.numpy()
        assert x.min() >= a and x.max() <= b
        d = truncnorm((a - mean) / std, (b - mean) / std, loc=mean, scale=std)
        assert abs(x.mean() - d.mean()) < 0.01 * std and abs(x.std() - d.std()) < 0.01 * std


def test_trunc_normal_warning_like_torch():
    got = []
    for T in (cl, torch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            T.nn.init.trunc_normal_(T.empty(3), 5.0, 1.0)
        got.append([str(x.message) for x in w])
    assert got[0] == got[1] and got[0]


@pytest.mark.parametrize("shape,groups", [((4, 2, 3, 3), 2), ((3, 3, 5), 1), ((6, 2, 2, 3, 3), 3),
                                          ((2, 4, 4), 1)])
def test_dirac_like_torch(shape, groups):
    a = cl.nn.init.dirac_(cl.empty(*shape), groups)
    b = torch.nn.init.dirac_(torch.empty(*shape), groups)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    x = cl.randn(1, shape[1], *([7] * (len(shape) - 2)))
    if len(shape) == 4 and groups == 1:
        y = cl.nn.functional.conv2d(x, a, padding=shape[2] // 2)
        np.testing.assert_allclose(y.numpy(), x.numpy())  # the identity convolution


def test_eye_like_torch():
    for shape in [(3, 5), (4, 2), (3, 3)]:
        a, b = cl.nn.init.eye_(cl.empty(*shape)), torch.nn.init.eye_(torch.empty(*shape))
        assert repr(a) == repr(b)


@pytest.mark.parametrize("shape", [(5, 8), (8, 5), (8, 3, 2), (4, 4)])
def test_orthogonal_rows_or_columns_are_orthonormal(shape):
    w = cl.nn.init.orthogonal_(cl.empty(*shape, dtype=cl.float64), gain=1.5)
    f = w.reshape(shape[0], -1).numpy()
    small = min(f.shape)
    gram = f @ f.T if f.shape[0] == small else f.T @ f
    np.testing.assert_allclose(gram, 2.25 * np.eye(small), atol=1e-12)


def test_sparse_zeros_a_fraction_of_each_column():
    cl.manual_seed(0)
    w = cl.nn.init.sparse_(cl.empty(10, 30), 0.25, std=0.5)
    assert (w == 0).sum(0).tolist() == [math.ceil(0.25 * 10)] * 30
    nz = w[w != 0].numpy()
    assert abs(nz.std() - 0.5) < 0.1


@pytest.mark.parametrize("expr", [
    "I.eye_(T.empty(2, 2, 2))", "I.dirac_(T.empty(3, 3))", "I.dirac_(T.empty(3, 2, 3), 2)",
    "I.orthogonal_(T.empty(3))", "I.sparse_(T.empty(3), 0.1)",
    "D.WeightedRandomSampler([1.0, 2.0], 0)", "D.WeightedRandomSampler([1.0, 2.0], 3, 1)",
    "D.WeightedRandomSampler([[1.0, 2.0]], 3)", "D.StackDataset()",
    "D.StackDataset(T.ones(2), T.ones(3))", "D.StackDataset(T.ones(2), b=T.ones(2))",
])
def test_errors_like_torch(expr):
    got = []
    for T in (cl, torch):
        with pytest.raises(Exception) as e:
            eval(expr, {"T": T, "I": T.nn.init, "D": T.utils.data})
        got.append((type(e.value).__name__, str(e.value)))
    assert got[0] == got[1]


def test_weighted_sampler_follows_the_weights():
    cl.manual_seed(0)
    s = cl.utils.data.WeightedRandomSampler([0.1, 0.9, 0.0, 1.0], 20_000)
    counts = collections.Counter(s)
    assert len(s) == 20_000 and counts[2] == 0
    assert abs(counts[1] / 20_000 - 0.45) < 0.02 and abs(counts[0] / 20_000 - 0.05) < 0.01
    once = list(cl.utils.data.WeightedRandomSampler([1, 1, 1, 1], 4, replacement=False))
    assert sorted(once) == [0, 1, 2, 3]


def test_weighted_sampler_in_a_dataloader_balances_classes():
    """The use case: oversample a rare class so batches are balanced."""
    cl.manual_seed(0)
    y = cl.tensor([0] * 90 + [1] * 10)
    weights = 1.0 / cl.bincount(y).double()[y]
    loader = cl.utils.data.DataLoader(cl.utils.data.TensorDataset(y), batch_size=50,
                                      sampler=cl.utils.data.WeightedRandomSampler(weights, 2000))
    labels = cl.cat([b for (b,) in loader])
    assert labels.shape == (2000,) and abs(labels.double().mean().item() - 0.5) < 0.05


def test_subset_random_sampler_permutes_the_subset():
    cl.manual_seed(0)
    s = cl.utils.data.SubsetRandomSampler([5, 7, 9, 11])
    orders = {tuple(s) for _ in range(20)}
    assert all(sorted(o) == [5, 7, 9, 11] for o in orders) and len(orders) > 1 and len(s) == 4


def test_stack_dataset_like_torch():
    got = []
    for T in (cl, torch):
        D = T.utils.data
        a = D.StackDataset(D.TensorDataset(T.arange(4)), T.arange(4) * 10)
        b = D.StackDataset(x=T.arange(3), y=[1, 2, 3])
        got.append((repr(a[2]), len(a), repr(b[1]), len(b)))
    assert got[0] == got[1]


def test_erfinv_inplace_like_torch():
    x = np.array([-0.9, -0.2, 0.0, 0.5, 0.99])
    a = cl.tensor(x)
    b = torch.tensor(x)
    assert a.erfinv_() is a and b.erfinv_() is b
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)
