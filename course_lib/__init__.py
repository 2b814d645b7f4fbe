"""course_lib: a small library with PyTorch's API on numpy (CPU) and cupy (CUDA).

course_lib：一个在 numpy（CPU）与 cupy（CUDA）之上、接口与 PyTorch 相同的小型库。
``import course_lib as torch`` — then write PyTorch code.
"""
__version__ = "0.1.0"

from . import _backend  # noqa: F401  (the only module that may import cupy, lazily)
from ._device import device
from ._dtype import (bool, can_cast, double, dtype, finfo, float, float16, float32, float64,  # noqa: A004
                     get_default_dtype, half, iinfo, int, int8, int16, int32, int64, long,
                     promote_types, result_type, set_default_dtype, short, uint8)
from ._size import Size
from ._tensor import Tensor
from . import autograd
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .autograd.grad_mode import is_inference_mode_enabled
from ._settings import (are_deterministic_algorithms_enabled, get_deterministic_debug_mode,
                        get_float32_matmul_precision, get_num_interop_threads, get_num_threads,
                        is_deterministic_algorithms_warn_only_enabled, is_storage,
                        is_warn_always_enabled, set_deterministic_debug_mode,
                        set_float32_matmul_precision, set_flush_denormal,
                        set_num_interop_threads, set_num_threads, set_warn_always,
                        use_deterministic_algorithms)
from .autograd.anomaly_mode import is_anomaly_check_nan_enabled, is_anomaly_enabled
from ._ops import compare as _compare, convert as _convert, index as _index  # noqa: F401
from ._ops import interop as _interop  # noqa: F401
from ._ops import inplace as _inplace, linalg as _linalg, pointwise as _pointwise  # noqa: F401
from ._ops import reduce as _reduce, shape as _shape, sum_to_size as _sts  # noqa: F401
from ._ops import select as _select  # noqa: F401
from ._ops.select import (addcdiv, addcmul, argsort, argwhere, bernoulli, broadcast_to,
                          count_nonzero, gather, index_add, index_copy, index_fill, index_put,
                          index_put_, index_select,
                          lerp, masked_select, moveaxis, movedim, multinomial, narrow, nonzero,
                          scatter, scatter_add, select, sort, take, take_along_dim, tile, topk,
                          tril, triu, unique, unravel_index, masked_scatter, put, slice_scatter,
                          select_scatter, diagonal_scatter)
from ._ops.select import (bincount, bucketize, cummax, cummin, diff, histc, kthvalue,  # noqa: F401
                          median, mode, msort, nanmedian, nanquantile, quantile,
                          repeat_interleave, searchsorted, unique_consecutive)
from ._ops.aliases import (clamp_, clip_, detach, detach_, diag, diagflat, exp_, fill_, logspace,
                           meshgrid, relu_, scalar_tensor, sqrt_, typename, zero_, is_nonzero,
                           gcd_, lcm_,
                           is_same_size, is_signed, get_device, is_complex)
from ._ops.aliases import INPLACE as _INPLACE
globals().update(_INPLACE)  # torch.sin_(x) …
from ._ops.compare import allclose, equal, is_floating_point, is_tensor, isclose, isin, numel
from ._ops.linalg import (addbmm, addmm, addmv, addr, baddbmm, bmm, cross, det, diagonal, dot,
                          inverse, logdet, matmul, matrix_power, mm, mv, outer, slogdet)
from ._ops.pointwise import (abs, absolute, add, atan, bitwise_and, bitwise_not, bitwise_or,  # noqa: A004
                             bitwise_xor, ceil, clamp, clip, cos, div, divide, eq, exp,
                             floor, floor_divide, ge, gt, isfinite, isinf, isnan, le, log,
                             log1p, log2, logical_and, logical_not, logical_or, lt, masked_fill,
                             maximum, minimum, mul, multiply, ne, neg, negative, pow,
                             reciprocal, relu, remainder, round, rsqrt, rsub, sigmoid, sign,
                             sin, sqrt, square, sub, subtract, tanh, true_divide, where, tan,
                             log10, expm1, exp2, sinh, cosh, asin, acos, trunc, frac,
                             xlogy, fmod, dist, asinh, acosh, atanh, arcsin, arccos, arctan,
                             arcsinh, arccosh, arctanh, erfc, logit, sinc, deg2rad, rad2deg,
                             clamp_min, clamp_max, copysign, fix, float_power, fmax, fmin,
                             greater, greater_equal, heaviside, ldexp, less, less_equal,
                             logaddexp, logaddexp2, logical_xor, not_equal, positive, sgn,
                             signbit, gcd, lcm, bitwise_left_shift, bitwise_right_shift, nextafter,
                             frexp)
from ._ops.inplace import xlogy_
from ._ops.reduce import (all, amax, amin, any, argmax, argmin, cumprod, cumsum,  # noqa: A004
                          log_softmax, logcumsumexp, logsumexp, max, mean, min, nanmean, nansum,
                          norm, prod, softmax, std, sum, var, aminmax, std_mean, var_mean)
