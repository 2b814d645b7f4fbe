"""What a bilingual teacher checks when reading a lesson (issue 15, point 7).

双语教师审阅每一课时检查的内容：
- every markdown cell says the same in both halves: comparable length, every formula ($…$) in
  the Chinese and in the English text (a formula in one language only leaves the other reader
  pointing at nothing);
- the numbering is continuous: "## 1.", "## 2.", …, "### 2.1", "### 2.2", exercises 1, 2, …, the
  lesson number in the title is the folder's, an exercise heading's points are its check cell's;
- no figure label in one language only: every title, axis label, legend entry and text the lesson
  draws (recorded while the lesson runs, tests/lesson_runs.py) that holds English prose holds
  Chinese too, and the other way round;
- one term per concept: 原地 for in place (not 就地 / 原位 / in-situ); epoch and collate glossed
  (轮 / 整理) where a lesson first uses them;
- each lesson runs top to bottom in less than ``LESSON_LIMIT_S`` seconds.
"""
from __future__ import annotations

import io
import re
import tokenize

import pytest

from lesson_runs import LESSON_IDS, LESSON_LIMIT_S, ROOT, SOLUTIONS, lesson_run, lesson_runs_dir  # noqa: F401
from test_lessons_bilingual import CJK, EN_RUN, WORD, _prose

import nbformat

MATH = re.compile(r"\$\$.*?\$\$|(?<![\\$])\$(?!\$)(?:\\\$|[^$])+?\$", re.S)
RATIO = (0.35, 1.1)  # English words per Chinese character in a cell; the lessons sit near 0.65
MIN_SIZE = (30, 20)  # below 30 characters and 20 words a cell is too short to compare


def _ids(path):
    return path.parent.name


# ---- both halves of a markdown cell ---------------------------------------------------------

def blocks(markdown: str) -> list[str]:
    """The cell's paragraphs; a fenced code block is one paragraph however many blank lines."""
    out, current, fenced = [], [], False
    for line in markdown.splitlines():
        if line.strip().startswith("```"):
            fenced = not fenced
        if not fenced and not line.strip():
            if current:
                out.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        out.append("\n".join(current))
    return out


def language(block: str) -> str:
    """'zh', 'en', or 'both' (headings, tables, code, lines that carry both languages, maths)."""
    if block.lstrip().startswith(("```", "|", "#")):
        return "both"
    prose = _prose(block)
    zh, en = len(CJK.findall(prose)) >= 2, bool(EN_RUN.search(prose))
    if zh and en:
        return "both"
    if zh:
        return "zh"
    return "en" if WORD.search(prose) else "both"


def formula_key(formula: str) -> str:
    """A formula without its layout: ``\\dfrac{a}{b}`` and ``a/b`` or a final "." are the same."""
    key = re.sub(r"\\[dt]?frac|\\c?dot\b|\\[,;!: ]|\\q?quad|[{}\s/]", "", formula.strip("$"))
    return key.rstrip(".,;:")


def formulas(text: str) -> dict[str, str]:
    """key -> the formula as written."""
    text = re.sub(r"```.*?```|`[^`\n]*`", " ", text, flags=re.S)
    return {formula_key(m.group(0)): m.group(0) for m in MATH.finditer(text) if formula_key(m.group(0))}


