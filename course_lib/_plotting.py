"""Chinese text in matplotlib plots: a CJK font behind the Latin one.

让 matplotlib 图中的中文正常显示：拉丁字母用 DejaVu Sans，其余字形（中文）回退到一个 CJK 字体。

``import course_lib`` imports no matplotlib (it stays fast); it leaves a finder on
``sys.meta_path`` that waits for ``matplotlib.font_manager`` — loaded by ``import
matplotlib.pyplot`` and by anything that draws text — and then :func:`configure` sets
``rcParams["font.family"] = ["sans-serif", <CJK family>]``: matplotlib (≥ 3.6) draws each glyph
with the first family in that list that has it, so Latin text keeps ``font.sans-serif``'s first
font (DejaVu Sans) and Chinese falls back to the CJK font. A ``font.family`` the user set
themselves is left alone.

The CJK font is the first of :data:`CJK_FAMILIES` that matplotlib knows, else Noto Sans CJK from
the pip package ``noto-cjk-sans-otc`` (a course dependency, so a laptop without apt has it too,
and matplotlib's font cache, built before a system font was installed, does not hide it).
"""
from __future__ import annotations

import sys
import warnings

TRIGGER = "matplotlib.font_manager"

#: CJK families in order of preference: Simplified Chinese first, then what Windows, macOS and
#: Linux ship; "Noto Sans CJK JP" is the first face of Noto's collection (older matplotlib
#: reads only that one), it holds every Chinese glyph too.
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC",
                "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC", "SimHei",
                "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Sans CJK JP",
                "Source Han Sans", "Arial Unicode MS")


def bundled_font():
    """Path of the Noto Sans CJK collection of the pip package ``noto-cjk-sans-otc``, or None."""
    try:
        from noto_cjk_sans_otc import FONT_PATH
    except ImportError:
        return None
    path = str(FONT_PATH)
    import os
    return path if os.path.isfile(path) else None


def cjk_family(font_manager=None) -> str | None:
    """The CJK family matplotlib will use: a known one, else the bundled font (added once)."""
    if font_manager is None:
        from matplotlib import font_manager
    fm = font_manager.fontManager
    for attempt in range(2):
        have = {f.name for f in fm.ttflist}
        for name in CJK_FAMILIES:
            if name in have:
                return name
        path = bundled_font() if attempt == 0 else None
        if path is None:
            return None
        fm.addfont(path)
    return None


def configure() -> str | None:
    """Put the CJK family behind the Latin one in ``font.family``; return the family (None when
    no CJK font is found: then a bilingual warning says how to get one)."""
    import matplotlib
    family = cjk_family()
    if family is None:
        warnings.warn("matplotlib 找不到中文字体，图中的中文会显示为方框：请运行 "
                      "`pip install noto-cjk-sans-otc` / matplotlib finds no CJK font, Chinese "
                      "text in plots shows as boxes: run `pip install noto-cjk-sans-otc`",
                      stacklevel=2)
        return None
    rc = matplotlib.rcParams
    if list(rc["font.family"]) == ["sans-serif"]:  # matplotlib's default: nobody chose another
        rc["font.family"] = ["sans-serif", family]
    return family


def _configure_or_warn() -> None:
    try:
        configure()
    except Exception as e:  # noqa: BLE001  (a font problem must not break matplotlib's import)
        warnings.warn(f"中文字体设置失败 / setting up the CJK font failed: {e!r}", stacklevel=3)


class _ThenConfigure:
    """The loader of ``matplotlib.font_manager``, then :func:`configure` once it has run."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        module.__loader__ = module.__spec__.loader = self.loader  # as if we had never been here
        self.loader.exec_module(module)
        _configure_or_warn()


class _FontHook:
    """Meta-path finder that wraps the loader of ``matplotlib.font_manager`` (one use)."""

    def find_spec(self, name, path, target=None):
        if name != TRIGGER:
            return None
        uninstall()
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find is not None else None
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _ThenConfigure(spec.loader)
        return spec


_HOOK = _FontHook()


def install() -> None:
    """Configure when matplotlib's font manager loads (now, if it already has)."""
    if TRIGGER in sys.modules:
        _configure_or_warn()
    elif _HOOK not in sys.meta_path:
        sys.meta_path.insert(0, _HOOK)


def uninstall() -> None:
    if _HOOK in sys.meta_path:
        sys.meta_path.remove(_HOOK)
