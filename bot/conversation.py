"""The conversation: text in, neutral reply out.

Questions run at once; a write is summarised and runs only on yes/是/确认/ok (no/否/取消 drops
it; a confirmation expires after 10 minutes). Before a write is proposed the service runs it as a
dry run, so a command that would be refused is refused at once and the proposal says exactly what
the service will store. A text that names a command but misses a value is asked about, and the
answer completes it; a "did you mean" is answered with yes, the suggestion's number or its name.
The state lives in the database per user and channel, so a restart mid-confirmation loses
nothing. The confirmed command runs under an idempotency key made when it was proposed, so "yes"
delivered twice has one effect, and the confirmation is cleared in the command's own transaction.

A message costs at most two transactions: one read (the user, the state, the catalogue, and any
question), then at most one write (the dry run, the proposal and the state; or the confirmed
command with the end of its confirmation).
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass

from bot.catalog_source import CatalogCache
from bot.help import help_text
from bot.parse import ParseResult, confirmation_word, parse
from bot.parse.messages import message
from bot.replies import (
    ALERT_PAYLOADS,
    Reply,
    already_decided_reply,
    confirmation_buttons,
    error_reply,
    not_available_reply,
    not_permitted_reply,
    own_request_reply,
    result_reply,
    stale_alert_reply,
    t,
)
from bot.summary import summarize
from bot.waiting import (
    CHOICE,
    CONFIRM,
    MISSING,
    REASON,
    REFUSED,
    Answer,
    ReasonPrompt,
    Waiting,
    answer,
)
from domain import inbound, lookup
from domain.commands import command_from_dict
from domain.conversations import load_state, save_state
from domain.errors import ApprovalAlreadyDecided, InsufficientStock, JxcError
from domain.results import ReportAnswer
from domain.roles import may

log = logging.getLogger(__name__)
_UNCHANGED = object()


class _Turn:
    """One message being answered: who, where, in which language, the read unit of work, the
    state as it was and the state to store afterwards."""

    def __init__(self, user, channel: str, lang: str, uow, state: dict, delivery=None):
        self.delivery = delivery  # (platform, id) of the chat delivery, claimed with the writes
        self.user = user
        self.channel = channel
        self.lang = lang
        self.uow = uow
        self.state = state
        self.waiting = Waiting.from_state(state)
        self.new_state = _UNCHANGED

    def keep(self, state: dict | None) -> None:
        """The state to store once the message is answered (None clears it)."""
        self.new_state = state

    def wait(self, waiting: Waiting | None) -> None:
        """What waits once the message is answered (None: nothing; a stored state is cleared)."""
        self.waiting = waiting
        if waiting is not None:
            self.keep(waiting.to_state())
        elif self.state or self.new_state is not _UNCHANGED:
            self.keep(None)

    def stored(self) -> None:
        """The state was stored (and the delivery claimed) by a write of this turn."""
        self.new_state = _UNCHANGED
        self.delivery = None

    def release(self) -> None:
        """End the read transaction before this turn writes. SQLite restarts its write-ahead
        log only when no reader holds it: a read kept open across every write would let the
        log grow without end, and every commit slow down with it."""
        self.uow.rollback()

    def write(self, uow) -> None:
        """What every write of this turn carries: the claim of the chat delivery."""
        if self.delivery is not None:
            inbound.claim(uow, *self.delivery)


@dataclass(frozen=True)
class _PressedButton:
    yes: bool
    proposal: str


@dataclass(frozen=True)
class _Tapped:
    """A command a button stands for (an alert's "Create draft PO"), proposed like typed text."""

    command: dict
    more: tuple = ()
    left_out: tuple = ()
    intent: str | None = None
    error: dict | None = None


class Conversation:
    """Talks with registered users through any channel."""

    def __init__(self, bus, uow_factory, clock, charts=None):
        """`charts(result, lang) -> path`, a port from the edges, draws a report's chart for
        channels that show pictures (Slack, Telegram); without it replies carry text and table.
        A requester hears of a decision through the rules feed's deliveries, not from here."""
        self.bus = bus
        self.uow_factory = uow_factory
        self.clock = clock
        self.charts = charts
        self.catalogs = CatalogCache()

    # -- the one entry point ----------------------------------------------------------------

    def handle(
        self,
        user_name: str,
        channel: str,
        text: str,
        lang: str | None = None,
        delivery: tuple[str, str] | None = None,
    ) -> Reply | None:
        """Answer one message from a user (by name) on a channel.

        `delivery` is the platform's id of the message (`("telegram", "update 812")`): it is
        claimed in the transaction of what the message causes, and a delivery seen before gets
        None (nothing to send, nothing done)."""
        if not isinstance(text, str | _PressedButton | _Tapped):
            text = ""
        msg_lang = (
            "zh"
            if isinstance(text, str) and any("\u4e00" <= ch <= "\u9fff" for ch in text)
            else "en"
        )
        reply_lang = lang or msg_lang
        try:
            with self.uow_factory(write=False) as uow:
                if delivery is not None and inbound.seen(uow, *delivery):
                    return None
                user = lookup.user_by_name(uow, user_name)
                if user is None:
                    return _unregistered(user_name, reply_lang)
                reply_lang = lang or user.lang or msg_lang
                state = load_state(uow, user.name, channel)
                turn = _Turn(user, channel, reply_lang, uow, state, delivery)
                reply = self._handle(turn, text.strip() if isinstance(text, str) else text)
            if turn.new_state is not _UNCHANGED or turn.delivery is not None:
                with self.uow_factory(write=True) as uow:
                    if turn.new_state is not _UNCHANGED:
                        save_state(uow, user.name, channel, turn.new_state)
                    turn.write(uow)
                    uow.commit()
            return reply
        except JxcError as exc:
            return error_reply(exc, reply_lang)
        except Exception:
            ref = uuid.uuid4().hex[:8]
            log.exception("unexpected error in conversation", extra={"ref": ref, "user": user_name})
            return Reply(
                t(
                    reply_lang,
                    f"Sorry, something went wrong (reference {ref}). Nothing was "
                    "changed; please try again or tell an admin.",
                    f"抱歉，出错了（编号 {ref}）。没有做任何更改，请重试或联系管理员。",
                ),
                reply_lang,
                ok=False,
            )

    def press(
        self,
        user_name: str,
        channel: str,
        payload: str,
        lang: str | None = None,
        delivery: tuple[str, str] | None = None,
    ) -> Reply | None:
        """A tap on a confirmation button (`confirm:ID` / `cancel:ID`). Taken only from the user
        who was asked, and only for the proposal still waiting: a tap by someone else in a
        channel, or on an older proposal, changes nothing and says so."""
        verb, _, proposal = (payload or "").partition(":")
        if verb not in ("confirm", "cancel") or not proposal:
            return self.handle(user_name, channel, payload or "", lang, delivery)
        tap = _PressedButton(verb == "confirm", proposal)
        return self.handle(user_name, channel, tap, lang, delivery)

    def act(
        self,
        user_name: str,
        channel: str,
        payload: str,
        lang: str | None = None,
        delivery: tuple[str, str] | None = None,
        reason: str = "prompt",
    ) -> Reply | None:
        """A tap on any of our buttons. Alert buttons: `ap:A-7:approve` decides the request as
        the tapper (idempotency key: the tap's delivery); `ap:A-7:reject` first asks why (a
        `ReasonPrompt`): with `reason="prompt"` (Telegram) the question waits for the tapper's
        next message on the channel, with `reason="modal"` (Slack) the platform's form asks
        and its submission comes back through `reject()`. Until the reason comes the request
        stays pending. `al:12:snooze` snoozes the alert a day, `al:12:order` proposes its
        draft purchase order with Confirm / Cancel. A request already decided answers
        "already decided by mary", the requester's own tap is refused; neither changes
        anything. Anything else is a confirmation (`press`)."""
        if not (payload or "").startswith(ALERT_PAYLOADS):
            return self.press(user_name, channel, payload, lang, delivery)
        kind, _, rest = payload.partition(":")
        target, _, verb = rest.rpartition(":")
        key = f"tap:{delivery[0]}:{delivery[1]}" if delivery else f"tap:{uuid.uuid4()}"
        reply_lang = lang or "en"
        try:
            with self.uow_factory(write=False) as uow:
                user = lookup.user_by_name(uow, user_name)
                if user is None:
                    return _unregistered(user_name, reply_lang)
                reply_lang = lang or user.lang or "en"
                if kind == "ap":
                    stale = _undecidable(uow, target, user, reply_lang)
                    if stale is not None:
                        return stale
                elif verb not in ("order", "snooze") or not target.isdigit():
                    return _unknown_button(reply_lang)
                else:
                    stale = _closed_alert(uow, int(target), reply_lang)
                    if stale is not None:
                        return stale
            if kind == "ap" and verb == "reject":
                return self._ask_reason(user, channel, target, reply_lang, reason == "prompt")
            if kind == "ap":
                return self._decide(user, target, verb, key, reply_lang)
            if verb == "order":
                command = {"intent": "alert.order", "alert": int(target)}
                return self.handle(user_name, channel, _Tapped(command), reply_lang, delivery)
            if not may(user.role, "alert.snooze"):
                return not_permitted_reply(user.name, user.role, "alert.snooze", reply_lang)
            command = {"intent": "alert.snooze", "alert": int(target), "days": 1}
            result = self.bus.execute(command_from_dict(command), user, key=key)
            return result_reply(result, reply_lang)
        except JxcError as exc:
            return error_reply(exc, reply_lang)

    def reject(
        self,
        user_name: str,
        request: str,
        reason: str,
        lang: str | None = None,
        delivery: tuple[str, str] | None = None,
    ) -> Reply:
        """The reason for rejecting `request`, sent from the form a Reject tap opened (Slack's
        modal): rejects the request as the sender, the reason kept as typed."""
        key = f"tap:{delivery[0]}:{delivery[1]}" if delivery else f"tap:{uuid.uuid4()}"
        reply_lang = lang or "en"
        try:
            with self.uow_factory(write=False) as uow:
                user = lookup.user_by_name(uow, user_name)
                if user is None:
                    return _unregistered(user_name, reply_lang)
                reply_lang = lang or user.lang or "en"
                stale = _undecidable(uow, request, user, reply_lang)
                if stale is not None:
                    return stale
            if not (reason or "").strip():
                return Reply(
                    t(
                        reply_lang,
                        f"A rejection needs its reason; {request} still waits for a decision.",
                        f"驳回需要填写理由；{request} 仍在等待审批。",
                    ),
                    reply_lang,
                    ok=False,
                )
            return self._decide(user, request, "reject", key, reply_lang, reason.strip())
        except JxcError as exc:
            return error_reply(exc, reply_lang)

    def _ask_reason(self, user, channel: str, request: str, lang: str, keep: bool) -> Reply:
        """Ask why before rejecting; nothing changes until the reason comes."""
        if not may(user.role, "approval.decide"):
            return not_permitted_reply(user.name, user.role, "approval.decide", lang)
        text = t(
            lang,
            f"Why reject {request}? Reply with the reason; the requester will read it. "
            "Nothing changes until you send it.",
            f"为什么驳回 {request}？请回复理由，申请人会看到。发送理由之前不会做任何更改。",
        )
        if keep:
            waiting = Waiting(REASON, self.clock.now(), asked=text, request=request)
            with self.uow_factory(write=True) as uow:
                save_state(uow, user.name, channel, waiting.to_state())
                uow.commit()
        return ReasonPrompt(request, text, lang)

    def _reject(self, turn: _Turn, request: str, reason: str) -> Reply:
        """The answer to "why reject A-7?": reject it with that reason; the question ends in
        the decision's own transaction."""
        user, lang = turn.user, turn.lang
        stale = _undecidable(turn.uow, request, user, lang)
        if stale is not None:
            turn.wait(None)
            return stale
        delivery = turn.delivery
        key = f"reason:{delivery[0]}:{delivery[1]}" if delivery else f"reason:{uuid.uuid4()}"

        def clear(uow):
            save_state(uow, user.name, turn.channel, None)
            turn.write(uow)

        turn.new_state = _UNCHANGED
        turn.release()
        try:
            return self._decide(user, request, "reject", key, lang, reason, also=clear)
        finally:
            turn.stored()

    def _decide(
        self, user, request: str, verb: str, key: str, lang: str, reason: str = "", also=None
    ) -> Reply:
        if verb not in ("approve", "reject"):
            return _unknown_button(lang)
        if not may(user.role, "approval.decide"):
            return not_permitted_reply(user.name, user.role, "approval.decide", lang)
        command = {"intent": "approval.decide", "request": request, "decision": verb}
        if reason:
            command["reason"] = reason
        try:
            result = self.bus.execute(command_from_dict(command), user, key=key, also=also)
        except ApprovalAlreadyDecided:
            with self.uow_factory(write=False) as uow:
                return _undecidable(uow, request, user, lang) or _unknown_button(lang)
        return result_reply(result, lang)

    def _handle(self, turn: _Turn, text) -> Reply:
        if isinstance(text, _Tapped):
            return self._parsed(turn, "", text)
        w = turn.waiting
        if isinstance(text, _PressedButton):
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
            return self._parsed(turn, text, parse(text, catalog))
        alone = parse(text, catalog)
        got = answer(w, text, catalog, alone.command)
        if w.expired(self.clock.now()):
            if got is not None and w.kind == CONFIRM:
                return self._answer(turn, bool(got.yes))
            turn.wait(None)
            if got is not None:
                return _expired(turn.lang)
            return self._parsed(turn, text, alone)
        if got is not None:
            return self._take(turn, w, got, text)
        if alone.intent is None and w.kind in (MISSING, CHOICE):
            # A name the catalogue does not know ("M7" for "which item?") is still an answer:
            # put in place, it gets its own "did you mean".
            both = parse(f"{w.text} {text}", catalog)
            err = both.error or {}
            same = err.get("name") == w.name and err.get("suggestions") == w.options
            if both.intent == w.intent and err.get("suggestions") and not same:
                turn.wait(None)
                return self._parsed(turn, f"{w.text} {text}", both)
        if alone.intent is None:
            if confirmation_word(text) is not None:
                reply = self._answer(turn, True)  # "nothing waits for your confirmation"
            else:
                reply = self._not_parsed(turn, text, alone, keep=True)
            return _prefixed(reply, _still_waiting(w, turn.lang), after=True)
        turn.wait(None)
        return _prefixed(self._parsed(turn, text, alone), _dropped(w, turn.lang))

    def _take(self, turn: _Turn, w: Waiting, got: Answer, text: str) -> Reply:
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
            command = {**(w.command or {}), "warehouse": got.place}
            result = ParseResult(command, None, lang, command.get("intent"))
            return self._parsed(turn, text, result)
        if w.kind == MISSING:
            turn.wait(None)
            fixed = f"{w.text} {got.fill}"
            return self._parsed(turn, fixed, parse(fixed, catalog))
        picked = got.pick
        if picked is None and len(w.options) == 1:
            picked = w.options[0]
        if picked is None:
            listing = ", ".join(f"{n}) {o}" for n, o in enumerate(w.options, start=1))
            return Reply(
                t(lang, f"Which one? {listing}", f"请问是哪一个？{listing}"), lang, ok=False
            )
        turn.wait(None)
        fixed = _put_in_place(w.text, w.name, picked)
        result = parse(fixed, catalog)
        err = result.error or {}
        if result.command is None and err.get("name") and err.get("name") == w.name:
            # The name is still read the same way: never ask the same question again.
            result = ParseResult(None, {**err, "suggestions": []}, result.lang, result.intent)
        return self._parsed(turn, fixed, result)

    # -- commands -----------------------------------------------------------------------------

    def _parsed(self, turn: _Turn, text: str, result) -> Reply:
        user, lang = turn.user, turn.lang
        if result.command is None:
            return self._not_parsed(turn, text, result)
        commands = [result.command, *result.more]
        if any(c["intent"] == "help" for c in commands):
            return Reply(help_text(user.role, lang, set(self.bus.handlers)), lang)
        for c in commands:
            if not may(user.role, c["intent"]):
                return not_permitted_reply(user.name, user.role, c["intent"], lang)
            if c["intent"] not in self.bus.handlers:
                return not_available_reply(c["intent"], lang)
        typed = [(c, command_from_dict(c)) for c in commands]
        answers = [
            self._answered(self.bus.ask(cmd, user, turn.uow), lang)
            for c, cmd in typed
            if not cmd.WRITE
        ]
        writes = [(c, cmd) for c, cmd in typed if cmd.WRITE]
        if not writes:
            reply = answers[0] if len(answers) == 1 else _joined(answers, lang)
            return _with_left_out(reply, result.left_out, lang)
        return self._propose(turn, writes, answers, result.left_out)

    def _answered(self, result, lang: str) -> Reply:
        reply = result_reply(result, lang)
        if isinstance(result, ReportAnswer) and self.charts is not None and result.rows:
            reply.image = str(self.charts(result, lang))
        return reply

    def _not_parsed(self, turn: _Turn, text: str, result, keep: bool = False) -> Reply:
        user, lang = turn.user, turn.lang
        err = result.error or {}
        code = err.get("code")
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
        msg = _in_lang(err, result, lang)
        suggestions = list(err.get("suggestions") or [])
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
                    slot=err.get("slot"),
                    options=suggestions if choice else [],
                    name=err.get("name", "") if choice else "",
                )
            )
        return Reply(msg, lang, ok=False)

    def _propose(self, turn: _Turn, writes, answers, left_out) -> Reply:
        """Dry-run every write; propose those that would succeed as one confirmation and say
        exactly what was left out and why. Dry runs, summaries and the stored proposal share
        one write transaction. A sales order short of some lines is proposed with the lines
        stock can serve; a write refused for stock that other warehouses hold is kept, so the
        next message can name one of them."""
        user, lang = turn.user, turn.lang
        proposals, refused, short, kept = [], [], [], None
        turn.release()
        with self.uow_factory(write=True) as uow:
            for command, cmd in writes:
                try:
                    preview = self.bus.preview(cmd, user, uow)
                except InsufficientStock as exc:
                    served = _servable(uow, command, cmd)
                    if served is None:
                        refused.append(error_reply(exc, lang).text)
                        if len(writes) == 1:
                            kept = _kept_after_refusal(uow, command, cmd)
                        continue
                    command, cmd, lacking = served
                    try:
                        preview = self.bus.preview(cmd, user, uow)
                    except JxcError as again:
                        refused.append(error_reply(again, lang).text)
                        continue
                    short += [e.zh if lang == "zh" else e.message for e in lacking]
                except JxcError as exc:
                    refused.append(error_reply(exc, lang).text)
                    continue
                proposals.append((command, summarize(uow, command, preview, lang)))
            if not proposals:
                texts = [a.text for a in answers] + refused
                reply = Reply("\n".join(texts), lang, ok=False)
                if kept is not None:
                    turn.wait(Waiting(REFUSED, self.clock.now(), asked=refused[0], command=kept))
                if turn.new_state is not _UNCHANGED or turn.delivery is not None:
                    if turn.new_state is not _UNCHANGED:
                        save_state(uow, user.name, turn.channel, turn.new_state)
                    turn.write(uow)
                    uow.commit()
                    turn.stored()
                return _with_left_out(reply, left_out, lang)
            summary = "\n".join(text for _, text in proposals)
            if len(proposals) > 1:
                summary = (
                    t(
                        lang,
                        f"{len(proposals)} commands, confirmed together:\n",
                        f"共 {len(proposals)} 条指令，一并确认：\n",
                    )
                    + summary
                )
            waiting = Waiting(
                CONFIRM,
                self.clock.now(),
                proposal=uuid.uuid4().hex[:10],
                pending=[c for c, _ in proposals],
                keys=[f"chat:{uuid.uuid4()}" for _ in proposals],
                summary=summary,
            )
            save_state(uow, user.name, turn.channel, waiting.to_state())
            turn.write(uow)
            uow.commit()
        turn.stored()
        turn.waiting = waiting
        notes = (
            [t(lang, f"Short, left out: {why}", f"缺货，未包含：{why}") for why in short]
            + [t(lang, f"Left out: {why}", f"未包含：{why}") for why in refused]
            + [
                t(lang, f"Left out (not understood): “{frag}”", f"未包含（没看懂）：“{frag}”")
                for frag in left_out
            ]
        )
        text = "\n".join([*(a.text for a in answers), summary, *notes])
        return Reply(text, lang, buttons=confirmation_buttons(waiting.proposal))

    def _answer(self, turn: _Turn, yes: bool) -> Reply:
        user, lang, w = turn.user, turn.lang, turn.waiting
        if w is None or w.kind != CONFIRM:
            return Reply(
                t(
                    lang,
                    "There is nothing waiting for your confirmation.",
                    "目前没有需要您确认的操作。",
                ),
                lang,
                ok=False,
            )
        if w.expired(self.clock.now()):
            turn.wait(None)
            return Reply(
                t(
                    lang,
                    "That confirmation expired (10 minutes); please send the command again.",
                    "确认已超时（10 分钟），请重新发送指令。",
                ),
                lang,
                ok=False,
            )
        if not yes:
            turn.wait(None)
            return Reply(
                t(lang, "Cancelled; nothing was changed.", "已取消，没有做任何更改。"), lang
            )
        # The last command clears the confirmation in its own transaction; if the process dies
        # before, "yes" again replays the keys and nothing runs twice.
        last = len(w.pending) - 1

        def clear(uow):
            save_state(uow, user.name, turn.channel, None)
            turn.write(uow)

        replies = []
        turn.new_state = _UNCHANGED
        turn.release()
        for n, (command, key) in enumerate(zip(w.pending, w.keys, strict=True)):
            also = clear if n == last else None
            try:
                result = self.bus.execute(command_from_dict(command), user, key=key, also=also)
                if also is not None:
                    turn.stored()
            except JxcError as exc:
                replies.append(error_reply(exc, lang))
                continue
            replies.append(result_reply(result, lang))
        return replies[0] if len(replies) == 1 else _joined(replies, lang)


