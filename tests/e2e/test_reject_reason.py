"""Reject asks why: a tap on Reject opens a form in Slack (`views.open` with the tap's trigger)
and a reply prompt in Telegram; the request stays pending until the reason is sent, and the
reason reaches the requester. `jxc serve slack telegram scheduler` against the local fakes."""

from __future__ import annotations

import json

import pytest

from tests.e2e import test_chat_alerts as alerts
from tests.e2e.fake_slack import post, signed_headers, view_submission_body
from tests.e2e.test_chat_alerts import (
    MARY,
    SECRET,
    WANG,
    approval_requests,
    order_over_credit,
    wait_until,
)

pytestmark = pytest.mark.slow
shop = alerts.shop  # the server and both fakes, as the alert tests run them


def told_wang(shop, words: str) -> list:
    return [c for c in shop.telegram.sent("sendMessage", WANG) if words in c.params["text"]]


def test_a_telegram_reject_tap_asks_why_and_the_answer_rejects_with_it(shop):
    order_over_credit(shop)
    _, in_telegram = approval_requests(shop)
    before = len(shop.telegram.sent("sendMessage", MARY))
    shop.tg_tap(MARY, in_telegram, "Reject")
    prompt = wait_until(
        lambda: [
            c
            for c in shop.telegram.sent("sendMessage", MARY)[before:]
            if (c.params.get("reply_markup") or {}).get("force_reply")
        ],
        what="the reason prompt",
    )[-1]
    assert "A-1" in prompt.params["text"]
    # A prompt left unanswered changes nothing: the prompt is the tap's last step, sent once
    # the conversation has taken the tap in.
    assert shop.order()["status"] == "pending_approval"
    shop.telegram.say(MARY, "ACME is over its credit, ask for a deposit")
    wait_until(lambda: shop.order()["status"] == "cancelled", what="the order rejected")
    assert shop.order()["reason"] == "ACME is over its credit, ask for a deposit"
    told = wait_until(lambda: told_wang(shop, "ask for a deposit"), what="wang told the reason")
    assert "驳回" in told[-1].params["text"]


def test_a_slack_reject_tap_opens_a_form_and_its_submission_rejects_with_the_reason(shop):
    order_over_credit(shop)
    in_slack, _ = approval_requests(shop)
    assert shop.slack_tap("U0MARY", in_slack, "reject") == 200
    (opened,) = shop.slack.wait_for("views.open", 1)
    assert opened.args["trigger_id"].startswith("trig-")
    view = opened.response["view"]
    assert "A-1" in json.dumps(view) and view["type"] == "modal"
    # The form open, nothing sent: the request still waits (the form is the tap's last step,
    # opened once the conversation has taken the tap in).
    assert shop.order()["status"] == "pending_approval"
    body = view_submission_body("U0MARY", view, {"reason": "too much on credit already"})
    assert post(shop.url, body, signed_headers(SECRET, body), form=True)[0] == 200
    wait_until(lambda: shop.order()["status"] == "cancelled", what="the order rejected")
    assert shop.order()["reason"] == "too much on credit already"
    wait_until(lambda: told_wang(shop, "too much on credit"), what="wang told the reason")
