#!/usr/bin/env bash
# System packages JXC needs beyond Python: a CJK font so charts and PDFs render Chinese.
# Installed when run as root on Debian; otherwise named.
set -u
if fc-list 2>/dev/null | grep -qiE "Noto Sans CJK|WenQuanYi"; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing a CJK font (fonts-noto-cjk)…"
  (apt-get install -y -qq fonts-noto-cjk fontconfig >/dev/null 2>&1 ||
   (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq fonts-noto-cjk fontconfig >/dev/null 2>&1)) ||
    echo "warning: could not install fonts-noto-cjk; Chinese labels in charts may not render" >&2
else
  echo "note: install a CJK font (Debian: apt-get install fonts-noto-cjk) so charts render Chinese" >&2
fi
exit 0