def _unregistered(user_name: str, lang: str) -> Reply:
    return Reply(
        t(
            lang,
            f"Sorry, {user_name} is not registered with JXC. An admin can "
            "add you with `jxc import users FILE.csv` (name, role, slack_id, "
            "telegram_id, lang).",
            f"抱歉，{user_name} 还没有在 JXC 登记。请管理员用 `jxc import users` "
            "导入您的账号（姓名、角色、Slack/Telegram 编号、语言）。",
        ),
        lang,
        ok=False,
    )


def _undecidable(uow, request: str, user, lang: str) -> Reply | None:
    """Why a tap on request's buttons changes nothing (decided already, one's own), or None."""
    from sqlalchemy import select

    from domain.model import ApprovalRequest

    req_t = ApprovalRequest.__table__
    req = uow.execute(select(req_t).where(req_t.c.number == request.strip().upper())).first()
    if req is None:
        return _unknown_button(lang)
    if req.status != "pending":
        return already_decided_reply(req.number, req.status, req.decided_by or "", lang)
    if req.requested_by.lower() == user.name.lower():
        return own_request_reply(req.number, lang)
    return None


def _closed_alert(uow, alert_id: int, lang: str) -> Reply | None:
    """A reply for a tap on an alert that is no longer open, or None."""
    from sqlalchemy import select

    from domain.alerts import alert_t

    alert = uow.execute(select(alert_t).where(alert_t.c.id == alert_id)).first()
    if alert is None:
        return _unknown_button(lang)
    if alert.status in ("resolved", "acknowledged") or (
        alert.status == "snoozed" and alert.snoozed_until and alert.snoozed_until > uow.now
    ):
        return stale_alert_reply(alert_id, alert.status, lang)
    return None


