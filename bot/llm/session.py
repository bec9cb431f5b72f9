"""One message on the LLM path: the model is asked with the user's tools, runs lookups and
questions through them, and ends with at most one write to propose, an answer, or nothing usable.

Limits, per message: at most `MAX_REQUESTS` requests to the model; one deadline
(`MESSAGE_DEADLINE` seconds, less `MARGIN` kept to answer) within which each request gets at most
the configured timeout; a failed request (down, slow, hanging, an error status, garbage) is asked
again once while time remains; a call of an unknown tool or with arguments that do not fit is
answered with what is wrong and the model asked again once. Tool results go back as quoted data
(`{"quoted_data": …}`), never as instructions. The model never runs a write: the first write it
calls is returned for the conversation to propose, and any further write is left out.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from bot.llm.arguments import BadArguments
from bot.llm.port import ASSISTANT, SYSTEM, TOOL, USER, ChatModel, Message, ModelFailed, ToolCall
from bot.llm.prompts import system_prompt
from bot.llm.toolbox import Toolbox
from bot.llm.tools import BY_NAME, QUERIES
from domain.errors import JxcError, NotAvailable
from domain.messages.commands import Command
from domain.messages.results import as_json
from domain.roles import holds

log = logging.getLogger(__name__)

MAX_REQUESTS = 3
MESSAGE_DEADLINE = 30.0
"""Seconds within which a message on the LLM path is answered, whatever the endpoint does."""
MARGIN = 1.5
"""Seconds of the deadline kept for what follows the last request (proposing, answering)."""
MIN_REQUEST = 1.0
"""A request is worth making only with this much time left."""
TEXT_LIMIT = 600
"""Characters of the model's own words a reply shows."""
DATA_ROWS = 20
"""Rows of a list a tool result gives the model (the rest counted)."""


@dataclass
class Outcome:
    """What the model's work came to."""

    command: Command | None = None  # the one write to propose
    answers: list = field(default_factory=list)  # results of the questions it asked
    text: str = ""  # its own words at the end
    refusal: JxcError | None = None  # a name or value the user must fix
    not_permitted: str | None = None  # an intent the user's role does not hold
    dropped: int = 0  # further writes left out
    failed: str | None = None  # "model": no usable answer; "confused": bad calls twice
    requests: int = 0
    model_seconds: float = 0.0

    @property
    def decided(self) -> bool:
        return self.command is not None or self.refusal is not None or bool(self.not_permitted)


class Assistant:
    """Asks a chat model (the port) on behalf of a user, within the limits above."""

    def __init__(
        self,
        model: ChatModel,
        request_timeout: float = 20.0,
        deadline: float = MESSAGE_DEADLINE,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.model = model
        self.request_timeout = request_timeout
        self.deadline = deadline
        self.monotonic = monotonic

    def run(self, toolbox: Toolbox, text: str, lang: str, today: date) -> Outcome:
        """Work out one message with the model (never raises for the model's failures)."""
        ends = self.monotonic() + self.deadline - MARGIN
        user = toolbox.user
        prompt = system_prompt(lang, user=user.name, role=user.role, today=today.isoformat())
        messages = [Message(SYSTEM, prompt), Message(USER, text)]
        out = Outcome()
        retried = corrected = False
        while out.requests < MAX_REQUESTS:
            left = ends - self.monotonic()
            if left < MIN_REQUEST:
                out.failed = out.failed or "model"
                break
            out.requests += 1
            began = self.monotonic()
            try:
                reply = self.model.complete(
                    messages, list(toolbox.specs), min(self.request_timeout, left)
                )
            except ModelFailed as exc:
                out.model_seconds += self.monotonic() - began
                log.warning("the model gave no usable answer (%s)", exc, extra={"user": user.name})
                out.failed = "model"
                if retried:
                    break
                retried = True
                continue
            out.model_seconds += self.monotonic() - began
            out.failed = None
            if not reply.calls:
                out.text = reply.text.strip()[:TEXT_LIMIT]
                break
            answered, bad = self._calls(toolbox, reply.calls, out)
            if out.decided:
                break
            if bad:
                if corrected:
                    out.failed = "confused"
                    break
                corrected = True
            messages.append(Message(ASSISTANT, reply.text, reply.calls))
            messages += [Message(TOOL, content, call_id=call.id) for call, content in answered]
        return out

    def _calls(self, toolbox: Toolbox, calls, out: Outcome) -> tuple[list, bool]:
        """Run the calls of one answer: lookups and questions answer data, the first write is
        kept. Returns each call with what goes back to the model, and whether one was bad."""
        answered: list[tuple[ToolCall, str]] = []
        bad = False
        for call in calls:
            if out.command is not None:
                known = toolbox.tools.get(call.name)
                out.dropped += bool(known and known.intent and known.intent not in QUERIES)
                continue
            tool = toolbox.tools.get(call.name)
            if tool is None:
                vocabulary = BY_NAME.get(call.name)
                if vocabulary is not None and vocabulary.intent:
                    self._not_offered(toolbox, vocabulary.intent, out)
                    return answered, bad
                answered.append((call, _error(f"there is no tool {call.name[:40]!r}")))
                bad = True
                continue
            if call.args is None:
                answered.append((call, _error(call.error or "the arguments are not JSON")))
                bad = True
                continue
            try:
                if tool.intent is None:
                    answered.append((call, quoted(toolbox.lookup(tool, call.args))))
                    continue
                cmd = toolbox.command(tool, call.args)
                if cmd.WRITE:
                    out.command = cmd
                    continue
                result = toolbox.ask(cmd)
            except BadArguments as exc:
                answered.append((call, _error(str(exc))))
                bad = True
                continue
            except JxcError as exc:
                out.refusal = exc
                return answered, bad
            out.answers.append(result)
            answered.append((call, quoted(as_json(result))))
        return answered, bad

    @staticmethod
    def _not_offered(toolbox: Toolbox, intent: str, out: Outcome) -> None:
        if not holds(toolbox.user.role, intent):
            out.not_permitted = intent
        else:
            out.refusal = NotAvailable(
                f"{intent} is understood but not available yet",
                zh=f"已理解“{intent}”，但该功能尚未开放",
            )


def quoted(data) -> str:
    """A tool's result as the model gets it: data, quoted, long lists cut."""
    return json.dumps({"quoted_data": _trimmed(data)}, ensure_ascii=False, default=str)


def _error(why: str) -> str:
    return json.dumps({"error": why}, ensure_ascii=False)


def _trimmed(data):
    if isinstance(data, dict):
        return {k: _trimmed(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        rows = [_trimmed(v) for v in data[:DATA_ROWS]]
        if len(data) > DATA_ROWS:
            rows.append({"rows_left_out": len(data) - DATA_ROWS})
        return rows
    return data
