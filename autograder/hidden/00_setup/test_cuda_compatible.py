"""Hidden cases for 00_setup / cuda_compatible(driver_cuda, runtime_cuda, driver_version=None)
-> 'yes' | 'minor' | 'no' | None (NVIDIA's backward and minor-version compatibility)."""
from autograder.cases import case


@case("运行时较旧或相同 → yes / older or same runtime → yes")
def older_runtime(piece, torch, np):
    return (piece("12.2", "12.1"), piece("12.2", "12.2"), piece("13.0", "12.8"), piece("12.4", "11.8"))


@case("同一主版本内更新的运行时 → minor / newer runtime of the same major → minor")
def same_major_newer(piece, torch, np):
    return (piece("12.2", "12.4"), piece("13.0", "13.2"), piece("11.4", "11.8"))


@case("真实 GPU：驱动 580.159.04（CUDA 13.0），cupy 运行时 13.2 / real GPU: driver 580.159.04 (CUDA 13.0), cupy runtime 13.2")
def real_h200(piece, torch, np):
    return piece("13.0", "13.2", "580.159.04")


@case("主版本更高的运行时 → no / runtime of a newer major → no")
def newer_major(piece, torch, np):
    return (piece("11.8", "12.0"), piece("12.9", "13.0"), piece("11.4", "12.4", "470.82.01"))


@case("CUDA 11 之前没有次版本兼容 / no minor-version compatibility before CUDA 11")
def before_11(piece, torch, np):
    return (piece("10.1", "10.2"), piece("10.2", "10.1"), piece("9.0", "9.2"))


@case("驱动低于最低驱动 → no / a driver below the minimum → no")
def minimum_driver(piece, torch, np):
    return (piece("11.0", "11.8", "450.36.06"), piece("11.0", "11.8", "450.80.02"),
            piece("11.0", "11.2", "450.102.04"), piece("12.0", "12.6", "525.60.13"),
            piece("12.0", "12.6", "525.60.11"), piece("12.0", "12.6", "525.105.17"))


@case("按数字比较，第三段忽略，只有主版本 / numbers, third part ignored, bare major")
def spelling(piece, torch, np):
    return (piece("12.10", "12.9"), piece("12.9", "12.10"), piece("12.2", "12.2.140"),
            piece("12.1", "12.2.0"), piece("12", "11.8"), piece("12", "12.0"), piece("13", "13.1"))


@case("表中没有的主版本：不查最低驱动 / a major not in the table: no minimum to check")
def unknown_major(piece, torch, np):
    return (piece("14.0", "14.1", "600.10"), piece("14.1", "14.0", "600.10"))


@case("缺少版本（None）→ None / a missing version (None) → None")
def none_versions(piece, torch, np):
    return (piece(None, "12.1"), piece("12.2", None), piece(None, None), piece(None, "12.1", "535.104.05"))


@case("非法版本号 → ValueError / malformed version → ValueError")
def malformed(piece, torch, np):
    return piece("abc", "12.1")


@case("非法驱动版本号 → ValueError / malformed driver version → ValueError")
def malformed_driver(piece, torch, np):
    return piece("12.2", "12.4", "驱动")
