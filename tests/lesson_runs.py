"""Each solution notebook run once per test session, with a record of every figure it draws.

每个解答 notebook 在一次测试会话中只运行一次，并记录它画出的每一张图（文字标签、警告）。

The run is test_lessons_run's: nbclient, CPU, torch hidden (a ``torch`` package whose import
raises), course_lib from this checkout. An IPython startup file wraps
``IPython.core.pylabtools.print_figure`` — what the inline backend calls to turn a figure into the
PNG a notebook keeps — and ``Figure.savefig`` (a picture that renders itself, as the autograd graph's
``_repr_png_``), and appends, per PNG, the cell's execution count, every text label by
role (title, xlabel, ylabel, legend, suptitle, text) and the warnings matplotlib gave while drawing
it ("Glyph … missing from font(s)" = a character drawn as a box) to a JSON-lines log.

pytest-xdist workers share the runs through a folder above their own temporary folders and one
file lock per lesson: the first worker that asks runs the lesson, the others read its result.
"""
from __future__ import annotations

import fcntl
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted(ROOT.glob("solutions/*/*.ipynb"))
LESSON_IDS = [p.parent.name for p in SOLUTIONS]
LESSON_LIMIT_S = 60.0  # each lesson runs top to bottom in less than this (issue 15), on 2 cores
MAIN_FIGURE_TAG = "main-figure"  # cell tag naming a lesson's main figure (else its first figure)

FIGURE_HOOK = r'''
"""Test hook (tests/lesson_runs.py): log what every figure shown inline holds."""
import json as _json, os as _os, sys as _sys, warnings as _warnings
from IPython import get_ipython as _get_ipython
from IPython.core import pylabtools as _pylabtools

_print_figure = _pylabtools.print_figure


def _labels(fig):
    seen, out = set(), []

    def add(role, text):
        if text is not None and id(text) not in seen and text.get_text().strip():
            seen.add(id(text))
            out.append([role, text.get_text()])
    add("suptitle", getattr(fig, "_suptitle", None))
    for ax in fig.axes:
        for t in (ax.title, ax._left_title, ax._right_title):
            add("title", t)
        add("xlabel", ax.xaxis.label)
        add("ylabel", ax.yaxis.label)
        legend = ax.get_legend()
        if legend is not None:
            add("legend", legend.get_title())
            for t in legend.get_texts():
                add("legend", t)
        for t in ax.texts:
            add("text", t)
    for legend in fig.legends:
        for t in [legend.get_title(), *legend.get_texts()]:
            add("legend", t)
    for t in fig.texts:
        add("text", t)
    return out


def _drawn(draw, fig, png, *args, **kwargs):
    """Run ``draw``; log the figure's labels and the warnings drawing gave when it makes a PNG."""
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        result = draw(fig, *args, **kwargs)
    for w in caught:  # still shown to the reader, as without the hook
        _warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    if png:
        with open(_os.environ["COURSE_FIGURE_LOG"], "a", encoding="utf-8") as log:
            # IPython counts the running cell before it runs: its number is one less
            log.write(_json.dumps({"execution_count": _get_ipython().execution_count - 1,
                                   "labels": _labels(fig),
                                   "warnings": [str(w.message) for w in caught]}) + "\n")
    return result


def print_figure(fig, *args, **kwargs):  # the inline backend's figures
    return _drawn(_print_figure, fig, kwargs.get("fmt", args[0] if args else "png") == "png", *args, **kwargs)


def _hook_savefig(*_):
    """Figures a library renders itself (``_repr_png_`` → ``Figure.savefig``), once matplotlib is in."""
    figure = _sys.modules.get("matplotlib.figure")
    if figure is not None and not hasattr(figure.Figure.savefig, "_logged"):
        savefig = figure.Figure.savefig

        def logged(fig, *args, **kwargs):
            return _drawn(savefig, fig, kwargs.get("format") == "png", *args, **kwargs)
        logged._logged = True
        figure.Figure.savefig = logged


_get_ipython().events.register("pre_run_cell", _hook_savefig)
_pylabtools.print_figure = print_figure
'''


@dataclass
class LessonRun:
    lesson: str
    notebook: nbformat.NotebookNode  # executed, outputs kept
    seconds: float
    error: str | None  # the failing cell's error, or None
    figures: list[dict]  # per figure: cell (index), labels [[role, text]], warnings

    def main_figure(self) -> dict | None:
        """The figure of the cell tagged ``main-figure``, else the lesson's first figure."""
        tagged = [i for i, c in enumerate(self.notebook.cells)
                  if MAIN_FIGURE_TAG in c.metadata.get("tags", [])]
        for fig in self.figures:
            if not tagged or fig["cell"] in tagged:
                return fig
        return None


@pytest.fixture(scope="session")
def lesson_runs_dir(tmp_path_factory) -> Path:
    """A folder every xdist worker of this session sees (the parent of the workers' own)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "lesson-runs"
    folder.mkdir(exist_ok=True)
    return folder


def _write(path: Path, text: str) -> None:
    """Write whole or not at all: another worker's kernel may be reading the file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        temporary = path.with_name(f"{path.name}.{os.getpid()}")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)


def _environment(folder: Path, log: Path) -> dict:
    hide = folder / "hide_torch" / "torch"
    _write(hide / "__init__.py", 'raise ImportError("torch is hidden for this test / 测试中隐藏了 torch")\n')
    _write(folder / "ipython" / "profile_default" / "startup" / "00-log-figures.py", FIGURE_HOOK)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("COURSE_LIB_", "COURSE_LESSONS_DIR", "MPLBACKEND"))}
    env.update(PYTHONPATH=os.pathsep.join([str(hide.parent), str(ROOT)]), IPYTHONDIR=str(folder / "ipython"),
               COURSE_FIGURE_LOG=str(log), PYDEVD_DISABLE_FILE_VALIDATION="1")
    return env


def _execute(path: Path, folder: Path) -> dict:
    import nbclient
    from nbclient.exceptions import CellExecutionError
    lesson = path.parent.name
    log = folder / f"{lesson}.figures.jsonl"
    log.unlink(missing_ok=True)
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=int(LESSON_LIMIT_S), kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    start, error = time.perf_counter(), None
    try:
        client.execute(env=_environment(folder, log))
    except CellExecutionError as e:
        error = str(e)[-3000:]
    seconds = time.perf_counter() - start
    by_count = {c.get("execution_count"): i for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    figures = []
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            fig = json.loads(line)
            fig["cell"] = by_count.get(fig.pop("execution_count"))
            figures.append(fig)
    nbformat.write(nb, folder / f"{lesson}.ipynb")
    return {"seconds": seconds, "error": error, "figures": figures}


def lesson_run(lesson: str, folder: Path) -> LessonRun:
    """The session's run of ``solutions/<lesson>``: made by the first caller, read by the rest."""
    path = ROOT / "solutions" / lesson / f"{lesson}.ipynb"
    result = folder / f"{lesson}.json"
    with open(folder / f"{lesson}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            result.write_text(json.dumps(_execute(path, folder)), encoding="utf-8")
    got = json.loads(result.read_text(encoding="utf-8"))
    return LessonRun(lesson, nbformat.read(folder / f"{lesson}.ipynb", as_version=4), **got)
