"""The CJK font PDFs embed: WenQuanYi Zen Hei, a TrueType collection (Debian's
`fonts-wqy-zenhei`, which `make install` installs as root). reportlab embeds only TrueType
outlines; it refuses the CFF outlines of Noto CJK ("postscript outlines are not supported").

One font draws everything, Latin and Chinese alike, so a line never mixes two fonts' metrics.
"""

from __future__ import annotations

import threading
from pathlib import Path

from domain.errors import NotAvailable

FONT_NAME = "WenQuanYiZenHei"
PACKAGE = "fonts-wqy-zenhei"
CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),  # Debian, Ubuntu
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),  # Fedora
    Path("/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc"),  # Arch
    Path("/usr/local/share/fonts/wqy-zenhei.ttc"),
    Path("~/.local/share/fonts/wqy-zenhei.ttc"),
    Path("~/.fonts/wqy-zenhei.ttc"),
)

_lock = threading.Lock()
_registered: dict[Path, str] = {}


def font_file(explicit: str | Path | None = None) -> Path:
    """The font's file: `explicit` when given, else the first of the usual places; a missing
    font is `not_available`, saying what to install."""
    places = [Path(explicit)] if explicit else [p.expanduser() for p in CANDIDATES]
    for path in places:
        if path.is_file():
            return path
    looked = ", ".join(str(p) for p in places)
    raise NotAvailable(
        f"PDFs need the Chinese font WenQuanYi Zen Hei, which is not installed (looked in "
        f"{looked}); install it with `apt-get install {PACKAGE}` (`make install` does, as root)",
        zh=f"生成 PDF 需要中文字体文泉驿正黑，但未安装（查找了 {looked}）；"
        f"请用 `apt-get install {PACKAGE}` 安装（以 root 运行 `make install` 会自动安装）",
    )


def cjk_font(explicit: str | Path | None = None) -> str:
    """The name reportlab knows the CJK font by, registered once per process (the first face
    of the collection: WenQuanYi Zen Hei, proportional)."""
    path = font_file(explicit)
    with _lock:
        if path not in _registered:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            name = FONT_NAME if not _registered else f"{FONT_NAME}-{len(_registered)}"
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
            _registered[path] = name
        return _registered[path]
