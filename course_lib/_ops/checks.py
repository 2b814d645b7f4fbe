"""torch's errors for bad input: argument checks shared by the ops (kept off the hot path).

错误输入的检查：与 torch 相同的异常类型与信息（形状、dtype、设备），不让 numpy 的错误冒出来。
Each check runs only where numpy would fail with its own message or silently differ.
"""
from __future__ import annotations

import numpy as np

from .._dtype import _from_np, scalar_name
from .._size import Size
from .._tensor import Tensor
from ..autograd.grad_mode import STATE


def write_out(out, res, name=None):
    """Copy ``res`` into the ``out=`` tensor (resizing it like torch), return ``out``."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{name or 'op'}(): argument 'out' must be Tensor, not "
                        f"{type(out).__name__}")
    if (res._requires_grad or out._requires_grad) and STATE[0]:
        raise RuntimeError(f"{name + '(): ' if name else ''}functions with out=... arguments "
                           "don't support automatic differentiation, but one of the arguments "
                           "requires grad.")
    r = res._data
    o = out._data
    if r.dtype != o.dtype and _kind(r.dtype) > _kind(o.dtype):  # torch's can_cast
        raise RuntimeError(f"result type {scalar_name(_from_np(r.dtype))} can't be cast to the "
                           f"desired output type {scalar_name(_from_np(o.dtype))}")
    if type(o) is not type(r):
        from ._util import same_device
        same_device(out, res)
    if o.shape == r.shape:
        o[...] = r
    else:
        out._data = r.astype(o.dtype, copy=True)
    out._ver[0] += 1
    return out


def _kind(dt):
    return 2 if dt.kind == "f" else (0 if dt.kind == "b" else 1)


def _kernel_error(name, x):
    """torch's error for bitwise ops on floats and ``-`` on bools."""
    if x.dtype.kind == "b" and name in ("sub", "neg"):
        return RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
            "or `logical_xor()` operator instead." if name == "sub" else
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
            "invert a mask, use the `~` or `logical_not()` operator instead.")
    return NotImplementedError(f'"{name}_cpu" not implemented for '
                               f"'{scalar_name(_from_np(x.dtype))}'")


_C_NAMES = {"int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
            "uint8": "unsigned char", "float32": "float", "float64": "double",
            "float16": "c10::Half", "bool": "bool"}


def check_mask(input, mask, value, inplace=False):
    """torch's errors for ``masked_fill(_)``'s mask (bool, broadcastable) and value (0-d)."""
    m = mask._data
    if m.dtype.kind != "b":
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_C_NAMES.get(m.dtype.name, m.dtype.name)}")
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value._data.ndim} dimension(s).")
    if not isinstance(value, (Tensor, int, float, bool, np.number, np.bool_)):
        raise TypeError(f"masked_fill{'_' if inplace else ''}() received an invalid combination "
                        "of arguments - got "
                        f"(Tensor, {type(value).__name__}), but expected one of: (Tensor mask, "
                        "Tensor value) or (Tensor mask, Number value)")
    xs = input._data.shape
    if m.shape != xs:
        from ._util import check_broadcast
        shape = check_broadcast(m.shape, xs)
        if inplace and shape != xs:
            raise RuntimeError(f"output with shape {list(xs)} doesn't match the broadcast shape "
                               f"{list(shape)}")


def _invert(self):
    from .pointwise import bitwise_not

    if self._data.dtype.kind not in "biu":
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return bitwise_not(self)


def _shape_arg(shape, name="view", arg="size"):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list, Size)):
        shape = tuple(shape[0])
    for s in shape:
        if type(s) is not int:
            break
    else:
        return shape  # the common case: a tuple of ints
    try:
        return tuple(s.__index__() for s in shape)  # ints (and 0-d integer tensors), as torch
    except (AttributeError, TypeError):
        for i, s in enumerate(shape):
            if not hasattr(s, "__index__"):
                raise TypeError(f"{name}(): argument '{arg}' (position 1) must be tuple of ints, "
                                f"but found element of type {type(s).__name__} at pos {i}") \
                    from None
        raise


def _check_sizes(shape):
    """torch's error for a size below -1 in view/reshape."""
    for i, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {list(shape)}")


def _no_repeats(dims):
    """torch's error for a dim named twice (flip, sum over a tuple …)."""
    if len(set(dims)) != len(dims):
        for i, a in enumerate(dims):
            if a in dims[i + 1:]:
                raise RuntimeError(f"dim {a} appears multiple times in the list of dims")


def _write_cat(out, res, name):
    o, r = getattr(out, "_data", None), res._data
    if o is not None and o.dtype != r.dtype and _kind(r.dtype) > _kind(o.dtype):
        from .._dtype import _by_np, scalar_name
        raise TypeError(f"course_lib.{name}(): input types can't be cast to the desired output "
                        f"type {scalar_name(_by_np[o.dtype])}")
    return write_out(out, res, name)


def _ragged(data):
    """torch's ValueError for nested lists of unequal lengths."""
    level = [data]
    dim = 0
    while level and all(isinstance(x, (list, tuple)) for x in level):
        n = len(level[0])
        for x in level:
            if len(x) != n:
                return ValueError(f"expected sequence of length {n} at dim {dim} "
                                  f"(got {len(x)})")
        level = [y for x in level for y in x]
        dim += 1
    if any(isinstance(x, (list, tuple)) for x in level):
        return TypeError("not a sequence")
    return ValueError("expected sequence of equal lengths")


