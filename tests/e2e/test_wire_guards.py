"""What reaches `jxc serve`'s doors that is not what Slack or Telegram should send: a correctly
signed Slack request whose body cannot be read, a Telegram webhook call that is JSON but not an
update. Each is answered 200 (both platforms send anything else again and again), changes
nothing, and costs one line in the log, never a traceback. `JXC_LISTEN_HOST` chooses the address
both listen on."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.conftest import ROOT, cli_env, run_json
from tests.e2e.fake_slack import (
    FakeSlack,
    ServeProcess,
    dm,
    event_body,
    free_port,
    post,
    signed_headers,
)
from tests.e2e.fake_telegram import FakeTelegram

SECRET = "wire-signing-secret"
WANG = 1002
CHAT_VARIABLES = (
    "JXC_SLACK_BOT_TOKEN",
    "JXC_SLACK_SIGNING_SECRET",
    "JXC_SLACK_APP_TOKEN",
    "JXC_TELEGRAM_TOKEN",
    "JXC_TELEGRAM_WEBHOOK_URL",
    "JXC_LISTEN_HOST",
)


def _env(db: str, **values) -> dict:
    env = cli_env(db)
    for name in CHAT_VARIABLES:
        env.pop(name, None)
    return env | values


def listening_on(port: int) -> set[str]:
    """The addresses a TCP port listens on, from the kernel's table (IPv4)."""
    found = set()
    with open("/proc/net/tcp") as table:
        for line in list(table)[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":
                found.add(".".join(str(b) for b in reversed(bytes.fromhex(address))))
    return found


def tracebacks(server: ServeProcess) -> list[str]:
    return [line for line in server.lines if "Traceback" in line or " ERROR " in line]


def logged(server: ServeProcess, words: str, count: int, timeout: float = 20.0) -> list[str]:
    """The log lines with `words`, once there are `count` of them (each call dropped is one)."""
    deadline = time.monotonic() + timeout
    while len(found := [line for line in server.lines if words in line]) < count:
        assert time.monotonic() < deadline, server.lines
        time.sleep(0.02)
    return found


@pytest.fixture
def slack(master_db):
    run_json(master_db, {"intent": "stock.receive", "item": "M6-20", "qty": "100"})
    with FakeSlack() as fake:
        port = free_port()
        env = _env(
            master_db,
            JXC_SLACK_BOT_TOKEN="xoxb-test",
            JXC_SLACK_SIGNING_SECRET=SECRET,
            JXC_SLACK_API_URL=fake.api_url,
            JXC_SLACK_PORT=str(port),
            JXC_LISTEN_HOST="127.0.0.1",
        )
        server = ServeProcess(["slack"], env, ROOT)
        try:
            server.wait_line("ready")
            yield fake, port, server
        finally:
            code = server.stop()
        assert code == 0, server.lines


def test_signed_slack_requests_that_cannot_be_read_get_200_and_do_nothing(slack):
    fake, port, server = slack
    url = f"http://127.0.0.1:{port}/slack/events"
    assert listening_on(port) == {"127.0.0.1"}
    no_channel = {"type": "message", "channel_type": "im", "user": "U0WANG", "text": "hi"}
    mention = {"type": "app_mention", "user": "U0WANG", "text": "<@UBOT> hi", "ts": "1.0"}
    bodies = [
        ("not json", False),
        ("[]", False),
        ("null", False),
        ("{", False),
        (event_body(no_channel, "EvNOCHAN"), False),
        (event_body(mention, "EvNOCHAN2"), False),
        (json.dumps({"type": "event_callback", "event_id": "EvNONE", "event": []}), False),
        (urllib.parse.urlencode({"payload": "not json"}), True),
        (urllib.parse.urlencode({"payload": "[1]"}), True),
    ]
    for body, form in bodies:
        status, _ = post(url, body, signed_headers(SECRET, body), form=form)
        assert status == 200, (body, status)
    # an unsigned body of the same kind is still refused
    assert post(url, "[]", {})[0] == 401
    logged(server, "Slack request was dropped", len(bodies))
    # and the door still works: a later request is answered, and nothing else was posted
    body = event_body(dm("U0MARY", "how many M6 bolts"), "EvGOOD")
    assert post(url, body, signed_headers(SECRET, body))[0] == 200
    assert "M6-20" in fake.wait_for("chat.postMessage")[0].args["text"]
    assert len(fake.of("chat.postMessage", ok_only=False)) == 1
    dropped = [line for line in server.lines if "Slack request was dropped" in line]
    assert len(dropped) == len(bodies), server.lines
    assert tracebacks(server) == [], server.lines


def _webhook_post(url: str, body: str, secret: str) -> int:
    req = urllib.request.Request(
        url,
        data=body.encode(),
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_telegram_webhook_calls_that_are_not_updates_get_200_and_do_nothing(master_db):
    run_json(master_db, {"intent": "stock.receive", "item": "M6-20", "qty": "100"})
    telegram = FakeTelegram().start()
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    env = _env(
        master_db,
        JXC_TELEGRAM_TOKEN=telegram.token,
        JXC_TELEGRAM_API_URL=telegram.url,
        JXC_TELEGRAM_WEBHOOK_URL=url,
        JXC_TELEGRAM_WEBHOOK_PORT=str(port),
        JXC_LISTEN_HOST="127.0.0.1",
    )
    server = ServeProcess(["telegram"], env, ROOT)
    try:
        server.wait_line("ready")
        assert listening_on(port) == {"127.0.0.1"}
        secret = telegram.webhook["secret_token"]
        bodies = [
            "[]",
            "null",
            "{}",
            "not json",
            '{"update_id": "x"}',
            '{"update_id": 7, "message": {"text": "no chat"}}',
        ]
        for body in bodies:
            assert _webhook_post(url, body, secret) == 200, body
        assert _webhook_post(url, "[]", "wrong") == 403
        logged(server, "Telegram webhook call was dropped", len(bodies))
        # a real update still gets its answer, and nothing else was sent
        assert telegram.push(telegram.text_update(WANG, "M6 还有多少")) == 200
        assert "M6-20" in telegram.wait_for("sendMessage", chat_id=WANG)[0].params["text"]
        assert len(telegram.sent("sendMessage")) == 1
        dropped = [line for line in server.lines if "Telegram webhook call was dropped" in line]
        assert len(dropped) == len(bodies), server.lines
        assert tracebacks(server) == [], server.lines
    finally:
        code = server.stop()
        telegram.stop()
    assert code == 0, server.lines


def test_without_jxc_listen_host_the_slack_port_listens_on_every_address(master_db):
    with FakeSlack() as fake:
        port = free_port()
        env = _env(
            master_db,
            JXC_SLACK_BOT_TOKEN="xoxb-test",
            JXC_SLACK_SIGNING_SECRET=SECRET,
            JXC_SLACK_API_URL=fake.api_url,
            JXC_SLACK_PORT=str(port),
        )
        server = ServeProcess(["slack"], env, ROOT)
        try:
            server.wait_line("ready")
            assert listening_on(port) == {"0.0.0.0"}
        finally:
            assert server.stop() == 0