def halves_problems(markdown: str) -> list[str]:
    """Why the Chinese and English halves of a cell do not say the same thing."""
    parts = {"zh": [], "en": [], "both": []}
    for block in blocks(markdown):
        parts[language(block)].append(block)
    zh, en = "\n".join(parts["zh"]), "\n".join(parts["en"])
    problems = []
    n_zh, n_en = len(CJK.findall(_prose(zh))), len(WORD.findall(_prose(en)))
    if n_zh >= MIN_SIZE[0] or n_en >= MIN_SIZE[1]:
        ratio = n_en / max(n_zh, 1)
        if not RATIO[0] <= ratio <= RATIO[1]:
            problems.append(f"lengths differ / 中英文长度不相称: {n_zh} Chinese characters, {n_en} English "
                            f"words ({ratio:.2f} words per character, expected {RATIO[0]}–{RATIO[1]})")
    shared = formulas("\n".join(parts["both"]))
    in_zh, in_en = formulas(zh), formulas(en)
    for mine, other, where in ((in_zh, in_en, "Chinese"), (in_en, in_zh, "English")):
        # a formula of one half must be in the other, or inside one of its formulas ($c$ in $w_c$)
        only = [text for key, text in mine.items() if not any(key in k for k in [*other, *shared])]
        if only:
            problems.append(f"formulas only in the {where} text / 公式只出现在一种语言中: " + ", ".join(only))
    return problems


def test_halves_checker():
    zh = "广播把形状 $(3, 1)$ 与 $(1, 4)$ 拉伸成 $(3, 4)$，不复制数据，只是重复读取同一块内存中的元素。"
    en = "Broadcasting stretches $(3,1)$ and $(1, 4)$ to $(3, 4)$ without copying: it reads the same memory again."
    assert halves_problems(f"## 5. 广播 · Broadcasting\n\n{zh}\n\n{en}") == []
    assert halves_problems(f"{zh}\n\n{en.replace('$(3, 4)$', 'the result')}")  # formula dropped
    assert halves_problems(f"{zh}\n\n{en}\n\n$$y = x W^T$$") == []  # display maths are shared
    assert halves_problems(f"{zh}\n\n$$y = \\dfrac{{a}}{{b}}.$$ \n\n{en}") == []
    assert halves_problems(f"{zh}\n\nBroadcasting stretches shapes.") != []  # English much shorter
    assert formula_key(r"$\dfrac{\partial L}{\partial x}$") == formula_key(r"$\partial L/\partial x.$")
    assert halves_problems(f"{zh}\n\n{en.replace('$(3, 4)$', '$(3, 5)$')}")  # a formula that drifted


@pytest.mark.parametrize("path", SOLUTIONS, ids=_ids)
def test_markdown_halves_match(path):
    nb = nbformat.read(path, as_version=4)
    bad = [f"cell {i}: {why}" for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
           for why in halves_problems(cell.source)]
    assert not bad, f"{path.parent.name}: 中英两半应说同样的内容 / both halves must say the same:\n" + "\n".join(bad)


# ---- numbering ---------------------------------------------------------------------------------

