"""Conversation state as the chat keeps it: what a user is in the middle of, per user and channel
(a command waiting for yes, a missing value, a "did you mean"). Read and written through the unit
of work of the message being answered, so a restart loses nothing."""

from __future__ import annotations

import json

from sqlalchemy import bindparam, delete, insert, select, update

from domain.model import Conversation

state_t = Conversation.__table__
_WHERE = (state_t.c.user_name == bindparam("u")) & (state_t.c.channel == bindparam("c"))
_LOAD = select(state_t.c.state).where(_WHERE)
_DELETE = delete(state_t).where(_WHERE)
_UPDATE = (
    update(state_t)
    .where(_WHERE)
    .values(state=bindparam("s"), updated_at=bindparam("at"))
    .returning(state_t.c.user_name)
)
_INSERT = insert(state_t)


def load_state(uow, user: str, channel: str) -> dict:
    """The state of a user on a channel ({} when none)."""
    row = uow.execute(_LOAD, {"u": user, "c": channel}).first()
    return json.loads(row[0]) if row and row[0] else {}


def save_state(uow, user: str, channel: str, state: dict | None) -> None:
    """Replace the state of a user on a channel; an empty state deletes it."""
    keys = {"u": user, "c": channel}
    if not state:
        uow.execute(_DELETE, keys)
        return
    raw = json.dumps(state, ensure_ascii=False)
    if uow.execute(_UPDATE, {**keys, "s": raw, "at": uow.now}).first() is not None:
        return
    uow.execute(
        _INSERT, {"user_name": user, "channel": channel, "state": raw, "updated_at": uow.now}
    )
