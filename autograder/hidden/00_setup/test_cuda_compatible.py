"""Hidden cases for 00_setup / cuda_compatible(driver_cuda, runtime_cuda) -> bool."""
from autograder.cases import case


@case("运行时较旧 → 兼容 / older runtime → fits")
def older_runtime(piece, torch, np):
    return piece("12.2", "12.1")


@case("版本相同 → 兼容 / same version → fits")
def same(piece, torch, np):
    return piece("12.2", "12.2")


@case("运行时较新 → 不兼容 / newer runtime → does not fit")
def newer_runtime(piece, torch, np):
    return piece("12.2", "12.4")


@case("主版本更高的运行时 → 不兼容 / runtime of a newer major → does not fit")
def newer_major(piece, torch, np):
    return piece("11.8", "12.0")


@case("主版本更高的驱动 → 兼容 / driver of a newer major → fits")
def driver_newer_major(piece, torch, np):
    return piece("13.0", "12.8")


@case("12.10 与 12.9 按数字比较 / 12.10 vs 12.9 compared as numbers")
def two_digit_minor(piece, torch, np):
    return (piece("12.10", "12.9"), piece("12.9", "12.10"))


@case("忽略第三段 / third part ignored")
def three_parts(piece, torch, np):
    return (piece("12.2", "12.1.105"), piece("12.2", "12.2.140"), piece("12.1", "12.2.0"))


@case("只有主版本 / bare major version")
def bare_major(piece, torch, np):
    return (piece("12", "11.8"), piece("12", "12.0"), piece("11", "11.1"))


@case("缺少版本（None）→ False / a missing version (None) → False")
def none_versions(piece, torch, np):
    return (piece(None, "12.1"), piece("12.2", None), piece(None, None))


@case("非法版本号 → ValueError / malformed version → ValueError")
def malformed(piece, torch, np):
    return piece("abc", "12.1")
