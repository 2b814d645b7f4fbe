"""Every lesson speaks both languages and follows the exercise rules.

每一课都必须中英双语，并遵守练习规则：
- every markdown cell has Chinese and English prose, Chinese first (code is not counted);
- every answer cell carries bilingual instructions (comments/docstrings outside the solution),
  registers the key of its exercise in docs/ARCHITECTURE.md, and has a graded test cell with
  visible ``check(...)`` calls whose titles are bilingual;
- 3 to 6 exercises per lesson, points summing to 100, ids matching the architecture table.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(ROOT.glob("solutions/*/*.ipynb"))
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
WORD = re.compile(r"[A-Za-z]{2,}")
EN_RUN = re.compile(r"[A-Za-z]{2,}[,;:]?(?:\s+[A-Za-z'’-]+[,;:]?){2,}")  # three English words in a row


def _ids(path):
    return path.parent.name


def _prose(markdown: str) -> str:
    """Markdown without what is not prose: code blocks, inline code, maths, links, HTML."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", text, flags=re.S)
    text = re.sub(r"\]\([^)]*\)|https?://\S+|<[^>]+>", " ", text)
    return text


def bilingual_problem(text: str, min_cjk: int = 2, min_words: int = 3) -> str | None:
    """Why ``text`` is not bilingual (Chinese first, then English), or None when it is."""
    n_cjk, n_words = len(CJK.findall(text)), len(WORD.findall(text))
    if n_cjk < min_cjk:
        return f"no Chinese / 缺少中文 ({n_cjk} CJK characters)"
    if n_words < min_words:
        return f"no English / 缺少英文 ({n_words} English words)"
    run = EN_RUN.search(text)
    if run and run.start() < CJK.search(text).start():
        return f"English before Chinese / 英文在中文之前: {run.group(0)[:40]!r}"
    return None


def heading_problem(line: str) -> str | None:
    """A heading reads '中文 · English'; one that is only an API name (``nn.Module · nn.Module``)
    may stay untranslated."""
    if " · " not in line:
        return f"heading without ' · ' between the languages: {line!r}"
    left, right = line.lstrip("#").split(" · ", 1)
    left = re.sub(r"^\s*[\d.]+\s*", "", left)  # section number
    if left.strip() == right.strip():
        return None
    why = bilingual_problem(_prose(line), min_cjk=1, min_words=1)
    return f"heading must read '中文 · English' ({why}): {line!r}" if why else None


def _architecture_table() -> dict[str, dict[str, str]]:
    """lesson -> {exercise id: key} from the exercise list in docs/ARCHITECTURE.md."""
    table: dict[str, dict[str, str]] = {}
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for lesson, ex, key in re.findall(r"^\| (\d\d_\w+) \| (\w+) \| ([\w.]+) \|$", text, re.M):
        table.setdefault(lesson, {})[ex] = key
    return table


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def _instructions(source: str) -> str:
    """Comments and string literals of an answer cell, outside the solution region."""
    outside = re.sub(r"### BEGIN SOLUTION.*?### END SOLUTION", "", source, flags=re.S)
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(outside).readline):
        if tok.type in (tokenize.COMMENT, tokenize.STRING):
            out.append(tok.string)
    return "\n".join(out)


def _check_titles(source: str) -> list[str | None]:
    """The literal first argument of every ``check(...)`` call (None when not a literal)."""
    titles = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "check":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                titles.append(first.value)
            elif isinstance(first, ast.JoinedStr):
                titles.append("".join(v.value for v in first.values if isinstance(v, ast.Constant)))
            else:
                titles.append(None)
    return titles


def test_there_are_lessons():
    assert NOTEBOOKS, "solutions/ holds no notebooks / solutions/ 中没有 notebook"


