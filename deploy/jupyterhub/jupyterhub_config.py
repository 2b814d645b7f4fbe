# JupyterHub for a class on one server (tested end to end by tests/test_jupyterhub.py).
# 一台服务器上给全班使用的 JupyterHub 配置（tests/test_jupyterhub.py 端到端测试过）。
#
#   jupyterhub -f deploy/jupyterhub/jupyterhub_config.py      (run as root: it starts each user's
#   server as that system user; 以 root 运行，每个学生的服务器以该学生的系统用户运行)
#
# Two environments 两个环境:
# - STUDENT_ENV: a venv/conda prefix holding the STUDENT course only (course release's folder,
#   pip-installed, plus jupyterhub of the hub's version), never this repository (answers, hidden
#   cases). 学生环境：只安装学生课程（course release 生成的文件夹）与同版本 jupyterhub，绝不安装本仓库。
#     python3 -m venv /opt/course-student
#     /opt/course-student/bin/pip install ./build/student-course "jupyterhub==<hub's version>"
# - INSTRUCTOR_ENV: this repository's environment (course grade/feedback, formgrader); by default
#   the one the hub runs in. 教师环境：本仓库的环境（默认即运行 hub 的环境）。
#
# What an instructor changes (edit here or set the environment variable before starting the hub)
# 教师需要修改的（在此修改，或启动 hub 前设置环境变量）:
#   COURSE_ID            nbgrader's course id 课程编号
#   COURSE_EXCHANGE      nbgrader's exchange root, shared by everyone (create it once:
#                        mkdir -p /srv/nbgrader/exchange && chmod 777 /srv/nbgrader/exchange)
#   COURSE_STUDENT_ENV   the student environment (above) 学生环境
#   COURSE_INSTRUCTORS   instructors' user names, comma-separated; they are hub admins and get the
#                        instructor environment 教师用户名（逗号分隔），他们是管理员并使用教师环境
#   COURSE_UI_LANG       zh (default: Chinese UI where the zh-CN language pack is installed) or en
#   COURSE_HUB_URL       where the hub listens 监听地址 (put HTTPS in front of it, or set
#                        c.JupyterHub.ssl_cert / ssl_key below)
# and the authenticator (PAM, i.e. the machine's accounts, by default; an LMS/OAuth one for a
# university), c.Authenticator.allowed_users (or allow_all), resource limits.
# 以及认证方式（默认 PAM，即本机账号）、允许的用户、资源限制。
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COURSE_ID = os.environ.get("COURSE_ID", "course101")
EXCHANGE = os.environ.get("COURSE_EXCHANGE", "/srv/nbgrader/exchange")
STUDENT_ENV = os.environ.get("COURSE_STUDENT_ENV", "/opt/course-student")
INSTRUCTOR_ENV = os.environ.get("COURSE_INSTRUCTOR_ENV", sys.prefix)
INSTRUCTORS = {u.strip() for u in os.environ.get("COURSE_INSTRUCTORS", "instructor").split(",")
               if u.strip()}
UI_LANG = "zh" if os.environ.get("COURSE_UI_LANG", "zh").lower().startswith("zh") else "en"

c = get_config()  # noqa: F821  (provided by JupyterHub when it reads this file)
c.JupyterHub.bind_url = os.environ.get("COURSE_HUB_URL", "http://0.0.0.0:8000")
# configurable-http-proxy from the npm registry (.ci/run installs it in build/node/)
_chp = HERE.parents[1] / "build" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
if _chp.exists():
    c.ConfigurableHTTPProxy.command = [str(_chp)]

c.Authenticator.admin_users = set(INSTRUCTORS)
c.Spawner.default_url = "/lab"
# Users' servers see only what is set here: no PYTHONPATH or PATH of the hub (the student kernel
# must never import this repository), no ~/.jupyter config (it could re-enable formgrader).
c.Spawner.env_keep = ["LANG", "LC_ALL"]
c.Spawner.disable_user_config = True


def _environment(spawner) -> None:
    """Each user's server: the student environment and the student Jupyter config, or the
    instructor environment for instructors."""
    instructor = spawner.user.name in INSTRUCTORS
    prefix = Path(INSTRUCTOR_ENV if instructor else STUDENT_ENV)
    python = prefix / "bin" / "python"
    if not python.exists():
        raise RuntimeError(f"环境不存在 / no such environment: {prefix} (COURSE_"
                           f"{'INSTRUCTOR' if instructor else 'STUDENT'}_ENV)")
    # jupyterhub-singleuser of that environment, so the kernels (python3 = that python) import
    # what is installed there: the student build of course_lib for students.
    spawner.cmd = [str(python), "-m", "jupyterhub.singleuser"]
    config = ([] if instructor else [HERE / "students"]) + [HERE / "jupyter"]
    spawner.environment = dict(
        spawner.environment,
        PATH=f"{prefix / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        JUPYTER_CONFIG_PATH=os.pathsep.join(map(str, config)),
        COURSE_ID=COURSE_ID, COURSE_EXCHANGE=EXCHANGE, COURSE_UI_LANG=UI_LANG)


c.Spawner.pre_spawn_hook = _environment
