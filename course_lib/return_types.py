"""Named result tuples (``values``, ``indices``), printed like torch's ``torch.return_types``.

带名字的结果元组，打印方式与 ``torch.return_types`` 相同。
"""
from __future__ import annotations

import collections

__all__ = ["max", "min", "sort", "topk", "mode", "median", "nanmedian", "kthvalue", "cummax",
           "cummin", "aminmax", "frexp", "slogdet", "linalg_slogdet", "linalg_svd"]


def _structseq(name, fields=("values", "indices")):
    base = collections.namedtuple(name, fields)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"course_lib.return_types.{name}(\n{body})"

    return type(name, (base,), {"__slots__": (), "__repr__": __repr__,
                                "__module__": "course_lib.return_types"})


max = _structseq("max")  # noqa: A001
min = _structseq("min")  # noqa: A001
sort = _structseq("sort")
topk = _structseq("topk")
mode = _structseq("mode")
median = _structseq("median")
nanmedian = _structseq("nanmedian")
kthvalue = _structseq("kthvalue")
cummax = _structseq("cummax")
cummin = _structseq("cummin")
aminmax = _structseq("aminmax", ("min", "max"))
frexp = _structseq("frexp", ("mantissa", "exponent"))
slogdet = _structseq("slogdet", ("sign", "logabsdet"))
linalg_slogdet = _structseq("linalg_slogdet", ("sign", "logabsdet"))
linalg_svd = _structseq("linalg_svd", ("U", "S", "Vh"))
