"""Delegation: an approver going away names a stand-in who decides requests in their stead
until a local date, inclusive. Meanwhile the delegate, whatever their role, may list and decide
pending requests (never their own) and receives the approval alerts; a decision records whom it
was made for ("li for mary")."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import delete, insert, select

from domain.errors import BadRequest, InvalidState, NotPermitted, UnknownUser
from domain.ledger import lookup
from domain.messages.commands import DelegateApprovals, EndDelegation
from domain.messages.results import DelegationEnded, DelegationSet
from domain.model import Delegation, User
from domain.roles import holds, is_admin

delegation_t = Delegation.__table__
user_t = User.__table__

_WEEKDAYS = {
    0: ("monday", "mon", "周一", "星期一", "礼拜一"),
    1: ("tuesday", "tue", "tues", "周二", "星期二", "礼拜二"),
    2: ("wednesday", "wed", "周三", "星期三", "礼拜三"),
    3: ("thursday", "thu", "thur", "thurs", "周四", "星期四", "礼拜四"),
    4: ("friday", "fri", "周五", "星期五", "礼拜五"),
    5: ("saturday", "sat", "周六", "星期六", "礼拜六"),
    6: ("sunday", "sun", "周日", "周天", "星期日", "星期天", "礼拜日", "礼拜天"),
}
_DAY_OF = {word: day for day, words in _WEEKDAYS.items() for word in words}
_MONTH_DAY = re.compile(r"^(?:(\d{4})[-/年])?(\d{1,2})[-/月](\d{1,2})[日号]?$")


def until_date(text: str, today: date) -> date:
    """The last day of a delegation from what was typed: `YYYY-MM-DD`, a month and day (this
    year, or next when already past: `6-30`, `6月30日`), `today` / `tomorrow` (今天 / 明天), or
    a weekday (the next such day, today included). A day before today is refused."""
    word = text.strip().lower()
    found: date | None = None
    if word in ("today", "今天"):
        found = today
    elif word in ("tomorrow", "明天"):
        found = today + timedelta(days=1)
    elif word in _DAY_OF:
        found = today + timedelta(days=(_DAY_OF[word] - today.weekday()) % 7)
    else:
        m = _MONTH_DAY.match(word)
        if m:
            year = int(m.group(1)) if m.group(1) else today.year
            try:
                found = date(year, int(m.group(2)), int(m.group(3)))
            except ValueError:
                found = None
            if found is not None and not m.group(1) and found < today:
                found = found.replace(year=today.year + 1)
    if found is None:
        raise BadRequest(
            f"until must be a date (YYYY-MM-DD) or a weekday, not {text!r}",
            zh=f"截止日期应为日期（YYYY-MM-DD）或星期几，收到 {text!r}",
        )
    if found < today:
        raise BadRequest(
            f"until {found.isoformat()} is already past",
            zh=f"截止日期 {found.isoformat()} 已经过去",
        )
    return found


def delegate_approvals(cmd: DelegateApprovals, uow, user) -> DelegationSet:
    """Let `to` decide approval requests for the user until `until` (inclusive). One delegation
    per approver: a new one replaces the old. Delegating to someone not registered is
    `unknown_user`; to oneself, `invalid_state`."""
    delegate = lookup.user_by_name(uow, cmd.to.strip())
    if delegate is None:
        raise UnknownUser(
            f"{cmd.to!r} is not a registered user; an admin adds users with `jxc import users`",
            zh=f"“{cmd.to}” 不是已登记的用户；请管理员用 `jxc import users` 登记",
        )
    if delegate.name.lower() == user.name.lower():
        raise InvalidState(
            "you cannot delegate your approvals to yourself", zh="不能把审批委托给自己"
        )
    until = until_date(cmd.until, uow.clock.today())
    uow.execute(delete(delegation_t).where(delegation_t.c.delegator == user.name))
    uow.execute(
        insert(delegation_t).values(
            delegator=user.name, delegate=delegate.name, until=until, created_at=uow.now
        )
    )
    return DelegationSet(from_=user.name, to=delegate.name, until=until.isoformat())


def end_delegation(cmd: EndDelegation, uow, user) -> DelegationEnded:
    """End one's own delegation; an admin ends anyone's with `from`. Nothing to end is
    `invalid_state`."""
    whose = user.name
    if cmd.from_ and cmd.from_.strip().lower() != user.name.lower():
        if not is_admin(user.role):
            raise NotPermitted(
                f"{user.name} ({user.role}) may end only their own delegation; an admin may "
                "end anyone's",
                zh="您只能结束自己的代批；管理员可以结束任何人的代批",
            )
        other = lookup.user_by_name(uow, cmd.from_.strip())
        if other is None:
            raise UnknownUser(
                f"{cmd.from_!r} is not a registered user", zh=f"“{cmd.from_}” 不是已登记的用户"
            )
        whose = other.name
    row = uow.execute(select(delegation_t).where(delegation_t.c.delegator == whose)).first()
    if row is None or row.until < uow.clock.today():
        raise InvalidState(f"{whose} has no delegation to end", zh=f"{whose} 目前没有委托他人代批")
    uow.execute(delete(delegation_t).where(delegation_t.c.delegator == whose))
    return DelegationEnded(from_=whose, ended=True, to=row.delegate)


def current(uow) -> list:
    """The delegations in force today: rows of (delegator, delegate, until)."""
    return list(
        uow.execute(
            select(delegation_t.c.delegator, delegation_t.c.delegate, delegation_t.c.until)
            .where(delegation_t.c.until >= uow.clock.today())
            .order_by(delegation_t.c.id)
        ).all()
    )


def delegators_of(uow, name: str) -> list[str]:
    """The approvers `name` stands in for today (whose delegations are in force), oldest
    delegation first."""
    return [r.delegator for r in current(uow) if r.delegate.lower() == name.lower()]


def delegate_users(uow) -> list:
    """The users standing in for an approver today (rows of the users table)."""
    names = {r.delegate for r in current(uow)}
    if not names:
        return []
    return list(uow.execute(select(user_t).where(user_t.c.name.in_(names))).all())


def may_decide(uow, user) -> str | bool:
    """Whether `user` may decide approval requests: True by their role, else the name of the
    approver they stand in for (a delegation in force), else False."""
    if holds(user.role, "approval.decide"):
        return True
    whom = delegators_of(uow, user.name)
    return whom[0] if whom else False
