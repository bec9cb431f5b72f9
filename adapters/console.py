"""The console chat (`jxc chat`): the same conversation as Slack and Telegram, on a terminal.

On a terminal it is interactive with line editing and history; otherwise it reads one message a
line and prints each answer followed by an empty line.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from bot.render.reply import Reply

log = logging.getLogger(__name__)


def render(reply: Reply) -> str:
    """A reply as console text; buttons become the words to type."""
    text = reply.text
    if reply.buttons:
        words = " / ".join(b.label for b in reply.buttons)
        text += f"\n[{words}] " + ("（回复 是 / 否）" if reply.lang == "zh" else "(type yes / no)")
    if reply.image:
        text += f"\n(chart: {reply.image})"
    if reply.document:
        text += f"\n(document: {reply.document})"
    return text


def inline_feed(conversation) -> Callable[[], None]:
    """The rules feed to run after each message (as the CLI does after each command), on the
    conversation's application; a failure is logged and loses nothing."""
    app = getattr(conversation.uow_factory, "__self__", None)

    def run() -> None:
        if app is None:
            return
        try:
            from adapters.bootstrap import run_feed_inline

            run_feed_inline(app)
        except Exception:  # noqa: BLE001 - the reply is out; the outbox keeps the rows
            log.warning("the inline rules feed failed; the outbox keeps its rows", exc_info=True)

    return run


def run_console(
    conversation,
    user_name: str,
    lang: str | None,
    stdin=None,
    stdout=None,
    after: Callable[[], None] | None = None,
) -> int:
    """Chat until end of input; returns the exit status. `after` runs after each answer is
    printed (default: the rules feed)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    after = after or inline_feed(conversation)
    channel = "console"
    if stdin.isatty():
        try:
            import readline

            history = Path.home() / ".jxc_history"
            if history.exists():
                readline.read_history_file(history)
        except (ImportError, OSError):
            history = None
        stdout.write("JXC 进销存 — type `help` / 帮助, Ctrl-D to leave.\n")
        while True:
            try:
                line = input("> ")
            except (EOFError, KeyboardInterrupt):
                stdout.write("\n")
                break
            if line.strip():
                stdout.write(render(conversation.handle(user_name, channel, line, lang)) + "\n")
                after()
        if history is not None:
            try:
                readline.write_history_file(history)
            except OSError:
                pass  # history is a convenience; an unwritable home must not break the chat
        return 0
    for line in stdin:
        line = line.rstrip("\n")
        if not line.strip():
            continue
        stdout.write(render(conversation.handle(user_name, channel, line, lang)) + "\n\n")
        stdout.flush()
        after()
    return 0
