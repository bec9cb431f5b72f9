"""Slack in Socket Mode, as a company behind a firewall runs it: `jxc serve slack` with
`JXC_SLACK_APP_TOKEN` set connects out. A local fake answers `apps.connections.open` with a
ws:// URL on 127.0.0.1 that it serves itself, pushes envelopes over it the way Slack does, and
records the acknowledgements; the replies go through the fake Web API as in HTTP mode."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from tests.conftest import ROOT, cli_env, jxc, run_json
from tests.e2e.fake_slack import (
    FakeSlack,
    ServeProcess,
    block_action_body,
    command_body,
    dm,
    event_body,
)

CHAT_VARIABLES = (
    "JXC_SLACK_SIGNING_SECRET",
    "JXC_SLACK_PORT",
    "JXC_TELEGRAM_TOKEN",
    "JXC_TELEGRAM_WEBHOOK_URL",
)


@pytest.fixture
def socket_slack(master_db):
    run_json(master_db, {"intent": "stock.receive", "item": "M6-20", "qty": "100"})
    with FakeSlack() as fake:
        socket = fake.with_socket_mode()
        env = cli_env(master_db) | {
            "JXC_SLACK_BOT_TOKEN": "xoxb-test",
            "JXC_SLACK_APP_TOKEN": "xapp-test",
            "JXC_SLACK_API_URL": fake.api_url,
        }
        for name in CHAT_VARIABLES:
            env.pop(name, None)
        server = ServeProcess(["slack"], env, ROOT)
        try:
            assert "slack (socket mode)" in server.wait_line("ready")
            socket.wait_connected()
            yield fake, socket, server
        finally:
            code = server.stop()
        assert code == 0, server.lines
        assert "stopped" in server.lines


def _event(event: dict, event_id: str) -> dict:
    return json.loads(event_body(event, event_id))


def _form_payload(body: str) -> dict:
    return json.loads(urllib.parse.parse_qs(body)["payload"][0])


def test_an_events_api_envelope_is_acknowledged_and_answered_through_the_web_api(socket_slack):
    fake, socket, _server = socket_slack
    assert len(fake.of("apps.connections.open")) == 1
    envelope = socket.send("events_api", _event(dm("U0MARY", "how many M6 bolts"), "EvS1"))
    assert socket.wait_ack(envelope) == {"envelope_id": envelope}
    reply = fake.wait_for("chat.postMessage")[0]
    assert reply.args["channel"] == "DU0MARY"
    assert "M6-20" in reply.args["text"] and "100" in reply.args["text"]


def test_an_order_is_confirmed_with_its_button_over_the_socket(socket_slack, master_db):
    fake, socket, _server = socket_slack
    socket.wait_ack(socket.send("events_api", _event(dm("U0WANG", "ACME 要 20 个 M6"), "EvS2")))
    proposal = fake.wait_for("chat.postMessage")[0]
    assert "确认吗" in proposal.args["text"]
    value = proposal.args["blocks"][-1]["elements"][0]["value"]
    tap = block_action_body("U0WANG", proposal.args["channel"], proposal.response["ts"], value)
    socket.wait_ack(socket.send("interactive", _form_payload(tap)))
    update = fake.wait_for("chat.update")[0]
    assert update.args["ts"] == proposal.response["ts"]
    assert "SO-0001" in update.args["text"]
    orders = json.loads(jxc(master_db, "orders", "--json").stdout)
    assert [o["order"] for o in orders] == ["SO-0001"]


def test_a_slash_command_over_the_socket_is_answered_in_its_channel(socket_slack):
    fake, socket, _server = socket_slack
    command = dict(urllib.parse.parse_qsl(command_body("U0LI", "C0SHOP", "M6 还有多少")))
    socket.wait_ack(socket.send("slash_commands", command))
    reply = fake.wait_for("chat.postMessage")[0]
    assert reply.args["channel"] == "C0SHOP" and "在库 100" in reply.args["text"]


def test_a_retried_envelope_and_an_event_without_a_channel_do_nothing_more(socket_slack):
    fake, socket, server = socket_slack
    order = _event(dm("U0WANG", "ACME 要 20 个 M6"), "EvS3")
    socket.wait_ack(socket.send("events_api", order))
    socket.wait_ack(socket.send("events_api", order))  # Slack delivering it again
    nowhere = {"type": "message", "channel_type": "im", "user": "U0WANG", "text": "hi"}
    socket.wait_ack(socket.send("events_api", _event(nowhere, "EvS4")))
    fake.wait_for("chat.postMessage")
    # A later question answered (a marker): what came before has had its turn.
    socket.wait_ack(socket.send("events_api", _event(dm("U0LI", "how many M6"), "EvS5")))
    fake.wait_for("chat.postMessage", 2)
    posts = fake.of("chat.postMessage", ok_only=False)
    assert len([c for c in posts if c.args.get("channel") != "DU0LI"]) == 1
    assert not [line for line in server.lines if "Traceback" in line], server.lines
