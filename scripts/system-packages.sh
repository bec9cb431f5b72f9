#!/usr/bin/env bash
# System packages JXC needs beyond Python: CJK fonts so charts and PDFs render Chinese.
# - fonts-noto-cjk: charts (matplotlib draws with Noto Sans CJK).
# - fonts-wqy-zenhei: PDFs (statements, delivery notes) embed WenQuanYi Zen Hei, a TrueType
#   font; reportlab cannot embed Noto CJK's CFF outlines.
# - poppler-utils: pdftotext and pdftoppm, with which the tests read PDFs back (and people look
#   at them as PNGs).
# Installed when run as root on Debian; otherwise named.
set -u
wanted=()
fc-list 2>/dev/null | grep -qiE "Noto Sans CJK|WenQuanYi" || wanted+=(fonts-noto-cjk)
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || wanted+=(fonts-wqy-zenhei)
command -v pdftotext >/dev/null || wanted+=(poppler-utils)
if [ ${#wanted[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing system packages (${wanted[*]})…"
  (apt-get install -y -qq "${wanted[@]}" fontconfig >/dev/null 2>&1 ||
   (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "${wanted[@]}" fontconfig >/dev/null 2>&1)) ||
    echo "warning: could not install ${wanted[*]}; Chinese in charts or PDFs may not render" >&2
else
  echo "note: install ${wanted[*]} (Debian: apt-get install ${wanted[*]}) so charts and PDFs render Chinese" >&2
fi
exit 0
