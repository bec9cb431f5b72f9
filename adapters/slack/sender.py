"""Sending to Slack: the Web API client with bounded retries, and one queue per channel.

A 5xx, a timeout, a dropped connection or a 429 is retried by the SDK's retry handlers (a 429
after its `Retry-After`). Sends to one channel go one at a time, so while a channel waits for
its retry only that channel waits; the others go on. Posts are paced at about one a second per
channel (Slack's limit for `chat.postMessage`; a short burst of three goes at once), so a
longer burst is spread out rather than refused.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import defaultdict
from pathlib import Path

from aiohttp import ClientError, ClientOSError, ServerConnectionError, ServerDisconnectedError
from slack_sdk.errors import SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.documents.port import release
from adapters.pacing import RateLimit
from adapters.slack.render import blocks, fallback
from bot.render.reply import Reply

log = logging.getLogger(__name__)

RETRIES = 3
RETRY_AFTER_CAP = 60.0  # seconds: a longer Retry-After is waited this long, then tried again
TIMEOUT = 10  # seconds for one Web API call
POST_INTERVAL = 1.0  # seconds between two messages posted to one channel, on average
POST_BURST = 3  # messages one channel may take at once ("short bursts allowed")


def post_pacing() -> RateLimit:
    """Slack's limit on `chat.postMessage`, per channel: about one a second, a short burst
    allowed (at most `POST_BURST` in any `POST_BURST` seconds)."""
    return RateLimit(POST_BURST, POST_BURST * POST_INTERVAL)


# What a send can still fail with once the retries are spent (logged; the process goes on).
SEND_ERRORS = (SlackClientError, ClientError, OSError, TimeoutError)


class CappedRateLimitRetryHandler(AsyncRateLimitErrorRetryHandler):
    """The SDK's 429 handler (waits `Retry-After`), with the wait bounded."""

    async def prepare_for_next_attempt_async(
        self, *, state, request, response=None, error=None
    ) -> None:
        if response is None:
            raise error  # type: ignore[misc]
        state.next_attempt_requested = True
        value = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), ["1"])
        try:
            wait = float(value[0] if isinstance(value, list) else value)
        except ValueError:
            wait = 1.0
        await asyncio.sleep(min(max(wait, 0.0), RETRY_AFTER_CAP) + random.random() / 10)
        state.increment_current_attempt()


def make_client(token: str | None, base_url: str, *, retries: int = RETRIES) -> AsyncWebClient:
    """The Web API client on `JXC_SLACK_API_URL`. With `retries` (the chat's replies) a 5xx, a
    timeout or a 429 is retried in place that many times; with `retries=0` (the alert
    deliveries, whose rows are retried by the delivery loop) they are reported at once and
    only a dropped connection is tried once more."""
    if not base_url.endswith("/"):
        base_url += "/"
    dropped = [ServerConnectionError, ServerDisconnectedError, ClientOSError]
    handlers = [
        AsyncConnectionErrorRetryHandler(
            max_retry_count=max(retries, 1),
            error_types=[*dropped, TimeoutError] if retries else dropped,
        )
    ]
    if retries:
        handlers += [
            CappedRateLimitRetryHandler(max_retry_count=retries),
            AsyncServerErrorRetryHandler(max_retry_count=retries),
        ]
    return AsyncWebClient(token=token, base_url=base_url, timeout=TIMEOUT, retry_handlers=handlers)


class Sender:
    """Posts, updates and uploads, one at a time per channel; posts paced by `pacing`
    (per channel id; `post_pacing()` by default)."""

    def __init__(self, client: AsyncWebClient, pacing: RateLimit | None = None):
        self.client = client
        self.pacing = pacing or post_pacing()
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def post(self, channel: str, reply: Reply, thread_ts: str | None = None) -> str | None:
        """Post a reply (and upload its chart and its document, a PDF made only for this
        reply, which is removed once sent or given up); the message's ts, or None when it
        could not be delivered after the retries."""
        try:
            async with self._locks[channel]:
                await self.pacing.wait(channel)
                try:
                    resp = await self.client.chat_postMessage(
                        channel=channel,
                        text=fallback(reply),
                        blocks=blocks(reply),
                        thread_ts=thread_ts,
                    )
                except SEND_ERRORS as exc:
                    log.error("slack send failed: %s", exc, extra={"channel": channel})
                    return None
                for path in (reply.image, reply.document):
                    if path:
                        await self._upload(resp.get("channel") or channel, path, thread_ts)
                return resp.get("ts")
        finally:
            release(reply.document)

    async def update(self, channel: str, ts: str, reply: Reply) -> bool:
        """Replace a message in place (after a decision: the buttons go)."""
        async with self._locks[channel]:
            try:
                await self.client.chat_update(
                    channel=channel, ts=ts, text=fallback(reply), blocks=blocks(reply)
                )
            except SEND_ERRORS as exc:
                log.error("slack update failed: %s", exc, extra={"channel": channel, "ts": ts})
                return False
            if reply.image:
                await self._upload(channel, reply.image, ts)
            return True

    async def ephemeral(self, channel: str, user: str, reply: Reply) -> None:
        """A message only `user` sees (the answer to someone else's button)."""
        async with self._locks[channel]:
            try:
                await self.client.chat_postEphemeral(
                    channel=channel, user=user, text=fallback(reply), blocks=blocks(reply)
                )
            except SEND_ERRORS as exc:
                log.error("slack ephemeral failed: %s", exc, extra={"channel": channel})

    async def direct(self, slack_id: str, reply: Reply) -> str | None:
        """A direct message to a user (their IM channel is opened first: files need it)."""
        try:
            opened = await self.client.conversations_open(users=slack_id)
            channel = opened["channel"]["id"]
        except SEND_ERRORS as exc:
            log.error("slack conversations.open failed: %s", exc, extra={"user": slack_id})
            return None
        return await self.post(channel, reply)

    async def _upload(self, channel: str, path: str, thread_ts: str | None) -> None:
        """Upload a chart or a document with `files_upload_v2` (the message is out already: a
        failed upload is logged)."""
        name = Path(path).name
        try:
            await self.client.files_upload_v2(
                channel=channel, file=str(path), filename=name, title=name, thread_ts=thread_ts
            )
        except SEND_ERRORS as exc:
            log.error("slack upload failed: %s", exc, extra={"channel": channel, "file": name})
