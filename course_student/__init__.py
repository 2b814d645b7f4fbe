"""The student side of the course: ``course check``, ``course status``, ``course submit``,
``course doctor``. 课程的学生端命令。

The student course carries this package next to the student build of course_lib; it holds no
grading code, no hidden cases and no reference answers.
"""
