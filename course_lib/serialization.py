"""``course_lib.save`` / ``course_lib.load`` in a SAFE format (no pickle).

安全的保存/加载格式（不使用 pickle）：一个 zip 文件，里面是一个 JSON 描述 + 每个张量一个
``.npy`` 数组（``allow_pickle=False``）。加载时绝不执行文件里的代码；损坏的文件或其他格式
（包括真正的 pickle 与 PyTorch 的 .pt 文件）会给出清楚的中英文错误。

Supported: tensors (and Parameters), numpy arrays and scalars, None/bool/int/float/complex/str/
bytes, list/tuple/dict/OrderedDict/set, Size, dtype, device. Whole objects (e.g. an nn.Module,
as in ``torch.save(model, PATH)``) are stored as "class path + attributes" and can only be read
back with ``weights_only=False`` — exactly torch's rule: only load those from files you trust.
"""
from __future__ import annotations

import base64
import importlib
import io
import json
import os
import pickle
import zipfile
from collections import OrderedDict

import numpy as np

from . import _backend
from ._device import device as _Device

__all__ = ["save", "load"]

_FORMAT = "course_lib.save"
_VERSION = 1
_HEADER = "course_lib_archive/data.json"


class _Writer:
    def __init__(self, zf):
        self.zf, self.memo, self.n = zf, {}, 0

    def enc(self, obj):
        from ._dtype import dtype as Dtype
        from ._size import Size
        from ._tensor import Tensor

        if obj is None or isinstance(obj, (bool, str)):
            return obj
        if isinstance(obj, int) and type(obj) is int:
            return obj
        if type(obj) is float:
            if obj != obj or obj in (float("inf"), float("-inf")):
                return {"t": "float", "v": repr(obj)}
            return obj
        if isinstance(obj, Tensor):
            return self._tensor(obj)
        if isinstance(obj, np.ndarray):
            return {"t": "ndarray", "a": self._array(obj)}
        if isinstance(obj, np.generic):
            return {"t": "npscalar", "a": self._array(np.asarray(obj))}
        if isinstance(obj, Size):
            return {"t": "size", "v": list(obj)}
        if isinstance(obj, Dtype):
            return {"t": "dtype", "v": obj._name}
        if isinstance(obj, _Device):
            return {"t": "device", "v": str(obj)}
        if isinstance(obj, complex):
            return {"t": "complex", "v": [obj.real, obj.imag]}
        if isinstance(obj, bytes):
            return {"t": "bytes", "v": base64.b64encode(obj).decode("ascii")}
        if isinstance(obj, (dict, OrderedDict)) and type(obj) in (dict, OrderedDict) or \
                type(obj).__name__ == "defaultdict":
            kind = "odict" if isinstance(obj, OrderedDict) else "dict"
            return {"t": kind, "v": [[self.enc(k), self.enc(v)] for k, v in obj.items()]}
        if type(obj) in (list, tuple, set, frozenset):
            return {"t": type(obj).__name__, "v": [self.enc(v) for v in obj]}
        if isinstance(obj, tuple) and hasattr(obj, "_fields"):
            return {"t": "tuple", "v": [self.enc(v) for v in obj]}
        return self._object(obj)

    def _array(self, a):
        name = f"course_lib_archive/arrays/{self.n}.npy"
        self.n += 1
        buf = io.BytesIO()
        np.save(buf, np.ascontiguousarray(a), allow_pickle=False)
        self.zf.writestr(name, buf.getvalue())
        return name

    def _tensor(self, t):
        key = id(t)
        if key in self.memo:
            return {"t": "ref", "v": self.memo[key]}
        ref = len(self.memo)
        self.memo[key] = ref
        from .nn.parameter import Parameter
        host = t.detach() if t.device.type == "cpu" else t.detach().cpu()
        out = {"t": "tensor", "id": ref, "a": self._array(np.asarray(host)),  # Tensor.__array__
               "device": str(t.device), "requires_grad": bool(t._requires_grad),
               "param": isinstance(t, Parameter)}
        if t.__dict__:  # attributes set on the tensor (t.name = ...): torch keeps them too
            out["attrs"] = self.enc(dict(t.__dict__))
        return out

    def _object(self, obj):
        cls = type(obj)
        state = getattr(obj, "__dict__", None)
        if state is None or callable(obj) and not hasattr(obj, "forward"):
            raise TypeError(
                f"course_lib.save 无法保存类型为 {cls.__module__}.{cls.__qualname__} 的对象（不是张量、"
                f"数字、字符串或容器）。/ course_lib.save cannot store an object of type "
                f"{cls.__module__}.{cls.__qualname__} (not a tensor, number, string or container).")
        return {"t": "object", "module": cls.__module__, "qualname": cls.__qualname__,
                "state": self.enc(dict(state))}