def numbering_problems(nb, lesson: str) -> list[str]:
    problems, section, sub, exercise = [], 0, 0, 0
    points = [c.metadata["nbgrader"].get("points") for c in nb.cells
              if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if m := re.match(r"# 第 (\d+) 课 · .* · Lesson (\d+) · ", line):
                if not m.group(1) == m.group(2) == lesson[:2]:
                    problems.append(f"cell {i}: title numbers {m.group(1)}/{m.group(2)}, folder {lesson[:2]}: {line!r}")
            elif m := re.match(r"## (\d+)\. ", line):
                section, sub = section + 1, 0
                if int(m.group(1)) != section:
                    problems.append(f"cell {i}: section {m.group(1)} follows section {section - 1}: {line!r}")
                    section = int(m.group(1))
            elif m := re.match(r"### (\d+)\.(\d+) ", line):
                sub += 1
                if (int(m.group(1)), int(m.group(2))) != (section, sub):
                    problems.append(f"cell {i}: {m.group(1)}.{m.group(2)} where {section}.{sub} comes: {line!r}")
                    sub = int(m.group(2))
            elif m := re.match(r"### 练习 (\d+) · .*Exercise (\d+) · .*\((\d+) 分 · points\)", line):
                exercise += 1
                if not int(m.group(1)) == int(m.group(2)) == exercise:
                    problems.append(f"cell {i}: exercise {m.group(1)}/{m.group(2)} where {exercise} comes: {line!r}")
                elif exercise > len(points) or int(m.group(3)) != points[exercise - 1]:
                    got = points[exercise - 1] if exercise <= len(points) else None
                    problems.append(f"cell {i}: exercise {exercise} says {m.group(3)} points, its check cell "
                                    f"gives {got}: {line!r}")
            elif line.startswith("### 练习") or re.match(r"#+ \d", line):
                problems.append(f"cell {i}: heading not numbered as 'N.' / 'N.M' / '练习 k · … · Exercise k': {line!r}")
    if exercise != len(points):
        problems.append(f"{exercise} exercise headings for {len(points)} check cells")
    return problems


@pytest.mark.parametrize("path", SOLUTIONS, ids=_ids)
def test_numbering_is_continuous(path):
    bad = numbering_problems(nbformat.read(path, as_version=4), path.parent.name)
    assert not bad, f"{path.parent.name}: 编号应连续 / numbering must be continuous:\n" + "\n".join(bad)


def test_numbering_checker():
    def nb(*lines, points=(10,)):
        cells = [nbformat.v4.new_markdown_cell(line) for line in lines]
        cells += [nbformat.v4.new_code_cell("", metadata={"nbgrader": {"grade": True, "points": p}}) for p in points]
        return nbformat.v4.new_notebook(cells=cells)
    good = ["# 第 04 课 · 自动求导 · Lesson 04 · Autograd", "## 1. 一 · One", "### 1.1 甲 · A",
            "### 练习 1 · 甲 · Exercise 1 · A (10 分 · points)", "## 2. 二 · Two", "## 小结 · Summary"]
    assert numbering_problems(nb(*good), "04_autograd") == []
    assert numbering_problems(nb(*good), "05_nn")  # title of another lesson
    assert numbering_problems(nb(*good[:4], "## 3. 三 · Three"), "04_autograd")  # 2 skipped
    assert numbering_problems(nb(*good[:2], "### 1.2 乙 · B", *good[3:]), "04_autograd")
    assert numbering_problems(nb(*good, points=(15,)), "04_autograd")  # points differ
    assert numbering_problems(nb(*good, points=(5, 5)), "04_autograd")  # a check without heading


# ---- one term per concept ------------------------------------------------------------------------

# term: (the course's Chinese word, variants that must not appear)
GLOSSARY = {
    "in place": ("原地", re.compile(r"就地|原位|in[- ]situ", re.I)),
    "epoch": ("轮", re.compile(r"纪元|时期|回合")),
    "collate": ("整理", re.compile(r"校对|拼接批次")),
}
GLOSSED = ("epoch", "collate")  # glossed where a lesson first names them: 轮（epoch）, 整理（collate）


def _code_text(source: str) -> str:
    """Comments and strings of a code cell (what a student reads in it)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source
    return "\n".join(t.string for t in tokens if t.type in (tokenize.COMMENT, tokenize.STRING))


def term_problems(nb) -> list[str]:
    problems, first = [], {}
    for i, cell in enumerate(nb.cells):
        text = cell.source if cell.cell_type == "markdown" else _code_text(cell.source)
        for term, (word, avoid) in GLOSSARY.items():
            if m := avoid.search(text):
                problems.append(f"cell {i}: {m.group(0)!r} — the course says {word} for {term} / 本课程统一用“{word}”")
        if cell.cell_type == "markdown":
            for term in GLOSSED:
                if term not in first and re.search(term, cell.source, re.I):
                    first[term] = i
                    word = GLOSSARY[term][0]
                    near = rf"{word}[^。.\n]{{0,15}}{term}|{term}[^。.\n]{{0,15}}{word}"
                    if not re.search(near, cell.source, re.I):
                        problems.append(f"cell {i}: first use of {term!r} without its gloss "
                                        f"“{word}（{term}）” / 首次出现时应注明")
    return problems


def test_term_checker():
    md = nbformat.v4.new_markdown_cell
    ok = nbformat.v4.new_notebook(cells=[md("训练一轮（epoch）就是把数据走一遍。One epoch is one pass."),
                                         md("原地修改 · in place"), md("epoch 又一次 / epoch again")])
    assert term_problems(ok) == []
    assert term_problems(nbformat.v4.new_notebook(cells=[md("就地修改张量 / modify in place")]))
    assert term_problems(nbformat.v4.new_notebook(cells=[md("每个 epoch 结束后评估 / after every epoch")]))
    assert term_problems(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x.add_(1)  # 就地 / in-situ")]))


@pytest.mark.parametrize("path", SOLUTIONS, ids=_ids)
def test_one_term_per_concept(path):
    bad = term_problems(nbformat.read(path, as_version=4))
    assert not bad, f"{path.parent.name}: 一个概念一个术语 / one term per concept:\n" + "\n".join(bad)


# ---- figure labels, run time (from one run of each lesson) ---------------------------------------

# Words that read the same in both languages: names of functions, devices, tools (besides words
# with a capital inside: CUDA, cuDNN, PyTorch, RMSprop).
NAMES = {"cpu", "gpu", "cuda", "numpy", "torch", "pytorch", "sgd", "adam", "relu", "sigmoid", "tanh", "softmax",
         "sin", "cos", "exp", "log", "max", "min", "mse", "lr", "nvidia", "nvcc", "pip", "conda", "dtype", "python",
         "autograd"}
CODE = re.compile(r"\$[^$]*\$|\b[A-Za-z_]\w*(?=\s*=|[(\[.])|(?<=\.)\w+|\b\w*[\d_]\w*\b|'[^']*'|\"[^\"]*\"")


def label_problem(text: str) -> str | None:
    """Why a figure's label is in one language only (None when it has both, or no prose)."""
    plain = CODE.sub(" ", text)
    english = [w for w in re.findall(r"[A-Za-z]{2,}", plain) if w.lower() not in NAMES and w[1:].islower()]
    if CJK.search(text) and not english:
        return "Chinese only / 只有中文"
    if english and not CJK.search(text):
        return "English only / 只有英文"
    return None


def test_label_checker():
    for both in ["损失 loss", "批次 / batch", "训练 train", "9 → 5", "σ(x)", "SGD lr=0.01", "$e^{-x}$",
                 "x = torch.ones(3)\nx.device: cpu", "relu'(x) = [r > 0]", "float32", "cuda (模拟 simulated)",
                 "cuDNN 8.9, cuBLAS", "PyTorch / CuPy / course_lib", "torch.version.cuda / nvcc -V",
                 "AddBackward0\ngrad = [1, 1]", "CPU（Python）"]:
        assert label_problem(both) is None, both
    for one in ["train", "cross-entropy loss", "训练", "paths on the Rosenbrock function", "storage (12 numbers)",
                "GPU hardware (e.g. RTX 3090)"]:
        assert label_problem(one) is not None, one


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSON_IDS)
def test_lesson_runs_in_time(lesson, lesson_runs_dir):
    run = lesson_run(lesson, lesson_runs_dir)
    assert run.error is None, f"{lesson} failed / 运行失败:\n{run.error}"
    assert run.seconds < LESSON_LIMIT_S, \
        f"{lesson} took {run.seconds:.1f} s; each lesson must run in < {LESSON_LIMIT_S:.0f} s / 每课应在限定时间内运行完"


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSON_IDS)
def test_figure_labels_bilingual(lesson, lesson_runs_dir):
    run = lesson_run(lesson, lesson_runs_dir)
    assert run.figures, f"{lesson} draws no figure / 本课没有图"
    bad = sorted({f"cell {fig['cell']}: {role} {text!r}: {why}" for fig in run.figures
                  for role, text in fig["labels"] for why in [label_problem(text)] if why})
    assert not bad, f"{lesson}: 图中文字应中英双语 / figure labels must carry both languages:\n" + "\n".join(bad)


