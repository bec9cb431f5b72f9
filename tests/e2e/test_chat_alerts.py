"""Alerts and approvals in Slack and Telegram as people meet them: `jxc serve slack telegram
scheduler` as a real process against local fakes of both APIs on 127.0.0.1. Wang orders in
Telegram over ACME's credit; Mary (and the other approvers and admins) get the request in Slack
and Telegram with Approve / Reject; a tap decides it, every copy changes in place, Wang is told,
the stock is reserved."""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import ROOT, cli_env, jxc, run_json
from tests.e2e.fake_slack import (
    FakeSlack,
    ServeProcess,
    block_action_body,
    dm,
    event_body,
    free_port,
    post,
    signed_headers,
)
from tests.e2e.fake_telegram import FakeTelegram

pytestmark = pytest.mark.slow
SECRET = "test-signing-secret"
WANG, MARY, ADMIN, LIU = 1002, 1001, 1000, 1007
APPROVERS = {"U0MARY": MARY, "U0ADMIN": ADMIN, "U0LIU": LIU}


class Shop:
    """Both fakes and the server, from the people's side."""

    def __init__(self, db: str, slack: FakeSlack, telegram: FakeTelegram, port: int):
        self.db, self.slack, self.telegram = db, slack, telegram
        self.url = f"http://127.0.0.1:{port}/slack/events"
        self._n = 0
        # Commands run beside the server see the same platforms configured: a command's inline
        # feed that takes an event first queues its messages for Slack and Telegram, as the
        # server's own feed would, not for the console.
        self.env = serve_env(db, slack, telegram, port)

    # -- Telegram ------------------------------------------------------------------------------

    def tg_messages(self, chat_id: int, count: int = 1, timeout: float = 20.0):
        return self.telegram.wait_for("sendMessage", count, chat_id=chat_id, timeout=timeout)

    def tg_tap(self, user_id: int, call, label_part: str) -> None:
        button = next(b for b in tg_buttons(call) if label_part in b["text"])
        self.telegram.tap(user_id, self.telegram.message_dict(call), button["callback_data"])

    # -- Slack ---------------------------------------------------------------------------------

    def slack_dm(self, user: str, text: str) -> int:
        self._n += 1
        body = event_body(dm(user, text), f"EvA{self._n:04d}")
        return post(self.url, body, signed_headers(SECRET, body))[0]

    def slack_tap(self, user: str, call, value_part: str) -> int:
        value = next(v for v in slack_values(call) if value_part in v)
        body = block_action_body(user, call.response["channel"], call.response["ts"], value)
        return post(self.url, body, signed_headers(SECRET, body), form=True)[0]

    def slack_posts_to(self, channel: str) -> list:
        return [c for c in self.slack.of("chat.postMessage") if c.args.get("channel") == channel]

    def wait_slack_post(self, channel: str, has: str = "", timeout: float = 20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for c in self.slack_posts_to(channel):
                if has in c.args.get("text", ""):
                    return c
            time.sleep(0.05)
        raise AssertionError(f"nothing with {has!r} posted to {channel}: {self.slack.calls}")

    # -- the ledger ------------------------------------------------------------------------------

    def order(self) -> dict:
        orders = json.loads(jxc(self.db, "orders", "--json", env=self.env).stdout)
        return next(o for o in orders if o["order"].startswith("SO"))

    def reserved(self, sku: str = "DRILL-18V") -> str:
        rows = json.loads(jxc(self.db, "stock", sku, "--json", env=self.env).stdout)
        return next(r["reserved"] for r in rows if r["warehouse"] == "MAIN")

    def settled(self, timeout: float = 20.0) -> None:
        """Wait until nothing more is on its way: every event taken in by the feed and every
        delivery sent (or skipped, or failed for good)."""
        from sqlalchemy import create_engine, exists, select

        from domain.alerts.records import delivery_t
        from domain.model import Outbox

        outbox = Outbox.__table__
        waiting = select(
            exists().where(outbox.c.processed_at.is_(None))
            | exists().where(delivery_t.c.status == "pending")
        )
        engine = create_engine(self.db.replace("postgresql://", "postgresql+psycopg://", 1))
        try:

            def done() -> bool:
                with engine.connect() as conn:
                    return not conn.execute(waiting).scalar()

            wait_until(done, timeout, what="the deliveries settled")
        finally:
            engine.dispose()


def tg_buttons(call) -> list[dict]:
    markup = call.params.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def slack_values(call) -> list[str]:
    return [
        e["value"]
        for block in call.args.get("blocks", [])
        if block["type"] == "actions"
        for e in block["elements"]
    ]


def wait_until(check, timeout: float = 20.0, what: str = ""):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        time.sleep(0.05)


def serve_env(db: str, slack: FakeSlack, telegram: FakeTelegram, port: int) -> dict:
    env = cli_env(db) | {
        "JXC_SLACK_BOT_TOKEN": "xoxb-test",
        "JXC_SLACK_SIGNING_SECRET": SECRET,
        "JXC_SLACK_API_URL": slack.api_url,
        "JXC_SLACK_PORT": str(port),
        "JXC_TELEGRAM_TOKEN": telegram.token,
        "JXC_TELEGRAM_API_URL": telegram.url,
    }
    for name in ("JXC_SLACK_APP_TOKEN", "JXC_TELEGRAM_WEBHOOK_URL"):
        env.pop(name, None)
    return env


@pytest.fixture
def shop(master_db):
    run_json(master_db, {"intent": "stock.receive", "item": "DRILL-18V", "qty": "300"})
    telegram = FakeTelegram().start()
    with FakeSlack() as slack:
        port = free_port()
        server = ServeProcess(
            ["slack", "telegram", "scheduler"], serve_env(master_db, slack, telegram, port), ROOT
        )
        try:
            server.wait_line("ready")
            yield Shop(master_db, slack, telegram, port)
        finally:
            code = server.stop()
            telegram.stop()
        assert code == 0, server.lines


def order_over_credit(shop: Shop) -> None:
    """Wang, in Telegram, orders 200 drills for ACME (79,800 over a 50,000 limit) and confirms."""
    shop.telegram.say(WANG, "ACME 要 200 个 电钻")
    proposal = shop.tg_messages(WANG, 1)[0]
    text = proposal.params["text"]
    assert "79,800" in text or "79800" in text, text
    assert "审批" in text, text  # it says it will wait for approval
    shop.tg_tap(WANG, proposal, "确认")
    wait_until(lambda: shop.telegram.sent("editMessageText", WANG), what="the proposal edited")


def approval_requests(shop: Shop):
    """Mary's request in Slack and in Telegram, each with Approve / Reject."""
    in_slack = shop.wait_slack_post("U0MARY", "A-1")
    in_telegram = next(
        c for c in shop.tg_messages(MARY, 1) if "A-1" in c.params["text"] and tg_buttons(c)
    )
    return in_slack, in_telegram


def test_an_order_over_credit_is_approved_in_slack_and_every_copy_says_so(shop):
    order_over_credit(shop)
    assert shop.order()["status"] == "pending_approval"
    in_slack, in_telegram = approval_requests(shop)
    assert slack_values(in_slack) == ["ap:A-1:approve", "ap:A-1:reject"]
    labels = [b["text"] for b in tg_buttons(in_telegram)]
    assert labels == ["批准 Approve", "驳回 Reject"]
    # every approver and admin gets it on both channels; the requester never gets the buttons
    for slack_id, chat_id in APPROVERS.items():
        shop.wait_slack_post(slack_id, "A-1")
        shop.tg_messages(chat_id, 1)
    assert not [c for c in shop.slack_posts_to("U0WANG") if slack_values(c)]
    assert not [c for c in shop.telegram.sent("sendMessage", WANG) if "ap:" in str(c.params)]

    assert shop.slack_tap("U0MARY", in_slack, "approve") == 200

    updates = wait_until(
        lambda: [
            c for c in shop.slack.of("chat.update") if c.args["ts"] == in_slack.response["ts"]
        ],
        what="the Slack copy updated",
    )
    assert "Approved by mary 10:00" in updates[-1].args["text"]
    assert not [b for b in updates[-1].args["blocks"] if b["type"] == "actions"]
    message_id = in_telegram.params["_message_id"]
    edits = wait_until(
        lambda: [
            c
            for c in shop.telegram.sent("editMessageText", MARY)
            if int(c.params["message_id"]) == message_id
        ],
        what="the Telegram copy edited",
    )
    assert "Approved by mary 10:00" in edits[-1].params["text"]
    # liu reads Chinese: her copies say it in Chinese
    liu_edit = wait_until(lambda: shop.telegram.sent("editMessageText", LIU), what="liu's copy")
    assert "已由 mary 于 10:00 批准" in liu_edit[-1].params["text"]
    # wang is told, once per channel, in Chinese
    told = wait_until(
        lambda: [
            c
            for c in shop.telegram.sent("sendMessage", WANG)
            if "已由 mary 批准" in c.params["text"]
        ],
        what="wang told",
    )
    shop.settled()
    told = [
        c for c in shop.telegram.sent("sendMessage", WANG) if "已由 mary 批准" in c.params["text"]
    ]
    assert len(told) == 1
    assert shop.order()["status"] == "confirmed"
    assert shop.reserved() == "200"


def test_a_stale_approval_button_says_already_decided_and_changes_nothing(shop):
    order_over_credit(shop)
    in_slack, in_telegram = approval_requests(shop)
    shop.slack_tap("U0MARY", in_slack, "approve")
    wait_until(lambda: shop.order()["status"] == "confirmed", what="the order confirmed")
    # Mary's Telegram copy was tapped late (or replayed): nothing changes, she is told why
    shop.tg_tap(MARY, in_telegram, "Reject")
    answer = wait_until(
        lambda: [
            c
            for c in shop.telegram.sent("answerCallbackQuery")
            if "already decided by mary" in (c.params.get("text") or "")
        ],
        what="already decided",
    )
    assert answer
    # and a second Slack tap on the old message, by liu, changes nothing either
    liu_copy = shop.wait_slack_post("U0LIU", "A-1")
    assert shop.slack_tap("U0LIU", liu_copy, "reject") == 200
    ephemeral = shop.slack.wait_for("chat.postEphemeral", 1)
    assert "已由 mary 处理" in ephemeral[-1].args["text"]  # liu reads Chinese
    assert shop.order()["status"] == "confirmed"
    assert shop.reserved() == "200"


def test_a_rejection_with_its_reason_reaches_wang(shop):
    order_over_credit(shop)
    in_slack, _ = approval_requests(shop)
    assert shop.slack_dm("U0MARY", "reject A-1 because ACME is over its credit") == 200
    proposal = wait_until(
        lambda: [c for c in shop.slack_posts_to("DU0MARY") if slack_values(c)], what="proposal"
    )[-1]
    assert shop.slack_tap("U0MARY", proposal, "confirm") == 200
    told = wait_until(
        lambda: [c for c in shop.telegram.sent("sendMessage", WANG) if "驳回" in c.params["text"]],
        what="wang told of the rejection",
    )
    assert "over its credit" in told[-1].params["text"]
    # the request decided outside the buttons: its copies are updated all the same
    update = wait_until(
        lambda: [
            c for c in shop.slack.of("chat.update") if c.args["ts"] == in_slack.response["ts"]
        ],
        what="the copy updated",
    )
    assert "Rejected by mary" in update[-1].args["text"]
    assert shop.order()["status"] == "cancelled"
    assert shop.reserved() == "0"


def test_the_requesters_own_tap_is_refused(shop):
    """An admin who asked may not decide their own request (the buttons never go to them, but
    an old or forwarded one is still refused)."""
    order_over_credit(shop)
    in_slack, _ = approval_requests(shop)
    body = block_action_body(
        "U0WANG", in_slack.response["channel"], in_slack.response["ts"], "ap:A-1:approve"
    )
    assert post(shop.url, body, signed_headers(SECRET, body), form=True)[0] == 200
    ephemeral = shop.slack.wait_for("chat.postEphemeral", 1)
    assert "own request" in ephemeral[-1].args["text"] or "本人" in ephemeral[-1].args["text"]
    assert shop.order()["status"] == "pending_approval"


# -- delivery that loses nothing -----------------------------------------------------------------


def _copies(shop: Shop, slack_id: str) -> list:
    return [c for c in shop.slack_posts_to(slack_id) if "A-1" in c.args.get("text", "")]


def test_a_slack_500_on_the_alert_is_delivered_on_retry_once(shop):
    shop.slack.fail("chat.postMessage", 500, times=1)
    order_over_credit(shop)
    approval_requests(shop)
    for slack_id in APPROVERS:
        shop.wait_slack_post(slack_id, "A-1")
    shop.settled()
    assert [c.status for c in shop.slack.calls if c.method == "chat.postMessage"][0] == 500
    for slack_id in APPROVERS:
        assert len(_copies(shop, slack_id)) == 1, slack_id


def test_a_slack_429_holds_back_slack_only(shop):
    shop.slack.fail("chat.postMessage", 429, times=1, retry_after=2)
    order_over_credit(shop)
    first_try = wait_until(
        lambda: [c for c in shop.slack.calls if c.method == "chat.postMessage"], what="a try"
    )[0]
    telegram_done = [shop.tg_messages(chat_id, 1)[0] for chat_id in APPROVERS.values()]
    slack_done = [shop.wait_slack_post(slack_id, "A-1") for slack_id in APPROVERS]
    # Telegram did not wait for Slack's Retry-After; Slack waited it
    assert max(c.at for c in telegram_done) - first_try.at < 1.5
    assert min(c.at for c in slack_done) - first_try.at >= 1.9
    shop.settled()
    for slack_id in APPROVERS:
        assert len(_copies(shop, slack_id)) == 1, slack_id


def test_sigterm_mid_delivery_and_a_restart_deliver_each_copy_once(master_db):
    run_json(master_db, {"intent": "stock.receive", "item": "DRILL-18V", "qty": "300"})
    telegram = FakeTelegram().start()
    try:
        with FakeSlack() as slack:
            port = free_port()
            env = serve_env(master_db, slack, telegram, port)
            server = ServeProcess(["slack", "telegram", "scheduler"], env, ROOT)
            shop = Shop(master_db, slack, telegram, port)
            server.wait_line("ready")
            # Slack answers 429 for a while: its copies are still waiting when we stop
            slack.fail("chat.postMessage", 429, times=1, retry_after=30)
            order_over_credit(shop)
            wait_until(lambda: slack.of("chat.postMessage", ok_only=False), what="a Slack try")
            for chat_id in APPROVERS.values():
                shop.tg_messages(chat_id, 1)
            assert server.stop() == 0, server.lines
            assert not slack.of("chat.postMessage")

            server = ServeProcess(["slack", "telegram", "scheduler"], env, ROOT)
            server.wait_line("ready")
            for slack_id in APPROVERS:
                shop.wait_slack_post(slack_id, "A-1")
            shop.settled()
            assert server.stop() == 0, server.lines
            for slack_id, chat_id in APPROVERS.items():
                assert len(_copies(shop, slack_id)) == 1, slack_id
                sent = telegram.sent("sendMessage", chat_id)
                assert len([c for c in sent if "A-1" in c.params["text"]]) == 1, chat_id
    finally:
        telegram.stop()


def test_a_request_an_amendment_replaced_says_so_on_every_copy(shop):
    order_over_credit(shop)
    in_slack, in_telegram = approval_requests(shop)
    shop.tg_messages(LIU, 1)  # liu's copy is out (one not sent yet is skipped, not edited)
    shop.telegram.say(WANG, "SO-0001 改成 190 个")
    proposal = wait_until(
        lambda: [c for c in shop.tg_messages(WANG, 2) if "SO-0001" in c.params["text"]][-1:],
        what="the amendment proposed",
    )[0]
    shop.tg_tap(WANG, proposal, "确认")
    message_id = in_telegram.params["_message_id"]
    edits = wait_until(
        lambda: [
            c
            for c in shop.telegram.sent("editMessageText", MARY)
            if int(c.params["message_id"]) == message_id
        ],
        what="mary's copy of A-1 edited",
    )
    assert "Replaced by A-2" in edits[-1].params["text"], edits[-1].params["text"]
    liu_edit = wait_until(lambda: shop.telegram.sent("editMessageText", LIU), what="liu's copy")
    assert "被 A-2 取代" in liu_edit[-1].params["text"]
    updates = wait_until(
        lambda: [
            c for c in shop.slack.of("chat.update") if c.args["ts"] == in_slack.response["ts"]
        ],
        what="mary's Slack copy of A-1 updated",
    )
    assert "Replaced by A-2" in updates[-1].args["text"]
    assert not [b for b in updates[-1].args["blocks"] if b["type"] == "actions"]
    shop.wait_slack_post("U0MARY", "A-2")
