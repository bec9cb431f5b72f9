"""The deterministic parser: English and Chinese text -> one command of the design's vocabulary.

`parse(text, catalog)` never raises and never guesses. Its result holds either the typed command
(items, partners and warehouses resolved to SKU / code; `to_json()` is exactly the JSON shape of
`jxc parse`: decimals as strings, absent optional slots left out) or a `ParseError` (code,
message, suggestions, slot) with the message in the language of the text. A command read whole
but refused where it is built (a reason longer than its column) is a `ParseError` carrying that
refusal.

Error codes are those of the design's closed list (`missing_slot`, `unknown_item`,
`ambiguous_name`, `wrong_partner_kind`, `invalid_quantity`, `invalid_amount`, ...), with one
choice of ours: a text that names no command at all — empty, emoji, SQL or shell fragments,
over 300 characters, small talk — has code `None` (JSON `null`) and the message "I did not
understand". The chat tells the two apart with `recognised_intent`: a text that names a command
but misses a slot should be asked about, one that names none may go to the LLM.

Order ids are upper-cased and zero-padded to four digits (`so-7` -> `SO-0007`); approval requests
are not padded (`a-03` -> `A-3`). Reasons are returned as the user typed them (`as_typed`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.catalog import Catalog, normalise
from bot.parse.builders import build
from bot.parse.intents import classify
from bot.parse.messages import message
from bot.parse.scan import SEPARATORS, Scan, scan_text
from bot.parse.slots import Filler, SlotError
from domain.errors import JxcError
from domain.language import lang_of
from domain.messages.commands import Command, command_from_dict

__all__ = [
    "ParseError",
    "ParseResult",
    "parse",
    "recognised_intent",
    "confirmation_word",
    "MAX_LENGTH",
]

MAX_LENGTH = 300
_CODE_LIKE = re.compile(
    r"\bselect\b.+\bfrom\b|\binsert\s+into\b|\bdelete\s+from\b|\bdrop\s+(?:table|database)\b|"
    r"\bupdate\s+\w+\s+set\b|\bunion\s+(?:all\s+)?select\b|\btruncate\s+table\b|;\s*--|/\*|\*/|"
    r"\$\(|`|&&|\|\||\b(?:sudo|chmod|chown)\s+\S|\b(?:eval|exec)\s*\(|"
    # Ordinary words ("kill the order", "exec summary") are text: a shell command is a word
    # followed by a flag, a path or a variable (`rm -rf /`, `kill -9 1`, `curl http://…`).
    r"\b(?:rm|kill|pkill|exec|eval|bash|curl|wget)\s+(?:-{1,2}\w|[/$~]|\.{1,2}/|\w+://)|"
    r"\|\s*(?:sh|bash|nc)\b|<\s*script|\bor\s+1\s*=\s*1\b|'\s*or\s*'|\.\./|/etc/|/bin/",
    re.IGNORECASE,
)
_YES = {"yes", "y", "ok", "okay", "confirm", "confirmed", "sure", "yep", "yeah", "是", "是的",
        "确认", "好", "好的", "对", "对的", "行", "可以", "确定", "嗯"}  # fmt: skip
_NO = {"no", "n", "cancel", "nope", "stop", "abort", "否", "取消", "不", "不要", "不是", "算了",
       "不用", "不用了", "别"}  # fmt: skip
_TRIM = " \t\r\n.!?。！？~～,，"


@dataclass(frozen=True)
class ParseError:
    """Why a text is no command: a code of the design's list (None: no command named at all),
    the message in the text's language, the names it suggests, the slot it misses, and the
    message's values (`args`, `name`) so the chat can say it again in another language and put
    a chosen suggestion in place of the name it could not resolve."""

    code: str | None
    message: str
    suggestions: list[str] = field(default_factory=list)
    slot: str | None = None
    name: str = ""
    args: dict = field(default_factory=dict)
    refused: JxcError | None = None  # read whole, but refused where the command is built
    shape: dict | None = None  # then the command as read, which `jxc parse` prints


@dataclass
class ParseResult:
    command: Command | None
    error: ParseError | None
    lang: str
    intent: str | None = None  # the intent the text names, also when it failed
    # Further complete commands of the same message ("发货 SO-0004 SO-0007", two customers'
    # orders), and fragments that looked like a command but could not be parsed, verbatim:
    # nothing of a message is dropped silently.
    more: list[Command] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """The command, or `{"intent": null, "error": message, "code", "suggestions", ...}`;
        `"more"` only when the message held several commands."""
        if self.command is not None:
            out = self.command.to_dict()
            if self.more:
                out["more"] = [c.to_dict() for c in self.more]
            return out
        err = self.error or ParseError(None, "")
        if err.shape is not None:
            return dict(err.shape)
        out = {
            "intent": None,
            "error": err.message,
            "code": err.code,
            "suggestions": list(err.suggestions),
        }
        if err.slot:
            out["slot"] = err.slot
        return out


@dataclass
class _Draft:
    """A parse on its way: commands in the design's JSON shape until they are built."""

    command: dict | None
    error: ParseError | None
    lang: str
    intent: str | None = None
    more: list[dict] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def as_typed(raw: str, found: str) -> str:
    """Free text (a reason) as the user typed it: the span of `raw` whose normalised form is
    `found`, which was read from the normalised text (`盘点数不对，重新盘`, not `…,…`)."""
    if found in raw:
        return found
    limit = len(found) + 8
    for i, char in enumerate(raw):
        if normalise(char)[:1] != found[:1]:
            continue
        for j in range(i + 1, min(len(raw), i + 4 * limit) + 1):
            text = normalise(raw[i:j])
            if text == found:
                return raw[i:j].strip()
            if len(text) > limit:
                break
    return found


