"""Pre-checks of a submitted notebook: readable, nbformat 4, cells intact; outputs stripped.

提交的 notebook 预检查：可读、nbformat 4、评分单元格完整；清除输出（自动评分会重新生成）。

``inspect`` returns the cleaned notebook (a dict) and, per exercise, the answer source or the
reason why that exercise scores 0 (deleted / duplicated / edited / reordered cells, changed
metadata or grade ids).
"""
from __future__ import annotations

import json
from pathlib import Path

MAX_BYTES = 256 * 2**20  # larger files are refused without reading / 更大的文件直接拒绝


class BadNotebook(Exception):
    """The whole notebook cannot be graded (reason is bilingual)."""


def _src(cell) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s if isinstance(s, str) else ""


def _meta(cell) -> dict:
    m = cell.get("metadata")
    m = m.get("nbgrader") if isinstance(m, dict) else None
    return m if isinstance(m, dict) else {}


def load(path: Path) -> dict:
    """Read and strip a submission; raise BadNotebook with a clear reason."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise BadNotebook("notebook missing / 找不到 notebook") from None
    if size == 0:
        raise BadNotebook("empty file / 文件为空")
    if size > MAX_BYTES:
        raise BadNotebook(f"file too large ({size >> 20} MB) / 文件过大")
    try:
        nb = json.loads(path.read_bytes().decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BadNotebook("not a JSON notebook / 不是 JSON 格式的 notebook") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise BadNotebook("not a notebook (no cells) / 不是 notebook（没有 cells）")
    if nb.get("nbformat") != 4:
        raise BadNotebook(f"wrong nbformat {nb.get('nbformat')!r} (need 4) / nbformat 版本错误")
    cells = []
    for c in nb["cells"]:
        if not isinstance(c, dict) or c.get("cell_type") not in ("code", "markdown", "raw"):
            raise BadNotebook("malformed cell / 单元格格式错误")
        c = dict(c)
        c["source"] = _src(c)
        if not isinstance(c.get("metadata"), dict):
            c["metadata"] = {}
        if c["cell_type"] == "code":
            c["outputs"], c["execution_count"] = [], None
        else:
            c.pop("outputs", None)
            c.pop("execution_count", None)
        c.pop("attachments", None)
        cells.append(c)
    nb["cells"] = cells
    nb.setdefault("metadata", {})
    nb["nbformat_minor"] = max(int(nb.get("nbformat_minor", 4) or 4), 4) if isinstance(
        nb.get("nbformat_minor"), int) else 5
    return nb


def exercises_of(release_nb: dict) -> dict:
    """``{exercise: points}`` from the test cells (``test_<exercise>``) of the release notebook."""
    out = {}
    for c in release_nb["cells"]:
        m = _meta(c)
        gid = m.get("grade_id", "")
        if m.get("grade") and isinstance(gid, str) and gid.startswith("test_"):
            out[gid[len("test_"):]] = float(m.get("points", 0))
    return out


def inspect(nb: dict, release_nb: dict) -> dict:
    """``{exercise: ("ok", answer source) | ("bad", reason)}``."""
    rel = {(_meta(c).get("grade_id")): c for c in release_nb["cells"] if _meta(c).get("grade_id")}
    rel_seq = [g for g in (_meta(c).get("grade_id") for c in release_nb["cells"]) if g]
    sub_ids = [(_meta(c).get("grade_id"), c) for c in nb["cells"]]
    sub_seq = [g for g, _ in sub_ids if g in rel]
    out = {}
    for ex in exercises_of(release_nb):
        a_id, t_id = f"ex_{ex}", f"test_{ex}"
        answers = [c for g, c in sub_ids if g == a_id]
        tests = [c for g, c in sub_ids if g == t_id]
        reason = None
        if not answers:
            reason = "answer cell deleted or its grade id changed / 答案单元格被删除或其 ID 被修改"
        elif len(answers) > 1:
            reason = "answer cell duplicated / 答案单元格被复制"
        elif not tests:
            reason = "test cell deleted or its grade id changed / 测试单元格被删除或其 ID 被修改"
        elif len(tests) > 1:
            reason = "test cell duplicated / 测试单元格被复制"
        elif tests[0]["source"].strip() != _src(rel[t_id]).strip():
            reason = "test cell edited / 测试单元格被修改"
        elif any(_meta(x).get(k) != _meta(rel[g]).get(k)
                 for x, g in ((answers[0], a_id), (tests[0], t_id))
                 for k in ("grade", "solution", "points", "locked")) or \
                answers[0]["cell_type"] != "code" or tests[0]["cell_type"] != "code":
            reason = "cell metadata changed / 单元格元数据被修改"
        elif _moved(a_id, sub_seq, rel_seq) or _moved(t_id, sub_seq, rel_seq):
            reason = "cells reordered / 单元格顺序被改变"
        out[ex] = ("bad", reason) if reason else ("ok", answers[0]["source"])
    return out


def _moved(g, sub_seq, rel_seq) -> bool:
    """Is ``g`` on the wrong side of some other graded cell, compared with the release?"""
    pos, rpos = sub_seq.index(g), rel_seq.index(g)
    return any((rel_seq.index(o) < rpos) != (i < pos) for i, o in enumerate(sub_seq)
               if o != g and o in rel_seq)


def setup_source(source_nb: dict) -> str:
    """The instructor's ``setup`` cell (imports) of the source notebook, run before answers."""
    for c in source_nb["cells"]:
        if _meta(c).get("grade_id") == "setup":
            return _src(c)
    return ""
