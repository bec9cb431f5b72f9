"""The console chat (`jxc chat`): the same conversation as Slack and Telegram, on a terminal.

On a terminal it is interactive with line editing and history; otherwise it reads one message a
line and prints each answer followed by an empty line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.replies import Reply


def render(reply: Reply) -> str:
    """A reply as console text; buttons become the words to type."""
    text = reply.text
    if reply.buttons:
        words = " / ".join(b.label for b in reply.buttons)
        text += f"\n[{words}] " + ("（回复 是 / 否）" if reply.lang == "zh" else "(type yes / no)")
    if reply.image:
        text += f"\n(chart: {reply.image})"
    return text


def run_console(conversation, user_name: str, lang: str | None, stdin=None, stdout=None) -> int:
    """Chat until end of input; returns the exit status."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
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
    return 0
