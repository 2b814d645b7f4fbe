"""Tensor printing matches torch character for character (``torch.`` spelled ``course_lib.``)."""
import numpy as np
import pytest

import course_lib
from course_lib import _tensor_str

# (code using `torch`, torch's repr) — recorded from torch 2.x; always run, torch not needed.
EXPECTED = [
    ("torch.tensor([[8., 8.], [8., 8.]])", "tensor([[8., 8.],\n        [8., 8.]])"),
    ("torch.tensor(3.5)", "tensor(3.5000)"),
    ("torch.tensor(7)", "tensor(7)"),
    ("torch.tensor(-0.0)", "tensor(-0.)"),
    ("torch.tensor([1e-5, 1.0])", "tensor([1.0000e-05, 1.0000e+00])"),
    ("torch.tensor([1e8, 1.0])", "tensor([1.0000e+08, 1.0000e+00])"),
    ("torch.tensor([123456789.0])", "tensor([1.2346e+08])"),
    ("torch.tensor([0.00012, 0.5])", "tensor([1.2000e-04, 5.0000e-01])"),
    ("torch.tensor([0.1, 12345.678])", "tensor([1.0000e-01, 1.2346e+04])"),
    ("torch.tensor([1.5, float('nan'), float('-inf')])", "tensor([1.5000,    nan,   -inf])"),
    ("torch.tensor([1., float('inf')])", "tensor([1., inf])"),
    ("torch.tensor([-1, 20, 300])", "tensor([ -1,  20, 300])"),
    ("torch.tensor([True, False])", "tensor([ True, False])"),
    ("torch.tensor([1, 2], dtype=torch.int32)", "tensor([1, 2], dtype=torch.int32)"),
    ("torch.tensor([1., 2.], dtype=torch.float64)", "tensor([1., 2.], dtype=torch.float64)"),
    ("torch.tensor([1., 2.], dtype=torch.float16)", "tensor([1., 2.], dtype=torch.float16)"),
    ("torch.zeros(0, 3)", "tensor([], size=(0, 3))"),
    ("torch.zeros(0)", "tensor([])"),
    ("torch.zeros(0, dtype=torch.int64)", "tensor([], dtype=torch.int64)"),
    ("torch.arange(1200)", "tensor([   0,    1,    2,  ..., 1197, 1198, 1199])"),
    ("torch.arange(30.)",
     "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
     "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n"
     "        28., 29.])"),
    ("torch.arange(24).reshape(2, 3, 4)",
     "tensor([[[ 0,  1,  2,  3],\n         [ 4,  5,  6,  7],\n         [ 8,  9, 10, 11]],\n\n"
     "        [[12, 13, 14, 15],\n         [16, 17, 18, 19],\n         [20, 21, 22, 23]]])"),
    ("torch.arange(2000.).reshape(40, 50)",
     "tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 4.7000e+01, 4.8000e+01,\n"
     "         4.9000e+01],\n"
     "        [5.0000e+01, 5.1000e+01, 5.2000e+01,  ..., 9.7000e+01, 9.8000e+01,\n"
     "         9.9000e+01],\n"
     "        [1.0000e+02, 1.0100e+02, 1.0200e+02,  ..., 1.4700e+02, 1.4800e+02,\n"
     "         1.4900e+02],\n"
     "        ...,\n"
     "        [1.8500e+03, 1.8510e+03, 1.8520e+03,  ..., 1.8970e+03, 1.8980e+03,\n"
     "         1.8990e+03],\n"
     "        [1.9000e+03, 1.9010e+03, 1.9020e+03,  ..., 1.9470e+03, 1.9480e+03,\n"
     "         1.9490e+03],\n"
     "        [1.9500e+03, 1.9510e+03, 1.9520e+03,  ..., 1.9970e+03, 1.9980e+03,\n"
     "         1.9990e+03]])"),
    ("torch.tensor([1., 2.], requires_grad=True)", "tensor([1., 2.], requires_grad=True)"),
    ("torch.tensor([1., 2.], requires_grad=True) * 2", "tensor([2., 4.], grad_fn=<MulBackward0>)"),
    ("torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)",
     "tensor([1., 2.], dtype=torch.float64, requires_grad=True)"),
]


