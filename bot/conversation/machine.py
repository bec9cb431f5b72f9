"""The conversation's state machine: a message is a command, an answer to what waits, or a
confirmation; what waits is a typed record (`bot.waiting`) stored per user and channel."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace

from bot.catalog_source import CatalogCache
from bot.conversation.proposals import Proposals, joined, with_left_out
from bot.conversation.scanned import Scanned, Scans
from bot.conversation.storage import UNCHANGED, Turn
from bot.help import help_text
from bot.llm.fallback import ModelFallback
from bot.parse import ParseError, ParseResult, confirmation_word, parse
from bot.parse.messages import message
from bot.render.errors import error_reply, not_available_reply, not_permitted_reply
from bot.render.reply import Reply, t
from bot.render.results import result_reply
from bot.taps import Buttons, PressedButton, Tapped, undecidable, unregistered
from bot.waiting import (
    CHOICE,
    CONFIRM,
    MISSING,
    REASON,
    REFUSED,
    Answer,
    Waiting,
    answer,
)
from bot.waiting_words import (
    dropped_note,
    expired_reply,
    prefixed,
    put_in_place,
    still_waiting_note,
)
from domain.errors import JxcError, apology
from domain.language import lang_of
from domain.ledger import lookup
from domain.messages import inbound
from domain.messages.commands import command_from_dict
from domain.messages.conversations import load_state, save_state
from domain.messages.results import ReportAnswer
from domain.roles import may

log = logging.getLogger(__name__)


class Conversation(Proposals, Buttons, Scans, ModelFallback):
    """Talks with registered users through any channel (buttons: `bot.taps.Buttons`; codes
    read from photos: `bot.conversation.scanned`; what the parser cannot read goes to the model
    when one is configured: `bot.llm.fallback`)."""

    def __init__(self, bus, uow_factory, clock, charts=None, documents=None, llm=None):
        """`charts(result, lang) -> path`, a port from the edges, draws a report's chart for
        channels that show pictures (Slack, Telegram); without it replies carry text and table.
        `documents(result, lang) -> path | None`, another, draws an answer that is a document
        (a delivery note, a statement, a label sheet) as a PDF the reply carries; None for other
        answers. A requester hears of a decision through the rules feed's deliveries, not from
        here. `llm` (a `bot.llm.Assistant`) answers what the parser recognises no command in."""
        self.bus = bus
        self.llm = llm
        self.uow_factory = uow_factory
        self.clock = clock
        self.charts = charts
        self.documents = documents
        self.catalogs = CatalogCache()

    # -- the one entry point ----------------------------------------------------------------

    def handle(
        self,
        user_name: str,
        channel: str,
        text: str | Scanned,
        lang: str | None = None,
        delivery: tuple[str, str] | None = None,
    ) -> Reply | None:
        """Answer one message from a user (by name) on a channel: a text, or the codes read
        from a photo with its caption (`Scanned`).

        `delivery` is the platform's id of the message (`("telegram", "update 812")`): it is
        claimed in the transaction of what the message causes, and a delivery seen before gets
        None (nothing to send, nothing done)."""
        if not isinstance(text, str | PressedButton | Tapped | Scanned):
            text = ""
        typed = text.caption if isinstance(text, Scanned) else text
        msg_lang = lang_of(typed) if isinstance(typed, str) else "en"
        reply_lang = lang or msg_lang
        try:
            with self.uow_factory(write=False) as uow:
                if delivery is not None and inbound.seen(uow, *delivery):
                    return None
                user = lookup.user_by_name(uow, user_name)
                if user is None:
                    return unregistered(user_name, reply_lang)
                reply_lang = lang or user.lang or msg_lang
                state = load_state(uow, user.name, channel)
                turn = Turn(user, channel, reply_lang, uow, state, delivery)
                reply = self._handle(turn, text.strip() if isinstance(text, str) else text)
            if turn.new_state is not UNCHANGED or turn.delivery is not None:
                with self.uow_factory(write=True) as uow:
                    if turn.new_state is not UNCHANGED:
                        save_state(uow, user.name, channel, turn.new_state)
                    turn.write(uow)
                    uow.commit()
            return reply
        except JxcError as exc:
            return error_reply(exc, reply_lang)
        except Exception:
            ref = uuid.uuid4().hex[:8]
            log.exception("unexpected error in conversation", extra={"ref": ref, "user": user_name})
            return Reply(apology(ref, reply_lang), reply_lang, ok=False)

    def _reject(self, turn: Turn, request: str, reason: str) -> Reply:
        """The answer to "why reject A-7?": reject it with that reason; the question ends in
        the decision's own transaction."""
        user, lang = turn.user, turn.lang
        stale = undecidable(turn.uow, request, user, lang)
        if stale is not None:
            turn.wait(None)
            return stale
        delivery = turn.delivery
        key = f"reason:{delivery[0]}:{delivery[1]}" if delivery else f"reason:{uuid.uuid4()}"

        def clear(uow):
            save_state(uow, user.name, turn.channel, None)
            turn.write(uow)

        turn.new_state = UNCHANGED
        turn.release()
        try:
            return self._decide(user, request, "reject", key, lang, reason, also=clear)
        finally:
            turn.stored()

    def _handle(self, turn: Turn, text) -> Reply:
        if isinstance(text, Scanned):
            return self._scanned(turn, text)
        if isinstance(text, Tapped):
            return self._parsed(turn, "", text)
        w = turn.waiting
        if isinstance(text, PressedButton):
            if w is None or w.kind != CONFIRM or w.proposal != text.proposal:
                return Reply(
                    t(
                        turn.lang,
                        "That button is not for a request of yours that is waiting; nothing "
                        "was changed.",
                        "这个按钮不对应您正在等待确认的请求，没有做任何更改。",
                    ),
                    turn.lang,
                    ok=False,
                )
            return self._answer(turn, text.yes)
        catalog = self.catalogs.get(turn.uow)
        if w is None:
            yes = confirmation_word(text)
            if yes is not None:
                return self._answer(turn, yes)
            return self._parsed(turn, text, parse(text, catalog, self.clock.today()))
        alone = parse(text, catalog, self.clock.today())
        got = answer(w, text, catalog, alone.command)
        if w.expired(self.clock.now()):
            if got is not None and w.kind == CONFIRM:
                return self._answer(turn, bool(got.yes))
            turn.wait(None)
            if got is not None:
                return expired_reply(turn.lang)
            return self._parsed(turn, text, alone)
        if got is not None:
            return self._take(turn, w, got, text)
        if alone.intent is None and w.kind in (MISSING, CHOICE):
            # A name the catalogue does not know ("M7" for "which item?") is still an answer:
            # put in place, it gets its own "did you mean".
            both = parse(f"{w.text} {text}", catalog, self.clock.today())
            err = both.error or ParseError(None, "")
            same = err.name == w.name and err.suggestions == w.options
            if both.intent == w.intent and err.suggestions and not same:
                turn.wait(None)
                return self._parsed(turn, f"{w.text} {text}", both)
        if alone.intent is None:
            if confirmation_word(text) is not None:
                reply = self._answer(turn, True)  # "nothing waits for your confirmation"
            else:
                reply = self._not_parsed(turn, text, alone, keep=True)
            return prefixed(reply, still_waiting_note(w, turn.lang), after=True)
        turn.wait(None)
        return prefixed(self._parsed(turn, text, alone), dropped_note(w, turn.lang))

    def _take(self, turn: Turn, w: Waiting, got: Answer, text: str) -> Reply:
        """Go on with what waited, now that the message answered it."""
        lang = turn.lang
        if w.kind == CONFIRM:
            return self._answer(turn, bool(got.yes))
        if got.yes is False:
            turn.wait(None)
            if w.kind == REASON:
                return Reply(
                    t(
                        lang,
                        f"All right, nothing was changed; {w.request} still waits for a decision.",
                        f"好的，没有做任何更改；{w.request} 仍在等待审批。",
                    ),
                    lang,
                )
            return Reply(t(lang, "All right, dropped.", "好的，已放弃。"), lang)
        catalog = self.catalogs.get(turn.uow)
        if w.kind == REASON:
            return self._reject(turn, w.request, got.reason or "")
        if w.kind == REFUSED:
            turn.wait(None)
            draft = w.command.to_dict() if w.command is not None else {}
            command = {**draft, "warehouse": got.place}
            result = ParseResult(command_from_dict(command), None, lang, command.get("intent"))
            return self._parsed(turn, text, result)
        if w.kind == MISSING:
            turn.wait(None)
            fixed = f"{w.text} {got.fill}"
            return self._parsed(turn, fixed, parse(fixed, catalog, self.clock.today()))
        picked = got.pick
        if picked is None and len(w.options) == 1:
            picked = w.options[0]
        if picked is None:
            listing = ", ".join(f"{n}) {o}" for n, o in enumerate(w.options, start=1))
            return Reply(
                t(lang, f"Which one? {listing}", f"请问是哪一个？{listing}"), lang, ok=False
            )
        turn.wait(None)
        fixed = put_in_place(w.text, w.name, picked)
        result = parse(fixed, catalog, self.clock.today())
        err = result.error
        if result.command is None and err is not None and err.name and err.name == w.name:
            # The name is still read the same way: never ask the same question again.
            result = ParseResult(None, replace(err, suggestions=[]), result.lang, result.intent)
        return self._parsed(turn, fixed, result)

    # -- commands -----------------------------------------------------------------------------

    def _parsed(self, turn: Turn, text: str, result) -> Reply:
        user, lang = turn.user, turn.lang
        if result.command is None:
            return self._not_parsed(turn, text, result)
        commands = [c.to_dict() for c in (result.command, *result.more)]
        if any(c["intent"] == "help" for c in commands):
            return Reply(help_text(user.role, lang, set(self.bus.handlers)), lang)
        for c in commands:
            if not may(user.role, c["intent"]):
                return not_permitted_reply(user.name, user.role, c["intent"], lang)
            if c["intent"] not in self.bus.handlers:
                return not_available_reply(c["intent"], lang)
        typed = list(zip(commands, (result.command, *result.more), strict=True))
        answers = [
            self._answered(self.bus.ask(cmd, user, turn.uow), lang)
            for c, cmd in typed
            if not cmd.WRITE
        ]
        writes = [(c, cmd) for c, cmd in typed if cmd.WRITE]
        if not writes:
            reply = answers[0] if len(answers) == 1 else joined(answers, lang)
            return with_left_out(reply, result.left_out, lang)
        return self._propose(turn, writes, answers, result.left_out)

    def _answered(self, result, lang: str) -> Reply:
        reply = result_reply(result, lang)
        if isinstance(result, ReportAnswer) and self.charts is not None and result.rows:
            reply.image = str(self.charts(result, lang))
        if self.documents is not None:
            document = self.documents(result, lang)
            reply.document = str(document) if document is not None else None
        return reply

    def _not_parsed(self, turn: Turn, text: str, result, keep: bool = False) -> Reply:
        user, lang = turn.user, turn.lang
        err = result.error or ParseError(None, "")
        code = err.code
        if code is None and self.llm is not None and not keep and isinstance(text, str):
            return self._from_model(turn, text)
        if code is None:
            return Reply(
                t(
                    lang,
                    "I did not understand that. Type `help` to see examples.",
                    "没看懂。发送“帮助”查看示例。",
                ),
                lang,
                ok=False,
            )
        if result.intent and not may(user.role, result.intent):
            # Never ask a value of someone who may not run the command anyway.
            return not_permitted_reply(user.name, user.role, result.intent, lang)
        if err.refused is not None:
            return error_reply(err.refused, lang)
        msg = _in_lang(err, result, lang)
        suggestions = list(err.suggestions)
        if not keep and (code == "missing_slot" or (suggestions and result.intent)):
            choice = bool(suggestions) and code != "missing_slot"
            if choice:
                if len(suggestions) > 1:
                    msg += t(lang, " Reply with its number or name.", " 请回复序号或名称。")
                else:
                    msg += t(lang, " Reply yes to take it.", " 回复“是”即可采用。")
            turn.wait(
                Waiting(
                    CHOICE if choice else MISSING,
                    self.clock.now(),
                    asked=msg.splitlines()[0][:120],
                    text=text,
                    intent=result.intent,
                    slot=err.slot,
                    options=suggestions if choice else [],
                    name=err.name if choice else "",
                )
            )
        return Reply(msg, lang, ok=False)


def _in_lang(err: ParseError, result, lang: str) -> str:
    """A parse error's message in the reply's language (the parser writes the text's)."""
    msg = err.message
    if result.lang == lang:
        return msg
    kw = dict(err.args)
    if err.slot:
        kw.setdefault("slot", err.slot)
    kw.setdefault("name", err.name)
    try:
        return message(err.code, lang, err.suggestions, **kw)
    except (KeyError, IndexError, ValueError):
        return msg