def test_checker_rejects_monolingual():
    assert bilingual_problem("## Tensors\n\nA tensor is an n-d array.") is not None
    assert bilingual_problem("## 张量\n\n张量是多维数组。") is not None
    assert bilingual_problem("A tensor is an array. 张量是数组。") is not None  # English first
    assert bilingual_problem("## 张量 · Tensors\n\n张量是数组。\n\nA tensor is an array.") is None
    assert bilingual_problem("张量 `x.shape` 的形状。") is not None  # code is not English prose
    assert heading_problem("## 5. 广播 `broadcast` · Broadcasting") is None
    assert heading_problem("## 1. nn.Module · nn.Module") is None
    assert heading_problem("## 5. Broadcasting") is not None
    assert heading_problem("## 5. Broadcasting · Broadcasting rules") is not None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_markdown_cells_bilingual(path):
    nb = nbformat.read(path, as_version=4)
    bad = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            why = bilingual_problem(_prose(cell.source))
            if why:
                bad.append(f"cell {i}: {why}: {cell.source[:60]!r}")
            for line in cell.source.splitlines():
                if line.startswith("#"):  # headings: 中文 · English
                    bad += [f"cell {i}: {why}" for why in [heading_problem(line)] if why]
    assert not bad, f"{path.name}: prose cells must be 中文 first, then English:\n" + "\n".join(bad)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_first_code_cell_imports(path):
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code").source
    for line in ("import course_lib as torch", "import numpy as np",
                 "from course_lib.exercises import implements, check"):
        assert line in first, f"{path.name}: first code cell lacks {line!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_exercises(path):
    lesson = path.parent.name
    nb = nbformat.read(path, as_version=4)
    table = _architecture_table().get(lesson, {})
    answers, tests = {}, {}
    for cell in nb.cells:
        meta = _nbgrader(cell)
        gid = meta.get("grade_id", "")
        if cell.cell_type != "code" or not gid:
            continue
        if meta.get("solution") and not meta.get("grade"):
            assert gid.startswith("ex_"), f"{lesson}: answer cell id {gid!r} must be ex_<exercise id>"
            answers[gid[3:]] = cell.source
        elif meta.get("grade"):
            assert gid.startswith("test_"), f"{lesson}: test cell id {gid!r} must be test_<exercise id>"
            tests[gid[5:]] = (cell.source, meta.get("points", 0))
    # 4–7 pieces per lesson (issue 13)
    assert 4 <= len(answers) <= 7, f"{lesson}: {len(answers)} exercises, need 4 to 7"
    assert set(answers) == set(tests), f"{lesson}: answer cells {sorted(answers)} vs test cells {sorted(tests)}"
    assert sum(p for _, p in tests.values()) == 100, f"{lesson}: points sum to {sum(p for _, p in tests.values())}"
    if table:
        assert set(answers) == set(table), f"{lesson}: exercises {sorted(answers)} vs ARCHITECTURE.md {sorted(table)}"
    for ex, source in answers.items():
        assert source.count("### BEGIN SOLUTION") == 1 and "### END SOLUTION" in source, \
            f"{lesson}/{ex}: answer cell needs one ### BEGIN/END SOLUTION region"
        keys = re.findall(r"@implements\(\s*[\"']([\w.]+)[\"']\s*\)", source)
        assert keys, f"{lesson}/{ex}: answer cell has no @implements(\"<key>\")"
        if ex in table:
            assert table[ex] in keys, f"{lesson}/{ex}: implements {keys}, ARCHITECTURE.md says {table[ex]}"
        why = bilingual_problem(_instructions(source), min_words=2)
        assert why is None, f"{lesson}/{ex}: instructions in the answer cell: {why}"
        # points by the work (issue 13): a piece of a few lines is worth at most 10 points
        body = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, re.S).group(1)
        lines = [ln for ln in body.splitlines() if ln.strip() and not ln.strip().startswith("#")]
        if ex in tests and len(lines) <= 3:
            assert tests[ex][1] <= 10, f"{lesson}/{ex}: {len(lines)} lines worth {tests[ex][1]} points"
    for ex, (source, points) in tests.items():
        assert points > 0, f"{lesson}/test_{ex}: no points"
        titles = _check_titles(source)
        assert titles, f"{lesson}/test_{ex}: no visible check(...) call"
        for title in titles:
            assert title is not None and bilingual_problem(title, min_cjk=1, min_words=1) is None, \
                f"{lesson}/test_{ex}: check title {title!r} must be a bilingual literal"
