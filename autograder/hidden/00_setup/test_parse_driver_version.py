"""Hidden cases for 00_setup / parse_driver_version (nvidia-smi output -> driver version)."""
from autograder.cases import case

_RTX3090 = """\
+---------------------------------------------------------------------------------------+
| NVIDIA-SMI 535.104.05             Driver Version: 535.104.05   CUDA Version: 12.2     |
|-----------------------------------------+----------------------+----------------------+
|   0  NVIDIA GeForce RTX 3090        Off | 00000000:01:00.0 Off |                  N/A |
+-----------------------------------------+----------------------+----------------------+
"""

_TWO_A100 = """\
Mon Mar  3 09:14:02 2025
+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI 560.35.03              Driver Version: 560.35.03      CUDA Version: 12.6     |
|-----------------------------------------+------------------------+----------------------+
| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |
|=========================================+========================+======================|
|   0  NVIDIA A100-SXM4-80GB          On  |   00000000:07:00.0 Off |                    0 |
| N/A   31C    P0             61W /  400W |       4MiB /  81920MiB |      0%      Default |
|   1  NVIDIA A100-SXM4-80GB          On  |   00000000:0F:00.0 Off |                    0 |
| N/A   30C    P0             59W /  400W |       4MiB /  81920MiB |      0%      Default |
+-----------------------------------------+------------------------+----------------------+
"""


@case("典型 Linux 输出（RTX 3090）/ typical Linux output (RTX 3090)")
def linux_rtx3090(piece, torch, np):
    return piece(_RTX3090)


@case("新版表格、两块 A100 / newer table layout, two A100s")
def two_a100(piece, torch, np):
    return piece(_TWO_A100)


@case("旧驱动 470 / old 470 driver")
def old_driver(piece, torch, np):
    return piece("| NVIDIA-SMI 470.82.01    Driver Version: 470.82.01    CUDA Version: 11.4     |")


@case("Windows 驱动（两段版本号）/ Windows driver (two-part version)")
def windows_two_parts(piece, torch, np):
    return piece("| NVIDIA-SMI 546.33                 Driver Version: 546.33         CUDA Version: 12.3     |")


@case("版本号在文本末尾 / version at the very end of the text")
def at_end(piece, torch, np):
    return piece("Driver Version: 525.60.13")


@case("驱动无法通信 → None / driver not reachable → None")
def failed(piece, torch, np):
    return piece("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
                 "Make sure that the latest NVIDIA driver is installed and running.")


@case("驱动与库版本不匹配 → None / driver/library version mismatch → None")
def mismatch(piece, torch, np):
    return piece("Failed to initialize NVML: Driver/library version mismatch\nNVML library version: 535.183")


@case("命令不存在 → None / command not found → None")
def not_found(piece, torch, np):
    return piece("bash: nvidia-smi: command not found")


@case("空字符串 → None / empty string → None")
def empty(piece, torch, np):
    return piece("")


@case("Windows 换行符 \\r\\n / Windows line endings")
def windows_newlines(piece, torch, np):
    return piece(_RTX3090.replace("\n", "\r\n"))


@case("中文系统的报错 → None / an error message in Chinese → None")
def localised(piece, torch, np):
    return piece("bash: nvidia-smi：未找到命令\n错误：无法与 NVIDIA 驱动通信")