def _not_understood(lang: str, key: str = "not_understood") -> _Draft:
    return _Draft(None, ParseError(None, message(key, lang)), lang)


def _looks_like_code(text: str) -> bool:
    return bool(_CODE_LIKE.search(text))


def parse(text: str, catalog: Catalog, today: date | None = None) -> ParseResult:
    """Parse one chat text into a command of the design's vocabulary. Never raises.
    Several commands in one message come as `command` plus `more` (and `left_out`).
    `today` (the clock's local date) turns a delegation's `until` ("Friday", "6月30日") into
    the date it means, `YYYY-MM-DD`; without it the words are kept for the service to read."""
    return _typed(_draft(text, catalog, today))


def _typed(draft: _Draft) -> ParseResult:
    """The draft's commands built, each checked as every command is where it is built."""
    if draft.command is None:
        return ParseResult(None, draft.error, draft.lang, draft.intent, [], draft.left_out)
    try:
        commands = [command_from_dict(c) for c in (draft.command, *draft.more)]
    except JxcError as exc:
        shown = exc.zh if draft.lang == "zh" else exc.message
        shape = dict(draft.command)
        if draft.more:
            shape["more"] = [dict(c) for c in draft.more]
        error = ParseError(exc.code, shown, refused=exc, shape=shape)
        return ParseResult(None, error, draft.lang, draft.intent, [], draft.left_out)
    return ParseResult(commands[0], None, draft.lang, draft.intent, commands[1:], draft.left_out)


def _draft(text: str, catalog: Catalog, today: date | None) -> _Draft:
    result, s = _parse_one(text, catalog)
    if s is None or result.intent is None:
        return result
    if today is not None and result.intent == "approval.delegate" and result.command:
        result.command["until"] = _until_date(result.command["until"], today)
    for command in (result.command, *result.more):
        if command and command.get("reason"):
            command["reason"] = as_typed(text, command["reason"])
    if result.intent in _PER_ORDER and result.command is not None and "order" in result.command:
        return _per_order(result, s)
    if result.intent in _CREATES:
        clauses = _partner_clauses(s)
        if len(clauses) > 1:
            return _per_clause(result, s, clauses, catalog)
    return result


