"""Tensor operations: forward on arrays + a graph node when grad is needed.

张量运算：在数组上做前向计算；需要梯度时再建立计算图节点。
Each module also attaches its methods to :class:`course_lib.Tensor`.
"""
