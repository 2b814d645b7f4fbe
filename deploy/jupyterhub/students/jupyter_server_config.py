# Students' servers only (the hub puts this folder first on their JUPYTER_CONFIG_PATH): nbgrader's
# student extensions (Assignments tab: fetch, submit, fetch feedback; Validate), not the
# instructor's formgrader, which nbgrader's pip install enables for everyone. labconfig/ hides the
# instructor's JupyterLab plugins (formgrader, create assignment, course list).
# 仅学生的服务器：启用 nbgrader 的学生扩展（Assignments 面板、Validate），关闭教师用的 formgrader
# （pip 安装 nbgrader 时默认对所有人启用）；labconfig/ 隐藏教师用的 JupyterLab 插件。
c = get_config()  # noqa: F821  (provided by Jupyter when it reads this file)
c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.assignment_list": True,
    "nbgrader.server_extensions.validate_assignment": True,
    "nbgrader.server_extensions.course_list": True,
    "nbgrader.server_extensions.formgrader": False,
}
