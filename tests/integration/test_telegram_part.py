"""The Telegram part's drawing and sending, with the real SDK against the local fake Bot API and
a scripted conversation standing for `bot/` (replies the conversation does not make today, like a
chart, and failures it never lets out)."""

from __future__ import annotations

import logging
import os
import shutil
import stat
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from telegram import Bot

from adapters.charts import render_report_png
from adapters.telegram import TelegramPart
from adapters.telegram.sending import Sender
from bot.render.reply import Button, Reply
from domain.errors import InsufficientStock
from domain.messages.commands import Report
from tests.e2e.fake_telegram import FakeTelegram, LoopThread

WANG, MARY = 1002, 1001


class ScriptedConversation:
    """Answers each text or button payload as scripted; an exception is raised."""

    def __init__(self, script: dict):
        self.script = script
        self.seen: list[tuple[str, str, str]] = []

    def _answer(self, user_name, channel, key):
        self.seen.append((user_name, channel, key))
        out = self.script[key]
        if isinstance(out, Exception):
            raise out
        return out

    def handle(self, user_name, channel, text, lang=None, delivery=None):
        return self._answer(user_name, channel, text)

    def press(self, user_name, channel, payload, lang=None, delivery=None):
        return self._answer(user_name, channel, payload)

    def act(self, user_name, channel, payload, lang=None, delivery=None):
        return self._answer(user_name, channel, payload)


@pytest.fixture
def fake():
    server = FakeTelegram().start()
    yield server
    server.stop()


@pytest.fixture
def loop():
    running = LoopThread()
    yield running
    running.close()


@pytest.fixture
def serve(app, fake, loop):
    parts = []

    def start(script: dict, sender: Sender | None = None):
        settings = app.settings.model_copy(
            update={"telegram_token": fake.token, "telegram_api_url": fake.url}
        )
        part = TelegramPart(
            app,
            settings,
            conversation=ScriptedConversation(script),
            host="127.0.0.1",
            sender=sender or Sender(backoff=0.05),
            poll_timeout=1,
        )
        loop.run(part.start())
        parts.append(part)
        return part

    yield start
    for part in parts:
        loop.run(part.stop())


@pytest.fixture
def chart(app):
    """A report's chart, drawn as the console draws it, in a private directory."""
    folder = Path(tempfile.mkdtemp(prefix="jxc-chart-"))
    result = app.bus.execute(Report(name="stock_status"), app.bus.user("admin"))
    yield render_report_png(result, folder / "stock_status.png", "zh")
    shutil.rmtree(folder)


def test_a_reply_with_a_chart_goes_as_a_photo_captioned_with_its_text(fake, serve, chart):
    assert stat.S_IMODE(os.stat(chart.parent).st_mode) == 0o700
    serve({"库存状况": Reply("库存状况：3 个物品低于再订货点", "zh", image=str(chart))})
    fake.say(WANG, "库存状况")
    (photo,) = fake.wait_for("sendPhoto", chat_id=WANG)
    assert photo.photo.startswith(b"\x89PNG") and photo.photo == chart.read_bytes()
    assert photo.params["caption"] == "库存状况：3 个物品低于再订货点"
    assert fake.sent("sendMessage") == []


def test_a_long_text_with_a_chart_goes_as_messages_then_the_photo(fake, serve, chart):
    text = "\n".join(f"M6-{n:03d} 在库 {n * 10}" for n in range(300))
    assert 4096 < len(text) < 8192
    serve({"stock": Reply(text, "zh", image=str(chart))})
    fake.say(WANG, "stock")
    fake.wait_for("sendPhoto", chat_id=WANG)
    pieces = [c.params["text"] for c in fake.sent("sendMessage", WANG)]
    assert len(pieces) == 2 and all(len(p) <= 4096 for p in pieces)
    assert "\n".join(pieces) == text
    assert "caption" not in fake.sent("sendPhoto")[0].params


