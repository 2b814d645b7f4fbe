"""Hidden cases for 00_setup / check_requirements(requirements, installed) -> [(name, version, ok)]."""
from autograder.cases import case

_ENV = {"numpy": "1.26.4", "torch": "2.13.0+cpu", "jupyterlab": "4.2.5", "nbgrader": "0.9.6",
        "python": "3.11.9", "pyyaml": "6.0.2", "scikit-learn": "1.5.2", "cupy-cuda12x": "13.3.0",
        "rc-lib": "3.12.0rc1"}


@case("课程的 pyproject 依赖 / the course's pyproject dependencies")
def course_deps(piece, torch, np):
    return piece(["numpy>=1.26", "nbgrader==0.9.6", "jupyterlab>=4.2", "PyYAML>=6.0", "scikit-learn>=1.4",
                  "matplotlib>=3.8"], _ENV)


@case("版本太旧或太新 / too old or too new")
def too_old(piece, torch, np):
    return piece(["numpy>=2.0", "jupyterlab<4", "nbgrader!=0.9.6", "torch>2.13", "torch<=2.13.0"], _ENV)


@case("多个条件与空白 / several conditions and blanks")
def ranges(piece, torch, np):
    return piece(["jupyterlab >= 4.2, < 5", "numpy>=1.26,<2", "numpy >=1.20 , !=1.26.4", "torch>=2.0,<2.13"], _ENV)


@case("conda 写法 name=version（前缀）/ conda's name=version (prefix)")
def conda_prefix(piece, torch, np):
    return piece(["python=3.11", "python=3.1", "python=3", "nbgrader=0.9.6", "numpy=1.2", "rc-lib=3.12"], _ENV)


@case("==X.*、!=X.* 与 ~= / ==X.*, !=X.* and ~=")
def wildcards(piece, torch, np):
    return piece(["numpy==1.26.*", "numpy==1.2.*", "numpy!=1.*", "jupyterlab~=4.2", "jupyterlab~=4.3",
                  "jupyterlab~=4.2.5", "rc-lib==3.12.*", "rc-lib==3.11.*"], _ENV)


@case("本地标签：==2.13.0 满足 2.13.0+cpu / local label: ==2.13.0 accepts 2.13.0+cpu")
def local(piece, torch, np):
    return piece(["torch==2.13.0", "torch>=2.0", "torch===2.13.0+cpu", "torch===2.13.0"], _ENV)


@case("没装的包、extras、标记与大小写 / missing packages, extras, markers and case")
def names(piece, torch, np):
    return piece(["cupy-cuda13x", "Cupy_CUDA12x>=13", "scikit_learn[alldeps]>=1.4",
                  'pytest>=8; extra == "dev"', "NumPy"], _ENV)


@case("空行、注释与 -e 行被跳过；Windows 换行符 / blank, comment and -e lines skipped; Windows line endings")
def skipped(piece, torch, np):
    return piece(["", "# 开发依赖 / development", "-e .", "--index-url https://x", "numpy>=1.26\r",
                  "  nbgrader==0.9.6  "], _ENV)


@case("没有要求、没有安装 / no requirements, nothing installed")
def empty(piece, torch, np):
    return (piece([], _ENV), piece(["numpy>=1.26", "pip"], {}))


@case("无法解析的要求 → ValueError / unparsable requirement → ValueError")
def malformed(piece, torch, np):
    return piece(["numpy>>1.26"], _ENV)


@case("没有包名 → ValueError / no package name → ValueError")
def no_name(piece, torch, np):
    return piece([">=1.0"], _ENV)