# ---- progress bars a saved notebook keeps -------------------------------------------------------

def _bar_outputs(cell) -> str:
    return "\n".join(o.get("data", {}).get("text/plain", "") + o.get("text", "") for o in cell.outputs)


def test_progress_bar_is_saved_as_text(tmp_path):
    """nbclient saves course_lib.training.tqdm's final bar; tqdm.auto's widget is saved as "0%"."""
    import os
    nbclient = pytest.importorskip("nbclient")
    loop = ("bar = tqdm(range(30), desc='epochs')\n"
            "for i in bar:\n"
            "    bar.set_postfix(loss=f'{1 / (i + 1):.3f}')\n"
            "print('训练结束 / done')")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from course_lib.training import tqdm\n" + loop),
        nbformat.v4.new_code_cell("from tqdm.auto import tqdm\n" + loop)])
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSE_LIB_")}
    env["PYTHONPATH"] = str(ROOT)
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute(env=env)
    ours, widget = nb.cells[0], nb.cells[1]
    saved = _bar_outputs(ours)
    assert re.search(r"epochs: 100%\|█+\| 30/30 .*loss=0\.033", saved), saved
    assert saved.count("100%") == 1 and "训练结束 / done" in saved, saved  # one bar, redrawn in place
    assert not any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in ours.outputs)
    assert "100%" not in _bar_outputs(widget)  # the problem: what tqdm.auto leaves in the file


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSON_IDS)
def test_progress_bars_saved_at_100_percent(lesson, lesson_runs_dir):
    """Every cell of a lesson that trains with a progress bar keeps it at 100% once run."""
    run = lesson_run(lesson, lesson_runs_dir)
    cells = [(i, c) for i, c in enumerate(run.notebook.cells) if c.cell_type == "code" and "tqdm(" in c.source]
    bad = [f"cell {i}: {_bar_outputs(c)[-300:]!r}" for i, c in cells if "100%" not in _bar_outputs(c)]
    assert not bad, (f"{lesson}: a progress bar saved without its final state / 进度条没有保存为最终状态 "
                     "(use `from course_lib.training import tqdm`):\n" + "\n".join(bad))