from ._ops.shape import (cat, chunk, clone, concat, concatenate, dsplit, flatten, flip, hsplit,
                         permute, reshape, split, squeeze, stack, swapaxes, swapdims, t,
                         tensor_split, transpose, unbind, unflatten, unsqueeze, vsplit, fliplr,
                         flipud, ravel, adjoint, split_with_sizes)
from ._creation import (arange, as_tensor, asarray, empty, empty_like, eye, from_numpy, full,
                        full_like, linspace, normal, ones, ones_like, rand, rand_like, randint,
                        randint_like, randn, randn_like, randperm, tensor, zeros, zeros_like,
                        tril_indices, triu_indices, hann_window, hamming_window,
                        blackman_window, bartlett_window, kaiser_window)
from .functional import broadcast_shapes, broadcast_tensors, einsum
from ._ops.special import (arctan2, atan2, digamma, erf, erfinv, hypot, lgamma, mvlgamma,
                           nan_to_num, polygamma, roll, trace)
from ._ops.stacking import (atleast_1d, atleast_2d, atleast_3d, column_stack, dstack, hstack,
                            row_stack, vstack)
from ._ops.products import (block_diag, cartesian_prod, combinations, diag_embed, inner, kron,
                            tensordot, vander, vdot)
from ._ops.geometry import (cdist, corrcoef, cov, cumulative_trapezoid, rot90, trapezoid,
                            trapz)
from .random import (Generator, get_rng_state, initial_seed, manual_seed, seed,
                     set_rng_state)
from ._tensor_str import set_printoptions
from . import accelerator, cuda, random, version  # noqa: F401
from . import nn, optim, utils  # noqa: F401,E402
from .nn.functional import celu_, selu_, threshold_  # noqa: E402  (torch.selu_ is F.selu_)
from .nn.functional import (adaptive_avg_pool1d, avg_pool1d, conv1d, conv2d,  # noqa: E402
                            conv_transpose1d, conv_transpose2d, cosine_similarity, hardshrink,
                            pairwise_distance, pixel_shuffle, pixel_unshuffle, prelu)
from ._ops.aliases import (batch_norm, celu, dropout, embedding, group_norm,  # noqa: E402
                           layer_norm, max_pool1d, max_pool2d, rms_norm, selu, threshold)
from .serialization import load, save  # noqa: E402
from ._default_device import get_default_device, set_default_device  # noqa: E402
from . import backends  # noqa: F401,E402
from ._plotting import install as _install_cjk_font  # noqa: E402

_install_cjk_font()  # Chinese in plots: set up when matplotlib loads its fonts, not now


from ._missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__, __file__)  # what PyTorch has and course_lib lacks


def _type_name(x):
    t = type(x)
    return t.__qualname__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


def _tensor_first(f, name, arg):
    """``torch.exp(2.0)``: torch's TypeError "argument 'input' … must be Tensor, not float",
    where the op itself would stop at ``input._data`` (or another Tensor attribute) with an
    AttributeError; the op's own code runs unchanged."""

    @_functools.wraps(f)
    def op(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except AttributeError as e:
            x = args[0] if args else kwargs.get(arg)
            if e.obj is not x or isinstance(x, Tensor):
                raise
            where = " (position 1)" if args else ""
            raise TypeError(f"{name}(): argument '{arg}'{where} must be Tensor, "
                            f"not {_type_name(x)}") from None
    return op


def _tensors_first(f, varargs):
    """``torch.cat([t, 2.0])``, ``torch.atleast_1d(2.0)``: torch's TypeError "expected Tensor as
    element 1 in argument 0, but got float" where the op would stop at an AttributeError."""

    @_functools.wraps(f)
    def op(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except AttributeError as e:
            first = args[0] if args else kwargs.get("tensors")
            for seq in ((args, first) if varargs else (first,)):  # f(a, b) or f([a, b])
                if type(seq) in (list, tuple):
                    for i, x in enumerate(seq):
                        if x is e.obj and not isinstance(x, Tensor):
                            raise TypeError(f"expected Tensor as element {i} in argument 0, "
                                            f"but got {_type_name(x)}") from None
            raise
    return op


def _guard_functions():
    """Give the public functions torch's TypeError for a non-tensor where a tensor belongs
    (where torch.functional or torch.nn.functional holds the same object, so do ours)."""
    g = globals()
    for name, f in list(g.items()):
        if name.startswith("_") or type(f) is not _types.FunctionType:
            continue
        code = getattr(f, "__wrapped__", f).__code__  # (numpy_axis wraps some)
        first = code.co_varnames[0] if code.co_argcount else None
        if first in ("input", "self", "y", "condition"):
            g[name] = _tensor_first(f, name, "input" if first == "self" else first)
        elif first == "tensors":
            g[name] = _tensors_first(f, False)
        elif first is None and code.co_flags & _inspect.CO_VARARGS and code.co_varnames[
                code.co_kwonlyargcount] == "tensors":
            g[name] = _tensors_first(f, True)
        else:
            continue
        for mirror in (functional, nn.functional):  # torch.selu_ is F.selu_, and so on
            if mirror.__dict__.get(name) is f:
                setattr(mirror, name, g[name])


import functools as _functools  # noqa: E402
import inspect as _inspect  # noqa: E402
import types as _types  # noqa: E402

_guard_functions()
