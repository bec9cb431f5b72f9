"""A delivery note asked for in chat arrives as a PDF file: Slack uploads it with
`files_upload_v2` (`jxc serve slack` as a real process against the fake Web API), Telegram sends
it with `sendDocument` (the real python-telegram-bot against the fake Bot API). A file made only
for sending is removed once sent."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from telegram import Bot

from adapters.documents.company import company_names
from adapters.documents.port import Documents
from adapters.slack.sender import Sender as SlackSender
from adapters.slack.sender import make_client
from adapters.telegram import TelegramPart
from adapters.telegram.render import send_reply
from adapters.telegram.sending import Sender
from bot.conversation import Conversation
from bot.render.reply import Reply
from domain.messages.commands import (
    CreateSalesOrder,
    Line,
    QueryDeliveryNote,
    ReceiveStock,
    ShipSalesOrder,
)
from domain.money.commands import QueryStatement
from tests.conftest import ROOT, cli_env, run_json
from tests.e2e.fake_slack import FakeSlack, ServeProcess, dm, event_body, free_port, post
from tests.e2e.fake_slack import signed_headers as slack_headers
from tests.e2e.fake_telegram import FakeTelegram, LoopThread
from tests.integration.test_documents import note
from tests.pdf_text import pages

pytestmark = pytest.mark.db
LI = 1003  # li, a clerk, on Telegram
CHEN = 1005  # chen, the accountant
SECRET = "test-signing-secret"
SHIP = [
    {"intent": "stock.receive", "item": "M6-20", "qty": "100"},
    {"intent": "sales.create", "customer": "ACME", "lines": [{"item": "M6-20", "qty": "25"}]},
    {"intent": "sales.ship", "order": "SO-0001"},
]


def ship_one(app) -> None:
    li = app.bus.user("li")
    app.bus.execute(ReceiveStock(item="M6-20", qty=Decimal(100), unit_cost=Decimal("0.12")), li)
    order = CreateSalesOrder(customer="ACME", lines=(Line("M6-20", Decimal(25)),))
    app.bus.execute(order, app.bus.user("wang"))
    app.bus.execute(ShipSalesOrder(order="SO-0001"), li)


@pytest.fixture
def folder(tmp_path):
    """Where this test's documents are made (the database lives beside it)."""
    made = tmp_path / "documents"
    made.mkdir()
    return made


@pytest.fixture
def telegram():
    server = FakeTelegram().start()
    loop = LoopThread()
    yield server, loop
    server.stop()
    loop.close()


def ask_on_telegram(app, telegram, folder, chat_id: int, text: str):
    """Send `text` from `chat_id` to the Telegram part (documents made in `folder`) and return
    the words it answered with and the document it sent."""
    fake, loop = telegram
    documents = Documents(company_names(app.uow), directory=folder)
    conversation = Conversation(app.bus, app.uow, app.clock, documents=documents)
    settings = app.settings.model_copy(
        update={"telegram_token": fake.token, "telegram_api_url": fake.url}
    )
    part = TelegramPart(
        app, settings, conversation=conversation, host="127.0.0.1",
        sender=Sender(backoff=0.05), poll_timeout=1,
    )  # fmt: skip
    loop.run(part.start())
    try:
        fake.say(chat_id, text)
        (sent,) = fake.wait_for("sendDocument", chat_id=chat_id)
        (said,) = fake.sent("sendMessage", chat_id=chat_id)
    finally:
        loop.run(part.stop())
    return said, sent


def test_telegram_sends_the_delivery_note_as_a_document_and_then_removes_it(app, telegram, folder):
    fake, _ = telegram
    ship_one(app)
    said, sent = ask_on_telegram(app, telegram, folder, LI, "SO-0001 送货单")
    assert said.params["text"].startswith("SO-0001 送货单（第 1/1 批）：客户 艾克米（ACME）")
    assert said.at <= sent.at  # the words first, then the file
    assert sent.filename == "delivery-note-SO-0001-1.pdf"
    assert sent.document.startswith(b"%PDF") and b"WenQuanYiZenHei" in sent.document
    message = fake.message_dict(sent)
    assert message["document"]["file_name"] == "delivery-note-SO-0001-1.pdf"
    assert list(folder.iterdir()) == []  # made only for sending: gone once sent


