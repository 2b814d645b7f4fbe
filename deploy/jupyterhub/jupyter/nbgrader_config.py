# nbgrader for everyone's server on the hub (students and instructors; the hub puts this folder on
# JUPYTER_CONFIG_PATH and sets the variables from jupyterhub_config.py).
# hub 上所有人的 nbgrader 配置：exchange 与课程编号来自 jupyterhub_config.py。
import os

c = get_config()  # noqa: F821  (provided by nbgrader when it reads this file)
c.Exchange.root = os.environ.get("COURSE_EXCHANGE", "/srv/nbgrader/exchange")
c.CourseDirectory.course_id = os.environ.get("COURSE_ID", "course101")