def _unknown_button(lang: str) -> Reply:
    return Reply(
        t(
            lang,
            "That button is not one I know any more; nothing was changed.",
            "这个按钮已失效，没有做任何更改。",
        ),
        lang,
        ok=False,
    )


def _expired(lang: str) -> Reply:
    return Reply(
        t(
            lang,
            "That question expired (10 minutes) — send it again.",
            "那个问题已超时（10 分钟），请重新发送。",
        ),
        lang,
        ok=False,
    )


def _what_waited(w: Waiting) -> str:
    if w.kind == CONFIRM:
        was = (w.summary or "").splitlines()[0] if w.summary else ""
        for ask in (" Confirm?", "确认吗？"):
            was = was.removesuffix(ask)
        return was
    return w.asked or w.request or w.text


def _dropped(w: Waiting, lang: str) -> str:
    """The one line that says a new message dropped what was waiting."""
    was = _what_waited(w)
    if w.kind == CONFIRM:
        return t(
            lang,
            f"(This replaces the request that was waiting for your yes, now dropped: {was})",
            f"（这条替换了之前等待确认的请求，已放弃：{was}）",
        )
    if w.kind == REFUSED:
        return t(
            lang,
            "(This replaces the order that was refused for stock, now dropped.)",
            "（这条替换了之前因库存不足被拒的订单，已放弃。）",
        )
    if w.kind == REASON:
        return t(
            lang,
            f"(No reason given: {w.request} was not rejected and still waits for a decision.)",
            f"（没有给出理由：{w.request} 没有驳回，仍在等待审批。）",
        )
    return t(
        lang,
        f"(This replaces the question that was waiting, now dropped: {was})",
        f"（这条替换了之前等待回答的问题，已放弃：{was}）",
    )