def test_telegram_sends_an_accountant_the_statement_as_a_document(app, telegram, folder):
    ship_one(app)
    said, sent = ask_on_telegram(app, telegram, folder, CHEN, "艾克米 本月对账单")
    assert "INV-0001" in said.params["text"] and "对账单" in said.params["text"]
    assert sent.filename.startswith("statement-ACME-") and sent.filename.endswith(".pdf")
    pdf = folder.parent / "got.pdf"
    pdf.write_bytes(sent.document)
    text = "\n".join(pages(pdf))
    answer = app.bus.execute(
        QueryStatement(partner="ACME", period="this_month"), app.bus.user("chen")
    )
    assert "对账单" in text and "INV-0001" in text
    assert answer.lines[0].doc == "INV-0001" and answer.closing in text  # the closing balance
    assert list(folder.iterdir()) == []  # made only for sending: gone once sent


def test_a_document_telegram_refuses_is_still_removed(app, telegram, folder):
    fake, loop = telegram
    ship_one(app)
    answer = app.bus.execute(QueryDeliveryNote(order="SO-0001"), app.bus.user("li"))
    path = Documents(directory=folder)(answer, "zh")
    fake.fail("sendDocument", 400)
    reply = Reply("送货单", "zh", document=str(path))

    async def send():
        async with Bot(fake.token, base_url=f"{fake.url}/bot") as bot:
            return await send_reply(bot, Sender(backoff=0.05), LI, reply)

    loop.run(send())
    assert [c.status for c in fake.attempts("sendDocument")] == [400]
    assert fake.sent("sendMessage", chat_id=LI)[0].params["text"] == "送货单"
    assert not path.exists() and list(folder.iterdir()) == []


def test_slack_uploads_a_reply_document_with_files_upload_v2_and_removes_it(folder):
    path = Documents(directory=folder)(note(), "en")
    with FakeSlack() as fake:

        async def send():
            client = make_client("xoxb-test", fake.api_url)
            return await SlackSender(client).post(
                "D0LI", Reply("Delivery note of SO-0007", document=str(path))
            )

        assert asyncio.run(send())
    methods = [c.method for c in fake.calls]
    assert methods == [
        "chat.postMessage",
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    ((name, data),) = fake.uploads()
    assert name == "delivery-note-SO-0007-2.pdf" and data.startswith(b"%PDF")
    assert fake.calls[3].args["channel_id"] == "D0LI"
    assert list(folder.iterdir()) == []


def test_jxc_serve_slack_answers_a_delivery_note_dm_with_the_pdf(master_db):
    run_json(master_db, *SHIP)
    with FakeSlack() as fake:
        port = free_port()
        env = cli_env(master_db) | {
            "JXC_SLACK_BOT_TOKEN": "xoxb-test",
            "JXC_SLACK_SIGNING_SECRET": SECRET,
            "JXC_SLACK_API_URL": fake.api_url,
            "JXC_SLACK_PORT": str(port),
        }
        env.pop("JXC_SLACK_APP_TOKEN", None)
        server = ServeProcess(["slack"], env, ROOT)
        try:
            server.wait_line("ready")
            body = event_body(dm("U0WANG", "delivery note for SO-0001"), "Ev0001")
            url = f"http://127.0.0.1:{port}/slack/events"
            assert post(url, body, slack_headers(SECRET, body))[0] == 200
            (message,) = fake.wait_for("chat.postMessage")
            fake.wait_for("files.completeUploadExternal")
            uploads = fake.uploads()
        finally:
            code = server.stop()
    assert code == 0, server.lines
    assert message.args["channel"] == "DU0WANG"
    assert "SO-0001" in message.args["text"] and "艾克米" in message.args["text"]
    ((name, data),) = uploads
    assert name == "delivery-note-SO-0001-1.pdf" and data.startswith(b"%PDF")
