"""Who gets the scheduled digests and when: the definitions, stored as data in the `setting`
table, and the users they name."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from domain import settings
from domain.errors import InvalidAmount
from domain.model import ROLES, Setting, User

KINDS = ("daily", "weekly")
SETTING = "digest.schedules"
# Compact on purpose: `setting.value` holds at most 200 characters.
DEFAULT_SCHEDULES = (
    {"kind": "daily", "at": "08:30", "to": ["admin", "approver", "accountant"]},
    {"kind": "weekly", "at": "mon 08:30", "to": ["admin", "approver"]},
)
DAYS_OF_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

setting_t = Setting.__table__
user_t = User.__table__


@dataclass(frozen=True)
class Schedule:
    """One digest definition: its kind, when (`HH:MM` daily, `ddd HH:MM` weekly, in
    `JXC_TIMEZONE`) and to whom (roles and/or user names)."""

    kind: str
    at: str
    to: tuple[str, ...]

    @property
    def day_of_week(self) -> str | None:
        parts = self.at.split()
        return parts[0] if len(parts) == 2 else None

    @property
    def hour_minute(self) -> tuple[int, int]:
        hh, mm = self.at.split()[-1].split(":")
        return int(hh), int(mm)

    @property
    def job_id(self) -> str:
        return f"digest.{self.kind}.{self.at.replace(' ', '-')}"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "at": self.at, "to": list(self.to)}


def _bad(message: str) -> InvalidAmount:
    return InvalidAmount(f"digest.schedules: {message}", zh=f"digest.schedules 无效：{message}")


def parse_schedules(data) -> list[Schedule]:
    """Validate digest definitions (a JSON text or a list of dicts)."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise _bad(f"not JSON ({exc.msg})") from None
    if not isinstance(data, list):
        raise _bad("expected a JSON list of {kind, at, to}")
    out = []
    for i, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            raise _bad(f"entry {i} is not an object")
        kind, at, to = entry.get("kind"), str(entry.get("at", "")).strip().lower(), entry.get("to")
        if kind not in KINDS:
            raise _bad(f"entry {i}: kind must be one of {', '.join(KINDS)}")
        parts = at.split()
        try:
            hh, mm = (int(x) for x in parts[-1].split(":"))
            ok = 0 <= hh < 24 and 0 <= mm < 60 and len(parts) in (1, 2)
        except (ValueError, IndexError):
            ok = False
        if not ok or (len(parts) == 2 and parts[0] not in DAYS_OF_WEEK):
            raise _bad(f"entry {i}: at must be HH:MM or 'mon HH:MM' (mon…sun), not {at!r}")
        if isinstance(to, str):
            to = [to]
        if not to or not all(isinstance(x, str) and x.strip() for x in to):
            raise _bad(f"entry {i}: to must list roles or user names")
        out.append(Schedule(kind, at, tuple(x.strip() for x in to)))
    return out


def load_schedules(uow) -> list[Schedule]:
    """The stored digest definitions, or the defaults when none were stored."""
    raw = uow.execute(select(setting_t.c.value).where(setting_t.c.name == SETTING)).scalar()
    return parse_schedules(raw if raw is not None else list(DEFAULT_SCHEDULES))


def save_schedules(uow, data) -> list[Schedule]:
    """Validate and store digest definitions (the caller commits)."""
    schedules = parse_schedules(data)
    text = json.dumps([s.to_dict() for s in schedules], separators=(",", ":"))
    if len(text) > 200:
        raise _bad("too long to store (at most 200 characters of JSON)")
    settings.store(uow, SETTING, text)
    return schedules


def recipients(uow, to) -> list:
    """The users a digest goes to: everyone with a listed role, and users listed by name."""
    roles = [x for x in to if x in ROLES]
    names = [x.lower() for x in to if x not in ROLES]
    rows = uow.execute(select(user_t).order_by(user_t.c.id)).all()
    return [u for u in rows if u.role in roles or u.name.lower() in names]
