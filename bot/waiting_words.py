"""The words around a waiting question: the one line saying a new message dropped it, the
reminder that it still waits, the reply to a late answer, and the text of a command with the
chosen suggestion put in place."""

from __future__ import annotations

import re

from bot.render.reply import Reply, t
from bot.waiting import CONFIRM, REASON, REFUSED, Waiting


def expired_reply(lang: str) -> Reply:
    return Reply(
        t(
            lang,
            "That question expired (10 minutes) — send it again.",
            "那个问题已超时（10 分钟），请重新发送。",
        ),
        lang,
        ok=False,
    )


def what_waited(w: Waiting) -> str:
    if w.kind == CONFIRM:
        was = (w.summary or "").splitlines()[0] if w.summary else ""
        for ask in (" Confirm?", "确认吗？"):
            was = was.removesuffix(ask)
        return was
    return w.asked or w.request or w.text


def _brief(text: str, limit: int = 90) -> str:
    """What waited, short enough for one line: its first sentence, cut at a word with "…"."""
    text = text.strip()
    for end in ("? ", ". ", "？", "。"):
        at = text.find(end)
        if 0 < at < len(text) - len(end.strip()):  # a first sentence with more after it
            text = text[: at + len(end.strip())]
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(",，;；:：") + "…"


def dropped_note(w: Waiting, lang: str) -> str:
    """The one line that says a new message dropped what was waiting."""
    was = _brief(what_waited(w))
    if w.kind == CONFIRM:
        return t(
            lang,
            f"(This replaces the request that was waiting for your yes, now dropped: {was})",
            f"（这条替换了之前等待确认的请求，已放弃：{was}）",
        )
    if w.kind == REFUSED:
        return t(
            lang,
            "(This replaces the order that was refused for stock, now dropped.)",
            "（这条替换了之前因库存不足被拒的订单，已放弃。）",
        )
    if w.kind == REASON:
        return t(
            lang,
            f"(No reason given: {w.request} was not rejected and still waits for a decision.)",
            f"（没有给出理由：{w.request} 没有驳回，仍在等待审批。）",
        )
    return t(
        lang,
        f"(This replaces the question that was waiting, now dropped: {was})",
        f"（这条替换了之前等待回答的问题，已放弃：{was}）",
    )


def still_waiting_note(w: Waiting, lang: str) -> str:
    if w.kind == CONFIRM:
        return ""
    was = what_waited(w)
    return t(lang, f"(Still waiting for your answer to: {was})", f"（仍在等待您回答：{was}）")


def prefixed(reply: Reply, line: str, after: bool = False) -> Reply:
    if not line:
        return reply
    reply.text = f"{reply.text}\n{line}" if after else f"{line}\n{reply.text}"
    return reply


def put_in_place(original: str, name: str, picked: str) -> str:
    """The text of the command with the chosen suggestion where the unknown name was (the name
    as the parser read it may have lost the spaces the user typed)."""
    if name and name in original:
        return original.replace(name, f" {picked} ", 1)
    if name:
        chars = [re.escape(ch) for ch in name if not ch.isspace()]
        found = re.search(r"\s*".join(chars), original, re.IGNORECASE) if chars else None
        if found:
            return f"{original[: found.start()]} {picked} {original[found.end() :]}"
    return f"{original} {picked}"
