"""Channel-neutral replies: text, an optional table, an optional image (a chart), an optional
document (a PDF), optional buttons.

Every adapter renders a `Reply` its own way (the console prints text; Slack and Telegram draw
buttons). Texts come in English and Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    """A button with words on it (never an emoji alone) and the payload it sends back."""

    label: str
    payload: str


@dataclass
class Reply:
    """What the bot answers."""

    text: str
    lang: str = "en"
    table: list[dict] | None = None
    image: str | None = None
    buttons: list[Button] = field(default_factory=list)
    ok: bool = True
    document: str | None = None  # a PDF's path: sent as a file (Slack, Telegram), or named


CONFIRM = Button("✅ 确认 Confirm", "confirm")
CANCEL = Button("取消 Cancel", "cancel")


def confirmation_buttons(proposal: str) -> list[Button]:
    """Confirm / Cancel for one proposal: the payload carries its short id (`confirm:p1a2b3c4`,
    well under Telegram's 64 bytes), so a tap on an older proposal changes nothing."""
    return [
        Button(CONFIRM.label, f"{CONFIRM.payload}:{proposal}"),
        Button(CANCEL.label, f"{CANCEL.payload}:{proposal}"),
    ]


def t(lang: str, en: str, zh: str) -> str:
    """Pick the text of a language."""
    return zh if lang == "zh" else en