def _until_date(words: str, today: date) -> str:
    from domain.approvals.delegation import until_date

    try:
        return until_date(words, today).isoformat()
    except JxcError:
        return words  # a day already past or unreadable: the service refuses it in words


_PER_ORDER = {
    "sales.ship": ("SO",), "sales.cancel": ("SO",), "purchase.receive": ("PO",),
    "purchase.cancel": ("PO",), "order.query": ("SO", "PO"),
}  # fmt: skip
_CREATES = {"sales.create", "purchase.create"}
_CANCELS = {"SO": "sales.cancel", "PO": "purchase.cancel"}


def _per_order(result: _Draft, s: Scan) -> _Draft:
    """One verb, several order numbers: one command per order (`发货 SO-0004 SO-0007`)."""
    wanted = _PER_ORDER[result.intent or ""]
    ids = list(dict.fromkeys(v for _s, _e, v in s.ids if v.split("-")[0] in ("SO", "PO")))
    if len(ids) < 2:
        return result
    first = result.command["order"] if result.command else None
    lines = "lines" in (result.command or {})
    for ident in ids:
        prefix = ident.split("-")[0]
        if ident == first:
            continue
        if prefix in wanted and not lines:
            result.more.append({**(result.command or {}), "order": ident})
        elif result.intent in _CANCELS.values() and not lines:
            result.more.append({"intent": _CANCELS[prefix], "order": ident})
        else:
            result.left_out.append(ident)
    return result


def _partner_clauses(s: Scan) -> list[tuple[int, int]]:
    """Spans of clauses that each name their own partner, cut at the last separator
    (，/,/;/and/和/另外/还有) before each partner after the first."""
    partners = s.of_kind("partner")
    if len(partners) < 2:
        return []
    cuts = []
    for prev, cur in zip(partners, partners[1:], strict=False):
        seps = list(SEPARATORS.finditer(s.masked, prev.end, cur.start))
        if not seps:
            return []
        cuts.append(seps[-1])
    spans, start = [], 0
    for sep in cuts:
        spans.append((start, sep.start()))
        start = sep.end()
    spans.append((start, len(s.base)))
    return spans


def _per_clause(result: _Draft, s: Scan, spans: list[tuple[int, int]], catalog: Catalog) -> _Draft:
    """Two customers' orders in one message: one command per clause, none dropped."""
    commands: list[dict] = []
    left_out: list[str] = []
    first_error = None
    for start, end in spans:
        clause = s.base[start:end].strip(_TRIM)
        one, _s = _parse_one(clause, catalog)
        if one.command is not None and one.intent in _CREATES:
            commands.append(one.command)
        elif clause:
            left_out.append(clause)
            first_error = first_error or one
    if not commands:
        return first_error or result
    return _Draft(commands[0], None, result.lang, commands[0]["intent"], commands[1:], left_out)


def _parse_one(text: str, catalog: Catalog) -> tuple[_Draft, Scan | None]:
    text = text if isinstance(text, str) else ""
    lang = lang_of(text)
    if len(text) > MAX_LENGTH:
        return _not_understood(lang, "too_long"), None
    if not text.strip() or _looks_like_code(text):
        return _not_understood(lang), None
    s = scan_text(text, catalog)
    intent = classify(s)
    if intent is None:
        return _not_understood(lang), s
    try:
        command = build(intent, s, Filler(s, catalog))
    except SlotError as err:
        kw = dict(err.kw)
        if err.code == "missing_slot":
            kw["slot"] = err.slot or ""
        kw.setdefault("name", "")
        error = ParseError(
            err.code,
            message(err.code, lang, err.suggestions, **kw),
            err.suggestions,
            err.slot or None,
            kw["name"],
            kw,
        )
        return _Draft(None, error, lang, intent), s
    return _Draft(command, None, lang, intent), s


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