def spelled(torch_repr: str) -> str:
    return torch_repr.replace("torch.", "course_lib.")


@pytest.fixture(autouse=True)
def _default_printoptions():
    _tensor_str.set_printoptions(profile="default")
    yield
    _tensor_str.set_printoptions(profile="default")


@pytest.mark.parametrize("code,expected", EXPECTED, ids=[c for c, _ in EXPECTED])
def test_known_reprs(code, expected):
    assert repr(eval(code, {"torch": course_lib})) == spelled(expected)


def test_set_printoptions_precision_threshold_linewidth():
    course_lib.set_printoptions(precision=2)
    assert repr(course_lib.tensor([1.12345])) == "tensor([1.12])"
    course_lib.set_printoptions(threshold=5)
    assert repr(course_lib.arange(10)) == "tensor([0, 1, 2,  ..., 7, 8, 9])"
    course_lib.set_printoptions(profile="default")
    assert repr(course_lib.tensor([1.12345])) == "tensor([1.1235])"
    assert repr(course_lib.arange(10)) == "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])"
    course_lib.set_printoptions(sci_mode=True)
    assert repr(course_lib.tensor([2.0])) == "tensor([2.0000e+00])"
    course_lib.set_printoptions(sci_mode=False, linewidth=20)
    assert repr(course_lib.tensor([1e-5, 1.0, 3.0])) == \
        "tensor([0.0000,\n        1.0000,\n        3.0000])"


def test_printoptions_context_restores():
    with _tensor_str.printoptions(precision=1):
        assert repr(course_lib.tensor([0.25, 1.5])) == "tensor([0.2, 1.5])"
    assert _tensor_str.get_printoptions()["precision"] == 4


def test_edgeitems_zero_prints_size():
    course_lib.set_printoptions(edgeitems=0, threshold=3)
    assert repr(course_lib.arange(10)) == "tensor([...], size=(10,))"


def test_long_suffixes_wrap_to_new_line():
    t = course_lib.arange(20, dtype=course_lib.float64).requires_grad_()
    y = t * 1
    expected = ("tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
                "        14., 15., 16., 17., 18., 19.], dtype=course_lib.float64,\n"
                "       grad_fn=<MulBackward0>)")
    assert repr(y) == expected


def _random_array(rng):
    dtypes = [np.float32, np.float64, np.float16, np.int64, np.int32, np.int16, np.int8,
              np.uint8, np.bool_]
    shape = tuple(int(s) for s in rng.integers(0, 7, size=rng.integers(0, 5)))
    if rng.random() < 0.15:
        shape = tuple(int(s) for s in rng.integers(10, 40, size=rng.integers(1, 3)))  # summarised
    dt = np.dtype(dtypes[rng.integers(len(dtypes))])
    a = rng.standard_normal(shape) * 10.0 ** rng.integers(-8, 11)
    r = rng.random()
    if r < 0.25:
        a = np.round(a)
    elif r < 0.35:
        a = np.round(a * 100) / 100
    elif r < 0.4:
        a = np.zeros(shape)
    if a.size and dt.kind == "f":
        for special in (np.nan, np.inf, -np.inf):
            if rng.random() < 0.1:
                a.flat[rng.integers(a.size)] = special
    if dt.kind == "b":
        return np.asarray(a > 0)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        a = np.clip(a, info.min, info.max)
    with np.errstate(over="ignore"):
        return np.asarray(a).astype(dt)


def test_body_layout_matches_torch_numpy_level():
    """The numpy-level formatter against torch's, 200 random arrays and random indents."""
    torch = pytest.importorskip("torch")
    from torch import _tensor_str as tts

    rng = np.random.default_rng(1234)
    for _ in range(200):
        a = _random_array(rng)
        indent = int(rng.integers(0, 12))
        expected = tts._tensor_str(torch.from_numpy(a.copy()), indent)
        assert _tensor_str._array_str(a, a.dtype.kind == "f", indent) == expected, (a.dtype, a.shape)


