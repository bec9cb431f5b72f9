"""A neutral `Reply` as Slack Block Kit: the text in sections, a table as a code block, buttons
as an actions block with words on them. Charts go separately as files (`files_upload_v2`)."""

from __future__ import annotations

import re

from bot.render.reply import Reply

SECTION_LIMIT = 2900  # Slack refuses a section text over 3000 characters
ACTION_PREFIX = "jxc_button_"


def escape(text: str) -> str:
    """Slack's three control characters in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _chunks(text: str, size: int = SECTION_LIMIT) -> list[str]:
    out, current = [], ""
    for line in text.split("\n"):
        while len(line) > size:
            if current:
                out.append(current)
            current = ""
            out.append(line[:size])
            line = line[size:]
        if len(current) + len(line) + 1 > size:
            out.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        out.append(current)
    return out or [""]


_ALIGNED = re.compile(r"\S {2,}\S")


def is_tabular(text: str) -> bool:
    """Whether a text holds columns aligned with spaces (a report's table), which only a
    fixed-width font keeps aligned."""
    return sum(1 for line in text.split("\n") if _ALIGNED.search(line)) >= 2


def blocks(reply: Reply, *, buttons: bool = True) -> list[dict]:
    """The Block Kit blocks of a reply: a reply with a table whose text aligns it in columns goes
    as a code block (fixed width); other text as mrkdwn sections."""
    code = bool(reply.table) and is_tabular(reply.text)
    out = []
    for chunk in _chunks(reply.text, SECTION_LIMIT - 8 if code else SECTION_LIMIT):
        text = f"```{escape(chunk)}```" if code else (escape(chunk) or " ")
        out.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    if buttons and reply.buttons:
        elements = []
        for n, b in enumerate(reply.buttons):
            element = {
                "type": "button",
                "action_id": f"{ACTION_PREFIX}{n}",
                "text": {"type": "plain_text", "text": b.label, "emoji": True},
                "value": b.payload,
            }
            if b.payload.startswith("confirm:"):
                element["style"] = "primary"
            elements.append(element)
        out.append({"type": "actions", "elements": elements})
    return out[:50]


def fallback(reply: Reply) -> str:
    """The plain text of a message (notifications, screen readers)."""
    return reply.text[:3000]
