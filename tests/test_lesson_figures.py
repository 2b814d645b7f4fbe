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

pytestmark = pytest.mark.slow


def _figure_notebook(run, cell_index: int) -> nbformat.NotebookNode:
    """The lesson's title and its figure cell, with the output the lesson run saved."""
    cells = run.notebook.cells
    title = next(c for c in cells if c.cell_type == "markdown").source.strip().splitlines()[0]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(title), cells[cell_index]],
                                  metadata=run.notebook.metadata)
    return nb


def main_figures(runs_dir) -> tuple[list[str], dict[str, nbformat.NotebookNode]]:
    """What is wrong with the lessons' figures, and each lesson's main-figure notebook."""
    problems, notebooks = [], {}
    for lesson in LESSON_IDS:
        run = lesson_run(lesson, runs_dir)
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
        if not any("image/png" in o.get("data", {}) for o in nb.cells[1].outputs):
            problems.append(f"{lesson} cell {main['cell']}: no PNG output saved / 没有保存图片输出")
            continue
        notebooks[lesson] = nb
    return problems, notebooks


def test_lesson_figures_draw_chinese(lesson_runs_dir):
    """No glyph of any figure drawn as a box; each main figure is saved and labelled in Chinese too."""
    problems, _ = main_figures(lesson_runs_dir)
    assert not problems, "每课的图 / lesson figures:\n" + "\n".join(problems)


@pytest.mark.browser
def test_main_figures_render_in_jupyterlab(tmp_path, lesson_runs_dir):
    _, notebooks = main_figures(lesson_runs_dir)
    assert notebooks, "no lesson figure to show / 没有可显示的图"
    root = tmp_path / "figures"
    for lesson, nb in notebooks.items():
        (root / lesson).mkdir(parents=True)
        nbformat.write(nb, root / lesson / f"{lesson}.ipynb")
    problems = []
    ARTIFACTS.mkdir(exist_ok=True)
    with jupyterlab(root, tmp_path, [ROOT]) as (base, token), chromium_page((1200, 1800)) as page:
        for lesson in notebooks:
            # ?reset: no notebook of the previous page is restored next to this one
            page.goto(f"{base}/lab/tree/{lesson}/{lesson}.ipynb?reset&token={token}")
            panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
            image = panel.locator(".jp-CodeCell .jp-RenderedImage img").first
            image.wait_for()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
            output = panel.locator(".jp-CodeCell .jp-OutputArea").first
            output.scroll_into_view_if_needed()
            shot = ARTIFACTS / f"figure_{lesson}.png"
            output.screenshot(path=str(shot))
            width = image.evaluate("img => img.naturalWidth")
            if width < 200 or shot.stat().st_size < 5_000:
                problems.append(f"{lesson}: JupyterLab shows a {width}px picture / 图片没有正常显示")
    assert not problems, "\n".join(problems)
