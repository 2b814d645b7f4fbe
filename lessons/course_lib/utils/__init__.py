"""``course_lib.utils``: ``data`` (datasets, DataLoader) is imported with course_lib, like torch.utils.data;
``collect_env`` (environment report) on demand.

工具：``data``（数据集与 DataLoader）随 course_lib 一起导入；``collect_env`` 按需导入。
"""
from . import data  # noqa: F401
