"""Telegram (python-telegram-bot 22): the chat on the caller's event loop; see `part`."""

from adapters.telegram.part import TelegramPart, make_part, webhook_secret

__all__ = ["TelegramPart", "make_part", "webhook_secret"]
