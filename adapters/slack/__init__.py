"""Slack: the bolt app (async, on `jxc serve`'s event loop), in HTTP mode on `JXC_SLACK_PORT` at
`/slack/events`, or in Socket Mode when `JXC_SLACK_APP_TOKEN` is set.

Signatures are bolt's to check: an unsigned, wrongly signed or stale (over 5 minutes, by the real
clock) request gets 401 and reaches no listener.
"""

from __future__ import annotations

import logging

from aiohttp import web

from adapters.pacing import RateLimit
from adapters.slack.chat import SlackChat
from adapters.slack.listeners import register_all
from adapters.slack.sender import Sender, make_client

log = logging.getLogger(__name__)
PATH = "/slack/events"


def missing_settings(settings) -> list[str]:
    """The settings Slack needs that are not set (empty: it can run)."""
    missing = [] if settings.slack_bot_token else ["JXC_SLACK_BOT_TOKEN"]
    if not settings.slack_app_token and not settings.slack_signing_secret:
        missing.append("JXC_SLACK_SIGNING_SECRET (or JXC_SLACK_APP_TOKEN for Socket Mode)")
    return missing


class SlackPart:
    """The Slack part of `jxc serve`."""

    name = "slack"

    def __init__(
        self,
        app,
        settings,
        host: str | None = None,
        pacing: RateLimit | None = None,
        *,
        conversation=None,
        refresh_copies=None,
    ):
        from slack_bolt.async_app import AsyncApp

        self.settings = settings
        self.host = host or settings.listen_host
        self.port = settings.slack_port
        self.socket_mode = bool(settings.slack_app_token)
        self.client = make_client(settings.slack_bot_token, settings.slack_api_url)
        self.chat = SlackChat(
            conversation or app.conversation(charts=True),
            app.uow,
            Sender(self.client, pacing),
            refresh_copies=refresh_copies,
        )
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret,
            # Listeners only hand work to our own tasks, so answering after them is still
            # within Slack's 3 s, and stopping can wait for the work acknowledged.
            process_before_response=True,
            request_verification_enabled=not self.socket_mode,
            logger=logging.getLogger("adapters.slack.bolt"),
        )

        async def with_chat(context, next):
            context["jxc"] = self.chat
            await next()

        self.bolt.use(with_chat)
        register_all(self.bolt)
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._socket = None

    @property
    def where(self) -> str:
        """Where it listens, for the ready line."""
        return "socket mode" if self.socket_mode else f"port {self.port} {PATH}"

    def web_app(self) -> web.Application:
        """The aiohttp application serving `/slack/events`."""
        from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

        async def events(request: web.Request) -> web.Response:
            if self.chat.closing:  # stopping: Slack retries it later, to a running process
                return web.Response(status=503, text="stopping")
            raw, headers = await request.text(), dict(request.headers)
            if not self.signed(raw, headers):
                return web.Response(status=401)
            if (why := malformed_body(raw, headers)) is not None:
                # Signed by Slack yet unreadable: answered 200 (any other answer is retried)
                # and dropped, in one line.
                log.warning("a signed Slack request was dropped: %s", why)
                return web.Response(status=200)
            return await to_aiohttp_response(
                await self.bolt.async_dispatch(await to_bolt_request(request))
            )

        web_app = web.Application()
        web_app.add_routes([web.post(PATH, events)])
        return web_app

    def signed(self, raw: str, headers: dict[str, str]) -> bool:
        """Whether a request is signed with the signing secret within the last 5 minutes (the
        check bolt makes too, made first so that an unsigned body is never parsed)."""
        from slack_sdk.signature import SignatureVerifier

        verifier = SignatureVerifier(self.settings.slack_signing_secret or "")
        return verifier.is_valid_request(raw, headers)

    async def start(self) -> None:
        if self.socket_mode:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            # The Web API client (and so JXC_SLACK_API_URL) opens the connection too.
            self._socket = AsyncSocketModeHandler(
                self.bolt, self.settings.slack_app_token, web_client=self.client
            )
            await self._socket.connect_async()
            return
        self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, self.host, self.port)
        await self._site.start()

    async def stop(self) -> None:
        # No new requests, then the acknowledged work, then the connections.
        self.chat.closing = True
        if self._site is not None:
            await self._site.stop()
        if self._socket is not None:
            await self._socket.disconnect_async()
        await self.chat.drain()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._socket is not None:
            await self._socket.close_async()
        session = getattr(self.client, "session", None)
        if session is not None:
            await session.close()


def malformed_body(raw: str, headers: dict[str, str]) -> str | None:
    """Why a Slack request body cannot be taken (None: bolt can read it): a JSON body that
    does not parse or is not an object, an event without its channel."""
    import json
    from urllib.parse import parse_qs

    kind = next((v for k, v in headers.items() if k.lower() == "content-type"), "").lower()
    if "x-www-form-urlencoded" in kind:
        form = parse_qs(raw)
        if "payload" not in form:
            return None if "command" in form else "a form without a payload or a command"
        raw = form["payload"][0]
    try:
        body = json.loads(raw)
    except ValueError:
        return "the body is not JSON"
    if not isinstance(body, dict):
        return f"the body is JSON but not an object ({type(body).__name__})"
    event = body.get("event")
    if body.get("type") == "event_callback":
        if not isinstance(event, dict):
            return "an event callback without an event"
        if event.get("type") in ("message", "app_mention") and not event.get("channel"):
            return f"a {event.get('type')} event without a channel"
    return None


def make_part(
    app, settings=None, pacing: RateLimit | None = None, *, conversation=None, refresh_copies=None
) -> SlackPart:
    """The Slack part for `jxc serve` (settings checked by `missing_settings` first; default:
    the application's); `pacing`: the posts' pacer it shares with the alert deliveries;
    `conversation`: the chat it shares with the other parts; `refresh_copies(payload)`: edits
    every copy of an alert after a tap."""
    return SlackPart(
        app,
        settings or app.settings,
        pacing=pacing,
        conversation=conversation,
        refresh_copies=refresh_copies,
    )
