"""A neutral `Reply` as Slack Block Kit: the text in sections, a table as a code block, buttons
as an actions block with words on them. Charts go separately as files (`files_upload_v2`)."""

from __future__ import annotations

from bot.replies import Reply

SECTION_LIMIT = 2900  # Slack refuses a section text over 3000 characters
TABLE_ROWS = 20
TABLE_COLUMNS = 6
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


def table_text(rows: list[dict]) -> str:
    """Rows as aligned plain text (the first columns and rows only)."""
    columns = [c for c in rows[0] if not isinstance(rows[0][c], dict | list)][:TABLE_COLUMNS]
    shown = rows[:TABLE_ROWS]
    cells = [[str(c) for c in columns]] + [
        ["" if r.get(c) is None else str(r.get(c)) for c in columns] for r in shown
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    if len(rows) > len(shown):
        lines.append(f"… {len(rows) - len(shown)} more")
    return "\n".join(line.rstrip() for line in lines)


def blocks(reply: Reply, *, buttons: bool = True) -> list[dict]:
    """The Block Kit blocks of a reply."""
    out = [
        {"type": "section", "text": {"type": "mrkdwn", "text": escape(chunk) or " "}}
        for chunk in _chunks(reply.text)
    ]
    if reply.table and isinstance(reply.table[0], dict) and len(reply.table) > 1:
        code = table_text(reply.table)
        if code:
            for chunk in _chunks(code, SECTION_LIMIT - 8):
                out.append(
                    {
                        "type": "section",
                        "text": {"type": "mrkdwn", "text": f"```{escape(chunk)}```"},
                    }
                )
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
