"""A conversation's storage: the turn of one message (who, where, the read unit of work) and the
state stored per user and channel, a typed record (`bot.waiting.Waiting`) kept as JSON."""

from __future__ import annotations

from bot.waiting import Waiting
from domain.messages import inbound

UNCHANGED = object()


class Turn:
    """One message being answered: who, where, in which language, the read unit of work, the
    state as it was and the state to store afterwards."""

    def __init__(self, user, channel: str, lang: str, uow, state: dict, delivery=None):
        self.delivery = delivery  # (platform, id) of the chat delivery, claimed with the writes
        self.user = user
        self.channel = channel
        self.lang = lang
        self.uow = uow
        self.state = state
        self.waiting = Waiting.from_state(state)
        self.new_state = UNCHANGED

    def keep(self, state: dict | None) -> None:
        """The state to store once the message is answered (None clears it)."""
        self.new_state = state

    def wait(self, waiting: Waiting | None) -> None:
        """What waits once the message is answered (None: nothing; a stored state is cleared)."""
        self.waiting = waiting
        if waiting is not None:
            self.keep(waiting.to_state())
        elif self.state or self.new_state is not UNCHANGED:
            self.keep(None)

    def stored(self) -> None:
        """The state was stored (and the delivery claimed) by a write of this turn."""
        self.new_state = UNCHANGED
        self.delivery = None

    def release(self) -> None:
        """End the read transaction before this turn writes. SQLite restarts its write-ahead
        log only when no reader holds it: a read kept open across every write would let the
        log grow without end, and every commit slow down with it."""
        self.uow.rollback()

    def write(self, uow) -> None:
        """What every write of this turn carries: the claim of the chat delivery."""
        if self.delivery is not None:
            inbound.claim(uow, *self.delivery)
