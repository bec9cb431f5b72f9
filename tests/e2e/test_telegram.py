"""Telegram end to end: the real python-telegram-bot, started as `jxc serve` starts it (on an
asyncio loop of its own), against a local fake Bot API on 127.0.0.1. People type and tap in the
fake; we read what the bot sent back and what the ledger holds."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from decimal import Decimal

import pytest

from adapters.telegram import TelegramPart, make_part
from adapters.telegram.sending import Sender
from domain.messages.commands import QueryOrders, ReceiveStock
from tests.conftest import RUN_DIR, cli_env, jxc
from tests.e2e.fake_telegram import FakeTelegram, LoopThread

pytestmark = pytest.mark.db
WANG, MARY, STRANGER = 1002, 1001, 5555
GROUP = -100777


@pytest.fixture
def fake():
    server = FakeTelegram().start()
    yield server
    server.stop()


@pytest.fixture
def stocked(app):
    app.bus.execute(
        ReceiveStock(item="M6-20", qty=Decimal(2000), unit_cost=Decimal("0.12"), warehouse="MAIN"),
        app.bus.user("li"),
    )
    return app


@pytest.fixture
def serve(stocked, fake):
    """Start the Telegram part (settings overridden by keywords) on a loop of its own."""
    loop = LoopThread()
    running = []

    def start(factory=None, **overrides):
        settings = stocked.settings.model_copy(
            update={"telegram_token": fake.token, "telegram_api_url": fake.url, **overrides}
        )
        part = (factory or _quick)(stocked, settings)
        loop.run(part.start())
        running.append(part)
        return part

    yield start
    for part in running:
        loop.run(part.stop())
    loop.close()


def _quick(app, settings):
    return TelegramPart(app, settings, host="127.0.0.1", sender=Sender(backoff=0.2), poll_timeout=1)


def orders(app):
    return app.bus.execute(QueryOrders(), app.bus.user("admin")).orders


def proposal(fake, chat_id, count):
    """The `count`-th message sent to a chat, which must carry buttons."""
    call = fake.wait_for("sendMessage", count, chat_id=chat_id)[count - 1]
    assert call.params.get("reply_markup"), call.params
    return call


def buttons(call) -> list[dict]:
    return [b for row in call.params["reply_markup"]["inline_keyboard"] for b in row]


HELP = {"zh": "您的角色是", "en": "You are"}  # in the answer to `/help`


def settle(fake, chat_id=WANG, user_id=WANG, lang="zh", push=False) -> None:
    """Wait until the chat has answered a later message (a marker, `/help`; pushed to the
    webhook with `push`): a chat's messages and taps are answered in order, so what came before
    has had its turn."""
    words = HELP[lang]
    seen = len([c for c in fake.sent("sendMessage", chat_id) if words in c.params["text"]])
    marker = fake.text_update(user_id, "/help", chat_id=chat_id, lang=lang)
    if push:
        assert fake.push(marker) == 200
    else:
        fake.queue(marker)
    deadline = time.monotonic() + 15
    while len([c for c in fake.sent("sendMessage", chat_id) if words in c.params["text"]]) <= seen:
        assert time.monotonic() < deadline, "the marker was not answered"
        time.sleep(0.02)


def test_a_telegram_order_is_confirmed_by_a_tap_and_the_proposal_says_so(stocked, fake, serve):
    serve(make_part)
    fake.say(WANG, "ACME 要 20 个 M6")
    asked = proposal(fake, WANG, 1)
    assert "ACME" in asked.params["text"] and "5.00" in asked.params["text"]
    confirm, cancel = buttons(asked)
    assert confirm["text"] == "✅ 确认 Confirm" and cancel["text"] == "取消 Cancel"
    assert confirm["callback_data"].startswith("confirm:")
    assert len(confirm["callback_data"].encode()) <= 64
    assert orders(stocked) == ()

    fake.tap(WANG, fake.message_dict(asked), confirm["callback_data"])
    edited = fake.wait_for("editMessageText")[0].params
    assert int(edited["message_id"]) == asked.params["_message_id"]
    assert asked.params["text"] in edited["text"] and "SO-0001" in edited["text"]
    assert "reply_markup" not in fake.messages[(WANG, asked.params["_message_id"])]
    assert len(fake.wait_for("answerCallbackQuery")) == 1
    (order,) = orders(stocked)
    assert (order.partner, order.status, order.created_by) == ("ACME", "confirmed", "wang")
    assert order.lines[0].item == "M6-20" and order.lines[0].qty == "20"


def test_help_and_start_answer_in_the_users_language(fake, serve):
    serve()
    fake.say(WANG, "/help")
    fake.say(MARY, "/start", lang="en")
    assert "您的角色是销售" in fake.wait_for("sendMessage", chat_id=WANG)[0].params["text"]
    assert "You are approver" in fake.wait_for("sendMessage", chat_id=MARY)[0].params["text"]


def test_a_redelivered_update_has_one_effect(stocked, fake, serve):
    serve()
    fake.say(WANG, "ACME 要 20 个 M6")
    proposal(fake, WANG, 1)
    yes = fake.say(WANG, "是")
    fake.wait_for("sendMessage", 2, chat_id=WANG)
    fake.queue(yes, redeliver=True)
    fake.say(WANG, "/help")  # answered after the re-delivery: chats are answered in order
    texts = [c.params["text"] for c in fake.wait_for("sendMessage", 3, chat_id=WANG)]
    assert len(fake.sent("sendMessage", WANG)) == 3
    assert "SO-0001" in texts[1] and "您的角色是" in texts[2]
    assert len(orders(stocked)) == 1


def test_an_unregistered_person_is_refused_with_their_own_id(stocked, fake, serve):
    serve()
    fake.say(STRANGER, "ACME 要 20 个 M6", lang="en")
    text = fake.wait_for("sendMessage", chat_id=STRANGER)[0].params["text"]
    assert "not registered" in text and str(STRANGER) in text
    assert "reply_markup" not in fake.sent("sendMessage", STRANGER)[0].params
    assert orders(stocked) == ()


def test_a_tap_by_someone_else_in_a_group_changes_nothing(stocked, fake, serve):
    serve()
    fake.say(WANG, "ACME 要 20 个 M6", chat_id=GROUP)
    asked = proposal(fake, GROUP, 1)
    confirm = buttons(asked)[0]["callback_data"]
    fake.tap(MARY, fake.message_dict(asked), confirm, lang="en")
    answer = fake.wait_for("answerCallbackQuery")[0].params
    assert "nothing was changed" in answer["text"] and answer["show_alert"] in (True, "true")
    settle(fake, GROUP, MARY, "en")
    assert orders(stocked) == () and fake.sent("editMessageText") == []

    fake.tap(WANG, fake.message_dict(asked), confirm)
    fake.wait_for("editMessageText")
    assert len(orders(stocked)) == 1


def test_a_stale_confirmation_button_changes_nothing(stocked, fake, serve):
    serve()
    fake.say(WANG, "ACME 要 20 个 M6")
    first = proposal(fake, WANG, 1)
    fake.say(WANG, "ACME 要 30 个 M6")
    proposal(fake, WANG, 2)
    fake.tap(WANG, fake.message_dict(first), buttons(first)[0]["callback_data"])
    answer = fake.wait_for("answerCallbackQuery")[0].params
    assert "没有做任何更改" in answer["text"]
    settle(fake)
    assert orders(stocked) == () and fake.sent("editMessageText") == []


def test_a_send_answered_500_is_delivered_on_retry_once(fake, serve):
    serve()
    fake.fail("sendMessage", 500)
    fake.say(WANG, "/help")
    fake.wait_for("sendMessage", chat_id=WANG)
    settle(fake)
    assert [c.status for c in fake.attempts("sendMessage")] == [500, 200, 200]  # then the marker
    assert len(fake.sent("sendMessage", WANG)) == 2


def test_a_429_holds_back_that_chat_only(fake, serve):
    serve()
    fake.fail("sendMessage", 429, retry_after=1)
    fake.say(WANG, "/help")
    deadline = time.monotonic() + 10
    while not fake.attempts("sendMessage") and time.monotonic() < deadline:
        time.sleep(0.01)
    (limited,) = fake.attempts("sendMessage")
    assert limited.status == 429 and limited.params["chat_id"] == str(WANG)
    fake.say(MARY, "/help", lang="en")
    to_mary = fake.wait_for("sendMessage", chat_id=MARY)[0]
    to_wang = fake.wait_for("sendMessage", chat_id=WANG)[0]
    assert to_mary.at - limited.at < 1.0  # another chat does not wait
    assert to_wang.at - limited.at >= 1.0  # the limited chat waits what Telegram said
    assert len(fake.sent("sendMessage", WANG)) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_webhook_call_with_a_wrong_secret_is_refused(stocked, fake, serve):
    port = _free_port()
    serve(
        telegram_webhook_url=f"http://127.0.0.1:{port}/telegram/webhook",
        telegram_webhook_port=port,
    )
    assert fake.webhook["url"].endswith("/telegram/webhook") and fake.webhook["secret_token"]
    assert fake.sent("getUpdates") == []
    order = fake.text_update(WANG, "ACME 要 20 个 M6")
    assert fake.push(order, secret="not-the-secret") == 403
    assert fake.push(order, secret="") == 403
    assert fake.sent("sendMessage") == []  # refused at the door; the marker below tells the rest

    assert fake.push(order) == 200
    proposal(fake, WANG, 1)
    assert fake.push(order) == 200  # Telegram delivering it again
    settle(fake, push=True)
    assert len([c for c in fake.sent("sendMessage") if HELP["zh"] not in c.params["text"]]) == 1


# -- `jxc serve telegram` as a real process ------------------------------------------------------


def _serve_process(db_url: str, env_extra: dict):
    env = cli_env(db_url)
    env.update(env_extra)
    return subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "serve", "telegram"],
        cwd=RUN_DIR,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )


def test_jxc_serve_telegram_takes_an_order_and_stops_cleanly_on_sigterm(stocked, fake):
    proc = _serve_process(
        stocked.settings.database_url,
        {"JXC_TELEGRAM_TOKEN": fake.token, "JXC_TELEGRAM_API_URL": fake.url},
    )
    try:
        lines = []
        for line in proc.stderr:
            lines.append(line)
            if line.startswith("ready"):
                break
        assert lines and "telegram (polling)" in lines[-1], lines
        fake.say(WANG, "ACME 要 20 个 M6")
        asked = proposal(fake, WANG, 1)
        fake.tap(WANG, fake.message_dict(asked), buttons(asked)[0]["callback_data"])
        assert "SO-0001" in fake.wait_for("editMessageText")[0].params["text"]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        assert "stopped" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert len(orders(stocked)) == 1


def test_jxc_serve_telegram_without_a_token_is_misuse(master_db):
    proc = jxc(master_db, "serve", "telegram")
    assert proc.returncode == 2 and "JXC_TELEGRAM_TOKEN" in proc.stderr


def test_a_report_question_is_answered_with_its_chart_as_a_photo(fake, serve):
    serve()
    fake.say(MARY, "stock report", lang="en")
    photo = fake.wait_for("sendPhoto", chat_id=MARY)[0]
    caption = photo.params.get("caption") or ""
    texts = [c.params["text"] for c in fake.calls if c.method == "sendMessage"]
    assert "M6-20" in caption or any("M6-20" in text for text in texts)
