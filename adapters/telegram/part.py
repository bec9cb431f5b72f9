"""The Telegram part of `jxc serve`: python-telegram-bot on the caller's event loop, long polling
by default, a webhook of our own (aiohttp, `/telegram/webhook`, checked against the secret token)
when `JXC_TELEGRAM_WEBHOOK_URL` is set."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from adapters.telegram.handlers import Handlers
from adapters.telegram.sending import Pacing, Sender
from domain.errors import BadRequest

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
UPDATES = ["message", "callback_query"]


def webhook_secret(settings) -> str:
    """`JXC_TELEGRAM_WEBHOOK_SECRET`, else one derived from the token (Telegram allows 1–256 of
    A–Z a–z 0–9 _ -)."""
    if settings.telegram_webhook_secret:
        return settings.telegram_webhook_secret
    digest = hashlib.sha256(f"jxc-telegram-webhook:{settings.telegram_token}".encode())
    return digest.hexdigest()


class TelegramPart:
    """Serves Telegram until stopped: `start()` returns once polling runs or the webhook is set
    and its port open; `stop()` takes nothing new and finishes what was taken in."""

    name = "telegram"

    def __init__(
        self,
        app,
        settings,
        *,
        conversation=None,
        refresh_copies=None,
        host: str | None = None,
        sender: Sender | None = None,
        poll_timeout: int = 10,
    ):
        if not settings.telegram_token:
            raise BadRequest("JXC_TELEGRAM_TOKEN is not set", zh="没有设置 JXC_TELEGRAM_TOKEN")
        self.settings = settings
        self.host = host or settings.listen_host
        self.poll_timeout = poll_timeout
        self.sender = sender or Sender()
        self.handlers = Handlers(
            conversation or app.conversation(charts=True),
            app.uow,
            self.sender,
            refresh_copies=refresh_copies,
        )
        self.application: Application | None = None
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    @property
    def where(self) -> str:
        """How updates arrive, for `jxc serve`'s ready line."""
        return f"webhook on port {self.port}" if self.webhook else "polling"

    @property
    def webhook(self) -> bool:
        return bool(self.settings.telegram_webhook_url)

    def _build(self) -> Application:
        root = self.settings.telegram_api_url.rstrip("/")
        builder = (
            Application.builder()
            .token(self.settings.telegram_token)
            .base_url(f"{root}/bot")
            .base_file_url(f"{root}/file/bot")
            # Chats go on side by side; the handlers keep each chat in order.
            .concurrent_updates(64)
            .job_queue(None)
        )
        if self.webhook:
            builder = builder.updater(None)
        application = builder.build()
        self.handlers.register(application)
        return application

    async def start(self) -> None:
        self.application = application = self._build()
        await application.initialize()
        await application.start()
        if self.webhook:
            await self._serve_webhook()
            await application.bot.set_webhook(
                self.settings.telegram_webhook_url,
                secret_token=webhook_secret(self.settings),
                allowed_updates=UPDATES,
            )
            log.info("telegram webhook on port %s", self.port)
        else:
            await application.updater.start_polling(
                timeout=self.poll_timeout, allowed_updates=UPDATES
            )
            log.info("telegram polling")

    async def stop(self) -> None:
        application, self.application = self.application, None
        if application is None:
            return
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if application.running:
            await application.stop()  # answers every update already taken in
        await application.shutdown()

    # -- the webhook ----------------------------------------------------------------------------

    async def _serve_webhook(self) -> None:
        web_app = web.Application()
        web_app.router.add_post(WEBHOOK_PATH, self._on_webhook)
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.settings.telegram_webhook_port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    async def _on_webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), webhook_secret(self.settings).encode()):
            log.warning("telegram webhook call with a wrong secret refused")
            return web.Response(status=403)
        application = self.application
        if application is None or not application.running:
            return web.Response(status=503)  # Telegram delivers it again later
        update, why = None, None
        try:
            data = json.loads(await request.text())
        except ValueError:
            why = "the body is not JSON"
        else:
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                why = f"JSON but not an update ({type(data).__name__})"
            else:
                try:
                    update = Update.de_json(data, application.bot)
                except (TypeError, ValueError, KeyError, AttributeError) as exc:
                    why = f"an update that cannot be read ({type(exc).__name__}: {exc})"
        if update is None:
            # Telegram sends a call answered otherwise again and again: taken, and dropped
            # in one line.
            log.warning("a Telegram webhook call was dropped: %s", (why or "")[:200])
            return web.Response(status=200)
        await application.update_queue.put(update)
        return web.Response(status=200)


def make_part(
    app, settings=None, pacing: Pacing | None = None, *, conversation=None, refresh_copies=None
) -> TelegramPart:
    """The Telegram part for `jxc serve`, on `conversation` (default: a new one of the
    application's); `pacing`: the sends' pacer it shares with the alert deliveries;
    `refresh_copies(payload)`: edits every copy of an alert after a tap."""
    return TelegramPart(
        app,
        settings or app.settings,
        conversation=conversation,
        refresh_copies=refresh_copies,
        sender=Sender(pacing=pacing),
    )