def test_full_repr_matches_torch_random_table():
    """repr(course_lib.tensor(a)) == repr(torch.tensor(a)) for 400 random arrays and flags."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(99)
    for i in range(400):
        a = _random_array(rng)
        kw = {}
        if a.dtype.kind == "f" and rng.random() < 0.3:
            kw["requires_grad"] = True
        want = spelled(repr(torch.tensor(a, **kw)))
        got = repr(course_lib.tensor(a, **kw))
        assert got == want, (i, a.dtype, a.shape)


def test_printoptions_match_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    try:
        for _ in range(200):
            opts = dict(precision=int(rng.integers(0, 8)), threshold=int(rng.integers(1, 100)),
                        edgeitems=int(rng.integers(1, 4)), linewidth=int(rng.integers(20, 120)),
                        sci_mode=[None, True, False][rng.integers(3)])
            torch.set_printoptions(**opts)
            course_lib.set_printoptions(**opts)
            a = _random_array(rng)
            assert repr(course_lib.tensor(a)) == spelled(repr(torch.tensor(a))), opts
    finally:
        torch.set_printoptions(profile="default")


def test_module_level_printoptions_api():
    assert course_lib.set_printoptions is _tensor_str.set_printoptions  # torch exports only this one


def test_zero_dim_with_grad_fn():
    x = course_lib.tensor(2.0, requires_grad=True)
    assert repr(x * 3) == "tensor(6., grad_fn=<MulBackward0>)"
    assert repr(x) == "tensor(2., requires_grad=True)"


def test_simulated_cuda_device_suffix_order():
    """torch's order of suffixes: device, dtype, then grad_fn / requires_grad."""
    from course_lib import _backend

    was = _backend.simulating()
    course_lib.cuda.simulate(True)
    try:
        x = course_lib.tensor([1.0, 2.0], device="cuda")
        assert repr(x) == "tensor([1., 2.], device='cuda:0')"
        y = course_lib.tensor([1.0, 2.0], dtype=course_lib.float64, device="cuda:0",
                              requires_grad=True)
        assert repr(y) == ("tensor([1., 2.], device='cuda:0', dtype=course_lib.float64, "
                           "requires_grad=True)")
        # torch (spelled torch.float64) fits this on one line, so course_lib does too
        assert repr(y * 2) == ("tensor([2., 4.], device='cuda:0', dtype=course_lib.float64, "
                               "grad_fn=<MulBackward0>)")
    finally:
        course_lib.cuda.simulate(was)


def test_big_tensors_match_torch():
    torch = pytest.importorskip("torch")
    g = np.random.default_rng(3)
    arrays = [g.standard_normal((20, 30, 40)) * 1e3, g.integers(-10**12, 10**12, size=(60, 70)),
              g.random((50, 50)) > 0.5, g.standard_normal(5000).astype(np.float32) * 1e-6,
              np.arange(100000, dtype=np.float64).reshape(10, 10, 10, 100)]
    for a in arrays:
        assert repr(course_lib.tensor(a)) == spelled(repr(torch.tensor(a))), (a.dtype, a.shape)


def test_default_dtype_float64_changes_suffixes():
    torch = pytest.importorskip("torch")
    try:
        for T in (course_lib, torch):
            T.set_default_dtype(T.float64)
        for code in ("T.tensor([1.5, 2.0])", "T.tensor([1.5], dtype=T.float32)", "T.zeros(0, 2)",
                     "T.zeros(0, dtype=T.int64)", "T.zeros(0, dtype=T.float32)"):
            assert repr(eval(code, {"T": course_lib})) == spelled(repr(eval(code, {"T": torch}))), code
    finally:
        for T in (course_lib, torch):
            T.set_default_dtype(T.float32)