def _still_waiting(w: Waiting, lang: str) -> str:
    if w.kind == CONFIRM:
        return ""
    was = _what_waited(w)
    return t(lang, f"(Still waiting for your answer to: {was})", f"（仍在等待您回答：{was}）")


def _prefixed(reply: Reply, line: str, after: bool = False) -> Reply:
    if not line:
        return reply
    reply.text = f"{reply.text}\n{line}" if after else f"{line}\n{reply.text}"
    return reply


def _put_in_place(original: str, name: str, picked: str) -> str:
    """The text of the command with the chosen suggestion where the unknown name was (the name
    as the parser read it may have lost the spaces the user typed)."""
    if name and name in original:
        return original.replace(name, f" {picked} ", 1)
    if name:
        chars = [re.escape(ch) for ch in name if not ch.isspace()]
        found = re.search(r"\s*".join(chars), original, re.IGNORECASE) if chars else None
        if found:
            return f"{original[: found.start()]} {picked} {original[found.end() :]}"
    return f"{original} {picked}"


def _servable(uow, command: dict, cmd):
    """A sales order short of some lines: (the order of the lines stock can serve, its typed
    command, the refusals of the short lines); None when no line or every line is short."""
    if command.get("intent") != "sales.create" or len(command.get("lines") or ()) < 2:
        return None
    from domain.services.sales import shortages

    short = shortages(cmd, uow)
    if not short or len(short) >= len(command["lines"]):
        return None
    kept = {**command, "lines": [x for n, x in enumerate(command["lines"]) if n not in short]}
    lacking = list(dict.fromkeys(short.values()))
    return kept, command_from_dict(kept), lacking


