#!/usr/bin/env bash
# A CJK font for chart images and briefings (parkbench/fonts.py): installs
# fonts-noto-cjk when no font with Chinese glyphs is found and this is root
# with apt-get; otherwise says how and exits 0 (the app then names the
# missing font in Chinese when an image is asked for).
set -u
if [ -n "${PARKBENCH_FONT_DIR:-}" ] && [ -d "$PARKBENCH_FONT_DIR" ]; then exit 0; fi
if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]; then exit 0; fi
if ls /usr/share/fonts/opentype/noto 2>/dev/null | grep -q CJK; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure_fonts: installing fonts-noto-cjk (apt-get)…"
    export DEBIAN_FRONTEND=noninteractive
    if apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-noto-cjk >/dev/null; then
        exit 0
    fi
fi
echo "ensure_fonts: no Chinese font found. Install one: sudo apt-get install fonts-noto-cjk," \
     "or set PARKBENCH_FONT_DIR to a folder with NotoSansCJK-Regular.ttc" >&2
exit 0
