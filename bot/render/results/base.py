"""The registry of result renderers: one function per type of result."""

from __future__ import annotations

import functools

from bot.render.reply import Reply, t


@functools.singledispatch
def result_reply(result, lang: str) -> Reply:
    """Render a service's result for people: each type of result has its renderer in a module of `bot.render.results`."""
    raise TypeError(f"no renderer for {type(result).__name__}")


def said(lang: str, en: str, zh: str, **reply) -> Reply:
    """A reply of one text, in English or Chinese."""
    return Reply(t(lang, en, zh), lang, **reply)


def listed(rows, lang: str, empty: tuple[str, str], line) -> Reply:
    """A list: one line a row (`line(row, lang)`), or `empty` (English, Chinese) when there
    is none; the rows as its table."""
    table = [x.to_json() for x in rows]
    if not rows:
        return said(lang, *empty, table=table)
    return Reply("\n".join(line(x, lang) for x in rows), lang, table=table)
