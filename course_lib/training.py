"""``course_lib.training``: the course's training loop (course-only: torch has no such module).

课程专用（torch 没有这个模块）：第 06 课的训练循环。``train_one_epoch`` 与 ``evaluate`` 是
第 06 课的练习；``fit`` 用它们训练若干个 epoch，第 06 课的最终模型就是用 ``fit`` 训练的。
PyTorch leaves the loop to the user; the course writes it once, as a lesson-06 piece, and
``fit`` (the lesson's final model trains with it) runs the student's loop.
``tqdm`` is tqdm's text progress bar, drawn in a notebook as one output redrawn in place, so a
saved notebook keeps the final bar. 进度条：在 notebook 中原地重画的文本进度条，保存后仍是最终状态。
"""
from __future__ import annotations

import course_lib as torch  # the solution regions are written as a student writes them

from tqdm.std import tqdm as _text_tqdm

from .exercises import exercise

__all__ = ["train_one_epoch", "evaluate", "fit", "tqdm"]


def _kernel_shell():
    """The IPython shell of a Jupyter kernel (None in a terminal, plain IPython or a script)."""
    import sys
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell if shell is not None and "IPKernelApp" in shell.config else None


class tqdm(_text_tqdm):
    """tqdm's text bar; in a Jupyter kernel one ``display`` output that each refresh replaces
    (``update_display_data``), so the last state is what a notebook saves: nbclient, nbconvert
    and the feedback page show the final "100%|██████████| 15/15" bar, where tqdm.auto's widget is
    saved as "0%". Elsewhere it is plain tqdm on stderr.
    文本进度条：在 Jupyter 内核中是一个原地更新的输出，保存的 notebook（nbconvert、反馈页）
    显示最终的进度，而不是 tqdm.auto 小部件保存下来的 "0%"。"""

    monitor_interval = 0  # no monitor thread: every redraw happens in the cell that runs the loop

    def __init__(self, *args, **kwargs):
        self._handle = None
        live = _kernel_shell() is not None and kwargs.get("file") is None
        if live:
            import io
            kwargs["file"] = io.StringIO()  # tqdm's own writes go nowhere; display() draws
            kwargs.setdefault("ascii", False)  # the notebook shows Unicode blocks (StringIO has no encoding)
        super().__init__(*args, **kwargs)
        if live and not self.disable:
            from IPython.display import display
            self._handle = display({"text/plain": str(self)}, raw=True, display_id=True)

    def display(self, msg=None, pos=None):
        if self._handle is None:
            return super().display(msg, pos)
        self._handle.update({"text/plain": str(self) if msg is None else msg}, raw=True)
        return True


@exercise("06_training", "train_one_epoch", key="course_lib.training.train_one_epoch")
def train_one_epoch(model, loader, loss_fn, optimizer):
    """One pass over ``loader`` in training mode. 在训练模式下把 ``loader`` 走一遍。

    ``model.train()``; per batch ``(inputs, labels)``: logits = model(inputs),
    loss = loss_fn(logits, labels), zero the gradients, backward, ``optimizer.step()``.
    Returns ``(mean loss, accuracy)`` over the samples seen: each batch's loss weighted by its
    size, accuracy = share of samples whose ``logits.argmax(dim=1)`` equals the label.
    返回按样本数加权的平均损失与准确率（两个 Python float）。
    """
    ### BEGIN SOLUTION
    model.train()
    total_loss, correct, seen = 0.0, 0, 0
    for inputs, labels in loader:
        logits = model(inputs)
        loss = loss_fn(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(labels)
        correct += (logits.argmax(dim=1) == labels).sum().item()
        seen += len(labels)
    return total_loss / seen, correct / seen
    ### END SOLUTION


@exercise("06_training", "evaluate", key="course_lib.training.evaluate")
def evaluate(model, loader, loss_fn):
    """Mean loss and accuracy on ``loader`` in eval mode, without building a graph.

    评估：``model.eval()``，在 ``torch.no_grad()`` 下前向，返回 ``(平均损失, 准确率)``
    （损失按批次大小加权）。``model.eval()``, forward under ``torch.no_grad()``; returns
    ``(mean loss, accuracy)`` with each batch's loss weighted by its size.
    """
    ### BEGIN SOLUTION
    model.eval()
    total_loss, correct, seen = 0.0, 0, 0
    with torch.no_grad():
        for inputs, labels in loader:
            logits = model(inputs)
            total_loss += loss_fn(logits, labels).item() * len(labels)
            correct += (logits.argmax(dim=1) == labels).sum().item()
            seen += len(labels)
    return total_loss / seen, correct / seen
    ### END SOLUTION


def fit(model, train_loader, val_loader, loss_fn, optimizer, epochs, on_epoch=None):
    """Train for ``epochs`` (an int, or any iterable such as ``tqdm(range(n))`` above) with
    ``train_one_epoch``, evaluating on ``val_loader`` after each; ``on_epoch(epoch, row)`` is
    called with that epoch's figures. Returns the history: lists ``train_loss``,
    ``train_acc``, ``val_loss``, ``val_acc``. 训练若干 epoch，返回学习曲线的数据。"""
    history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
    for epoch in (range(epochs) if isinstance(epochs, int) else epochs):
        row = train_one_epoch(model, train_loader, loss_fn, optimizer) + \
            evaluate(model, val_loader, loss_fn)
        for key, value in zip(history, row):
            history[key].append(value)
        if on_epoch is not None:
            on_epoch(epoch, dict(zip(history, row)))
    return history
