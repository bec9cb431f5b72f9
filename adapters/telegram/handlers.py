"""The Telegram handlers: each translates an update into a call of the conversation and draws the
reply; one application-wide error handler renders what went wrong. No business logic here.

Messages of one chat are answered in order (a lock per chat) while chats go on side by side, so a
chat held back by a 429 keeps only itself waiting.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict

from telegram import ForceReply, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from adapters.telegram.photos import Photos
from adapters.telegram.render import (
    chunks,
    send_reply,
    short,
    telegram_lang,
)
from adapters.telegram.sending import Sender
from bot.render.alerts import ALERT_PAYLOADS
from bot.render.errors import error_reply, unregistered_reply
from bot.render.reply import Reply
from bot.waiting import ReasonPrompt
from domain.errors import JxcError, apology
from domain.ledger import lookup

log = logging.getLogger(__name__)
PLATFORM = "telegram"
DECISIONS = ("confirm:", "cancel:")


def channel_of(chat_id: int) -> str:
    """The conversation's channel for a Telegram chat (its state is kept per user and channel)."""
    return f"{PLATFORM}:{chat_id}"


class Handlers(Photos):
    """The handlers of one application, on one conversation (photos: `Photos`)."""

    def __init__(self, conversation, uow_factory, sender: Sender, refresh_copies=None):
        self.conversation = conversation
        self.uow_factory = uow_factory
        self.sender = sender
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        # Set by `jxc serve`: edits every copy of an alert after a tap decided or acted on it.
        self.refresh_copies = refresh_copies

    def register(self, application: Application) -> None:
        application.add_handler(CommandHandler(["start", "help"], self.on_help))
        application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self.on_text))
        self.register_photos(application)
        application.add_handler(CallbackQueryHandler(self.on_press))
        application.add_error_handler(self.on_error)

    # -- handlers -------------------------------------------------------------------------------

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._converse(update, context, "help")

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._converse(update, context, update.effective_message.text)

    async def on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        chat_id = query.message.chat.id if query.message else query.from_user.id
        async with self._locks[chat_id]:
            reply = await asyncio.to_thread(
                self._press,
                query.from_user,
                channel_of(chat_id),
                query.data or "",
                (PLATFORM, str(update.update_id)),
            )
            if reply is None:  # a tap delivered before: answered then
                await self.sender.call(chat_id, "answerCallbackQuery", lambda: query.answer())
                return
            if (query.data or "").startswith(ALERT_PAYLOADS):
                await self._alert_tap(context, query, chat_id, reply)
                return
            decided = reply.ok and (query.data or "").startswith(DECISIONS)
            await self.sender.call(
                chat_id,
                "answerCallbackQuery",
                lambda: query.answer(short(reply.text), show_alert=not decided),
            )
            if decided and query.message is not None:
                # The proposal's message keeps its words and says what became of it.
                was = getattr(query.message, "text", None) or ""
                text = chunks(f"{was}\n\n{reply.text}".strip())[-1]
                await self.sender.call(
                    chat_id,
                    "editMessageText",
                    lambda: context.bot.edit_message_text(
                        text, chat_id=chat_id, message_id=query.message.message_id
                    ),
                )

    async def _alert_tap(self, context, query, chat_id: int, reply: Reply) -> None:
        """After a tap on an alert's button: the tapper hears the outcome; a decision or an
        action edits every copy; a proposal (draft PO) comes as a message with its buttons."""
        await self.sender.call(
            chat_id,
            "answerCallbackQuery",
            lambda: query.answer(short(reply.text), show_alert=not reply.ok),
        )
        if isinstance(reply, ReasonPrompt):
            # Reject asks why: the reply to this prompt is the reason (nothing changes before).
            prompt = ForceReply(selective=True, input_field_placeholder=short(reply.text)[:64])
            await self.sender.call(
                chat_id,
                "sendMessage",
                lambda: context.bot.send_message(chat_id, reply.text, reply_markup=prompt),
            )
            return
        if reply.buttons:
            await send_reply(context.bot, self.sender, chat_id, reply)
        elif reply.ok and self.refresh_copies is not None:
            await asyncio.to_thread(self.refresh_copies, query.data or "")

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every failure of a handler ends here: logged with a reference, and the person hears
        what went wrong (a tap is always answered)."""
        exc = context.error
        ref = uuid.uuid4().hex[:8]
        if not isinstance(update, Update):
            log.error("telegram failure", exc_info=exc, extra={"ref": ref})
            return
        lang = telegram_lang(update.effective_user)
        if isinstance(exc, JxcError):
            text = error_reply(exc, lang).text
        else:
            log.error(
                "telegram update failed",
                exc_info=exc,
                extra={"ref": ref, "update_id": update.update_id},
            )
            text = apology(ref, lang)
        chat = update.effective_chat
        if update.callback_query is not None:
            query = update.callback_query
            await self.sender.call(
                chat.id if chat else query.from_user.id,
                "answerCallbackQuery",
                lambda: query.answer(short(text), show_alert=True),
            )
        elif chat is not None:
            await self.sender.call(
                chat.id, "sendMessage", lambda: context.bot.send_message(chat.id, text)
            )

    # -- the way to the conversation ------------------------------------------------------------

    async def _converse(self, update: Update, context, text: str) -> None:
        chat_id = update.effective_chat.id
        delivery = (PLATFORM, str(update.update_id))
        async with self._locks[chat_id]:
            reply = await asyncio.to_thread(
                self._handle, update.effective_user, channel_of(chat_id), text, delivery
            )
            if reply is not None:
                await send_reply(context.bot, self.sender, chat_id, reply)

    def _user_name(self, sender) -> str | None:
        with self.uow_factory(write=False) as uow:
            user = lookup.user_by_telegram_id(uow, sender.id)
        return user.name if user is not None else None

    def _handle(self, sender, channel: str, text: str, delivery) -> Reply | None:
        name = self._user_name(sender)
        if name is None:
            lang = telegram_lang(sender)
            return unregistered_reply("Telegram", sender.id, lang)
        return self.conversation.handle(name, channel, text, delivery=delivery)

    def _press(self, sender, channel: str, payload: str, delivery=None) -> Reply | None:
        name = self._user_name(sender)
        if name is None:
            lang = telegram_lang(sender)
            return unregistered_reply("Telegram", sender.id, lang)
        return self.conversation.act(name, channel, payload, delivery=delivery)
