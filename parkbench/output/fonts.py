"""Where the CJK font is: chart images, the briefing PDF and PNG all draw
Chinese with a registered font file, never with whatever the renderer falls
back to (which draws missing-glyph boxes on a machine without one).

``make run`` and ``make test`` install fonts-noto-cjk where they can
(scripts/ensure_fonts.sh); ``PARKBENCH_FONT_DIR`` adds a folder of fonts
(for instance one shipped beside a deployment).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from parkbench.errors import FontMissing

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts",
             "/Library/Fonts", "/System/Library/Fonts", "C:/Windows/Fonts")
# Preferred files, best first; any other font with Chinese glyphs is a fallback.
PREFERRED = ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf",
             "SourceHanSansSC-Regular.otf", "wqy-zenhei.ttc", "wqy-microhei.ttc", "msyh.ttc", "simhei.ttf",
             "PingFang.ttc", "DroidSansFallbackFull.ttf")
PREFERRED_BOLD = ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf", "NotoSansSC-Bold.otf",
                  "SourceHanSansSC-Bold.otf", "msyhbd.ttc")
PROBE = "亩均税收园区"


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int  # face number inside a .ttc collection
    family: str


def font_dirs() -> list[Path]:
    extra = os.environ.get("PARKBENCH_FONT_DIR")
    dirs = [Path(extra)] if extra else []
    dirs += [Path(d).expanduser() for d in FONT_DIRS]
    return [d for d in dirs if d.is_dir()]


def _faces(path: Path) -> list[tuple[int, str, bool]]:
    """(index, family, covers Chinese) of each face in a font file."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        fonts = TTCollection(str(path), lazy=True).fonts if path.suffix.lower() == ".ttc" else [
            TTFont(str(path), lazy=True)]
    except Exception:
        return []
    faces = []
    for index, font in enumerate(fonts):
        try:
            family = font["name"].getBestFamilyName() or path.stem
            cmap = font.getBestCmap() or {}
        except Exception:
            continue
        faces.append((index, family, all(ord(c) in cmap for c in PROBE)))
    return faces


def _pick(path: Path) -> FontFile | None:
    """The simplified-Chinese face of a file if it has one, else any face with Chinese glyphs."""
    faces = [(i, fam) for i, fam, ok in _faces(path) if ok]
    if not faces:
        return None
    for i, fam in faces:
        if fam.endswith(" SC") or " SC " in fam:
            return FontFile(str(path), i, fam)
    return FontFile(str(path), *faces[0])


def _search(names: tuple[str, ...], any_cjk: bool) -> FontFile | None:
    dirs = font_dirs()
    for name in names:
        for directory in dirs:
            for path in directory.rglob(name):
                found = _pick(path)
                if found:
                    return found
    if any_cjk:
        for directory in dirs:
            for path in sorted(directory.rglob("*")):
                if path.suffix.lower() in (".ttf", ".otf", ".ttc") and (found := _pick(path)):
                    return found
    return None


@functools.cache
def cjk_font(bold: bool = False) -> FontFile:
    """The font file to draw Chinese with (bold falls back to regular)."""
    found = _search(PREFERRED_BOLD, any_cjk=False) if bold else None
    found = found or _search(PREFERRED, any_cjk=True)
    if found is None:
        raise FontMissing("找不到中文字体：请安装 fonts-noto-cjk（sudo apt-get install fonts-noto-cjk），"
                          "或用环境变量 PARKBENCH_FONT_DIR 指定字体目录")
    return found
