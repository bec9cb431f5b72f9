"""Alerts, approvals and digests to Slack: the chat channel port (`send`, `send_buttons`,
`edit`) over the Web API, called from the scheduler's threads and run on `jxc serve`'s event
loop.

A message to a user is a direct message (`chat.postMessage` to their user id); a chart follows
it with `files_upload_v2`. Where it was posted comes back as "channel:ts" for `chat.update`.
A 429 is raised at once as `RetryLater` (only the delivery loop waits, for that channel), a 5xx
or a timeout as `TransientError`; the SDK itself retries only dropped connections. Posts are
paced as `sender.Sender` paces them (`post_pacing`), per channel (the recipient's id).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.notify import RetryLater, TransientError
from adapters.pacing import RateLimit
from adapters.slack.render import blocks, fallback
from adapters.slack.sender import TIMEOUT, post_pacing
from bot.render.reply import Button, Reply

log = logging.getLogger(__name__)


def _translated(exc: Exception) -> Exception:
    if isinstance(exc, SlackApiError):
        status = getattr(exc.response, "status_code", 0) or 0
        if status == 429:
            headers = {k.lower(): v for k, v in (exc.response.headers or {}).items()}
            value = headers.get("retry-after", "1")
            value = value[0] if isinstance(value, list) else value
            try:
                return RetryLater(float(value), "slack rate limited")
            except ValueError:
                return RetryLater(1.0, "slack rate limited")
        if status >= 500:
            return TransientError(f"slack answered {status}")
        return exc
    if isinstance(exc, ClientError | OSError | TimeoutError):
        return TransientError(f"slack unreachable: {exc}")
    return exc


class SlackNotifier:
    """The `ChatChannel` port (adapters.notify) on Slack (see the module's docstring)."""

    def __init__(
        self,
        client: AsyncWebClient,
        loop: asyncio.AbstractEventLoop,
        pacing: RateLimit | None = None,
    ):
        self.client = client
        self.loop = loop
        self.pacing = pacing or post_pacing()

    def _run(self, coro):
        try:
            return asyncio.run_coroutine_threadsafe(coro, self.loop).result(TIMEOUT * 3)
        except (SlackClientError, ClientError, OSError, TimeoutError) as exc:
            raise _translated(exc) from exc

    def send(self, recipient, text: str, png_path: str | Path | None = None) -> str | None:
        """A direct message (and its chart); "channel:ts" of the message."""
        return self._run(self._post(recipient, Reply(text), png_path))

    def send_buttons(self, recipient, text: str, buttons: list[Button]) -> str | None:
        """A direct message with buttons; "channel:ts"."""
        return self._run(self._post(recipient, Reply(text, buttons=list(buttons)), None))

    def edit(self, ref: str, text: str) -> None:
        """Replace a posted message ("channel:ts") with `text`; its buttons go."""
        channel, _, ts = ref.partition(":")
        reply = Reply(text)
        self._run(
            self.client.chat_update(
                channel=channel, ts=ts, text=fallback(reply), blocks=blocks(reply)
            )
        )

    async def _post(self, recipient, reply: Reply, png_path) -> str | None:
        slack_id = getattr(recipient, "slack_id", None)
        if not slack_id:
            raise ValueError(f"{getattr(recipient, 'name', recipient)} has no slack_id")
        await self.pacing.wait(slack_id)
        resp = await self.client.chat_postMessage(
            channel=slack_id, text=fallback(reply), blocks=blocks(reply)
        )
        channel, ts = resp.get("channel") or slack_id, resp.get("ts")
        if png_path:
            name = Path(png_path).name
            try:
                await self.client.files_upload_v2(
                    channel=channel, file=str(png_path), filename=name, title=name
                )
            except (SlackClientError, ClientError, OSError, TimeoutError) as exc:
                # The text is out: the delivery is done; a lost chart is logged.
                log.error("slack chart upload failed: %s", exc, extra={"channel": channel})
        return f"{channel}:{ts}"
