"""The registry of result renderers: one function per type of result."""

from __future__ import annotations

import functools

from bot.render.reply import Reply


@functools.singledispatch
def result_reply(result, lang: str) -> Reply:
    """Render a service's result for people: each type of result has its renderer in a module of `bot.render.results`."""
    raise TypeError(f"no renderer for {type(result).__name__}")
