"""The builders of approvals (decide, ask about, delegate to a stand-in and end it) and of alerts
(list, acknowledge, snooze, order from)."""

from __future__ import annotations

import re

from bot.parse.cues import MINE
from bot.parse.slots import Filler, SlotError, decision, decision_reason, put


def approval_list(f: Filler) -> dict:
    return {}


def approval_decide(f: Filler) -> dict:
    request = f.order("A", required=False)
    if request is None:
        raise SlotError("missing_slot", slot="request")
    found = decision(f.s)
    if found is None:
        raise SlotError("missing_slot", slot="decision")
    return put({"request": request, "decision": found}, "reason", decision_reason(f.s))


def approval_query(f: Filler) -> dict:
    request = f.order("A", required=False)
    if not request:
        raise SlotError("missing_slot", slot="request")
    return {"request": request}


_DELEGATE_TO = [
    re.compile(r"(?:让|请|叫|由)\s*([^\s,，。、让请叫由]{1,12}?)\s*(?:代|帮|替|来)"),
    re.compile(
        r"(?:委托|交给|授权)(?:给)?\s*([^\s,，。、]{1,12}?)\s*(?:代|审批|帮|批|到|至|直到|$)"
    ),
    re.compile(r"\blet\s+(\w+)\s+(?:approve|decide|sign)", re.IGNORECASE),
    re.compile(r"\bdelegat\w*\b.*?\bto\s+(\w+)", re.IGNORECASE),
    re.compile(r"\b(\w+)\s+(?:will\s+|can\s+|should\s+)?(?:approves?|decides?)\s+for me\b", re.I),
]
_WEEKDAY_WORDS = (
    ("monday", r"monday|mon|周一|星期一|礼拜一"),
    ("tuesday", r"tuesday|tues?|周二|星期二|礼拜二"),
    ("wednesday", r"wednesday|wed|周三|星期三|礼拜三"),
    ("thursday", r"thursday|thur?s?|周四|星期四|礼拜四"),
    ("friday", r"friday|fri|周五|星期五|礼拜五"),
    ("saturday", r"saturday|sat|周六|星期六|礼拜六"),
    ("sunday", r"sunday|sun|周日|周天|星期日|星期天|礼拜日|礼拜天"),
    ("today", r"today|今天"),
    ("tomorrow", r"tomorrow|明天"),
)
_UNTIL = re.compile(
    r"(?:\buntil\b|\btill\b|\bthrough\b|\bthru\b|\bto\b|\bby\b|到|至|直到|截止到?)\s*(?:the\s+)?"
    r"(?P<when>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}月\d{1,2}[日号]?|\d{1,2}[/-]\d{1,2}|"
    + "|".join(rx for _, rx in _WEEKDAY_WORDS)
    + r")(?![a-z])",
    re.IGNORECASE,
)


def _until(text: str) -> str | None:
    """The last day of a delegation as the service reads it: an ISO date, `M-D`, or a weekday
    (`friday`), `today` or `tomorrow`; None when the text names none."""
    m = _UNTIL.search(text)
    if m is None:
        return None
    when = m.group("when").lower()
    for word, rx in _WEEKDAY_WORDS:
        if re.fullmatch(rx, when):
            return word
    md = re.fullmatch(r"(\d{1,2})(?:月|[/-])(\d{1,2})[日号]?", when)
    return f"{int(md.group(1))}-{int(md.group(2))}" if md else when


def approval_delegate(f: Filler) -> dict:
    text = f.s.base
    to = next((m.group(1) for rx in _DELEGATE_TO if (m := rx.search(text))), None)
    if to is None or to.lower() in ("me", "you", "him", "her", "them", "我", "你", "他", "她"):
        raise SlotError("missing_slot", slot="delegate")
    until = _until(text)
    if until is None:
        raise SlotError("missing_slot", slot="until")
    return {"to": to, "until": until}


_UNDELEGATE_FROM = [
    re.compile(r"(?:取消|结束|停止|收回|撤销)\s*([^\s,，。的]{1,12})\s*的(?:代批|代审|委托)"),
    re.compile(r"\b(\w+)'s delegation\b", re.IGNORECASE),
    re.compile(r"\bdelegation (?:of|for)\s+(\w+)", re.IGNORECASE),
]


def approval_undelegate(f: Filler) -> dict:
    who = next((m.group(1) for rx in _UNDELEGATE_FROM if (m := rx.search(f.s.base))), None)
    if who is None or who.lower() in ("my", "我", "我们"):
        return {}
    return {"from": who}


# -- alerts --------------------------------------------------------------------------------------

_ALERT_ID = re.compile(r"(?:alerts?|预警|警报|告警)\s*(?:no\.?|number|#|第)?\s*(\d{1,9})|#\s*(\d{1,9})|"
                       r"(\d{1,9})\s*号?\s*(?:预警|警报|告警)")  # fmt: skip
_ALERT_DAYS = re.compile(r"(-?\d{1,4})\s*(?:days?|天|日)")
_ALERT_KINDS = [
    ("reorder", re.compile(r"\breorder\b|补货")),
    ("approval", re.compile(r"\bapprovals?\b|审批")),
]


def _alert_id(f: Filler) -> int:
    m = _ALERT_ID.search(f.s.text)
    if m is None:
        raise SlotError("missing_slot", slot="alert")
    return int(next(g for g in m.groups() if g))


def alert_list(f: Filler) -> dict:
    cmd: dict = {}
    for kind, rx in _ALERT_KINDS:
        if rx.search(f.s.text):
            cmd["kind"] = kind
            break
    if MINE.search(f.s.text):
        cmd["mine"] = True
    return cmd


def alert_ack(f: Filler) -> dict:
    return {"alert": _alert_id(f)}


def alert_snooze(f: Filler) -> dict:
    cmd: dict = {"alert": _alert_id(f)}
    m = _ALERT_DAYS.search(f.s.text)
    if m is not None:
        cmd["days"] = int(m.group(1))
    elif f.s.days:
        cmd["days"] = f.s.days[0]
    return cmd


def alert_order(f: Filler) -> dict:
    return {"alert": _alert_id(f)}
