"""Pictures of barcodes and QR codes shared with the bot on Slack (扫码): an image shared in a
direct message (a `message` event of subtype `file_share`) or with a mention of the bot. The
file's private URL is read with `files.info` when the event does not carry it, and downloaded
with the bot token; the codes read (`adapters.barcodes`) go to the conversation with the
message's text as the caption."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from slack_sdk.errors import SlackClientError

from adapters import barcodes
from bot.conversation.scanned import Scanned, not_fetched
from bot.render.errors import unregistered_reply
from bot.render.reply import Reply
from domain.language import lang_of

log = logging.getLogger(__name__)
FETCH_SECONDS = 5.0  # files.info and the download together, at most


def images(event: dict) -> list[dict]:
    """The image files an event carries (a shared PDF or text file is not one)."""
    return [
        f
        for f in event.get("files") or []
        if isinstance(f, dict) and str(f.get("mimetype", "")).startswith("image/")
    ]


class Photos:
    """The photo half of `SlackChat` (which provides the conversation, the sender, the user
    lookup and the retry guard)."""

    async def answer_photo(
        self,
        slack_id: str,
        channel: str,
        caption: str,
        files: list[dict],
        delivery: str,
        thread_ts: str | None = None,
    ) -> str | None:
        """Answer an image shared with the bot (the first image of the message is read);
        the reply's ts."""
        from adapters.slack.chat import PLATFORM, plain_text  # chat.py builds on this class

        if not self.first_time((PLATFORM, delivery)):
            return None
        caption = plain_text(caption)
        name = await asyncio.to_thread(self._user_name, slack_id)
        if name is None:  # nothing is downloaded for someone we do not know
            reply = unregistered_reply("Slack", slack_id, lang_of(caption))
            return await self.sender.post(channel, reply, thread_ts)
        scan = await self._scan(files[0], caption)
        if isinstance(scan, Reply):
            return await self.sender.post(channel, scan, thread_ts)
        reply = await asyncio.to_thread(
            self.conversation.handle,
            name,
            f"{PLATFORM}:{channel}",
            scan,
            None,
            (PLATFORM, delivery),
        )
        if reply is None:  # a delivery seen before
            return None
        return await self.sender.post(channel, reply, thread_ts)

    async def _scan(self, file: dict, caption: str) -> Scanned | Reply:
        lang = lang_of(caption) if caption else "en"
        try:
            async with asyncio.timeout(FETCH_SECONDS):
                data = await self._download(file)
        except (SlackClientError, aiohttp.ClientError, TimeoutError, OSError, KeyError) as exc:
            log.warning("a shared image could not be fetched: %s", exc)
            return Reply(not_fetched(lang), lang, ok=False)
        if len(data) > barcodes.MAX_BYTES:
            return Reply(not_fetched(lang, "not an image"), lang, ok=False)
        try:
            codes = await asyncio.to_thread(barcodes.decode, data)
        except barcodes.NotAnImage as exc:
            log.info("a shared file that is no image: %s", exc)
            return Reply(not_fetched(lang, "not an image"), lang, ok=False)
        return Scanned(tuple(c.text for c in codes), caption)

    async def _download(self, file: dict) -> bytes:
        """The file's bytes from its private URL, with the bot token."""
        client = self.sender.client
        url = file.get("url_private_download") or file.get("url_private")
        if not url:  # the event carried only the file's id
            info = await client.files_info(file=file["id"])
            url = info["file"].get("url_private_download") or info["file"]["url_private"]
        headers = {"Authorization": f"Bearer {client.token}"}
        async with aiohttp.ClientSession() as session:
            async with session.get(url, headers=headers) as response:
                response.raise_for_status()
                if response.content_type == "text/html":
                    # Slack's answer to a download it does not authorise: its sign-in page.
                    raise aiohttp.ClientError("a sign-in page instead of the file")
                data = bytearray()
                async for chunk in response.content.iter_chunked(1 << 16):
                    data += chunk
                    if len(data) > barcodes.MAX_BYTES:
                        break  # too large to be taken: refused by the caller
                return bytes(data)
