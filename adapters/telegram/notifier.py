"""Alerts, approvals and digests to Telegram: the chat channel port (`send`, `send_buttons`,
`edit`) on python-telegram-bot's `Bot`, called from the scheduler's threads and run on
`jxc serve`'s event loop.

A message to a user goes to their private chat (`sendMessage` to `telegram_id`); a chart is a
photo (`sendPhoto`, captioned with the text when it fits). Where it went comes back as
"chat_id:message_id" for `editMessageText`. A 429 is raised at once as `RetryLater` with
Telegram's `retry_after`, a 5xx or a timeout as `TransientError`; "message is not modified"
counts as an edit done. Messages are paced within Telegram's limits (see `sending.Pacing`).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter

from adapters.notify import RetryLater, TransientError
from adapters.telegram.render import CAPTION_LIMIT, TEXT_LIMIT, chunks, keyboard
from adapters.telegram.sending import NOT_MODIFIED, Pacing, _seconds
from bot.render.reply import Button

TIMEOUT = 30  # seconds for one call, from the calling thread


def make_bot(settings) -> Bot:
    """A Bot on `JXC_TELEGRAM_API_URL` (initialize it on the loop that will use it)."""
    root = settings.telegram_api_url.rstrip("/")
    return Bot(settings.telegram_token, base_url=f"{root}/bot", base_file_url=f"{root}/file/bot")


class TelegramNotifier:
    """The `ChatChannel` port (adapters.notify) on Telegram (see the module's docstring)."""

    def __init__(self, bot: Bot, loop: asyncio.AbstractEventLoop, pacing: Pacing | None = None):
        self.bot = bot
        self.loop = loop
        self.pacing = pacing or Pacing()

    def _run(self, coro):
        try:
            return asyncio.run_coroutine_threadsafe(coro, self.loop).result(TIMEOUT)
        except RetryAfter as exc:
            raise RetryLater(_seconds(exc), "telegram rate limited") from exc
        except BadRequest:
            raise
        except NetworkError as exc:  # 5xx, timeouts, connection errors
            raise TransientError(f"telegram: {exc}") from exc
        except TimeoutError as exc:
            raise TransientError("telegram did not answer in time") from exc

    def send(self, recipient, text: str, png_path: str | Path | None = None) -> str:
        """A message (and its chart) to the user's private chat; "chat_id:message_id"."""
        return self._run(self._send(_chat(recipient), text, png_path, None))

    def send_buttons(self, recipient, text: str, buttons: list[Button]) -> str:
        """A message with an inline keyboard; "chat_id:message_id"."""
        return self._run(self._send(_chat(recipient), text, None, keyboard(buttons)))

    def edit(self, ref: str, text: str) -> None:
        """Replace a sent message's text ("chat_id:message_id"); its keyboard goes."""
        chat_id, _, message_id = ref.partition(":")
        try:
            self._run(
                self.bot.edit_message_text(
                    chunks(text, TEXT_LIMIT)[-1], chat_id=int(chat_id), message_id=int(message_id)
                )
            )
        except BadRequest as exc:
            if NOT_MODIFIED not in str(exc).lower():
                raise

    async def _send(self, chat_id: int, text: str, png_path, markup) -> str:
        pieces = chunks(text) or [" "]
        if png_path and len(pieces) == 1 and len(text) <= CAPTION_LIMIT:
            message = await self._photo(chat_id, png_path, pieces[0], markup)
            return f"{chat_id}:{message.message_id}"
        message = None
        for n, piece in enumerate(pieces):
            last = n == len(pieces) - 1
            await self.pacing.wait(chat_id)
            message = await self.bot.send_message(
                chat_id, piece, reply_markup=markup if last else None
            )
        ref = f"{chat_id}:{message.message_id}"
        if png_path:
            await self._photo(chat_id, png_path, None, None)
        return ref

    async def _photo(self, chat_id: int, path, caption, markup):
        await self.pacing.wait(chat_id)
        return await self.bot.send_photo(
            chat_id,
            photo=Path(path).read_bytes(),
            caption=caption,
            reply_markup=markup,
            filename=Path(path).name,
        )


def _chat(recipient) -> int:
    telegram_id = getattr(recipient, "telegram_id", None)
    if not telegram_id:
        raise ValueError(f"{getattr(recipient, 'name', recipient)} has no telegram_id")
    return int(telegram_id)