def test_a_button_payload_over_64_bytes_is_left_out_not_cut(fake, serve):
    long = "confirm:" + "x" * 60
    serve(
        {"hi": Reply("ok?", "en", buttons=[Button("Yes 是", "confirm:ab12"), Button("No", long)])}
    )
    fake.say(WANG, "hi")
    (sent,) = fake.wait_for("sendMessage", chat_id=WANG)
    row = sent.params["reply_markup"]["inline_keyboard"][0]
    assert [(b["text"], b["callback_data"]) for b in row] == [("Yes 是", "confirm:ab12")]


def test_an_unexpected_error_is_answered_with_a_reference_and_logged(fake, serve, caplog):
    serve({"boom": RuntimeError("database on fire")})
    with caplog.at_level(logging.ERROR):
        fake.say(MARY, "boom", lang="en")
        text = fake.wait_for("sendMessage", chat_id=MARY)[0].params["text"]
    assert text.startswith("Sorry, something went wrong (reference ")
    assert "database on fire" not in text
    ref = text.split("reference ")[1][:8]
    assert any(getattr(r, "ref", None) == ref and r.exc_info for r in caplog.records)


def test_a_refusal_raised_is_rendered_in_the_users_language(fake, serve):
    serve({"卖": InsufficientStock("only 0 available", zh="可用只有 0")})
    fake.say(WANG, "卖")
    assert "可用只有 0" in fake.wait_for("sendMessage", chat_id=WANG)[0].params["text"]


def test_a_tap_that_fails_is_still_answered(fake, serve):
    serve({"confirm:ab12": RuntimeError("lost")})
    message = {"message_id": 9, "date": 0, "chat": {"id": WANG, "type": "private"}, "text": "?"}
    fake.tap(WANG, message, "confirm:ab12", lang="en")
    (answer,) = fake.wait_for("answerCallbackQuery")
    assert "something went wrong" in answer.params["text"]
    assert fake.sent("editMessageText") == []


def test_a_tap_is_answered_even_when_telegram_fails_the_first_answer(fake, serve):
    serve({"cancel:ab12": Reply("Cancelled; nothing was changed.", "en")})
    fake.fail("answerCallbackQuery", 502)
    message = {"message_id": 9, "date": 0, "chat": {"id": WANG, "type": "private"}, "text": "?"}
    fake.tap(WANG, message, "cancel:ab12", lang="en")
    (answer,) = fake.wait_for("answerCallbackQuery")
    assert answer.params["text"] == "Cancelled; nothing was changed."
    assert [c.status for c in fake.attempts("answerCallbackQuery")] == [502, 200]


def test_an_edit_telegram_calls_not_modified_counts_as_done(fake, loop):
    async def twice():
        async with Bot(fake.token, base_url=f"{fake.url}/bot") as bot:
            message = await bot.send_message(WANG, "SO-0001 已确认")
            sender = Sender(backoff=0.01)
            edit = lambda: bot.edit_message_text(  # noqa: E731
                "SO-0001 已确认 ✓", chat_id=WANG, message_id=message.message_id
            )
            return await sender.call(WANG, "edit", edit), await sender.call(WANG, "edit", edit)

    first, again = loop.run(twice())
    assert first.text == "SO-0001 已确认 ✓" and again is True
    assert [c.status for c in fake.attempts("editMessageText")] == [200, 400]


def test_a_send_that_keeps_failing_is_given_up_after_bounded_attempts(fake, loop):
    fake.fail("sendMessage", 500, times=10)

    async def send():
        async with Bot(fake.token, base_url=f"{fake.url}/bot") as bot:
            sender = Sender(backoff=0.01, attempts=3)
            return await sender.call(WANG, "sendMessage", lambda: bot.send_message(WANG, "hi"))

    assert loop.run(send()) is None
    assert [c.status for c in fake.attempts("sendMessage")] == [500, 500, 500]


def test_quantities_in_a_scripted_reply_stay_as_written(fake, serve):
    # Telegram gets the reply's text as it is: no parse mode to eat `*` or `_` in SKUs.
    text = f"GLOVE_L × {Decimal('2.50')} *urgent*"
    serve({"q": Reply(text, "en")})
    fake.say(WANG, "q")
    sent = fake.wait_for("sendMessage", chat_id=WANG)[0].params
    assert sent["text"] == text and "parse_mode" not in sent
