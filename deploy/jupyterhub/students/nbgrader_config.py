# Students only: a submission is filed under the hub's user name (nbgrader would take the OS
# account's, which is the same with one system user per student, "jovyan" in a container, and the
# hub's own user for every student under a test spawner). Instructors keep student_id = '*' (all
# students) for nbgrader collect.
# 仅学生：提交以 hub 的用户名登记（教师保持默认的 '*'，nbgrader collect 才会收集所有学生）。
import os

c = get_config()  # noqa: F821  (provided by nbgrader when it reads this file)
if os.environ.get("JUPYTERHUB_USER"):
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
