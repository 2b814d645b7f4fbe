# `make lab` 的 JupyterLab 配置 / JupyterLab configuration used by `make lab`:
#   jupyter lab --config=autograder/jupyter/jupyter_lab_config.py
# - 只在本机监听，打开课程文件夹（$COURSE_LESSONS_DIR，否则当前目录）/ listen on localhost only,
#   open the course folder ($COURSE_LESSONS_DIR, else the current directory)
# - 界面语言：COURSE_UI_LANG=zh → 中文（jupyterlab-language-pack-zh-CN），否则英文；通过
#   settings/<lang>/overrides.json 设置默认值，用户在菜单里改的语言仍然优先。
#   UI language: COURSE_UI_LANG=zh → Chinese (zh-CN language pack), else English, as a default in
#   settings/<lang>/overrides.json; a language the user picks in the menu still wins.
# 学生版 course_lib 由 Makefile 放在 PYTHONPATH 最前面 / the Makefile puts the student build of
# course_lib first on PYTHONPATH, so kernels (and nbgrader Validate) import it.
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
lang = "zh" if os.environ.get("COURSE_UI_LANG", "").lower().startswith("zh") else "en"

c = get_config()  # noqa: F821  (provided by Jupyter when it reads this file)
c.ServerApp.ip = "127.0.0.1"
c.ServerApp.root_dir = os.environ.get("COURSE_LESSONS_DIR") or os.getcwd()
c.ServerApp.preferred_dir = c.ServerApp.root_dir
c.LabApp.app_settings_dir = str(HERE / "settings" / lang)
