#!/usr/bin/env bash
# Browser prerequisites for the end-to-end tests: Debian's chromium and a CJK
# font (fonts-noto-cjk) so Chinese renders in screenshots. Playwright cannot
# download its own browser on our machines; the tests drive /usr/bin/chromium.
#
# Installs what is missing when it can (root with apt-get). Where it cannot, it
# says how and exits 0: the browser tests then fail with the same advice, so
# the rest of the suite still runs and nothing is silently skipped.
set -u

CHROMIUM="${PARKBENCH_CHROMIUM:-/usr/bin/chromium}"

have_chromium() { [ -x "$CHROMIUM" ]; }
have_cjk_font() {
    if command -v fc-list >/dev/null 2>&1; then
        [ -n "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]
    else
        [ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto | grep -q CJK
    fi
}

if have_chromium && have_cjk_font; then
    exit 0
fi

missing=()
have_chromium || missing+=(chromium)
have_cjk_font || missing+=(fonts-noto-cjk)

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure_browser: installing ${missing[*]} (apt-get)…"
    export DEBIAN_FRONTEND=noninteractive
    if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
        echo "ensure_browser: installed ${missing[*]}"
        exit 0
    fi
    echo "ensure_browser: apt-get could not install ${missing[*]}" >&2
fi

cat >&2 <<MSG
ensure_browser: missing ${missing[*]}; the browser tests (tests/browser) will fail.
  Install with:  sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk
  (or point PARKBENCH_CHROMIUM at another Chromium binary)
MSG
exit 0
