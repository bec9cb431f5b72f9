"""The port the LLM path talks through: neutral messages and tool specs in, the model's text and
tool calls out. An adapter implements it on a provider's client (`adapters/llm`); nothing here
knows LangChain or any SDK, and tests drive it through the real clients against local fakes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

SYSTEM, USER, ASSISTANT, TOOL = "system", "user", "assistant", "tool"


@dataclass(frozen=True)
class ToolCall:
    """A tool the model asked to run. `args` is None when the model's arguments could not be
    read as a JSON object (`error` says why); numbers in `args` are as the client decoded them."""

    id: str
    name: str
    args: dict | None
    error: str = ""


@dataclass(frozen=True)
class Message:
    """One message of the exchange: the system prompt, the user's text, the model's answer (with
    the calls it made) or a tool's result (`call_id` naming the call it answers)."""

    role: str
    content: str
    calls: tuple[ToolCall, ...] = ()
    call_id: str = ""


@dataclass(frozen=True)
class ToolSpec:
    """A tool offered to the model: its name, description and JSON-schema parameters."""

    name: str
    description: str
    parameters: dict = field(default_factory=dict)

    def openai(self) -> dict:
        """The tool in the Chat Completions shape (which Ollama reads too)."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }


@dataclass(frozen=True)
class ModelReply:
    """What the model answered: its words and the tools it called."""

    text: str = ""
    calls: tuple[ToolCall, ...] = ()


class ModelFailed(Exception):
    """The model gave no usable answer: the endpoint is down, slow, hanging, answered an error
    status or something that is no answer. Raised by adapters, from the client's own error."""


class ChatModel(Protocol):
    """A chat model with tool calling."""

    def complete(
        self, messages: list[Message], tools: list[ToolSpec], timeout: float
    ) -> ModelReply:
        """Ask once (no retry: retries are the caller's) and answer within `timeout` seconds,
        else raise `ModelFailed`."""
        ...