def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """Save ``obj`` to a path or a binary file object. 把对象保存到路径或二进制文件对象。"""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        w = _Writer(zf)
        root = w.enc(obj)
        zf.writestr(_HEADER, json.dumps({"format": _FORMAT, "version": _VERSION, "root": root}))
    data = buf.getvalue()
    if isinstance(f, (str, os.PathLike)):
        with open(f, "wb") as fh:
            fh.write(data)
    else:
        f.write(data)


def _err_foreign(what):
    return RuntimeError(
        f"无法加载：{what}。course_lib.load 只读取 course_lib.save 写出的安全格式（zip + JSON + "
        f".npy），绝不执行文件中的代码。\nCannot load: {what}. course_lib.load reads only the safe "
        "format written by course_lib.save (zip + JSON + .npy) and never runs code from a file.")


class _Reader:
    def __init__(self, zf, map_location, weights_only):
        self.zf, self.map, self.weights_only, self.memo = zf, map_location, weights_only, {}

    def dec(self, x):
        if not isinstance(x, dict):
            if isinstance(x, list):
                raise _err_foreign("JSON 结构不合法 / malformed JSON structure")
            return x
        t = x.get("t")
        v = x.get("v")
        if t == "float":
            return float(v)
        if t in ("dict", "odict"):
            d = OrderedDict() if t == "odict" else {}
            for k, val in v:
                d[self.dec(k)] = self.dec(val)
            return d
        if t in ("list", "tuple", "set", "frozenset"):
            items = [self.dec(i) for i in v]
            return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[t](items)
        if t == "tensor":
            return self._tensor(x)
        if t == "ref":
            return self.memo[v]
        if t == "ndarray":
            return self._array(x["a"])
        if t == "npscalar":
            return self._array(x["a"])[()]
        if t == "size":
            from ._size import Size
            return Size(v)
        if t == "dtype":
            from . import _dtype
            return _dtype._by_name(v)
        if t == "device":
            return _Device(v)
        if t == "complex":
            return complex(*v)
        if t == "bytes":
            return base64.b64decode(v)
        if t == "object":
            return self._object(x)
        raise _err_foreign(f"未知的条目类型 / unknown entry type {t!r}")

    def _array(self, name):
        try:
            raw = self.zf.read(name)
            return np.load(io.BytesIO(raw), allow_pickle=False)
        except KeyError:
            raise _err_foreign(f"缺少数组 / missing array {name!r}") from None
        except ValueError as e:
            raise _err_foreign(f"数组 {name!r} 已损坏或含有对象 / array {name!r} is corrupt "
                               f"or holds Python objects ({e})") from None

    def _device(self, saved):
        m = self.map
        if m is None:
            return _Device(saved)
        if isinstance(m, dict):
            return _Device(m.get(saved, saved))
        if isinstance(m, (str, _Device)):
            return _Device(m)
        return None  # callable: handled by the caller

    def _tensor(self, x):
        from ._tensor import _wrap
        from .nn.parameter import Parameter

        a = self._array(x["a"])
        dev = self._device(x["device"])
        if dev is None:  # map_location is a callable(storage, location)
            t = self.map(_wrap(a), x["device"])
            a = t._data if t is not None else a
        elif dev.type != "cpu":
            if not _backend.cuda_available():
                raise RuntimeError(
                    "Attempting to deserialize object on a CUDA device but "
                    "course_lib.cuda.is_available() is False. If you are running on a CPU-only "
                    "machine, please use course_lib.load with map_location=course_lib.device('cpu') "
                    "to map your storages to the CPU.")
            a = _backend.transfer(a, dev)
        if x.get("param"):
            t = Parameter(_wrap(a), requires_grad=x["requires_grad"])
        else:
            t = _wrap(a, bool(x["requires_grad"]) and a.dtype.kind in "fc")
        self.memo[x["id"]] = t
        if "attrs" in x:
            attrs = self.dec(x["attrs"])
            if not isinstance(attrs, dict):
                raise _err_foreign("张量属性不是字典 / tensor attributes are not a dict")
            t.__dict__.update(attrs)
        return t

    def _object(self, x):
        name = f"{x['module']}.{x['qualname']}"
        if self.weights_only:
            raise pickle.UnpicklingError(
                f"文件中保存的是完整对象 {name}（例如 course_lib.save(model, PATH)），"
                "weights_only=True 时不会重建它。只在信任该文件时使用 "
                "course_lib.load(PATH, weights_only=False)；更推荐保存 model.state_dict()。\n"
                f"Weights only load failed: the file holds a whole object {name} (as written by "
                "course_lib.save(model, PATH)). Use course_lib.load(PATH, weights_only=False) only "
                "if you trust the file; saving model.state_dict() is the recommended way.")
        mod = importlib.import_module(x["module"])
        cls = mod
        for part in x["qualname"].split("."):
            cls = getattr(cls, part)
        if not isinstance(cls, type):
            raise _err_foreign(f"{name} 不是类 / is not a class")
        obj = cls.__new__(cls)
        obj.__dict__.update(self.dec(x["state"]))
        return obj


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """Load what ``save`` wrote (a path or a binary file object). 加载 ``save`` 写出的文件。

    ``map_location``: None (saved devices), a device/str, a dict {'cuda:0': 'cpu'}, or a
    callable(storage, location). ``weights_only`` (default True): refuse whole objects.
    """
    weights_only = True if weights_only is None else bool(weights_only)
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as fh:
            data = fh.read()
    else:
        data = f.read()
    if data[:1] == b"\x80" or data[:2] in (b"(d", b"(l", b"}q", b"]q", b"cc"):
        raise pickle.UnpicklingError(str(_err_foreign(
            "这是一个 pickle 文件（可能来自 pickle.dump 或旧版 torch.save）/ "
            "this is a pickle file (pickle.dump or an old torch.save)")))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
    except zipfile.BadZipFile:
        raise _err_foreign("文件不是 zip 格式或已损坏 / the file is not a zip archive or is "
                           "corrupt") from None
    with zf:
        if _HEADER not in names:
            if any(n.endswith("data.pkl") for n in names):
                raise _err_foreign("这是 PyTorch 的 torch.save 文件（内含 pickle）。请在 PyTorch 中把 "
                                   "state_dict 转成 numpy 后用 course_lib 重新保存 / this is a "
                                   "PyTorch torch.save file (pickle inside); convert its state_dict "
                                   "to numpy in PyTorch and re-save it with course_lib")
            raise _err_foreign("zip 中没有 course_lib 的描述文件 / the zip has no course_lib header")
        try:
            head = json.loads(zf.read(_HEADER).decode("utf-8"))
        except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError) as e:
            raise _err_foreign(f"描述文件已损坏 / the header is corrupt ({e})") from None
        if not isinstance(head, dict) or head.get("format") != _FORMAT:
            raise _err_foreign("格式标记不对 / wrong format marker")
        if head.get("version", 0) > _VERSION:
            raise _err_foreign(f"文件版本 {head.get('version')} 比本库支持的 {_VERSION} 新 / file "
                               f"version {head.get('version')} is newer than supported ({_VERSION})")
        try:
            return _Reader(zf, map_location, weights_only).dec(head.get("root"))
        except (KeyError, TypeError, ValueError, zipfile.BadZipFile) as e:
            raise _err_foreign(f"内容已损坏 / corrupt content ({type(e).__name__}: {e})") from None
