"""The grading harness of the course: hidden cases, sandbox, release/grade commands.

课程的评分工具：隐藏用例、沙箱、发布/评分命令。
"""
