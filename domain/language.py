"""Which language a text is in: Chinese when it holds a Han character, else English."""

from __future__ import annotations

import re

CJK = r"\u3400-\u9fff\uf900-\ufaff"
"""The Han characters, as a regular-expression class body."""

_CJK_CHAR = re.compile(rf"[{CJK}]")


def has_cjk(text: str) -> bool:
    """Whether `text` holds a Han character."""
    return bool(_CJK_CHAR.search(text))


def lang_of(text: str | None) -> str:
    """ "zh" for a text with a Han character in it, else "en"."""
    return "zh" if text and has_cjk(text) else "en"