def test_figure_log_sees_labels_and_missing_glyphs(tmp_path):
    """The run's figure record: labels by role and cell, and a CJK title drawn without a CJK font
    gives matplotlib's "Glyph … missing from font(s)" warning (what test_lesson_figures rejects)."""
    from lesson_runs import _execute
    lesson = tmp_path / "99_probe"
    lesson.mkdir()
    draw = ("fig, ax = plt.subplots(figsize=(3, 2))\n"
            "ax.set_title('损失 · loss'); ax.set_xlabel('step'); ax.plot([1, 2], label='训练 train'); ax.legend()\n"
            "plt.show()")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import course_lib as torch\nimport matplotlib.pyplot as plt"),
        nbformat.v4.new_markdown_cell("中文 · English"),
        nbformat.v4.new_code_cell(draw),
        nbformat.v4.new_code_cell("import matplotlib\nwith matplotlib.rc_context({'font.family': ['DejaVu Sans']}):\n"
                                  + "\n".join("    " + line for line in draw.splitlines()))])
    nbformat.write(nb, lesson / "99_probe.ipynb")
    got = _execute(lesson / "99_probe.ipynb", tmp_path)
    assert got["error"] is None, got["error"]
    with_font, without = got["figures"]
    assert with_font["cell"] == 2 and without["cell"] == 3
    assert with_font["labels"] == [["title", "损失 · loss"], ["xlabel", "step"], ["legend", "训练 train"]]
    assert not with_font["warnings"]
    assert any("missing from font" in w for w in without["warnings"]), without["warnings"]
    assert label_problem("step") and not label_problem("损失 · loss")
