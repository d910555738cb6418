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


def _faces(path: Path) -> list:
    """The faces of a font file (fontTools, lazy: tables are read when asked for)."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        return TTCollection(str(path), lazy=True).fonts if path.suffix.lower() == ".ttc" else [
            TTFont(str(path), lazy=True)]
    except Exception:
        return []


def _family(font, path: Path) -> str | None:
    try:
        return font["name"].getBestFamilyName() or path.stem
    except Exception:
        return None


def _covers_chinese(font) -> bool:
    try:
        cmap = font.getBestCmap() or {}
    except Exception:
        return False
    return all(ord(c) in cmap for c in PROBE)


def _pick(path: Path) -> FontFile | None:
    """The simplified-Chinese face of a file if it has one, else any face with
    Chinese glyphs. Names are read first and the glyph map only of the faces
    in question: a CJK collection holds ten faces, and reading a face's glyph
    map costs about a second, on every command that draws Chinese."""
    faces = [(i, font, family) for i, font in enumerate(_faces(path)) if (family := _family(font, path))]
    simplified = [face for face in faces if face[2].endswith(" SC") or " SC " in face[2]]
    for i, font, family in simplified + faces:
        if _covers_chinese(font):
            return FontFile(str(path), i, family)
    return None


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