def _negative_dim_error(shape):
    """torch's RuntimeError for a shape with a negative size."""
    shape = [int(n) for n in shape]
    s = next(n for n in shape if n < 0)
    return RuntimeError(f"Trying to create tensor with negative dimension {s}: {shape}")


def _size(size, name="empty"):
    one = len(size) == 1
    listed = False
    if one and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
        one, listed = False, True
    out = []
    for i, s in enumerate(size):
        if type(s) is not int:
            if isinstance(s, Tensor):  # an integer tensor of one element counts, as torch
                try:
                    s = s.__index__()
                except TypeError:
                    if listed:
                        raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple "
                                        f"of ints, but found element of type Tensor at pos {i}") \
                            from None
                    _size_type_error(size, s, one, name)
            if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
                _size_type_error(size, s, one, name)
            s = int(s)
        if s < 0:
            if name == "zeros":
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise _negative_dim_error(size)
        out.append(s)
    return tuple(out)


def _size_type_error(size, s, one, name):
    if one:
        raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, "
                        f"not {type(s).__name__}")
    i = next(i for i, v in enumerate(size) if v is s)
    raise TypeError(f"{name}(): argument 'size' failed to unpack the object at pos {i + 1} with "
                    f"error \"type must be tuple of ints,but got {type(s).__name__}\"")


def _floating(dtype, kernel):
    """torch's NotImplementedError for random floats asked for in an integer dtype."""
    from .._creation import _dt

    d = _dt(dtype)
    if d is not None and not d.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{scalar_name(d)}\'')


def expand_error(self, sizes):
    """torch's RuntimeError for ``self.expand(*sizes)`` (the sizes do not fit)."""
    d = self._data
    if len(sizes) < d.ndim:
        from .._tensor import _type_name
        return RuntimeError(f"expand({_type_name(self)}{{{list(d.shape)}}}, size={list(sizes)}): "
                            f"the number of sizes provided ({len(sizes)}) must be greater or "
                            f"equal to the number of dimensions in the tensor ({d.ndim})")
    lead = len(sizes) - d.ndim
    for i in range(lead):
        if sizes[i] < 0:
            return RuntimeError(f"The expanded size of the tensor ({sizes[i]}) isn't allowed in a "
                                f"leading, non-existing dimension {i}")
    for i in reversed(range(d.ndim)):  # torch reports the last mismatching dim
        s = d.shape[i] if sizes[i + lead] == -1 else sizes[i + lead]
        if s < 0 or (d.shape[i] != 1 and d.shape[i] != s):
            return RuntimeError(f"The expanded size of the tensor ({s}) must match the existing "
                                f"size ({d.shape[i]}) at non-singleton dimension {i + lead}.  "
                                f"Target sizes: {list(sizes)}.  Tensor sizes: {list(d.shape)}")
    return RuntimeError(f"expand: invalid sizes {list(sizes)}")


def check_unflatten(n, dim, sizes):
    """torch's errors for ``unflatten(dim, sizes)`` of a dim of length ``n``."""
    k = 1
    for s in sizes:
        if s != -1:
            k *= s
    if sizes.count(-1) > 1:
        raise RuntimeError("unflatten got an unexpected error:\nonly one dimension can be "
                           "inferred")
    if (k != n and -1 not in sizes) or (-1 in sizes and (k == 0 or n % k)):
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the "
                           f"size of dim {dim} ({n}) in the input tensor")


def check_grad_assign(self, value):
    """torch's errors for ``t.grad = value`` (type, size, dtype, device)."""
    from .._tensor import _TYPE_NAMES

    if not isinstance(value, Tensor):
        raise TypeError(f"assigned grad expected to be a Tensor or None but got grad "
                        f"of type {type(value).__name__}")
    if value._data.shape != self._data.shape:
        raise RuntimeError(f"attempting to assign a gradient of size "
                           f"'{list(value._data.shape)}' to a tensor of size "
                           f"'{list(self._data.shape)}'. Please ensure that the gradient "
                           "and the tensor are the same size")
    if value._data.dtype != self._data.dtype:
        from .linalg import _name
        raise RuntimeError(
            f"attempting to assign a gradient with dtype '{_name(value)}' to a tensor "
            f"with grad_dtype '{_TYPE_NAMES[_from_np(self._data.dtype)._name][:-6]}'. "
            "The gradient must match the tensor's grad_dtype (defaults to the tensor's "
            "dtype). You can set the tensor's grad_dtype attribute with a specific dtype, "
            "or None to allow any dtype. Set grad_dtype with caution. Diverging the "
            "dtypes of a tensor and its gradient may break downstream systems that "
            "assume they match.")
    if type(value._data) is not type(self._data):
        raise RuntimeError(f"attempting to assign a gradient with device type "
                           f"'{value.device.type}' to a tensor with device type "
                           f"'{self.device.type}'. Please ensure that the gradient and "
                           "the tensor are on the same device")
