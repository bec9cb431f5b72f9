"""Conversation state as the chat keeps it: what a user is in the middle of, per user and channel
(a command waiting for yes, a missing value, a "did you mean"). Read and written through the unit
of work of the message being answered, so a restart loses nothing."""

from __future__ import annotations

import json

from sqlalchemy import bindparam, delete, select

from domain.model import Conversation
from domain.uow import Prepared

state_t = Conversation.__table__
_WHERE = (state_t.c.user_name == bindparam("u")) & (state_t.c.channel == bindparam("c"))
_LOAD = Prepared(select(state_t.c.state).where(_WHERE))
_DELETE = Prepared(delete(state_t).where(_WHERE))
_COLUMNS = ("user_name", "channel", "state", "updated_at")


def _upsert(insert):
    ins = insert(state_t)
    return ins.on_conflict_do_update(
        index_elements=[state_t.c.user_name, state_t.c.channel],
        set_={"state": ins.excluded.state, "updated_at": ins.excluded.updated_at},
    )


_SAVE = Prepared(_upsert, _COLUMNS)


def load_state(uow, user: str, channel: str) -> dict:
    """The state of a user on a channel ({} when none)."""
    row = _LOAD.first(uow, {"u": user, "c": channel})
    return json.loads(row.state) if row and row.state else {}


def save_state(uow, user: str, channel: str, state: dict | None) -> None:
    """Replace the state of a user on a channel; an empty state deletes it."""
    if not state:
        _DELETE.run(uow, {"u": user, "c": channel})
        return
    _SAVE.run(
        uow,
        {
            "user_name": user,
            "channel": channel,
            "state": json.dumps(state, ensure_ascii=False),
            "updated_at": uow.now,
        },
    )
