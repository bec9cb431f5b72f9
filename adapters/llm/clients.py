"""`ChatOpenAI` and `ChatOllama` behind the chat-model port.

The client is built on the first request (importing LangChain costs seconds) and each set of
tools is bound once. `ChatOpenAI` speaks Chat Completions with `max_retries=0`: the one retry is
the conversation's, within the message's deadline. Every request runs in a thread of its own and
is given up at its timeout whatever the client does (a server that accepts and never answers, or
dribbles bytes), so the caller's deadline holds. The client's errors are caught here, once, and
raised as `ModelFailed`.
"""

from __future__ import annotations

import logging
import threading

from bot.llm.port import (
    ASSISTANT,
    SYSTEM,
    TOOL,
    USER,
    Message,
    ModelFailed,
    ModelReply,
    ToolCall,
    ToolSpec,
)

log = logging.getLogger(__name__)


class LangChainModel:
    """A chat model with tool calling on a LangChain client (`openai` or `ollama`)."""

    def __init__(
        self, provider: str, model: str, base_url: str | None, api_key: str | None, timeout: float
    ):
        self.provider = provider
        self.model = model
        self.base_url = base_url
        self.api_key = api_key
        self.timeout = timeout
        self._lock = threading.Lock()
        self._client = None
        self._bound: dict[tuple[str, ...], object] = {}
        self._failures: tuple[type[BaseException], ...] = ()

    def complete(self, messages: list[Message], tools: list[ToolSpec], timeout: float):
        """Ask once; the model's reply, or `ModelFailed` within `timeout` seconds."""
        box: dict = {}
        done = threading.Event()

        def ask() -> None:
            try:
                box["reply"] = self._ask(messages, tools, timeout)
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=ask, name="jxc-llm-request", daemon=True).start()
        if not done.wait(timeout):
            raise ModelFailed(f"no answer within {timeout:.1f} s")
        error = box.get("error")
        if error is None:
            return box["reply"]
        if isinstance(error, self._failures or self._failure_types()):
            log.info("model request failed", exc_info=error)
            raise ModelFailed(f"{type(error).__name__}: {str(error)[:200]}") from error
        raise error

    def _ask(self, messages, tools, timeout: float) -> ModelReply:
        bound = self._bound_client(tools)
        extra = {"timeout": timeout} if self.provider == "openai" else {}
        return _reply(bound.invoke(_lc_messages(messages), **extra))

    def _bound_client(self, tools: list[ToolSpec]):
        key = tuple(t.name for t in tools)
        with self._lock:
            if self._client is None:
                self._client = self._build()
                self._failures = self._failure_types()
            bound = self._bound.get(key)
            if bound is None:
                bound = self._bound[key] = self._client.bind_tools([t.openai() for t in tools])
            return bound

    def _build(self):
        if self.provider == "openai":
            from langchain_openai import ChatOpenAI

            return ChatOpenAI(
                model=self.model,
                base_url=self.base_url,
                api_key=self.api_key,
                timeout=self.timeout,
                max_retries=0,
                use_responses_api=False,
            )
        from langchain_ollama import ChatOllama

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        return ChatOllama(
            model=self.model,
            base_url=self.base_url,
            client_kwargs={"timeout": self.timeout, "headers": headers},
        )

    def _failure_types(self) -> tuple[type[BaseException], ...]:
        """What the client raises for a model that is down, failing or talking nonsense."""
        import httpx

        kinds: list[type[BaseException]] = [httpx.HTTPError, ValueError, OSError, ImportError]
        try:
            from langchain_core.exceptions import LangChainException

            kinds.append(LangChainException)
            if self.provider == "openai":
                import openai

                kinds.append(openai.OpenAIError)
            else:
                import ollama

                kinds += [ollama.ResponseError, ollama.RequestError]
        except ImportError:
            pass
        return tuple(kinds)


def _lc_messages(messages: list[Message]) -> list:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

    out = []
    for m in messages:
        if m.role == SYSTEM:
            out.append(SystemMessage(m.content))
        elif m.role == USER:
            out.append(HumanMessage(m.content))
        elif m.role == ASSISTANT:
            calls = [
                {"name": c.name, "args": c.args or {}, "id": c.id, "type": "tool_call"}
                for c in m.calls
            ]
            out.append(AIMessage(m.content, tool_calls=calls))
        elif m.role == TOOL:
            out.append(ToolMessage(m.content, tool_call_id=m.call_id))
    return out


def _reply(message) -> ModelReply:
    content = message.content
    if not isinstance(content, str):  # a list of content blocks
        content = "".join(
            b if isinstance(b, str) else str(b.get("text", "")) for b in content or []
        )
    calls = [
        ToolCall(
            str(c.get("id") or f"call_{n}"),
            str(c.get("name") or ""),
            c.get("args") if isinstance(c.get("args"), dict) else None,
            "" if isinstance(c.get("args"), dict) else "the arguments are not a JSON object",
        )
        for n, c in enumerate(message.tool_calls or [])
    ]
    calls += [
        ToolCall(
            str(c.get("id") or f"bad_{n}"),
            str(c.get("name") or ""),
            None,
            "the arguments are not valid JSON",
        )
        for n, c in enumerate(getattr(message, "invalid_tool_calls", None) or [])
    ]
    return ModelReply(content, tuple(calls))
