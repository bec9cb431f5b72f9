"""The deterministic parser: English and Chinese text -> one command of the design's vocabulary.

`parse(text, catalog)` never raises and never guesses. Its result holds either the command
(exactly the JSON shape of `jxc parse`: items, partners and warehouses resolved to SKU / code,
decimals as strings, absent optional slots left out) or an error `{"code", "message",
"suggestions"?, "slot"?}` with the message in the language of the text.

Error codes are those of the design's closed list (`missing_slot`, `unknown_item`,
`ambiguous_name`, `wrong_partner_kind`, `invalid_quantity`, `invalid_amount`, ...), with one
choice of ours: a text that names no command at all — empty, emoji, SQL or shell fragments,
over 300 characters, small talk — has code `None` (JSON `null`) and the message "I did not
understand". The chat tells the two apart with `recognised_intent`: a text that names a command
but misses a slot should be asked about, one that names none may go to the LLM.

Order ids are upper-cased and zero-padded to four digits (`so-7` -> `SO-0007`); approval requests
are not padded (`a-03` -> `A-3`). Reasons are returned normalised (width-folded, simplified).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.catalog import Catalog, has_cjk, normalise
from bot.parse.builders import build
from bot.parse.intents import classify
from bot.parse.messages import message
from bot.parse.scan import scan_text
from bot.parse.slots import Filler, SlotError

__all__ = ["ParseResult", "parse", "recognised_intent", "confirmation_word", "MAX_LENGTH"]

MAX_LENGTH = 300
_CODE_LIKE = re.compile(
    r"\bselect\b.+\bfrom\b|\binsert\s+into\b|\bdelete\s+from\b|\bdrop\s+(?:table|database)\b|"
    r"\bupdate\s+\w+\s+set\b|\bunion\s+(?:all\s+)?select\b|\btruncate\s+table\b|;\s*--|/\*|\*/|"
    r"\$\(|`|&&|\|\||\b(?:rm|sudo|chmod|chown|curl|wget|bash|eval|exec|kill)\s+-{0,2}[/$~.\w]|"
    r"\|\s*(?:sh|bash|nc)\b|<\s*script|\bor\s+1\s*=\s*1\b|'\s*or\s*'|\.\./|/etc/|/bin/",
    re.IGNORECASE,
)
_YES = {"yes", "y", "ok", "okay", "confirm", "confirmed", "sure", "yep", "yeah", "是", "是的",
        "确认", "好", "好的", "对", "对的", "行", "可以", "确定", "嗯"}  # fmt: skip
_NO = {"no", "n", "cancel", "nope", "stop", "abort", "否", "取消", "不", "不要", "不是", "算了",
       "不用", "不用了", "别"}  # fmt: skip
_TRIM = " \t\r\n.!?。！？~～,，"


@dataclass
class ParseResult:
    command: dict | None
    error: dict | None
    lang: str
    intent: str | None = None  # the intent the text names, also when it failed

    def to_json(self) -> dict:
        """The command, or `{"intent": null, "error": message, "code", "suggestions", ...}`."""
        if self.command is not None:
            return dict(self.command)
        err = self.error or {}
        out = {
            "intent": None,
            "error": err.get("message", ""),
            "code": err.get("code"),
            "suggestions": list(err.get("suggestions", [])),
        }
        if err.get("slot"):
            out["slot"] = err["slot"]
        return out


def _lang(text: str) -> str:
    return "zh" if has_cjk(text) else "en"


def _not_understood(lang: str, key: str = "not_understood") -> ParseResult:
    error = {"code": None, "message": message(key, lang), "suggestions": []}
    return ParseResult(None, error, lang)


def _looks_like_code(text: str) -> bool:
    return bool(_CODE_LIKE.search(text))


def parse(text: str, catalog: Catalog) -> ParseResult:
    """Parse one chat text into a command of the design's vocabulary. Never raises."""
    text = text if isinstance(text, str) else ""
    lang = _lang(text)
    if len(text) > MAX_LENGTH:
        return _not_understood(lang, "too_long")
    if not text.strip() or _looks_like_code(text):
        return _not_understood(lang)
    s = scan_text(text, catalog)
    intent = classify(s)
    if intent is None:
        return _not_understood(lang)
    try:
        command = build(intent, s, Filler(s, catalog))
    except SlotError as err:
        kw = dict(err.kw)
        if err.code == "missing_slot":
            kw["slot"] = err.slot or ""
        kw.setdefault("name", "")
        error = {
            "code": err.code,
            "message": message(err.code, lang, err.suggestions, **kw),
            "suggestions": err.suggestions,
        }
        if err.slot:
            error["slot"] = err.slot
        return ParseResult(None, error, lang, intent)
    return ParseResult(command, None, lang, intent)


def recognised_intent(text: str, catalog: Catalog | None = None) -> str | None:
    """The intent a text names even when slots are missing, None when it names no command."""
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_LENGTH:
        return None
    if _looks_like_code(text) or confirmation_word(text) is not None:
        return None
    return classify(scan_text(text, catalog or _EMPTY))


def confirmation_word(text: str) -> bool | None:
    """True for yes/ok/确认/是…, False for no/cancel/取消/否…, None for anything else."""
    if not isinstance(text, str):
        return None
    word = normalise(text).lower().strip(_TRIM)
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


_EMPTY = Catalog([], [], [])
