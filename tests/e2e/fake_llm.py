"""A local fake of an OpenAI-compatible server (`/v1/chat/completions`) and of an Ollama server
(`/api/chat`) on 127.0.0.1, for driving the real LangChain clients.

The test scripts what the model answers, one step per request: tool calls (`call`), text
(`say`), an error status (`fail`), a body that is no answer at all (`garbage`), no answer until
the server stops (`hang`), or any of these after a delay (`slow`). When the script is empty,
`answer` (a function of the request body) decides; by default the model says it does not know.
Every request is recorded with its body, so a test can read what the client sent: the messages,
the tools offered and their parameters.

The server runs its own event loop in a thread, like the Slack and Telegram fakes.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from tests.e2e.loopback import LoopbackServer


@dataclass(frozen=True)
class Step:
    """What the model does for one request."""

    kind: str  # calls | text | fail | garbage | hang
    calls: tuple[tuple[str, object], ...] = ()  # (tool name, arguments: a dict or raw JSON text)
    text: str = ""
    status: int = 200
    delay: float = 0.0


def call(name: str, args: dict | str | None = None, /, **kw) -> Step:
    """One tool call; `args` as a dict, or as the raw JSON text the model wrote."""
    return Step("calls", calls=((name, kw if args is None else args),))


def calls(*pairs: tuple[str, dict | str]) -> Step:
    """Several tool calls in one answer."""
    return Step("calls", calls=tuple(pairs))


def say(text: str) -> Step:
    return Step("text", text=text)


def fail(status: int = 500) -> Step:
    return Step("fail", status=status)


def garbage() -> Step:
    return Step("garbage")


def hang() -> Step:
    return Step("hang")


def slow(seconds: float, step: Step) -> Step:
    return Step(step.kind, step.calls, step.text, step.status, seconds)


@dataclass
class Request:
    """One request the fake answered."""

    path: str
    body: dict
    at: float = field(default_factory=time.monotonic)

    @property
    def tools(self) -> dict[str, dict]:
        """The tools offered, by name: each one's function (description and parameters)."""
        return {t["function"]["name"]: t["function"] for t in self.body.get("tools") or []}

    @property
    def messages(self) -> list[dict]:
        return list(self.body.get("messages") or [])


class FakeLLM(LoopbackServer):
    """Both fake servers on one port; `start()` it, point the client at `openai_url` or
    `ollama_url`, `stop()` it."""

    name = "model server"

    def __init__(self):
        super().__init__()
        self.requests: list[Request] = []
        self.answer: Callable[[dict], Step] = lambda body: say("I don't know.")
        self._script: deque[Step] = deque()
        self._cond = threading.Condition()
        self._ids = itertools.count(1)

    # -- life -------------------------------------------------------------------------------

    @property
    def openai_url(self) -> str:
        """`JXC_LLM_BASE_URL` for `openai` (it includes `/v1`)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def ollama_url(self) -> str:
        """`JXC_LLM_BASE_URL` for `ollama` (the server's root)."""
        return f"http://127.0.0.1:{self.port}"

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/v1/chat/completions", self._openai)
        app.router.add_post("/api/chat", self._ollama)

    # -- what a test does -------------------------------------------------------------------

    def script(self, *steps: Step) -> FakeLLM:
        """The answers of the next requests, in order."""
        with self._cond:
            self._script.extend(steps)
        return self

    def seen(self) -> list[Request]:
        with self._cond:
            return list(self.requests)

    def wait_requests(self, count: int, timeout: float = 15.0) -> list[Request]:
        """The requests once there are `count` of them (AssertionError after `timeout`)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{count} requests not seen; got {len(self.requests)}")
                self._cond.wait(left)
            return list(self.requests)

    # -- the servers ------------------------------------------------------------------------

    async def _next(self, request: web.Request) -> tuple[dict, Step]:
        try:
            body = await request.json()
        except ValueError:
            body = {}
        with self._cond:
            self.requests.append(Request(request.path, body))
            step = self._script.popleft() if self._script else None
            self._cond.notify_all()
        if step is None:
            step = self.answer(body)
        if step.delay:
            try:
                await asyncio.wait_for(self._stopping.wait(), step.delay)
            except TimeoutError:
                pass
        if step.kind == "hang":
            await self._stopping.wait()
        return body, step

    def _refusal(self, step: Step) -> web.Response | None:
        if step.kind == "hang":
            return web.Response(status=503, text="stopping")
        if step.kind == "fail":
            return web.json_response(
                {"error": {"message": "the model server failed", "type": "server_error"}},
                status=step.status,
            )
        if step.kind == "garbage":
            return web.Response(text="<html>Bad gateway, try later", content_type="text/html")
        return None

    async def _openai(self, request: web.Request) -> web.Response:
        body, step = await self._next(request)
        refused = self._refusal(step)
        if refused is not None:
            return refused
        n = next(self._ids)
        message: dict = {"role": "assistant", "content": step.text or None}
        if step.kind == "calls":
            message["tool_calls"] = [
                {
                    "id": f"call_{n}_{i}",
                    "type": "function",
                    "function": {
                        "name": name,
                        "arguments": args
                        if isinstance(args, str)
                        else json.dumps(args, ensure_ascii=False),
                    },
                }
                for i, (name, args) in enumerate(step.calls)
            ]
        return web.json_response(
            {
                "id": f"chatcmpl-{n}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "fake"),
                "choices": [
                    {
                        "index": 0,
                        "message": message,
                        "finish_reason": "tool_calls" if step.kind == "calls" else "stop",
                    }
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
            }
        )

    async def _ollama(self, request: web.Request) -> web.Response:
        body, step = await self._next(request)
        refused = self._refusal(step)
        if refused is not None:
            return refused
        model = body.get("model", "fake")
        stamp = "2026-06-15T02:00:00.000000Z"
        message: dict = {"role": "assistant", "content": step.text}
        if step.kind == "calls":
            message["tool_calls"] = [
                {"function": {"name": name, "arguments": args}} for name, args in step.calls
            ]
        done = {
            "model": model,
            "created_at": stamp,
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": "stop",
            "total_duration": 1000,
            "prompt_eval_count": 10,
            "eval_count": 5,
        }
        if not body.get("stream", True):
            return web.json_response({**done, "message": message})
        first = {"model": model, "created_at": stamp, "message": message, "done": False}
        lines = "\n".join(json.dumps(x, ensure_ascii=False) for x in (first, done)) + "\n"
        return web.Response(text=lines, content_type="application/x-ndjson")
