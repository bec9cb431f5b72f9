"""An aiohttp server on 127.0.0.1 in a thread of its own, on a port the system picks: what the
fake Telegram Bot API and the fake model server run on. A fake adds its routes (`routes`) and
anything that must be made on the server's loop (`on_loop`)."""

from __future__ import annotations

import asyncio
import threading

from aiohttp import web


class LoopbackServer:
    name = "server"

    def __init__(self):
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopping: asyncio.Event | None = None
        self.port = 0

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    def on_loop(self) -> None:
        """Called on the server's loop before it listens."""

    def start(self):
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError(f"the fake {self.name} did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
            self._thread.join(10)

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)

        async def main():
            self._stopping = asyncio.Event()
            self.on_loop()
            app = web.Application()
            self.routes(app)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.port = site._server.sockets[0].getsockname()[1]
            ready.set()
            await self._stopping.wait()
            await runner.cleanup()

        loop.run_until_complete(main())
        loop.close()
