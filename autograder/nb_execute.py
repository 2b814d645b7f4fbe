"""nbgrader's Execute preprocessor with a per-notebook time budget.

带整本 notebook 时间预算的 nbgrader Execute 预处理器：预算用完或内核连续两次超时（内核已无响应）
后，其余代码单元格不再运行，而是得到一个说明原因的错误输出。
"""
from __future__ import annotations

import time

from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer


class BudgetExecute(Execute):
    notebook_budget = Integer(300, help="seconds for the whole notebook").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = time.monotonic() + self.notebook_budget
        self._cell_timeout = self.timeout
        self._timeouts = 0
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return super().preprocess_cell(cell, resources, index)
        left = self._deadline - time.monotonic()
        if left <= 1 or self._timeouts >= 2:
            cell.outputs = [NotebookNode(
                output_type="error", ename="NotebookTimeLimit", evalue="",
                traceback=["NotebookTimeLimit: 整本 notebook 超出时间限制，未运行 / the notebook "
                           "ran out of time (or its kernel stopped answering); cell not run"])]
            return cell, resources
        self.timeout = max(1, int(min(self._cell_timeout or left, left)))
        cell, resources = super().preprocess_cell(cell, resources, index)
        timed_out = any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", []))
        self._timeouts = self._timeouts + 1 if timed_out else 0
        return cell, resources
