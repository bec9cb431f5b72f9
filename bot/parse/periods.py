"""Report periods (`last_month`, `2026-03` ...) and forecast horizons in days (`下个月` = 30)."""

from __future__ import annotations

import re

from bot.parse.numbers import CN_NUM, DIGITS, BadNumber, to_decimal

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_WORD = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"

_PERIODS: list[tuple[str, str]] = [
    ("last_7_days", r"\b(?:last|past|previous) (?:7|seven) days\b|\b(?:the )?past week\b|"
                    r"(?:最近|近|过去)(?:7|七)天|近一周|最近一周|过去一周"),
    ("last_30_days", r"\b(?:last|past|previous) (?:30|thirty) days\b|\b(?:the )?past month\b|"
                     r"(?:最近|近|过去)(?:30|三十)天|近一个月|最近一个月|过去一个月"),
    ("today", r"\btoday\b|\btoday's\b|今天|今日|当天"),
    ("this_week", r"\bthis week\b|本周|这周|这个星期|本星期|这星期|这礼拜"),
    ("last_week", r"\blast week\b|\bprevious week\b|上周|上个星期|上星期|上礼拜|上个礼拜"),
    ("this_month", r"\bthis month\b|\bmonth to date\b|\bmtd\b|本月|这个月|当月"),
    ("last_month", r"\blast month\b|\bprevious month\b|上个月|上月"),
    ("this_quarter", r"\bthis quarter\b|\bqtd\b|本季度|这个季度|这季度|本季"),
    ("last_quarter", r"\blast quarter\b|\bprevious quarter\b|上季度|上个季度|上一季度|上季"),
    ("this_year", r"\bthis year\b|\bytd\b|\byear to date\b|今年|本年度|本年"),
    ("last_year", r"\blast year\b|\bprevious year\b|去年|上一年|上年度"),
]  # fmt: skip
PERIOD_RES = [(name, re.compile(rx)) for name, rx in _PERIODS]
YEAR_MONTH_RE = re.compile(
    r"(?<!\d)(?P<y>20\d\d)\s*(?:[-/.]|年)\s*(?P<m>[01]?\d)(?:\s*月(?:份)?)?(?!\d)"
    rf"|\b{_MONTH_WORD},?\s*(?P<y2>20\d\d)\b|(?<!\d)(?P<y3>20\d\d)\s+{_MONTH_WORD.replace('mon', 'mon3')}"
)

_EN_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50,
    "sixty": 60, "ninety": 90, "couple of": 2, "few": 3,
}  # fmt: skip
_EN_NUM = "|".join(sorted(map(re.escape, _EN_NUMBERS), key=len, reverse=True))
_N = rf"(?P<n>{DIGITS}|{CN_NUM}|\b(?:{_EN_NUM})\b)"
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "q": 90}
_DAYS: list[tuple[str, str]] = [
    ("fixed30", r"\bnext month\b|\bcoming month\b|下个月|下月|未来一个月|接下来一个月"),
    ("fixed7", r"\bnext week\b|\bcoming week\b|下周|下个星期|下星期|下礼拜|未来一周"),
    ("fixed90", r"\bnext quarter\b|下季度|下个季度"),
    ("fixed15", r"半个月|\bhalf a month\b"),
    ("d", rf"{_N}\s*(?:more\s+)?(?:days?\b|天|日(?!期))"),
    ("w", rf"{_N}\s*(?:weeks?\b|个?星期|周|个?礼拜)"),
    ("m", rf"{_N}\s*(?:months?\b|个月)"),
    ("q", rf"{_N}\s*(?:quarters?\b|个季度)"),
]
DAYS_RES = [(kind, re.compile(rx)) for kind, rx in _DAYS]
_HORIZON_LEAD = re.compile(r"(?:\b(?:next|for|over|coming|the next|in)\s*|未来|今后|接下来|之后)$")


def find_period(text: str) -> tuple[str, tuple[int, int]] | None:
    """The first report period named in a folded text, and where it is."""
    m = YEAR_MONTH_RE.search(text)
    if m:
        if m.group("y"):
            year, month = int(m.group("y")), int(m.group("m"))
        elif m.group("y2"):
            year, month = int(m.group("y2")), _MONTHS[m.group("mon")[:3]]
        else:
            year, month = int(m.group("y3")), _MONTHS[m.group("mon3")[:3]]
        if 1 <= month <= 12:
            return f"{year:04d}-{month:02d}", m.span()
    for name, rx in PERIOD_RES:
        m = rx.search(text)
        if m:
            return name, m.span()
    return None


def find_days(text: str) -> tuple[int, tuple[int, int]] | None:
    """A forecast horizon in days (`next 45 days`, `两周` = 14, `下个月` = 30)."""
    for kind, rx in DAYS_RES:
        m = rx.search(text)
        if not m:
            continue
        if kind.startswith("fixed"):
            return int(kind[5:]), m.span()
        raw = m.group("n").strip()
        count = _EN_NUMBERS.get(raw)
        if count is None:
            try:
                value = to_decimal(raw)
            except BadNumber:
                continue  # "二十二十天" is no horizon
            if value != value.to_integral_value():
                continue
            count = int(value)
        start = m.start()
        lead = _HORIZON_LEAD.search(text[:start])
        if lead:
            start = lead.start()
        return count * _UNIT_DAYS[kind], (start, m.end())
    return None
