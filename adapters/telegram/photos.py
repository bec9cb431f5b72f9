"""Photos of barcodes and QR codes sent to the bot (扫码): a photo (its largest size) or an image
sent as a file, from a registered user, in the chat's order of messages. The picture is
downloaded from `{root}/file/bot{token}/{file_path}`, its codes read (`adapters.barcodes`) and
handed with the caption to the conversation; the answer goes out within 10 s."""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes, MessageHandler, filters

from adapters import barcodes
from adapters.telegram.render import send_reply, telegram_lang
from bot.conversation.scanned import Scanned, not_fetched
from bot.render.errors import unregistered_reply
from bot.render.reply import Reply

log = logging.getLogger(__name__)
FETCH_SECONDS = 5.0  # getFile and the download together, at most
# Bots may download files up to 20 MB; a larger image is refused before it is fetched.
MAX_FILE = barcodes.MAX_BYTES
PICTURES = filters.PHOTO | filters.Document.IMAGE


class Photos:
    """The photo handler of `Handlers` (which provides the chat locks, the conversation, the
    sender and the user lookup)."""

    def register_photos(self, application) -> None:
        application.add_handler(MessageHandler(PICTURES, self.on_photo))

    async def on_photo(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        chat_id = update.effective_chat.id
        sender = update.effective_user
        delivery = ("telegram", str(update.update_id))
        started = time.monotonic()
        async with self._locks[chat_id]:
            name = await asyncio.to_thread(self._user_name, sender)
            if name is None:  # nothing is downloaded for someone we do not know
                reply = unregistered_reply("Telegram", sender.id, telegram_lang(sender))
            else:
                scan = await self._scan(context.bot, message, telegram_lang(sender))
                if isinstance(scan, Reply):
                    reply = scan
                else:
                    channel = f"telegram:{chat_id}"
                    reply = await asyncio.to_thread(
                        self.conversation.handle, name, channel, scan, None, delivery
                    )
            if reply is not None:
                await send_reply(context.bot, self.sender, chat_id, reply)
        log.info(
            "photo answered in %.2fs",
            time.monotonic() - started,
            extra={"chat_id": chat_id, "update_id": update.update_id},
        )

    async def _scan(self, bot, message, lang: str) -> Scanned | Reply:
        """The codes of the message's picture, or the reply saying it could not be had."""
        caption = message.caption or ""
        if message.photo:
            picture = max(message.photo, key=lambda p: p.width * p.height)  # the largest size
        else:
            picture = message.document
        size = getattr(picture, "file_size", None) or 0
        if size > MAX_FILE:
            return Reply(not_fetched(lang, "not an image"), lang, ok=False)
        try:
            async with asyncio.timeout(FETCH_SECONDS):
                found = await bot.get_file(picture.file_id)
                data = bytes(await found.download_as_bytearray())
        except (TelegramError, TimeoutError, OSError) as exc:
            log.warning("a photo could not be fetched: %s", exc, extra={"chat": message.chat_id})
            return Reply(not_fetched(lang), lang, ok=False)
        try:
            codes = await asyncio.to_thread(barcodes.decode, data)
        except barcodes.NotAnImage as exc:
            log.info("a picture that is no image: %s", exc, extra={"chat": message.chat_id})
            return Reply(not_fetched(lang, "not an image"), lang, ok=False)
        return Scanned(tuple(c.text for c in codes), caption)
