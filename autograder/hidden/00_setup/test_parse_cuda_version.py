"""Hidden cases for 00_setup / parse_cuda_version (nvcc -V output -> 'major.minor')."""
from autograder.cases import case


def _nvcc(release, build, built="Built on Wed_Aug_20_01:58:59_PM_PDT_2025", newline="\n"):
    return newline.join([
        "nvcc: NVIDIA (R) Cuda compiler driver",
        "Copyright (c) 2005-2025 NVIDIA Corporation",
        built,
        f"Cuda compilation tools, release {release}, V{build}",
        f"Build cuda_{release}.r{release}/compiler.36424714_0",
    ])


@case("CUDA 12.1 工具包 / CUDA 12.1 toolkit")
def cuda_12_1(piece, torch, np):
    return piece(_nvcc("12.1", "12.1.105"))


@case("CUDA 13.0 工具包 / CUDA 13.0 toolkit")
def cuda_13_0(piece, torch, np):
    return piece(_nvcc("13.0", "13.0.88"))


@case("CUDA 11.8（三段构建号）/ CUDA 11.8 (build number V11.8.89)")
def cuda_11_8(piece, torch, np):
    return piece(_nvcc("11.8", "11.8.89"))


@case("很旧的 CUDA 9.0 / very old CUDA 9.0")
def cuda_9_0(piece, torch, np):
    return piece(_nvcc("9.0", "9.0.176", built="Built on Mon_Sep__4_21:41:40_CDT_2017"))


@case("Windows 换行符 \\r\\n / Windows line endings")
def windows_newlines(piece, torch, np):
    return piece(_nvcc("12.4", "12.4.131", newline="\r\n"))


@case("只有 release 这一行 / the release line alone")
def release_line(piece, torch, np):
    return piece("Cuda compilation tools, release 10.2, V10.2.89")


@case("没有 nvcc → None / nvcc missing → None")
def missing(piece, torch, np):
    return piece("Command 'nvcc' not found, but can be installed with:\nsudo apt install nvidia-cuda-toolkit")


@case("只有 Build 行、没有 release → None / Build line without release → None")
def build_only(piece, torch, np):
    return piece("Build cuda_12.1.r12.1/compiler.32688072_0")


@case("空字符串 → None / empty string → None")
def empty(piece, torch, np):
    return piece("")


@case("中文系统的报错 → None / an error message in Chinese → None")
def localised(piece, torch, np):
    return piece("找不到命令 “nvcc”，但可以通过以下软件包安装：\nsudo apt install nvidia-cuda-toolkit")
