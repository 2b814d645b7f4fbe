# Everyone's JupyterLab on the hub: the UI language as a default (COURSE_UI_LANG=zh: Chinese, shown
# where the zh-CN language pack is installed, as it is in the student course's environment); a
# language picked in Settings ▸ Language still wins.
# hub 上所有人的 JupyterLab：默认界面语言（zh 为中文，需要 zh-CN 语言包；学生课程的环境已包含）。
import os
from pathlib import Path

lang = "zh" if os.environ.get("COURSE_UI_LANG", "zh").lower().startswith("zh") else "en"
c = get_config()  # noqa: F821  (provided by Jupyter when it reads this file)
c.LabApp.app_settings_dir = str(Path(__file__).resolve().parent / "settings" / lang)
