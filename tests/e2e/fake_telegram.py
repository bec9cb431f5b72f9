"""A local fake of the Telegram Bot API on 127.0.0.1, for driving the real python-telegram-bot.

It answers `{root}/bot{token}/{method}` like Telegram: `getMe`, `getUpdates` (long polling over
the updates the test queued, confirmed by `offset`), `sendMessage`, `sendPhoto`, `sendDocument`
(multipart: the file's bytes and name are kept),
`editMessageText` (with Telegram's "message is not modified"), `answerCallbackQuery`,
`setWebhook` / `deleteWebhook` / `getWebhookInfo`; `getFile` and the file download route
(`{root}/file/bot{token}/{file_path}`) for the photos and documents a test sends. Every call is recorded with its parameters
and the status it got; a call can be made to fail (500, or 429 with `retry_after`). With a
webhook set, `push` posts an update to it with the secret token, as Telegram does.

The server runs its own event loop in a thread, so sync tests and the adapter's loop both talk to
it over real sockets.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from tests.e2e.loopback import LoopbackServer

TOKEN = "4242:TEST-token"
BOT_ID = 4242


@dataclass
class Call:
    """One request the fake answered."""

    method: str
    params: dict
    status: int
    photo: bytes | None = None
    document: bytes | None = None  # the bytes of a `sendDocument` upload
    filename: str | None = None  # the name a file was uploaded under
    at: float = field(default_factory=time.monotonic)


def _user(user_id: int, lang: str = "zh", name: str | None = None) -> dict:
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": name or f"user{user_id}",
        "language_code": lang,
    }


class FakeTelegram(LoopbackServer):
    """The fake Bot API server; `start()` it, point the SDK at `url`, `stop()` it."""

    name = "Telegram server"

    def __init__(self, token: str = TOKEN, first_update_id: int = 1000):
        super().__init__()
        self.token = token
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], dict] = {}  # (chat, message_id) → the message
        self.webhook: dict | None = None
        self._cond = threading.Condition()
        self._pending: list[tuple[dict, bool]] = []  # (update, forced re-delivery)
        self._failures: dict[str, list[tuple[int, int | None]]] = {}
        self._update_ids = itertools.count(first_update_id)
        self._message_ids = itertools.count(1)
        self._new_update: asyncio.Event | None = None

    # -- life -----------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The API root (`JXC_TELEGRAM_API_URL`)."""
        return f"http://127.0.0.1:{self.port}"

    def on_loop(self) -> None:
        self._new_update = asyncio.Event()

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        self._add_file_routes(app)

    # -- what a test does -----------------------------------------------------------------------

    def fail(self, method: str, status: int = 500, times: int = 1, retry_after: int | None = None):
        """The next `times` calls of `method` get `status` (429 carries `retry_after`)."""
        with self._cond:
            self._failures.setdefault(method, []).extend([(status, retry_after)] * times)

    def queue(self, update: dict, redeliver: bool = False) -> dict:
        """Offer an update to `getUpdates`; `redeliver` offers it again even though its id was
        confirmed (what Telegram does after a lost confirmation)."""
        with self._cond:
            self._pending.append((update, redeliver))
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._new_update.set)
        return update

    def text_update(
        self, user_id: int, text: str, chat_id: int | None = None, lang: str = "zh"
    ) -> dict:
        """An update carrying a text message from a user (a private chat unless `chat_id`)."""
        chat_id = chat_id if chat_id is not None else user_id
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id == user_id else "group"},
            "from": _user(user_id, lang),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"update_id": next(self._update_ids), "message": message}

    def say(self, user_id: int, text: str, chat_id: int | None = None, lang: str = "zh") -> dict:
        """Queue a text message from a user; returns the update."""
        return self.queue(self.text_update(user_id, text, chat_id, lang))

    def tap(self, user_id: int, message: dict, data: str, lang: str = "zh") -> dict:
        """Queue a tap by `user_id` on a button of a message the bot sent."""
        update = {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": f"cq{next(self._message_ids)}",
                "from": _user(user_id, lang),
                "chat_instance": "ci1",
                "data": data,
                "message": message,
            },
        }
        return self.queue(update)

    def push(self, update: dict, secret: str | None = None) -> int:
        """Post an update to the webhook that was set, with its secret token (or `secret`);
        returns the HTTP status."""
        assert self.webhook, "no webhook set"
        token = self.webhook.get("secret_token") if secret is None else secret
        headers = {"X-Telegram-Bot-Api-Secret-Token": token} if token else {}

        async def post():
            async with aiohttp.ClientSession() as session:
                async with session.post(self.webhook["url"], json=update, headers=headers) as r:
                    return r.status

        return asyncio.run_coroutine_threadsafe(post(), self._loop).result(10)

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[Call]:
        """The successful calls of a method (to one chat)."""
        with self._cond:
            return [
                c
                for c in self.calls
                if c.method == method
                and c.status == 200
                and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
            ]

    def attempts(self, method: str) -> list[Call]:
        """Every call of a method, failed ones included."""
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, chat_id: int | None = None, timeout=15.0):
        """The successful calls of `method` once there are `count` of them (AssertionError after
        `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                calls = self.sent(method, chat_id)
                if len(calls) >= count:
                    return calls
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{method} ×{count} not seen in {timeout}s; calls: "
                        + ", ".join(f"{c.method}:{c.status}" for c in self.calls)
                    )
                self._cond.wait(left)

    def message_dict(self, call: Call) -> dict:
        """The message a successful send created, as an update would carry it."""
        return self.messages[(int(call.params["chat_id"]), call.params["_message_id"])]

    # -- the API --------------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        params, files = await self._params(request)
        with self._cond:
            failures = self._failures.get(method)
            failure = failures.pop(0) if failures else None
        if failure is not None:
            status, retry_after = failure
            self._record(method, params, status, files)
            if status == 429:
                return self._error(
                    429,
                    f"Too Many Requests: retry after {retry_after}",
                    {"retry_after": retry_after or 1},
                )
            return self._error(status, "Internal Server Error")
        if method == "getUpdates":
            result = await self._get_updates(params)
            self._record(method, params, 200)
            return self._ok(result)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            self._record(method, params, 404)
            return self._error(404, "Not Found: method not found")
        with self._cond:
            outcome = handler(params)
        if isinstance(outcome, web.Response):
            self._record(method, params, outcome.status, files)
            return outcome
        self._record(method, params, 200, files)
        return self._ok(outcome)

    async def _params(self, request: web.Request) -> tuple[dict, dict]:
        """The call's parameters, and its uploaded files: field → (file name, bytes)."""
        params: dict = dict(request.query)
        files: dict[str, tuple[str, bytes]] = {}
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[key] = (value.filename, value.file.read())
                    params[key] = f"<file {value.filename}>"
                else:
                    params[key] = value
        for key in ("reply_markup", "allowed_updates"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params, files

    def _record(self, method: str, params: dict, status: int, files: dict | None = None):
        files = files or {}
        photo = files.get("photo", (None, None))[1]
        name, document = files.get("document", (None, None))
        with self._cond:
            self.calls.append(
                Call(
                    method, params, status, photo, document, name or files.get("photo", (None,))[0]
                )
            )
            self._cond.notify_all()

    async def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            self._new_update.clear()
            with self._cond:
                self._pending = [(u, f) for u, f in self._pending if f or u["update_id"] >= offset]
                out = [u for u, _ in self._pending]
                # A forced re-delivery goes out once.
                self._pending = [(u, f) for u, f in self._pending if not f]
            left = deadline - time.monotonic()
            if out or left <= 0:
                return out
            try:
                await asyncio.wait_for(self._new_update.wait(), left)
            except TimeoutError:
                pass

    def _ok(self, result) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    def _error(self, code: int, description: str, parameters: dict | None = None):
        body = {"ok": False, "error_code": code, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=code)

    def _m_getMe(self, params):
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "JXC",
            "username": "jxc_test_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _new_message(self, params: dict, **content) -> dict:
        chat_id = int(params["chat_id"])
        message_id = next(self._message_ids)
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "JXC"},
            **content,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[(chat_id, message_id)] = message
        params["_message_id"] = message_id
        return message

    def _m_sendMessage(self, params):
        if not params.get("text"):
            return self._error(400, "Bad Request: message text is empty")
        return self._new_message(params, text=params["text"])

    def _m_sendPhoto(self, params):
        photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 800, "height": 400}]
        extra = {"caption": params["caption"]} if params.get("caption") else {}
        return self._new_message(params, photo=photo, **extra)

    def _m_sendDocument(self, params):
        if not params.get("document"):
            return self._error(400, "Bad Request: there is no document in the request")
        name = str(params["document"]).removeprefix("<file ").removesuffix(">")
        document = {"file_id": "d1", "file_unique_id": "ud1", "file_name": name}
        extra = {"caption": params["caption"]} if params.get("caption") else {}
        return self._new_message(params, document=document, **extra)

    def _m_editMessageText(self, params):
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            return self._error(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        if message.get("text") == params["text"] and message.get("reply_markup") == markup:
            return self._error(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup of "
                "the message",
            )
        message["text"] = params["text"]
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return message

    def _m_answerCallbackQuery(self, params):
        return True

    def _m_setWebhook(self, params):
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token")}
        return True

    def _m_deleteWebhook(self, params):
        self.webhook = None
        return True

    def _m_getWebhookInfo(self, params):
        return {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }

    # -- files: photos and documents people send, `getFile` and the download route ------------

    def _files(self) -> dict[str, bytes]:
        """file_id → the bytes the download route serves (made on first use)."""
        if not hasattr(self, "_file_store"):
            self._file_store: dict[str, bytes] = {}
            self._file_ids = itertools.count(1)
        return self._file_store

    def add_file(self, data: bytes) -> str:
        """Keep bytes for `getFile` and the download route; the new file_id."""
        with self._cond:
            files = self._files()
            file_id = f"F{next(self._file_ids):04d}"
            files[file_id] = data
        return file_id

    def photo_update(
        self,
        user_id: int,
        data: bytes,
        caption: str = "",
        smaller: tuple[bytes, ...] = (),
        lang: str = "zh",
    ) -> dict:
        """An update carrying a photo as Telegram sends it: its sizes smallest first, `data`
        the largest (`smaller`: the pictures of the other sizes)."""
        sizes = []
        for n, picture in enumerate((*smaller, data)):
            side = 90 * (n + 1) if picture is not data else 1280
            sizes.append(
                {
                    "file_id": self.add_file(picture),
                    "file_unique_id": f"u{next(self._message_ids)}",
                    "width": side,
                    "height": side * 3 // 4,
                    "file_size": len(picture),
                }
            )
        return self._file_message(user_id, {"photo": sizes}, caption, lang)

    def document_update(
        self, user_id: int, data: bytes, mime_type: str = "image/jpeg", caption: str = "",
        name: str = "IMG_0001.jpg", lang: str = "zh",
    ) -> dict:  # fmt: skip
        """An update carrying a file sent as a document (an uncompressed picture)."""
        document = {
            "file_id": self.add_file(data),
            "file_unique_id": f"u{next(self._message_ids)}",
            "file_name": name,
            "mime_type": mime_type,
            "file_size": len(data),
        }
        return self._file_message(user_id, {"document": document}, caption, lang)

    def send_photo_from(self, user_id: int, data: bytes, caption: str = "", **kw) -> dict:
        """Queue a photo from a user; returns the update."""
        return self.queue(self.photo_update(user_id, data, caption, **kw))

    def _file_message(self, user_id: int, content: dict, caption: str, lang: str) -> dict:
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
            "from": _user(user_id, lang),
            **content,
        }
        if caption:
            message["caption"] = caption
        return {"update_id": next(self._update_ids), "message": message}

    def downloads(self) -> list[Call]:
        """The file downloads served (method `download`, params `file_path`)."""
        return self.attempts("download")

    def _m_getFile(self, params):
        file_id = str(params.get("file_id", ""))
        data = self._files().get(file_id)
        if data is None:
            return self._error(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": len(data),
            "file_path": f"photos/{file_id}.jpg",
        }

    def _add_file_routes(self, app) -> None:
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)

    async def _download(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        params = {"file_path": path}
        if request.match_info["token"] != self.token:
            self._record("download", params, 401)
            return web.Response(status=401, text="Unauthorized")
        file_id = path.rsplit("/", 1)[-1].split(".", 1)[0]
        with self._cond:
            data = self._files().get(file_id)
        if data is None:
            self._record("download", params, 404)
            return web.Response(status=404, text="Not Found")
        self._record("download", params, 200)
        return web.Response(body=data, content_type="application/octet-stream")


class LoopThread:
    """An asyncio loop in a thread, standing for `jxc serve`'s loop: `run(coro)` runs a coroutine
    on it and waits for its result."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coro, timeout: float = 30.0):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()
