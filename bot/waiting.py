"""What a conversation waits for, as a typed record, and whether a message answers it.

A question the bot asked waits for one answer of its kind: a missing value of a slot ("which
customer?"), a pick among names ("did you mean"), yes/no to a proposal, a warehouse to send a
refused order from, or the reason of a rejection. The record expires 10 minutes after it was asked
(later messages don't extend it). `answer()` says whether a message is that answer; a message
that is not (a command, a question, a document number of its own) is handled as new by the
conversation, which drops the record and says so.

Stored as JSON in the conversation state table. States written before these records existed
(`{"awaiting": {...}}` and a bare confirmation `{"proposal", "pending", ...}`) still load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.catalog import Catalog
from bot.parse import confirmation_word
from bot.parse.scan import MASK, Scan, scan_text
from bot.render.reply import Reply
from domain.errors import JxcError
from domain.messages.commands import Command, command_from_dict

EXPIRY = timedelta(minutes=10)

MISSING = "missing"  # a missing value of `slot` for the command in `text`
CHOICE = "choice"  # did you mean / pick one of `options` for `name` in `text`
CONFIRM = "confirm"  # yes/no to the proposal `pending`
REFUSED = "refused"  # the draft `command` refused for stock; a warehouse among `places` follows
REASON = "reason"  # the reason for rejecting `request`
KINDS = (MISSING, CHOICE, CONFIRM, REFUSED, REASON)


@dataclass
class Waiting:
    """One question waiting for its answer."""

    kind: str
    asked_at: datetime | None  # None: stored before questions carried their time
    asked: str = ""  # the question as it was put, one line (for the note when it is dropped)
    text: str = ""  # the text of the command that misses a value or a name
    intent: str | None = None
    slot: str | None = None
    options: list[str] = field(default_factory=list)
    name: str = ""
    command: Command | None = None
    places: list[str] = field(default_factory=list)
    request: str = ""
    proposal: str = ""
    pending: list[Command] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    summary: str = ""

    def expired(self, now: datetime) -> bool:
        return self.asked_at is not None and now > self.asked_at + EXPIRY

    def to_state(self) -> dict:
        out: dict = {"kind": self.kind}
        if self.asked_at is not None:
            out["asked_at"] = self.asked_at.isoformat()
            out["expires"] = (self.asked_at + EXPIRY).isoformat()
        for key in ("asked", "text", "intent", "slot", "options", "name", "command", "places",
                    "request", "proposal", "pending", "keys", "summary"):  # fmt: skip
            value = getattr(self, key)
            if key == "command" and value is not None:
                value = value.to_dict()
            elif key == "pending":
                value = [c.to_dict() for c in value]
            if value:
                out[key] = value
        return out

    @classmethod
    def from_state(cls, state: dict | None) -> Waiting | None:
        """The record a stored state holds, None when nothing waits (or the state is not one)."""
        if not isinstance(state, dict) or not state:
            return None
        try:
            if state.get("kind") in KINDS:
                asked_at = state.get("asked_at")
                fields = {k: v for k, v in state.items() if k in _FIELDS}
                if fields.get("command") is not None:
                    fields["command"] = command_from_dict(fields["command"])
                fields["pending"] = [command_from_dict(c) for c in fields.get("pending") or []]
                return cls(
                    asked_at=datetime.fromisoformat(asked_at) if asked_at else None, **fields
                )
            if state.get("pending"):  # a confirmation stored before records had a kind
                pending = state["pending"]
                return cls(
                    CONFIRM,
                    datetime.fromisoformat(state["expires"]) - EXPIRY,
                    proposal=state.get("proposal", ""),
                    pending=[
                        command_from_dict(c)
                        for c in (pending if isinstance(pending, list) else [pending])
                    ],
                    keys=state.get("keys") or [state.get("key")],
                    summary=state.get("summary", ""),
                )
            old = state.get("awaiting")
            if isinstance(old, dict) and old.get("text") is not None:
                return cls(
                    CHOICE if old.get("suggestions") else MISSING,
                    None,
                    text=old["text"],
                    intent=old.get("intent"),
                    options=list(old.get("suggestions") or []),
                    name=old.get("name", ""),
                )
        except (KeyError, TypeError, ValueError, JxcError):
            return None
        return None


_FIELDS = {"kind", "asked", "text", "intent", "slot", "options", "name", "command", "places",
           "request", "proposal", "pending", "keys", "summary"}  # fmt: skip


@dataclass(frozen=True)
class Answer:
    """What a message answered: yes/no, a pick, the text completing a command, a warehouse, a
    reason."""

    yes: bool | None = None
    pick: str | None = None
    fill: str | None = None
    place: str | None = None
    reason: str | None = None


class ReasonPrompt(Reply):
    """A reply that asks for the reason of rejecting `request`: Slack shows it as a form (a
    modal), Telegram as a prompt whose reply is the reason."""

    def __init__(self, request: str, text: str, lang: str):
        super().__init__(text, lang)
        self.request = request


# Words around a bare answer that do not make it a message of its own ("it's ACME", "那从北京发吧").
_FILLER = re.compile(
    r"\b(?:it'?s|it is|that'?s|the|to|for|from|then|ok|okay|please|pls|use|try|customer|"
    r"supplier|item|order|number|no\.|warehouse|in|at|ship it|ship|send it|send|deliver|it|"
    r"one|just|make it|let'?s|do)\b|那就|那么|那|就|吧|从|用|发货|发|出|是|的|客户|供应商|商品|"
    r"仓库|仓|给|啊|呀|吧|呢|好|嗯|请|来"
)
_PARTNER_SLOTS = {"customer", "supplier", "partner", "to_partner"}
_PLACE_SLOTS = {"warehouse", "from", "to", "from_warehouse", "to_warehouse"}


def _rest(s: Scan) -> str:
    """What a scanned message says besides its names, numbers and ids."""
    rest = _FILLER.sub(" ", s.masked.replace(MASK, " "))
    return re.sub(r"[\W_]+", "", rest)


def _only(s: Scan, kinds: set[str], ids: tuple[str, ...] = (), numbers: bool = False) -> bool:
    """The message is nothing but names of `kinds` (at least one thing asked for), ids with
    those prefixes, and numbers when allowed."""
    if _rest(s) or s.unreadable or s.period or s.days:
        return False
    if any(m.kind not in kinds for m in s.mentions):
        return False
    if any(v.split("-")[0] not in ids for _s, _e, v in s.ids):
        return False
    has_numbers = bool(s.qtys or s.prices or s.money or s.discounts)
    if has_numbers and not numbers:
        return False
    return bool(s.mentions or s.ids or has_numbers)


def _fits_slot(slot: str | None, s: Scan) -> bool:
    if slot in _PARTNER_SLOTS:
        return _only(s, {"partner"})
    if slot == "item":
        return _only(s, {"item"}, numbers=True) and bool(s.of_kind("item"))
    if slot == "items":  # "print labels" → "M6 and M8", "M6 和 M8"
        rest = re.sub(r"and|和|与|及", "", _rest(s))
        names = bool(s.mentions) and all(m.kind == "item" for m in s.mentions)
        return names and not (rest or s.ids or s.qtys or s.prices or s.unreadable)
    if slot in ("qty", "amount", "alert", "days"):
        return _only(s, set(), numbers=True)
    if slot == "order":
        return _only(s, set(), ids=("SO", "PO"))
    if slot == "request":
        return _only(s, set(), ids=("A",))
    if slot in _PLACE_SLOTS:
        return _only(s, {"warehouse"})
    return False


def answer(w: Waiting, text: str, catalog: Catalog, command: Command | None) -> Answer | None:
    """The answer `text` gives to what waits, or None when it is not one (then it is new).
    `command`: what the text alone parses to (None when it is no complete command)."""
    word = confirmation_word(text)
    if w.kind == CONFIRM:
        return Answer(yes=word) if word is not None else None
    if word is False:
        return Answer(yes=False)
    if w.kind == REASON:
        # A reason says why in any words ("ACME is over its credit"): only a document number,
        # a question or a write of its own is a new message.
        s = scan_text(text, catalog)
        if s.ids or not text.strip() or (command is not None and _is_new(command, text)):
            return None
        return Answer(reason=text.strip())
    if w.kind == CHOICE:
        if word is True:
            return Answer(yes=True)
        said = text.strip().rstrip(".。").strip()
        if said.isdigit() and 1 <= int(said) <= len(w.options):
            return Answer(pick=w.options[int(said) - 1])
        folded = said.casefold()
        picked = next((o for o in w.options if o.casefold() == folded), None)
        if picked is None:
            s = scan_text(text, catalog)
            named = {_code(e) for m in s.mentions for e in m.entities}
            hits = [o for o in w.options if o in named]
            if len(hits) == 1 and _only(s, {"item", "partner", "warehouse"}):
                picked = hits[0]
        return Answer(pick=picked) if picked else None
    if word is not None:
        return None
    s = scan_text(text, catalog)
    if w.kind == MISSING:
        return Answer(fill=text) if _fits_slot(w.slot, s) else None
    if w.kind == REFUSED and _only(s, {"warehouse"}):
        places = s.of_kind("warehouse")
        codes = {_code(e) for m in places for e in m.entities}
        if len(codes) == 1:
            return Answer(place=codes.pop())
    return None


_QUESTION = re.compile(
    r"多少|几|吗|呢|什么|\?|？|^\s*(?:how|what|which|is|are|has|have|why)\b", re.I
)


def _is_new(command: Command, text: str) -> bool:
    return command.WRITE or bool(_QUESTION.search(text))


def _code(entity) -> str:
    return getattr(entity, "sku", None) or entity.code
