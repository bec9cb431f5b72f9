"""Photos of codes sent to the bot on Telegram (扫码), end to end: the real python-telegram-bot
against the local fake Bot API, which serves `getFile` and the file download; the photo is
decoded and answered within 10 s, and a caption command is confirmed like typed text."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from adapters.telegram import TelegramPart
from adapters.telegram.sending import Sender
from domain.messages.commands import QueryStock, ReceiveStock
from tests.e2e.fake_telegram import FakeTelegram, LoopThread
from tests.photos import Shot, blank_photo, code_image, photo

pytestmark = pytest.mark.db
LI, TOM, STRANGER = 1003, 1006, 5555
M6 = "6900010000004"


@pytest.fixture
def fake():
    server = FakeTelegram().start()
    yield server
    server.stop()


@pytest.fixture
def bot(app, fake):
    app.bus.execute(
        ReceiveStock(item="M6-20", qty=Decimal(2000), unit_cost=Decimal("0.12"), warehouse="MAIN"),
        app.bus.user("li"),
    )
    settings = app.settings.model_copy(
        update={"telegram_token": fake.token, "telegram_api_url": fake.url}
    )
    part = TelegramPart(app, settings, host="127.0.0.1", sender=Sender(backoff=0.2), poll_timeout=1)
    loop = LoopThread()
    loop.run(part.start())
    yield app
    loop.run(part.stop())
    loop.close()


def on_hand(app) -> Decimal:
    rows = app.bus.execute(QueryStock(item="M6-20", warehouse="MAIN"), app.bus.user("admin"))
    return Decimal(rows.rows[0].on_hand)


def carton_photo(content: str = M6, kind: str = "ean13", angle: float = 12) -> bytes:
    return photo(code_image(content, kind), Shot(angle=angle, size=(1600, 1200)))


def test_a_photo_is_read_from_its_largest_size_and_answered_within_10_s(bot, fake):
    sent = time.monotonic()
    fake.send_photo_from(LI, carton_photo(), smaller=(blank_photo((90, 68)),))
    (answer,) = fake.wait_for("sendMessage", chat_id=LI, timeout=10)
    assert answer.at - sent < 10
    text = answer.params["text"]
    assert text.startswith(f"扫码 {M6}：M6-20 M6螺栓") and "在库 2,000" in text, text
    assert [c.params["file_path"] for c in fake.downloads()] == ["photos/F0002.jpg"]


def test_a_photo_captioned_receive_20_is_confirmed_then_received(bot, fake):
    fake.send_photo_from(LI, carton_photo(angle=-20), "入库 20")
    asked = fake.wait_for("sendMessage", chat_id=LI)[0]
    assert asked.params.get("reply_markup"), asked.params
    assert "入库 M6螺栓 (M6-20) 20" in asked.params["text"]
    assert on_hand(bot) == 2000
    confirm = asked.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    fake.tap(LI, fake.message_dict(asked), confirm)
    edited = fake.wait_for("editMessageText")[0].params
    assert "入库 M6螺栓 (M6-20) 20" in edited["text"]
    assert on_hand(bot) == 2020


def test_an_image_sent_as_a_file_is_read_too(bot, fake):
    png = photo(code_image("M6-20", "qr", module=6), Shot(angle=30, size=(1200, 900)))
    fake.queue(fake.document_update(LI, png, "image/jpeg", caption=""))
    text = fake.wait_for("sendMessage", chat_id=LI)[0].params["text"]
    assert text.startswith("扫码：M6-20 M6螺栓"), text


def test_a_viewers_photo_with_receive_20_is_refused(bot, fake):
    fake.send_photo_from(TOM, carton_photo(), "receive 20", lang="en")
    text = fake.wait_for("sendMessage", chat_id=TOM)[0].params["text"]
    assert "may not receive stock" in text, text
    assert on_hand(bot) == 2000


def test_a_photo_without_a_code_gets_advice_and_a_strangers_photo_is_not_fetched(bot, fake):
    fake.send_photo_from(LI, blank_photo())
    text = fake.wait_for("sendMessage", chat_id=LI)[0].params["text"]
    assert "靠近" in text and "再拍一次" in text
    fetched = len(fake.downloads())
    fake.send_photo_from(STRANGER, carton_photo())
    refusal = fake.wait_for("sendMessage", chat_id=STRANGER)[0].params["text"]
    assert str(STRANGER) in refusal
    assert len(fake.downloads()) == fetched
