"""The conversation: text in, neutral reply out.

Questions run at once; a write is summarised and runs only on yes/是/确认/ok (no/否/取消 drops
it; a confirmation expires after 10 minutes). A text that names a command but misses a value is
asked about, and the answer completes it. The state lives in the database per user and channel,
so a restart mid-confirmation loses nothing. The confirmed command runs under an idempotency key
made when it was proposed, so "yes" delivered twice has one effect.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update

from bot.catalog_source import CatalogCache
from bot.help import help_text
from bot.parse import confirmation_word, parse
from bot.replies import CANCEL, CONFIRM, Reply, error_reply, result_reply, t
from bot.summary import summarize
from domain.commands import command_from_dict
from domain.errors import JxcError, NotAvailable
from domain.model import Conversation as ConversationRow
from domain.roles import authorize

log = logging.getLogger(__name__)
state_t = ConversationRow.__table__
EXPIRY = timedelta(minutes=10)


class Conversation:
    """Talks with registered users through any channel."""

    def __init__(self, bus, uow_factory, clock):
        self.bus = bus
        self.uow_factory = uow_factory
        self.clock = clock
        self.catalogs = CatalogCache()

    # -- state ------------------------------------------------------------------------------

    def _load(self, user: str, channel: str) -> dict:
        with self.uow_factory(write=False) as uow:
            row = uow.execute(
                select(state_t.c.state).where(
                    (state_t.c.user_name == user) & (state_t.c.channel == channel)
                )
            ).first()
        return json.loads(row[0]) if row and row[0] else {}

    def _save(self, user: str, channel: str, state: dict | None) -> None:
        where = (state_t.c.user_name == user) & (state_t.c.channel == channel)
        with self.uow_factory(write=True) as uow:
            if not state:
                uow.execute(delete(state_t).where(where))
            elif uow.execute(select(state_t.c.user_name).where(where)).first():
                uow.execute(
                    update(state_t)
                    .where(where)
                    .values(state=json.dumps(state, ensure_ascii=False), updated_at=uow.now)
                )
            else:
                uow.execute(
                    insert(state_t).values(
                        user_name=user,
                        channel=channel,
                        state=json.dumps(state, ensure_ascii=False),
                        updated_at=uow.now,
                    )
                )
            uow.commit()

    # -- the one entry point ----------------------------------------------------------------

    def handle(self, user_name: str, channel: str, text: str, lang: str | None = None) -> Reply:
        """Answer one message from a user (by name) on a channel."""
        text = text if isinstance(text, str) else ""
        msg_lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"
        try:
            user = self.bus.user(user_name)
        except JxcError:
            lang = lang or msg_lang
            return Reply(
                t(
                    lang,
                    f"Sorry, {user_name} is not registered with JXC. An admin can "
                    "add you with `jxc import users FILE.csv` (name, role, slack_id, "
                    "telegram_id, lang).",
                    f"抱歉，{user_name} 还没有在 JXC 登记。请管理员用 `jxc import users` "
                    "导入您的账号（姓名、角色、Slack/Telegram 编号、语言）。",
                ),
                lang,
                ok=False,
            )
        lang = lang or user.lang or msg_lang
        try:
            return self._handle(user, channel, text.strip(), lang)
        except JxcError as exc:
            return error_reply(exc, lang)
        except Exception:
            ref = uuid.uuid4().hex[:8]
            log.exception("unexpected error in conversation", extra={"ref": ref, "user": user_name})
            return Reply(
                t(
                    lang,
                    f"Sorry, something went wrong (reference {ref}). Nothing was "
                    "changed; please try again or tell an admin.",
                    f"抱歉，出错了（编号 {ref}）。没有做任何更改，请重试或联系管理员。",
                ),
                lang,
                ok=False,
            )

    def _handle(self, user, channel: str, text: str, lang: str) -> Reply:
        state = self._load(user.name, channel)
        yes = confirmation_word(text)
        if yes is not None:
            return self._answer(user, channel, state, yes, lang)
        if state.get("awaiting"):
            combined = f"{state['awaiting']['text']} {text}"
            with self.uow_factory(write=False) as uow:
                catalog = self.catalogs.get(uow)
            alone = parse(text, catalog)
            if alone.command is None and alone.intent is None:
                result = parse(combined, catalog)
                if result.command is not None or result.intent == state["awaiting"]["intent"]:
                    self._save(user.name, channel, None)
                    return self._parsed(user, channel, combined, result, lang)
            self._save(user.name, channel, None)
        return self._message(user, channel, text, lang)

    def _message(self, user, channel: str, text: str, lang: str) -> Reply:
        with self.uow_factory(write=False) as uow:
            catalog = self.catalogs.get(uow)
        return self._parsed(user, channel, text, parse(text, catalog), lang)

    def _parsed(self, user, channel: str, text: str, result, lang: str) -> Reply:
        if result.command is None:
            err = result.error or {}
            if err.get("code") == "missing_slot":
                self._save(
                    user.name, channel, {"awaiting": {"text": text, "intent": result.intent}}
                )
                return Reply(err["message"], lang, ok=False)
            if err.get("code") is None:
                return Reply(
                    t(
                        lang,
                        "I did not understand that. Type `help` to see examples.",
                        "没看懂。发送“帮助”查看示例。",
                    ),
                    lang,
                    ok=False,
                )
            msg = err.get("message", "")
            if err.get("suggestions") and not any(s in msg for s in err["suggestions"]):
                msg += t(lang, " Did you mean: ", " 您是不是指：") + ", ".join(err["suggestions"])
            return Reply(msg, lang, ok=False)
        command = result.command
        intent = command["intent"]
        if intent == "help":
            return Reply(help_text(user.role, lang, set(self.bus.handlers)), lang)
        authorize(user.name, user.role, intent)
        if intent not in self.bus.handlers:
            raise NotAvailable(
                f"{intent} is understood but not available yet",
                zh=f"已理解“{intent}”，但该功能尚未开放",
            )
        cmd = command_from_dict(command)
        if not cmd.WRITE:
            return result_reply(intent, self.bus.execute(cmd, user), lang)
        with self.uow_factory(write=False) as uow:
            text = summarize(uow, command, lang)
        expires = self.clock.now() + EXPIRY
        self._save(
            user.name,
            channel,
            {
                "pending": command,
                "key": f"chat:{uuid.uuid4()}",
                "expires": expires.isoformat(),
                "summary": text,
            },
        )
        return Reply(text, lang, buttons=[CONFIRM, CANCEL])

    def _answer(self, user, channel: str, state: dict, yes: bool, lang: str) -> Reply:
        pending = state.get("pending")
        if not pending:
            return Reply(
                t(
                    lang,
                    "There is nothing waiting for your confirmation.",
                    "目前没有需要您确认的操作。",
                ),
                lang,
                ok=False,
            )
        if datetime.fromisoformat(state["expires"]) < self.clock.now():
            self._save(user.name, channel, None)
            return Reply(
                t(
                    lang,
                    "That confirmation expired (10 minutes); please send the command again.",
                    "确认已超时（10 分钟），请重新发送指令。",
                ),
                lang,
                ok=False,
            )
        if not yes:
            self._save(user.name, channel, None)
            return Reply(
                t(lang, "Cancelled; nothing was changed.", "已取消，没有做任何更改。"), lang
            )
        cmd = command_from_dict(pending)
        try:
            result = self.bus.execute(cmd, user, key=state["key"])
        finally:
            self._save(user.name, channel, None)
        return result_reply(pending["intent"], result, lang)
