"""Images of codes shared with the bot on Slack (扫码), end to end: the real bolt app in HTTP
mode on a loopback port, signed events as Slack sends them, and the local fake Web API serving
`files.info` and the private download (with the bot token only)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from adapters.slack import SlackPart
from domain.messages.commands import QueryStock, ReceiveStock
from tests.e2e.fake_slack import (
    FakeSlack,
    block_action_body,
    event_body,
    file_share,
    free_port,
    post,
    signed_headers,
)
from tests.e2e.fake_telegram import LoopThread
from tests.photos import Shot, code_image, photo

pytestmark = pytest.mark.db
SECRET = "photo-signing-secret"
TOKEN = "xoxb-test"
M6 = "6900010000004"


class Slack:
    def __init__(self, fake: FakeSlack, port: int):
        self.fake = fake
        self.url = f"http://127.0.0.1:{port}/slack/events"
        self._n = 0

    def send(self, event: dict) -> int:
        self._n += 1
        body = event_body(event, f"EvPhoto{self._n:04d}")
        return post(self.url, body, signed_headers(SECRET, body))[0]


@pytest.fixture
def slack(app):
    app.bus.execute(
        ReceiveStock(item="M6-20", qty=Decimal(2000), unit_cost=Decimal("0.12"), warehouse="MAIN"),
        app.bus.user("li"),
    )
    with FakeSlack() as fake:
        port = free_port()
        settings = app.settings.model_copy(
            update={
                "slack_bot_token": TOKEN,
                "slack_signing_secret": SECRET,
                "slack_api_url": fake.api_url,
                "slack_port": port,
                "slack_app_token": None,
            }
        )
        part = SlackPart(app, settings, host="127.0.0.1")
        loop = LoopThread()
        loop.run(part.start())
        try:
            yield Slack(fake, port)
        finally:
            loop.run(part.stop())
            loop.close()


def on_hand(app) -> Decimal:
    rows = app.bus.execute(QueryStock(item="M6-20", warehouse="MAIN"), app.bus.user("admin"))
    return Decimal(rows.rows[0].on_hand)


def shared_photo(fake: FakeSlack, token: str = TOKEN) -> dict:
    picture = photo(code_image(M6, "ean13"), Shot(angle=-15, size=(1600, 1200)))
    return fake.add_file(picture, token=token)


def test_an_image_shared_in_a_dm_is_read_and_answered(slack):
    sent = time.monotonic()
    assert slack.send(file_share("U0MARY", "", [shared_photo(slack.fake)])) == 200
    (reply,) = slack.fake.wait_for("chat.postMessage", timeout=10)
    assert reply.at - sent < 10
    assert reply.args["channel"] == "DU0MARY"
    text = reply.args["text"]
    assert text.startswith(f"Scanned {M6}: M6-20 M6x20 hex bolt") and "on hand 2,000" in text
    (download,) = slack.fake.downloads()
    assert download.status == 200 and download.args["authorization"] == f"Bearer {TOKEN}"


def test_a_shared_image_whose_event_has_only_the_file_id_is_looked_up(slack):
    info = shared_photo(slack.fake)
    slack.send(file_share("U0MARY", "", [{"id": info["id"], "mimetype": "image/jpeg"}]))
    text = slack.fake.wait_for("chat.postMessage", timeout=10)[0].args["text"]
    assert text.startswith(f"Scanned {M6}:"), text
    assert slack.fake.of("files.info")[0].args["file"] == info["id"]


def test_an_image_with_receive_20_is_confirmed_by_a_tap_then_received(app, slack):
    slack.send(file_share("U0LI", "入库 20", [shared_photo(slack.fake)]))
    asked = slack.fake.wait_for("chat.postMessage", timeout=10)[0]
    assert "入库 M6螺栓 (M6-20) 20" in asked.args["text"]
    buttons = asked.args["blocks"][-1]["elements"]
    assert [b["text"]["text"] for b in buttons] == ["✅ 确认 Confirm", "取消 Cancel"]
    assert on_hand(app) == 2000

    body = block_action_body("U0LI", "DU0LI", asked.response["ts"], buttons[0]["value"])
    assert post(slack.url, body, signed_headers(SECRET, body), form=True)[0] == 200
    slack.fake.wait_for("chat.update")
    assert on_hand(app) == 2020


def test_an_image_shared_with_a_mention_in_a_channel_is_read(slack):
    event = {
        **file_share("U0MARY", "<@UBOT> ", [shared_photo(slack.fake)], channel="C0SHOP"),
        "type": "app_mention",
    }
    del event["channel_type"]
    slack.send(event)
    reply = slack.fake.wait_for("chat.postMessage", timeout=10)[0]
    assert reply.args["channel"] == "C0SHOP" and reply.args["text"].startswith("Scanned")


def test_a_file_that_cannot_be_downloaded_changes_nothing_and_says_so(slack):
    slack.send(file_share("U0LI", "receive 20", [shared_photo(slack.fake, token="xoxb-other")]))
    text = slack.fake.wait_for("chat.postMessage", timeout=10)[0].args["text"]
    assert "could not fetch that photo" in text
    assert slack.fake.downloads()[0].status == 403
