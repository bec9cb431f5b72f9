"""A neutral `Reply` drawn for Telegram: text in messages of at most 4096 characters, buttons as
an inline keyboard under the last one, a chart as a photo (with the text as its caption when it
fits), a document (a PDF) as a file after the text."""

from __future__ import annotations

import logging
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from adapters.documents.port import release
from adapters.telegram.sending import Sender
from bot.render.reply import Button, Reply

log = logging.getLogger(__name__)
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_LIMIT = 64  # bytes of callback_data
ANSWER_LIMIT = 200  # characters of an answerCallbackQuery text


def keyboard(buttons: list[Button]) -> InlineKeyboardMarkup | None:
    """One row of buttons with their words; a payload over Telegram's 64 bytes is left out (and
    logged) rather than cut into a payload that means something else."""
    row = []
    for button in buttons:
        if len(button.payload.encode()) > CALLBACK_LIMIT:
            log.error("button payload over 64 bytes left out", extra={"payload": button.payload})
            continue
        row.append(InlineKeyboardButton(button.label, callback_data=button.payload))
    return InlineKeyboardMarkup([row]) if row else None


def chunks(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """The text in pieces Telegram takes, cut at line ends where possible."""
    out = []
    rest = text.strip()
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        out.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    if rest:
        out.append(rest)
    return out


def short(text: str, limit: int = ANSWER_LIMIT) -> str:
    """A text cut to fit a callback answer."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def send_reply(bot, sender: Sender, chat_id: int, reply: Reply) -> Message | None:
    """Send a reply to a chat; the message carrying the buttons (or the last one) is returned.
    A document made for the reply is removed once sent (or given up)."""
    try:
        return await _send(bot, sender, chat_id, reply)
    finally:
        release(reply.document)


async def _send(bot, sender: Sender, chat_id: int, reply: Reply) -> Message | None:
    markup = keyboard(reply.buttons)
    pieces = chunks(reply.text)
    last = None
    if reply.image and not reply.document and len(pieces) <= 1 and len(reply.text) <= CAPTION_LIMIT:
        return await _photo(
            bot, sender, chat_id, reply.image, pieces[0] if pieces else None, markup
        )
    files = bool(reply.image or reply.document)
    for n, piece in enumerate(pieces):
        is_last = n == len(pieces) - 1 and not files
        last = await sender.call(
            chat_id,
            "sendMessage",
            lambda piece=piece, is_last=is_last: bot.send_message(
                chat_id, piece, reply_markup=markup if is_last else None
            ),
        )
    if reply.image:
        last = await _photo(
            bot, sender, chat_id, reply.image, None, None if reply.document else markup
        )
    if reply.document:
        last = await sender.document(bot, chat_id, reply.document, markup=markup)
    return last


async def _photo(bot, sender, chat_id, path, caption, markup):
    data = Path(path).read_bytes()
    return await sender.call(
        chat_id,
        "sendPhoto",
        lambda: bot.send_photo(
            chat_id, photo=data, caption=caption, reply_markup=markup, filename=Path(path).name
        ),
    )


def telegram_lang(user) -> str:
    """The language Telegram says the person uses (for people we do not know yet)."""
    code = (getattr(user, "language_code", None) or "").lower()
    return "zh" if code.startswith("zh") else "en"
