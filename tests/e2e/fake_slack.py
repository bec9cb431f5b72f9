"""A local fake of the Slack Web API on 127.0.0.1, recording every call: auth.test,
chat.postMessage, chat.update, chat.postEphemeral, conversations.open, views.open, and what
files_upload_v2 calls (files.getUploadURLExternal, the upload itself,
files.completeUploadExternal). A call can be made to fail a number of times with a status
(500, or 429 with `Retry-After`).

Also signs requests to our own `/slack/events` the way Slack does (`v0:{ts}:{body}`, HMAC-SHA256
with the signing secret)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BOT_USER = "UBOT"


@dataclass
class Call:
    """One request the fake received."""

    method: str
    args: dict
    status: int
    response: dict = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)
    body: bytes = b""  # what an upload sent (a file's bytes)


class FakeSlack:
    """Start with `with FakeSlack() as slack:`; `slack.api_url` is the Web API base."""

    def __init__(self):
        self.calls: list[Call] = []
        self._failures: dict[str, list[tuple[int, dict, dict]]] = {}
        self._cond = threading.Condition()
        self._ts = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, headers, body = fake._answer(self.path, self.headers, raw)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                kind = "text/plain" if isinstance(body, bytes) else "application/json"
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST  # noqa: N815

        # The Socket Mode server `apps.connections.open` hands out (`with_socket_mode()`).
        self.socket: FakeSocketMode | None = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.api_url = f"http://127.0.0.1:{self.port}/api/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.socket is not None:
            self.socket.stop()
        self.server.shutdown()
        self.server.server_close()

    def with_socket_mode(self) -> FakeSocketMode:
        """Serve Socket Mode too: `apps.connections.open` answers with its ws:// URL."""
        self.socket = FakeSocketMode().start()
        return self.socket

    # -- set up -----------------------------------------------------------------------------------

    def fail(self, method: str, status: int = 500, times: int = 1, retry_after: int | None = None):
        """The next `times` calls of `method` answer `status` (with `Retry-After` if given)."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        body = {"ok": False, "error": "ratelimited" if status == 429 else "internal_error"}
        with self._cond:
            self._failures.setdefault(method, []).extend([(status, headers, body)] * times)

    # -- reading what happened ------------------------------------------------------------------

    def of(self, method: str, ok_only: bool = True) -> list[Call]:
        with self._cond:
            return [
                c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)
            ]

    def uploads(self) -> list[tuple[str, bytes]]:
        """The files uploaded through `files_upload_v2`, completed: (file name, bytes) each."""
        with self._cond:
            names = {
                c.response.get("file_id"): c.args.get("filename")
                for c in self.calls
                if c.method == "files.getUploadURLExternal" and c.status == 200
            }
            sent = {
                c.args["file_id"]: c.body
                for c in self.calls
                if c.method == "upload" and c.status == 200
            }
            done = [
                f.get("id")
                for c in self.calls
                if c.method == "files.completeUploadExternal" and c.status == 200
                for f in c.args.get("files", [])
            ]
        return [(names.get(i), sent.get(i, b"")) for i in done]

    def wait_for(self, method: str, count: int = 1, timeout: float = 20.0) -> list[Call]:
        """The successful calls of `method` once there are `count` of them (AssertionError after
        `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                done = [c for c in self.calls if c.method == method and c.status == 200]
                if len(done) >= count:
                    return done
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.method, c.status) for c in self.calls]
                    raise AssertionError(f"{count} × {method} not called; calls: {seen}")
                self._cond.wait(left)

    # -- the API --------------------------------------------------------------------------------

    def _args(self, headers, raw: bytes) -> dict:
        kind = headers.get("Content-Type", "")
        if "json" in kind:
            return json.loads(raw or b"{}")
        if "x-www-form-urlencoded" in kind:
            return {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode()).items()}
        return {"bytes": len(raw)}

    def _answer(self, path: str, headers, raw: bytes):
        parsed = urllib.parse.urlparse(path)
        if parsed.path.startswith("/upload/"):
            method, args = "upload", {"file_id": parsed.path.rsplit("/", 1)[1], "bytes": len(raw)}
        else:
            method = parsed.path.removeprefix("/api/")
            args = self._args(headers, raw)
            args.update({k: v[0] for k, v in urllib.parse.parse_qs(parsed.query).items()})
            for key in ("blocks", "files"):  # JSON inside a form or a query string
                if isinstance(args.get(key), str):
                    args[key] = json.loads(args[key])
        with self._cond:
            failures = self._failures.get(method)
            if failures:
                status, extra, body = failures.pop(0)
            else:
                status, extra, body = 200, {}, self._ok(method, args)
            self.calls.append(
                Call(method, args, status, body, body=raw if method == "upload" else b"")
            )
            self._cond.notify_all()
        if method == "upload" and status == 200:
            body = f"OK - {args['bytes']}".encode()
        return status, extra, body

    def _next_ts(self) -> str:
        self._ts += 1
        return f"1700000000.{self._ts:06d}"

    def _ok(self, method: str, args: dict) -> dict:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://shop.slack.test/",
                "team": "Shop",
                "user": "jxc",
                "team_id": "T0SHOP",
                "user_id": BOT_USER,
                "bot_id": "B0JXC",
            }
        if method == "chat.postMessage":
            ts = self._next_ts()
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": {"ts": ts}}
        if method == "chat.update":
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "views.open":
            view = args.get("view")
            view = json.loads(view) if isinstance(view, str) else (view or {})
            return {"ok": True, "view": {**view, "id": f"V{self._next_ts().replace('.', '')}"}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users", "")).lstrip("U")}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{self._next_ts().replace('.', '')}"
            return {
                "ok": True,
                "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}",
                "file_id": file_id,
            }
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": f.get("id")} for f in args.get("files", [])]}
        if method == "apps.connections.open" and self.socket is not None:
            return {"ok": True, "url": self.socket.url}
        return {"ok": False, "error": "unknown_method"}


# -- Socket Mode ---------------------------------------------------------------------------------


class FakeSocketMode:
    """Slack's Socket Mode end on 127.0.0.1: a WebSocket server (aiohttp, on a loop in its own
    thread) that the app connects to with the URL `apps.connections.open` gave it. `send(type,
    payload)` pushes an envelope to the connected app, as Slack does; `acks` are the envelopes
    the app answered (`{"envelope_id", "payload"?}`)."""

    def __init__(self):
        self.acks: list[dict] = []
        self.connections = 0
        self._cond = threading.Condition()
        self._ws = None
        self._loop = None
        self._runner = None
        self._n = 0
        self.port = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link/?ticket=t"

    def start(self) -> FakeSocketMode:
        import asyncio

        ready = threading.Event()

        def serve():
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(self._open())
            ready.set()
            self._loop.run_forever()

        threading.Thread(target=serve, daemon=True).start()
        if not ready.wait(10):
            raise RuntimeError("the fake Socket Mode server did not start")
        return self

    async def _open(self) -> None:
        from aiohttp import web

        app = web.Application()
        app.router.add_get("/link/", self._link)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    async def _link(self, request):
        from aiohttp import WSMsgType, web

        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        with self._cond:
            self._ws = ws
            self.connections += 1
            self._cond.notify_all()
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1,
                                      "connection_info": {"app_id": "A0JXC"}}))  # fmt: skip
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                with self._cond:
                    self.acks.append(json.loads(msg.data))
                    self._cond.notify_all()
        with self._cond:
            if self._ws is ws:
                self._ws = None
            self._cond.notify_all()
        return ws

    def wait_connected(self, timeout: float = 20.0) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: self._ws is not None, timeout):
                raise AssertionError("the app never connected by Socket Mode")

    def send(self, kind: str, payload: dict, envelope_id: str | None = None) -> str:
        """Push an envelope (`events_api`, `slash_commands`, `interactive`); its id."""
        import asyncio

        self._n += 1
        envelope_id = envelope_id or f"env-{self._n:04d}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        self.wait_connected()
        asyncio.run_coroutine_threadsafe(
            self._ws.send_str(json.dumps(envelope)), self._loop
        ).result(10)
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict:
        """The app's answer to an envelope (AssertionError after `timeout` seconds)."""
        with self._cond:
            found = self._cond.wait_for(
                lambda: [a for a in self.acks if a.get("envelope_id") == envelope_id], timeout
            )
        if not found:
            raise AssertionError(f"envelope {envelope_id} not acknowledged; acks: {self.acks}")
        return found[0]

    def stop(self) -> None:
        import asyncio

        if self._loop is None:
            return

        async def close():
            if self._ws is not None:
                await self._ws.close()
            await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)


# -- signing requests to our /slack/events --------------------------------------------------------


def signed_headers(secret: str, body: str, ts: int | None = None, **extra) -> dict:
    """The headers Slack sends with a request body: timestamp and `v0=` signature."""
    ts = int(time.time()) if ts is None else ts
    base = f"v0:{ts}:{body}".encode()
    sig = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": sig, **extra}


def post(url: str, body: str, headers: dict, form: bool = False) -> tuple[int, str]:
    """POST to our server; (status, body)."""
    kind = "application/x-www-form-urlencoded" if form else "application/json"
    req = urllib.request.Request(
        url, data=body.encode(), headers={"Content-Type": kind, **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def event_body(event: dict, event_id: str) -> str:
    """An Events API envelope around one event."""
    return json.dumps(
        {
            "token": "legacy",
            "team_id": "T0SHOP",
            "api_app_id": "A0JXC",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0SHOP", "user_id": BOT_USER, "is_bot": True}],
        }
    )


def dm(user: str, text: str, channel: str | None = None, ts: str = "1.0") -> dict:
    """A direct message event from `user`."""
    return {
        "type": "message",
        "channel_type": "im",
        "channel": channel or f"D{user}",
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
    }


def block_action_body(user: str, channel: str, message_ts: str, value: str) -> str:
    """The form body of a button tap (`payload=` JSON)."""
    payload = {
        "type": "block_actions",
        "team": {"id": "T0SHOP"},
        "user": {"id": user},
        "api_app_id": "A0JXC",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
        "channel": {"id": channel},
        "message": {"ts": message_ts},
        "trigger_id": f"trig-{time.monotonic_ns()}",
        "actions": [
            {
                "type": "button",
                "action_id": "jxc_button_0",
                "block_id": "b",
                "value": value,
                "action_ts": str(time.time()),
            }
        ],
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def view_submission_body(user: str, view: dict, values: dict[str, str]) -> str:
    """The form body of a modal submitted (`payload=` JSON): `values` by action id, each in a
    block of the same id, as plain text inputs."""
    state = {a: {a: {"type": "plain_text_input", "value": v}} for a, v in values.items()}
    payload = {
        "type": "view_submission",
        "team": {"id": "T0SHOP"},
        "user": {"id": user},
        "api_app_id": "A0JXC",
        "view": {**view, "state": {"values": state}},
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def command_body(user: str, channel: str, text: str) -> str:
    """The form body of `/jxc TEXT`."""
    return urllib.parse.urlencode(
        {
            "command": "/jxc",
            "text": text,
            "user_id": user,
            "channel_id": channel,
            "team_id": "T0SHOP",
            "trigger_id": f"trig-{time.monotonic_ns()}",
            "response_url": "http://127.0.0.1:9/none",
        }
    )


# -- `jxc serve` as a real process ------------------------------------------------------------


def free_port() -> int:
    """A port free on 127.0.0.1 now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeProcess:
    """`jxc serve PARTS…` in a subprocess; its standard error is collected line by line."""

    def __init__(self, args: list[str], env: dict, cwd):
        import subprocess
        import sys

        self.proc = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli", "serve", *args],
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self.lines.append("<eof>")
            self._cond.notify_all()

    def wait_line(self, start: str, timeout: float = 30.0) -> str:
        """The first standard-error line starting with `start`."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    if line.startswith(start):
                        return line
                left = deadline - time.monotonic()
                if left <= 0 or "<eof>" in self.lines:
                    raise AssertionError(f"no {start!r} line; stderr: {self.lines}")
                self._cond.wait(left)

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM, then its exit status."""
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            return self.proc.wait(timeout)
        except Exception:
            self.proc.kill()
            raise
