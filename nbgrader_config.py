# nbgrader's own commands (nbgrader generate_assignment, autograde, ...) run from the repo
# root use the course's configuration. 在仓库根目录运行 nbgrader 自带命令时使用课程配置。
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from autograder.config import load  # noqa: E402

load(get_config())  # noqa: F821  (provided by nbgrader when it reads this file)
