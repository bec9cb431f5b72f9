"""Taps on our buttons: confirmations of proposals, and the buttons of alerts (approve / reject a
request, snooze an alert, propose its draft purchase order). Reject asks why first: a
`ReasonPrompt` that Telegram shows as a reply prompt (the question waits in the conversation)
and Slack as a form whose submission comes back through `reject()`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from bot.render.alerts import ALERT_PAYLOADS
from bot.render.errors import (
    already_decided_reply,
    error_reply,
    not_permitted_reply,
    own_request_reply,
    stale_alert_reply,
)
from bot.render.reply import Reply, t
from bot.render.results import result_reply
from bot.waiting import REASON, ReasonPrompt, Waiting
from domain.errors import ApprovalAlreadyDecided, JxcError
from domain.ledger import lookup
from domain.messages.commands import Command, OrderFromAlert, command_from_dict
from domain.messages.conversations import save_state
from domain.roles import may


@dataclass(frozen=True)
class PressedButton:
    yes: bool
    proposal: str


@dataclass(frozen=True)
class Tapped:
    """A command a button stands for (an alert's "Create draft PO"), proposed like typed text."""

    command: Command
    more: tuple[Command, ...] = ()
    left_out: tuple[str, ...] = ()
    intent: str | None = None
    error: None = None


class Buttons:
    """The taps a conversation answers (mixed into `Conversation`, which provides `handle`,
    `bus`, `uow_factory` and `clock`)."""

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
        tap = PressedButton(verb == "confirm", proposal)
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
        key = tap_key(delivery)
        reply_lang = lang or "en"
        try:
            with self.uow_factory(write=False) as uow:
                user = lookup.user_by_name(uow, user_name)
                if user is None:
                    return unregistered(user_name, reply_lang)
                reply_lang = lang or user.lang or "en"
                if kind == "ap":
                    stale = undecidable(uow, target, user, reply_lang)
                    if stale is not None:
                        return stale
                elif verb not in ("order", "snooze") or not target.isdigit():
                    return unknown_button(reply_lang)
                else:
                    stale = closed_alert(uow, int(target), reply_lang)
                    if stale is not None:
                        return stale
            if kind == "ap" and verb == "reject":
                return self._ask_reason(user, channel, target, reply_lang, reason == "prompt")
            if kind == "ap":
                return self._decide(user, target, verb, key, reply_lang)
            if verb == "order":
                tapped = Tapped(OrderFromAlert(alert=int(target)))
                return self.handle(user_name, channel, tapped, reply_lang, delivery)
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
        key = tap_key(delivery)
        reply_lang = lang or "en"
        try:
            with self.uow_factory(write=False) as uow:
                user = lookup.user_by_name(uow, user_name)
                if user is None:
                    return unregistered(user_name, reply_lang)
                reply_lang = lang or user.lang or "en"
                stale = undecidable(uow, request, user, reply_lang)
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

    def _decide(
        self, user, request: str, verb: str, key: str, lang: str, reason: str = "", also=None
    ) -> Reply:
        if verb not in ("approve", "reject"):
            return unknown_button(lang)
        if not may(user.role, "approval.decide"):
            return not_permitted_reply(user.name, user.role, "approval.decide", lang)
        command = {"intent": "approval.decide", "request": request, "decision": verb}
        if reason:
            command["reason"] = reason
        try:
            result = self.bus.execute(command_from_dict(command), user, key=key, also=also)
        except ApprovalAlreadyDecided:
            with self.uow_factory(write=False) as uow:
                return undecidable(uow, request, user, lang) or unknown_button(lang)
        return result_reply(result, lang)


def unregistered(user_name: str, lang: str) -> Reply:
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


def tap_key(delivery: tuple[str, str] | None) -> str:
    """The idempotency key of a tap or a form: the platform's delivery, so a retried delivery
    decides once; a fresh one when the platform gave none."""
    return f"tap:{delivery[0]}:{delivery[1]}" if delivery else f"tap:{uuid.uuid4()}"


def undecidable(uow, request: str, user, lang: str) -> Reply | None:
    """Why a tap on request's buttons changes nothing (decided already, one's own), or None."""
    from sqlalchemy import select

    from domain.model import ApprovalRequest

    req_t = ApprovalRequest.__table__
    req = uow.execute(select(req_t).where(req_t.c.number == request.strip().upper())).first()
    if req is None:
        return unknown_button(lang)
    if req.status != "pending":
        return already_decided_reply(req.number, req.status, req.decided_by or "", lang)
    if req.requested_by.lower() == user.name.lower():
        return own_request_reply(req.number, lang)
    return None


def closed_alert(uow, alert_id: int, lang: str) -> Reply | None:
    """A reply for a tap on an alert that is no longer open, or None."""
    from sqlalchemy import select

    from domain.alerts.records import alert_t

    alert = uow.execute(select(alert_t).where(alert_t.c.id == alert_id)).first()
    if alert is None:
        return unknown_button(lang)
    if alert.status in ("resolved", "acknowledged") or (
        alert.status == "snoozed" and alert.snoozed_until and alert.snoozed_until > uow.now
    ):
        return stale_alert_reply(alert_id, alert.status, lang)
    return None


def unknown_button(lang: str) -> Reply:
    return Reply(
        t(
            lang,
            "That button is not one I know any more; nothing was changed.",
            "这个按钮已失效，没有做任何更改。",
        ),
        lang,
        ok=False,
    )
