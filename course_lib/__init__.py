"""course_lib: a small library with PyTorch's API on numpy (CPU) and cupy (CUDA).

course_lib：一个在 numpy（CPU）与 cupy（CUDA）之上、接口与 PyTorch 相同的小型库。
"""
__version__ = "0.1.0"
