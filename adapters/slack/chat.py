"""What the Slack listeners hand their work to, after `ack()`: find the user by `slack_id`, ask
the conversation (sync, on a worker thread), and send the reply.

The work runs as tasks this object keeps, so stopping can wait for what was acknowledged. A
delivery (event id, slash command trigger id, button container and time) is passed to the
conversation, which records it with what it causes; the ids in hand are also kept here, so a
retry that arrives while the first delivery is still being answered does nothing.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import Coroutine

from adapters.slack.photos import Photos
from adapters.slack.sender import Sender
from bot.render.alerts import ALERT_PAYLOADS
from bot.render.errors import unregistered_reply
from bot.render.reply import Reply
from domain.language import lang_of
from domain.ledger import lookup

log = logging.getLogger(__name__)
PLATFORM = "slack"
RECENT = 10_000  # delivery ids remembered in memory (the database remembers all)
_MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")
_LINK = re.compile(r"<(?:[^|>]*\|)?([^>]*)>")


def plain_text(text: str) -> str:
    """A Slack message's text as typed: mentions of the bot removed, links to their label,
    Slack's escapes undone."""
    text = _MENTION.sub("", text or "")
    text = _LINK.sub(r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


class SlackChat(Photos):
    """Slack messages and taps in, replies out (shared images: `Photos`)."""

    def __init__(self, conversation, uow_factory, sender: Sender, refresh_copies=None):
        self.conversation = conversation
        self.uow_factory = uow_factory
        self.sender = sender
        self.closing = False
        # Set by `jxc serve`: edits every copy of an alert after a tap decided or acted on it.
        self.refresh_copies = refresh_copies
        self._tasks: set[asyncio.Task] = set()
        self._recent: OrderedDict[tuple[str, str], None] = OrderedDict()

    # -- tasks ----------------------------------------------------------------------------------

    def spawn(self, work: Coroutine) -> None:
        """Run acknowledged work in the background (stopping waits for it)."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("slack work failed", exc_info=task.exception())

    async def drain(self) -> None:
        """Take nothing new (the front door answers 503) and wait for the work in hand."""
        self.closing = True
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def first_time(self, delivery: tuple[str, str]) -> bool:
        """False for a delivery id already in hand in this process (a retry)."""
        if delivery in self._recent:
            return False
        self._recent[delivery] = None
        while len(self._recent) > RECENT:
            self._recent.popitem(last=False)
        return True

    # -- the work -------------------------------------------------------------------------------

    def _user_name(self, slack_id: str) -> str | None:
        with self.uow_factory(write=False) as uow:
            row = lookup.user_by_slack_id(uow, slack_id)
        return row.name if row is not None else None

    async def answer(
        self,
        slack_id: str,
        channel: str,
        text: str,
        delivery: str,
        thread_ts: str | None = None,
    ) -> str | None:
        """Answer a message (a DM, a mention or `/jxc`) in its channel; the reply's ts."""
        if not self.first_time((PLATFORM, delivery)):
            return None
        text = plain_text(text) or "help"
        name = await asyncio.to_thread(self._user_name, slack_id)
        if name is None:
            log.info("refused an unregistered Slack user", extra={"slack_id": slack_id})
            return await self.sender.post(
                channel, unregistered_reply("Slack", slack_id, lang_of(text)), thread_ts
            )
        reply = await asyncio.to_thread(
            self.conversation.handle,
            name,
            f"{PLATFORM}:{channel}",
            text,
            None,
            (PLATFORM, delivery),
        )
        if reply is None:  # a delivery seen before: its effect and reply happened
            return None
        return await self.sender.post(channel, reply, thread_ts)

    async def press(
        self, slack_id: str, channel: str, message_ts: str, payload: str, delivery: str = ""
    ) -> None:
        """A button tapped under one of our messages: the proposer's tap on the waiting proposal
        replaces the message with the outcome; any other tap changes nothing, and only the one
        who tapped is told so."""
        if delivery and not self.first_time((PLATFORM, delivery)):
            return
        name = await asyncio.to_thread(self._user_name, slack_id)
        if name is None:
            await self.sender.ephemeral(
                channel, slack_id, unregistered_reply("Slack", slack_id, "en")
            )
            return
        reply: Reply = await asyncio.to_thread(
            self.conversation.act,
            name,
            f"{PLATFORM}:{channel}",
            payload,
            None,
            (PLATFORM, delivery) if delivery else None,
        )
        if reply is None:  # a tap seen before
            return
        if payload.startswith(ALERT_PAYLOADS):
            if reply.buttons:  # a proposal (a draft PO from an alert): confirmed like any write
                await self.sender.post(channel, reply)
            elif reply.ok and self.refresh_copies is not None:
                await asyncio.to_thread(self.refresh_copies, payload)
            else:
                await self.sender.ephemeral(channel, slack_id, reply)
            return
        if reply.ok and message_ts:
            await self.sender.update(channel, message_ts, reply)
        else:
            await self.sender.ephemeral(channel, slack_id, reply)