def _kept_after_refusal(uow, command: dict, cmd) -> dict | None:
    """The draft to keep after a refusal for stock, when another warehouse holds what is
    short (the next message may name it); None otherwise."""
    if command.get("intent") not in ("sales.create", "stock.issue"):
        return None
    from domain import ledger

    wh = lookup.warehouse(uow, getattr(cmd, "warehouse", None) or "MAIN")
    skus = [x["item"] for x in command.get("lines") or ()] or [command.get("item")]
    for sku in skus:
        if sku and ledger.available_elsewhere(uow, lookup.item(uow, sku).id, wh.id):
            return command
    return None


def _joined(replies: list[Reply], lang: str) -> Reply:
    return Reply("\n".join(r.text for r in replies), lang, ok=all(r.ok for r in replies))


def _with_left_out(reply: Reply, left_out: list[str], lang: str) -> Reply:
    if not left_out:
        return reply
    notes = "\n".join(
        t(lang, f"Left out (not understood): “{f}”", f"未包含（没看懂）：“{f}”") for f in left_out
    )
    return Reply(
        f"{reply.text}\n{notes}", reply.lang, reply.table, reply.image, reply.buttons, reply.ok
    )


def _in_lang(err: dict, result, lang: str) -> str:
    """A parse error's message in the reply's language (the parser writes the text's)."""
    msg = err.get("message", "")
    if result.lang == lang:
        return msg
    kw = dict(err.get("args") or {})
    if err.get("slot"):
        kw.setdefault("slot", err["slot"])
    kw.setdefault("name", err.get("name", ""))
    try:
        return message(err["code"], lang, err.get("suggestions"), **kw)
    except (KeyError, IndexError, ValueError):
        return msg
