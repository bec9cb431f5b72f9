"""The conversation's fallback to the model, for a text the parser recognises no command in.

Before the model is called, the message's read transaction is ended (a 30 s call must not hold
a SQLite reader) and the chat delivery is claimed in a short transaction of its own, so a
platform's re-delivery of the same message, even while the model still thinks, does not call
the model again. A write the model calls becomes the same dry-run proposal and confirmation a
parsed command gets; questions are answered by JXC's own renderers; the model's own words come
last. When nothing usable comes back the user reads "I could not understand" in their language.
"""

from __future__ import annotations

import logging
import time

from bot.conversation.proposals import joined
from bot.conversation.storage import UNCHANGED, Turn
from bot.parse import confirmation_word
from bot.render.errors import error_reply, not_permitted_reply
from bot.render.reply import Reply, t
from domain.messages import inbound
from domain.messages.conversations import save_state
from domain.roles import may

log = logging.getLogger(__name__)

MODEL_TEXT_LIMIT = 2000
"""Characters of a message the model is asked about at most."""


class ModelFallback:
    """The LLM half of `Conversation` (it holds `bus`, `uow_factory`, `clock`, `catalogs`, and
    `llm`: a `bot.llm.Assistant`, or None when no model is configured)."""

    llm = None

    def _from_model(self, turn: Turn, text: str) -> Reply | None:
        """Answer a text the parser could not read through the model; None when this delivery
        was claimed meanwhile by an earlier delivery of the same message."""
        lang, user = turn.lang, turn.user
        if not text or len(text) > MODEL_TEXT_LIMIT or confirmation_word(text) is not None:
            return not_understood(lang)
        turn.release()
        if not self._claim(turn):
            return None
        from bot.llm.toolbox import Toolbox  # loaded with the first message for the model

        began = time.perf_counter()
        tools = Toolbox(self.bus, self.uow_factory, self.catalogs, user)
        out = self.llm.run(tools, text, lang, self.clock.today())
        log.info(
            "llm message: %d request(s), %.0f ms in the model",
            out.requests,
            out.model_seconds * 1000,
            extra={"user": user.name, "outcome": _outcome(out)},
        )
        answers = [self._answered(result, lang) for result in out.answers]
        if out.not_permitted:
            refused = not_permitted_reply(user.name, user.role, out.not_permitted, lang)
            return joined([*answers, refused], lang)
        if out.refusal is not None:
            return joined([*answers, error_reply(out.refusal, lang)], lang)
        if out.command is not None:
            cmd = out.command
            if not may(user.role, cmd.intent):
                return not_permitted_reply(user.name, user.role, cmd.intent, lang)
            reply = self._propose(turn, [(cmd.to_dict(), cmd)], answers, [])
            if out.dropped:
                reply.text += "\n" + t(
                    lang,
                    "Only one change is proposed per message; send the other one on its own.",
                    "每条消息只提议一项改动；其他改动请单独发送。",
                )
            return reply
        if answers or out.text:
            return _answer(answers, out.text, lang)
        log.info("llm message not understood after %.1f s", time.perf_counter() - began)
        return not_understood(lang, silent=out.failed == "model")

    def _claim(self, turn: Turn) -> bool:
        """Claim the chat delivery (and store what the turn changed) before the model is
        asked; False when the delivery was claimed before."""
        if turn.delivery is None and turn.new_state is UNCHANGED:
            return True
        with self.uow_factory(write=True) as uow:
            if turn.delivery is not None and not inbound.claim(uow, *turn.delivery):
                turn.stored()
                return False
            if turn.new_state is not UNCHANGED:
                save_state(uow, turn.user.name, turn.channel, turn.new_state)
            uow.commit()
        turn.stored()
        return True


def not_understood(lang: str, silent: bool = False) -> Reply:
    """The reply "I could not understand" (and, when the model did not answer, that plain
    commands still work)."""
    if silent:
        text = t(
            lang,
            "I could not understand that: the language model did not answer. Commands such as "
            "“receive 100 M6” still work; type `help` for examples.",
            "我没能理解这句话：语言模型没有应答。“入库 M6 100 个”这样的命令仍然可用，"
            "发送“帮助”查看示例。",
        )
    else:
        text = t(
            lang,
            "I could not understand that. Type `help` to see examples.",
            "我没能理解这句话。发送“帮助”查看示例。",
        )
    return Reply(text, lang, ok=False)


def _answer(answers: list[Reply], words: str, lang: str) -> Reply:
    """JXC's own answers (a single one keeps its table and chart), then the model's words."""
    if len(answers) == 1:
        reply = answers[0]
        if words:
            reply.text = f"{reply.text}\n{words}"
        return reply
    return joined([*answers, *([Reply(words, lang)] if words else [])], lang)


def _outcome(out) -> str:
    if out.command is not None:
        return f"proposal {out.command.intent}"
    if out.refusal is not None:
        return f"refused {out.refusal.code}"
    if out.not_permitted:
        return f"not permitted {out.not_permitted}"
    if out.answers or out.text:
        return "answer"
    return f"not understood ({out.failed or 'no answer'})"
