"""The lessons' own code prints the same on course_lib and on real PyTorch.

课程中的示例代码在 course_lib 与真正的 PyTorch 上打印相同的结果（把 ``course_lib`` 换成 ``torch``）。

Each lesson below runs twice: once as written (``import course_lib as torch``) and once with the
first cell replaced by ``import torch``. Exercise and check cells (course_lib-only) and "compare
with PyTorch" cells are left out of both runs; every other cell must print the same text once
``course_lib`` is spelled ``torch`` and memory addresses are masked.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("torch")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[1]
# 00_setup probes the machine and 03_cuda uses course_lib's simulated device: no torch twin.
LESSONS = ["01_tensors", "02_numpy"]
pytestmark = [pytest.mark.slow, pytest.mark.torch]


def _shared_cells(nb):
    """The cells both runs execute: no nbgrader exercise/check cells, no real_torch cells."""
    keep = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if gid.startswith(("ex_", "test_")) or "real_torch" in cell.source:
            continue
        keep.append(cell)
    return keep


def _printed(cells, first_cell: str, folder: Path) -> list[str]:
    cells = [nbformat.v4.new_code_cell(first_cell)] + [nbformat.v4.new_code_cell(c.source) for c in cells[1:]]
    nb = nbformat.v4.new_notebook(cells=cells)
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}}).execute(env=env)
    out = []
    for cell in nb.cells:
        # torch's own DeprecationWarnings under numpy 2 (e.g. its __array_wrap__ signature) are
        # noise of that torch build, not behaviour course_lib should copy
        text = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream"
                       and not (o.get("name") == "stderr" and "DeprecationWarning" in o.get("text", "")))
        text = text.replace("course_lib", "torch")
        out.append(re.sub(r" +", " ", re.sub(r"0x[0-9a-f]+", "0x…", text)))
    return out


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_prints_like_torch(lesson):
    path = ROOT / "solutions" / lesson / f"{lesson}.ipynb"
    cells = _shared_cells(nbformat.read(path, as_version=4))
    first = cells[0].source
    assert "import course_lib as torch" in first
    ours = _printed(cells, first, path.parent)
    theirs = _printed(cells, "import torch\nimport numpy as np", path.parent)
    diffs = [f"--- cell: {cells[i].source[:80]!r}\ncourse_lib:\n{a}\ntorch:\n{b}"
             for i, (a, b) in enumerate(zip(ours, theirs)) if a != b]
    assert not diffs, f"{lesson}: {len(diffs)} cell(s) print differently:\n" + "\n".join(diffs)
