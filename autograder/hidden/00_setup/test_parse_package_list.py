"""Hidden cases for 00_setup / parse_package_list (pip list --format=freeze / conda list -> {name: version})."""
from autograder.cases import case


def _items(piece, text):
    """The result's type and its items in name order (the grader compares dicts by position)."""
    packages = piece(text)
    return type(packages).__name__, sorted(packages.items())

_CONDA = """\
# packages in environment at /home/ana/miniforge3/envs/course:
#
# Name                    Version                   Build  Channel
_libgcc_mutex             0.1                 conda_forge    conda-forge
ca-certificates           2024.8.30            hbcca054_0    conda-forge
course-lib                0.1.0                    pypi_0    pypi
jupyterlab                4.2.5              pyhd8ed1ab_0    conda-forge
numpy                     1.26.4          py311h64a7726_0    conda-forge
python                    3.11.9          hb806964_0_cpython    conda-forge
typing_extensions         4.12.2             pyha770c72_0    conda-forge
"""


@case("pip freeze 格式 / pip freeze format")
def pip_freeze(piece, torch, np):
    return _items(piece, "numpy==1.26.4\nnbgrader==0.9.6\ntorch==2.13.0+cpu\njupyterlab==4.2.5\n")


@case("包名规范化（大小写、_ 与 .）/ names normalised (case, _ and .)")
def normalised(piece, torch, np):
    return _items(piece, "Jinja2==3.1.4\ntyping_extensions==4.12.2\nzope.interface==7.0.3\nPyYAML==6.0.2\n"
                 "ruamel.yaml.clib==0.2.8\nA__b-._C==1.0")


@case("conda list 的列格式 / conda list columns")
def conda_list(piece, torch, np):
    return _items(piece, _CONDA)


@case("Windows 换行符 \\r\\n / Windows line endings")
def windows_newlines(piece, torch, np):
    return _items(piece, "numpy==2.1.3\r\nscipy==1.14.1\r\nmatplotlib==3.9.2\r\n")


@case("空输出 → {} / empty output → {}")
def empty(piece, torch, np):
    return (piece(""), piece("\n\n  \n"))


@case("警告、报错与中文提示被忽略 / warnings, errors and Chinese text ignored")
def garbage(piece, torch, np):
    return _items(piece, "WARNING: Ignoring invalid distribution ~umpy (/opt/env/lib/python3.11/site-packages)\n"
                 "numpy==1.26.4\n"
                 "错误：找不到命令 conda\n"
                 "ERROR: Exception:\nTraceback (most recent call last):\n"
                 "  File \"<stdin>\", line 1\n"
                 "注意：版本 1.0 已过期\n"
                 "pip==24.2\n")


@case("可编辑安装与直接引用 / editable installs and direct references")
def editable(piece, torch, np):
    return _items(piece, "-e git+https://github.com/x/y.git@abc123#egg=ylib\n"
                 "course-lib==0.1.0\n"
                 "mylib @ file:///home/ana/mylib\n"
                 "other===1.0-weird\n")


@case("pip list 的表格格式 / pip list table format")
def pip_table(piece, torch, np):
    return _items(piece, "Package    Version\n---------- -------\nnumpy      1.26.4\npip        24.2\n"
                 "course-lib 0.1.0   /work/course\n")


@case("同名出现两次取后者；版本不以数字开头的行跳过 / a later line wins; versions not starting with a digit skipped")
def later_wins(piece, torch, np):
    return _items(piece, "numpy==1.24.0\nNumPy==1.26.4\nfoo==dev\nbar  unknown  pypi_0  pypi\n")


@case("None → {} / None → {}")
def none_text(piece, torch, np):
    return _items(piece, None)
