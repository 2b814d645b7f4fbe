"""Hidden cases for 00_setup / compare_versions(a, b) -> -1, 0 or 1 (PEP 440 order)."""
from autograder.cases import case


@case("发布号按整数比较 / release numbers compare as integers")
def integers(piece, torch, np):
    return (piece("12.10", "12.9"), piece("1.26.4", "1.3"), piece("0.9.6", "0.10.0"), piece("2.1", "2.1"))


@case("末尾的 0 不算 / trailing zeros do not count")
def trailing_zeros(piece, torch, np):
    return (piece("2.0", "2.0.0"), piece("2", "2.0.0.0"), piece("2.0.1", "2"), piece("0", "0.0"))


@case("本地标签被忽略 / local labels ignored")
def local_label(piece, torch, np):
    return (piece("2.13.0+cpu", "2.13.0"), piece("2.13.0+cu121", "2.13.0+cpu"), piece("2.13.0+cpu", "2.0"),
            piece("1.2+local.7", "1.3"))


@case("预发布排在正式版之前 / pre-releases before the release")
def pre_releases(piece, torch, np):
    return (piece("1.0a1", "1.0"), piece("1.0a2", "1.0b1"), piece("1.0b2", "1.0rc1"), piece("1.0rc1", "1.0"),
            piece("1.0rc2", "1.0rc10"), piece("1.0a", "1.0a0"))


@case(".dev 与 .post 的位置 / where .dev and .post go")
def dev_post(piece, torch, np):
    return (piece("1.0.dev0", "1.0a1"), piece("1.0.post1", "1.0"), piece("1.0.post1", "1.0.1"),
            piece("1.0rc1.dev0", "1.0rc1"), piece("1.0.post1.dev2", "1.0.post1"),
            piece("1.0.post1.dev2", "1.0"), piece("1.0a1.post2", "1.0a2"))


@case("前缀 v、大小写与空白 / leading v, case and blanks")
def spelling(piece, torch, np):
    return (piece("v1.2", "1.2"), piece("1.0RC1", "1.0rc1"), piece(" 3.11.9 ", "3.11.9"), piece("V2.0", "1.99"))


@case("真实的包版本 / real package versions")
def real_versions(piece, torch, np):
    pairs = [("2.5.2", "1.26"), ("0.9.6", "0.9.6"), ("3.12.0rc1", "3.12.0"), ("3.12.0rc1", "3.11.9"),
             ("580.159.04", "580.65.06"), ("525.60.13", "525.60.13"), ("450.36.06", "450.80.02")]
    return tuple(piece(a, b) for a, b in pairs)


@case("非法版本号 → ValueError / malformed version → ValueError")
def malformed(piece, torch, np):
    return piece("abc", "1.0")


@case("空字符串 → ValueError / empty string → ValueError")
def empty(piece, torch, np):
    return piece("1.0", "")


@case("1.0-beta 这类写法 → ValueError / spellings such as 1.0-beta → ValueError")
def unsupported_spelling(piece, torch, np):
    return piece("1.0", "1.0-beta")
