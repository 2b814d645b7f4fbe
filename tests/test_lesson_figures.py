"""Each lesson's main figure as JupyterLab shows it, in headless Chromium; Chinese drawn as characters.

每一课的主图在 JupyterLab（无头 Chromium）中的样子，截图保存在 test-artifacts/figure_<课>.png；图中的中文
画成了字，而不是方框（matplotlib 画图时没有 “Glyph … missing from font” 警告）。

The lessons run once per session (tests/lesson_runs.py, with a record of every figure drawn). The
main figure is the cell tagged ``main-figure``, else the lesson's first figure. For each lesson a
notebook holding its title and that figure cell with its saved output is opened in one
JupyterLab server (the `make lab` configuration), and the rendered output is screenshotted.
"""
from __future__ import annotations

import nbformat
import pytest

from lesson_runs import LESSON_IDS, MAIN_FIGURE_TAG, ROOT, lesson_run, lesson_runs_dir  # noqa: F401
from test_browser import ARTIFACTS, chromium_page, jupyterlab
from test_lessons_bilingual import CJK

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _figure_notebook(run, cell_index: int) -> nbformat.NotebookNode:
    """The lesson's title and its figure cell, with the output the lesson run saved."""
    cells = run.notebook.cells
    title = next(c for c in cells if c.cell_type == "markdown").source.strip().splitlines()[0]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(title), cells[cell_index]],
                                  metadata=run.notebook.metadata)
    return nb


def test_main_figures_render_in_jupyterlab(tmp_path, lesson_runs_dir):
    root = tmp_path / "figures"
    problems, shown = [], {}
    for lesson in LESSON_IDS:
        run = lesson_run(lesson, lesson_runs_dir)
        if run.error:
            problems.append(f"{lesson}: the lesson does not run / 本课运行失败:\n{run.error[-500:]}")
            continue
        for fig in run.figures:  # every figure of the lesson, not only the main one
            tofu = [w for w in fig["warnings"] if "missing from" in w]
            if tofu:
                problems.append(f"{lesson} cell {fig['cell']}: glyphs drawn as boxes / 字形缺失: {tofu[0]}")
        main = run.main_figure()
        if main is None:
            problems.append(f"{lesson}: no figure (tag one cell {MAIN_FIGURE_TAG!r}) / 没有主图")
            continue
        if not any(CJK.search(text) for _, text in main["labels"]):
            problems.append(f"{lesson} cell {main['cell']}: the main figure has no Chinese label / 主图没有中文标注: "
                            + ", ".join(repr(t) for _, t in main["labels"][:6]))
        nb = _figure_notebook(run, main["cell"])
        pngs = [o for o in nb.cells[1].outputs if "image/png" in o.get("data", {})]
        if not pngs:
            problems.append(f"{lesson} cell {main['cell']}: no PNG output saved / 没有保存图片输出")
            continue
        (root / lesson).mkdir(parents=True)
        nbformat.write(nb, root / lesson / f"{lesson}.ipynb")
        shown[lesson] = main["cell"]

    ARTIFACTS.mkdir(exist_ok=True)
    with jupyterlab(root, tmp_path, [ROOT]) as (base, token), chromium_page((1200, 1000)) as page:
        for lesson, cell in shown.items():
            page.goto(f"{base}/lab/tree/{lesson}/{lesson}.ipynb?token={token}")
            image = page.locator(".jp-NotebookPanel .jp-CodeCell .jp-RenderedImage img").first
            image.wait_for()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
            output = page.locator(".jp-NotebookPanel .jp-CodeCell .jp-OutputArea").first
            output.scroll_into_view_if_needed()
            shot = ARTIFACTS / f"figure_{lesson}.png"
            output.screenshot(path=str(shot))
            width = image.evaluate("img => img.naturalWidth")
            if width < 200 or shot.stat().st_size < 5_000:
                problems.append(f"{lesson} cell {cell}: JupyterLab shows a {width}px picture / 图片没有正常显示")
    assert shown, "no lesson figure to show / 没有可显示的图"
    assert not problems, "每课主图 / lesson figures:\n" + "\n".join(problems)
