"""The service layer's front door: run one typed command as one unit of work.

`execute()` checks the user's role, honours the idempotency key (the same key and command returns
the stored first result, a refusal included, and changes nothing; the same key with another
command is `duplicate_request`), runs the service, writes the audit row (which is also the key's
record) and the outbox events, and commits — all in one transaction.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable

from domain.errors import (
    NOT_REPLAYED,
    DuplicateRequest,
    JxcError,
    NotAvailable,
    NotPermitted,
    error_from_dict,
)
from domain.ledger import lookup
from domain.messages import (
    batch_results,  # noqa: F401  (registers its write's result for replays: digest.schedules)
)
from domain.messages.commands import Command, Pending, check_text, echo
from domain.messages.results import Result, as_json, from_json
from domain.roles import authorize
from domain.uow import UnitOfWork

log = logging.getLogger(__name__)

USER_NAME_LIMIT = 64

Handler = Callable[[Command, UnitOfWork, object], Result]
"""A service: it answers with a typed `Result` (`domain.messages.results`; the batch and digest services'
in `domain.messages.batch_results`)."""


class MessageBus:
    """Runs commands for users against one database (through a unit-of-work factory)."""

    def __init__(
        self,
        uow_factory: Callable[..., UnitOfWork],
        handlers: dict[str, Handler],
    ):
        """`handlers`: the service of each intent (the bootstrap's table, services handed the
        ports they need)."""
        self.uow_factory = uow_factory
        self.handlers = dict(handlers)

    def user(self, name: str):
        """A registered user by name, or `NotPermitted` (`BadRequest` for a name no user can
        have: over 64 characters, a NUL byte, a lone surrogate)."""
        check_text("user name", name, USER_NAME_LIMIT)
        with self.uow_factory(write=False) as uow:
            row = lookup.user_by_name(uow, name)
        if row is None:
            raise NotPermitted(
                f"{echo(name)!r} is not a registered user; an admin adds users with "
                "`jxc import users FILE.csv`",
                zh=f"“{echo(name)}” 不是已登记的用户；请管理员用 `jxc import users` 登记",
            )
        return row

    def _service(self, cmd: Command, user) -> tuple[str, Handler]:
        """The intent and its service, once the user's role is checked."""
        intent = cmd.intent_name if isinstance(cmd, Pending) else cmd.intent
        authorize(user.name, user.role, intent)
        service = self.handlers.get(intent)
        if service is None:
            raise NotAvailable(
                f"{intent} is understood but not available yet",
                zh=f"已理解“{intent}”，但该功能尚未开放",
            )
        return intent, service

    def execute(
        self, cmd: Command, user, key: str | None = None, also=None, *, _retry: bool = True
    ) -> Result:
        """Run `cmd` as `user`; returns its result or raises a `JxcError`. A replay of a key
        rebuilds the typed result from the answer stored under it.

        `also(uow)`, when given, runs in the same transaction as a write, whatever its outcome
        (the first run, a replay, a stored refusal): the chat clears the confirmation it answers
        there, so the command and the end of its confirmation commit together."""
        intent, service = self._service(cmd, user)
        if not cmd.WRITE:
            with self.uow_factory(write=False) as uow:
                return service(cmd, uow, user)
        key = key or f"auto:{uuid.uuid4()}"
        shape = cmd.to_dict()
        fingerprint = cmd.fingerprint(shape)
        try:
            with self.uow_factory(write=True) as uow:
                stored, recorded_as = uow.find_key(key, user.name)
                if stored is not None:
                    if also is not None:
                        also(uow)
                        uow.commit()
                    return _replay(stored, fingerprint, key, intent)
                result = service(cmd, uow, user)
                raw = json.dumps(as_json(result), ensure_ascii=False, default=str)
                if not uow.record(user.name, intent, recorded_as, shape, fingerprint, True, raw):
                    uow.rollback()  # a concurrent delivery of the same key won
                    replayed = self._replay_committed(key, user, fingerprint, intent)
                    if replayed is None and _retry:
                        # Another user's first: this user's key is recorded apart.
                        return self.execute(cmd, user, key, also, _retry=False)
                    if replayed is None:
                        raise DuplicateRequest(
                            f"key {echo(key)!r} is in use; send the command with another key",
                            zh=f"请求编号 {echo(key)!r} 已被占用；请换一个编号",
                        )
                    return replayed
                if also is not None:
                    also(uow)
                uow.commit()
                return result
        except JxcError as refusal:
            self._store_refusal(key, fingerprint, user, intent, cmd, refusal, also)
            raise

    def ask(self, cmd: Command, user, uow: UnitOfWork) -> Result:
        """Run a question (a read-only command) in a unit of work the caller already holds."""
        _, service = self._service(cmd, user)
        if cmd.WRITE:
            raise TypeError(f"{cmd.intent} is a write; run it with execute()")
        return service(cmd, uow, user)

    def preview(self, cmd: Command, user, uow: UnitOfWork | None = None) -> Result:
        """Run a write command's service on the database as it is now and roll it back: the
        result the command would have, or the refusal it would get. The chat proposes only what
        this says will succeed, and words the proposal from this result, so what the user
        confirms is what the service stores (unless the ledger moves in between).

        Given a write unit of work, the dry run happens inside a savepoint of it, so the caller
        can go on writing (the chat stores its proposal) in the same transaction."""
        intent, service = self._service(cmd, user)
        if not cmd.WRITE:
            raise TypeError(f"{intent} is not a write; run it with execute()")
        if uow is None:
            with self.uow_factory(write=True) as own:
                try:
                    return service(cmd, own, user)
                finally:
                    own.rollback()
        with uow.savepoint():
            return service(cmd, uow, user)

    def _replay_committed(self, key: str, user, fingerprint: str, intent: str):
        with self.uow_factory(write=False) as uow:
            stored, _ = uow.find_key(key, user.name)
        return None if stored is None else _replay(stored, fingerprint, key, intent)

    def _store_refusal(self, key, fingerprint, user, intent, cmd, refusal: JxcError, also) -> None:
        """Remember a refusal under its key, so a replay gets the same answer."""
        if isinstance(refusal, (DuplicateRequest, *NOT_REPLAYED)):
            if also is not None:
                with self.uow_factory(write=True) as uow:
                    also(uow)
                    uow.commit()
            return
        data = {
            "code": refusal.code,
            "message": refusal.message,
            "zh": refusal.zh,
            "suggestions": refusal.suggestions,
        }
        with self.uow_factory(write=True) as uow:
            raw = json.dumps(data, ensure_ascii=False)
            detail = {"refused": refusal.code, **cmd.to_dict()}
            _, recorded_as = uow.find_key(key, user.name)
            stored = uow.record(user.name, intent, recorded_as, detail, fingerprint, False, raw)
            if also is not None:
                also(uow)
            if stored or also is not None:
                uow.commit()


def _replay(stored, fingerprint: str, key: str, intent: str) -> Result:
    if stored.command_hash != fingerprint:
        raise DuplicateRequest(
            f"key {echo(key)!r} was already used for a different command",
            zh=f"请求编号 {echo(key)!r} 已用于另一条指令",
        )
    if not stored.ok:
        raise error_from_dict(json.loads(stored.result))
    return from_json(intent, json.loads(stored.result))
