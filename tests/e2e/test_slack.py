"""Slack as people use it: `jxc serve slack` as a real process, signed requests to its
`/slack/events` the way Slack sends them, and a local fake of the Slack Web API recording what
the process posts."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from tests.conftest import ROOT, cli_env, jxc, run_json
from tests.e2e.fake_slack import (
    FakeSlack,
    ServeProcess,
    block_action_body,
    command_body,
    dm,
    event_body,
    free_port,
    post,
    signed_headers,
)

SECRET = "test-signing-secret"
MARKER = "U0LI"  # who asks `Slack.settled`'s question


class Slack:
    """The fake Slack and our server, from the tests' side."""

    def __init__(self, fake: FakeSlack, port: int, db: str):
        self.fake = fake
        self.url = f"http://127.0.0.1:{port}/slack/events"
        self.db = db
        self._n = 0

    def send_event(self, event: dict, event_id: str | None = None, **headers) -> int:
        self._n += 1
        body = event_body(event, event_id or f"Ev{self._n:04d}")
        return post(self.url, body, signed_headers(SECRET, body, **headers))[0]

    def dm(self, user: str, text: str, **kw) -> int:
        return self.send_event(dm(user, text), **kw)

    def tap(self, user: str, message, which: int = 0) -> int:
        """Tap a button of a posted message (a recorded chat.postMessage call)."""
        value = message.args["blocks"][-1]["elements"][which]["value"]
        body = block_action_body(user, message.args["channel"], message_ts(message), value)
        return post(self.url, body, signed_headers(SECRET, body), form=True)[0]

    def posted(self, count: int) -> list:
        return self.fake.wait_for("chat.postMessage", count)

    def posts(self, ok_only: bool = True) -> list:
        """The messages posted, but the answers to `settled`'s marker."""
        calls = self.fake.of("chat.postMessage", ok_only)
        return [c for c in calls if c.args.get("channel") != f"D{MARKER}"]

    def settled(self) -> None:
        """Wait until the process has answered a later question (a marker in another person's
        DM): what it was sent before has had its turn, and what it did is recorded."""
        answered = len(self.fake.of("chat.postMessage")) - len(self.posts())
        self.dm(MARKER, "how many M6")
        deadline = time.monotonic() + 20
        while len(self.fake.of("chat.postMessage")) - len(self.posts()) <= answered:
            assert time.monotonic() < deadline, "the marker was not answered"
            time.sleep(0.02)


def message_ts(call) -> str:
    """The ts the fake gave a posted message (they are numbered in order)."""
    return call.response["ts"]


@pytest.fixture
def slack(master_db):
    run_json(master_db, {"intent": "stock.receive", "item": "M6-20", "qty": "100"})
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
            ready = server.wait_line("ready")
            assert "slack" in ready and str(port) in ready
            yield Slack(fake, port, master_db)
        finally:
            code = server.stop()
        assert code == 0, server.lines


def _orders(db: str) -> list[dict]:
    return json.loads(jxc(db, "orders", "--json").stdout)


# -- questions --------------------------------------------------------------------------------


def test_a_question_in_a_dm_is_answered_in_the_dm(slack):
    assert slack.dm("U0MARY", "how many M6 bolts") == 200
    reply = slack.posted(1)[0]
    assert reply.args["channel"] == "DU0MARY"
    assert "M6-20" in reply.args["text"] and "100" in reply.args["text"]
    assert reply.args["blocks"][0]["type"] == "section"


def test_a_report_comes_with_its_table_in_a_code_block(slack):
    slack.dm("U0MARY", "stock report")
    reply = slack.posted(1)[0]
    section = reply.args["blocks"][0]["text"]["text"]
    assert section.startswith("```Stock status")
    assert "M6-20  MAIN" in section and section.endswith("```")
    # the report's chart, drawn by the server into its private directory, goes up as a file
    uploads = slack.fake.wait_for("files.completeUploadExternal", 1)
    assert uploads[0].args["channel_id"]


def test_a_mention_in_a_channel_and_the_slash_command_are_answered_there(slack):
    event = {
        "type": "app_mention",
        "channel": "C0SHOP",
        "user": "U0MARY",
        "text": "<@UBOT> how many M6",
        "ts": "5.0",
        "event_ts": "5.0",
    }
    assert slack.send_event(event) == 200
    body = command_body("U0LI", "C0SHOP", "M6 还有多少")
    assert post(slack.url, body, signed_headers(SECRET, body), form=True)[0] == 200
    replies = slack.posted(2)
    assert {r.args["channel"] for r in replies} == {"C0SHOP"}
    texts = sorted(r.args["text"] for r in replies)
    assert any("在库 100" in t for t in texts), texts
    assert any("on hand 100" in t.lower() for t in texts), texts


def test_an_unregistered_user_is_refused_with_their_own_id(slack):
    slack.dm("U0STRANGER", "how many M6")
    reply = slack.posted(1)[0]
    assert "U0STRANGER" in reply.args["text"]
    assert "not registered" in reply.args["text"]


# -- orders with buttons ---------------------------------------------------------------------------


def test_an_order_confirmed_with_the_button_is_stored_and_the_message_updated(slack):
    slack.dm("U0WANG", "ACME 要 20 个 M6")
    proposal = slack.posted(1)[0]
    assert "确认吗" in proposal.args["text"]
    buttons = proposal.args["blocks"][-1]["elements"]
    assert [b["text"]["text"] for b in buttons] == ["✅ 确认 Confirm", "取消 Cancel"]
    assert _orders(slack.db) == []

    assert slack.tap("U0WANG", proposal) == 200
    update = slack.fake.wait_for("chat.update")[0]
    assert update.args["ts"] == message_ts(proposal)
    assert "SO-0001" in update.args["text"] and "已确认" in update.args["text"]
    assert all(b["type"] != "actions" for b in update.args["blocks"])  # the buttons are gone
    stock = json.loads(jxc(slack.db, "stock", "M6-20", "--json").stdout)[0]
    assert (stock["reserved"], stock["available"]) == ("20", "80")


def test_another_users_tap_in_a_channel_changes_nothing_and_says_so(slack):
    event = {
        "type": "app_mention",
        "channel": "C0SALES",
        "user": "U0WANG",
        "text": "<@UBOT> ACME 要 20 个 M6",
        "ts": "6.0",
        "event_ts": "6.0",
    }
    slack.send_event(event)
    proposal = slack.posted(1)[0]
    assert slack.tap("U0SAM", proposal) == 200
    told = slack.fake.wait_for("chat.postEphemeral")[0]
    assert told.args["user"] == "U0SAM"
    assert "nothing was changed" in told.args["text"]
    slack.settled()
    assert slack.fake.of("chat.update") == []
    assert _orders(slack.db) == []
    # The proposer's own tap still counts.
    slack.tap("U0WANG", proposal)
    assert "SO-0001" in slack.fake.wait_for("chat.update")[0].args["text"]


def test_a_stale_confirmation_button_does_nothing(slack):
    slack.dm("U0WANG", "ACME 要 20 个 M6")
    first = slack.posted(1)[0]
    slack.dm("U0WANG", "ACME 要 30 个 M6")
    slack.posted(2)
    slack.tap("U0WANG", first)
    told = slack.fake.wait_for("chat.postEphemeral")[0]
    assert "没有做任何更改" in told.args["text"]
    slack.settled()
    assert slack.fake.of("chat.update") == []
    assert _orders(slack.db) == []


# -- signatures and retries -----------------------------------------------------------------------


def test_unsigned_wrongly_signed_or_stale_requests_get_401_and_do_nothing(slack):
    body = event_body(dm("U0WANG", "ACME 要 20 个 M6"), "EvBAD")
    assert post(slack.url, body, {})[0] == 401
    wrong = signed_headers("not-the-secret", body)
    assert post(slack.url, body, wrong)[0] == 401
    stale = signed_headers(SECRET, body, ts=int(time.time()) - 6 * 60)
    assert post(slack.url, body, stale)[0] == 401
    slack.settled()
    assert slack.posts(ok_only=False) == []
    # The same request signed properly is taken.
    assert post(slack.url, body, signed_headers(SECRET, body))[0] == 200
    assert "确认吗" in slack.posted(2)[-1].args["text"]


def test_a_retried_event_has_one_effect(slack):
    slack.dm("U0WANG", "ACME 要 20 个 M6")
    slack.posted(1)
    yes = dm("U0WANG", "是", ts="2.0")
    slack.send_event(yes, event_id="EvYES")
    slack.send_event(yes, event_id="EvYES", **{"X-Slack-Retry-Num": "1"})
    slack.send_event(yes, event_id="EvYES", **{"X-Slack-Retry-Num": "2"})
    replies = slack.posted(2)
    slack.settled()
    assert len(slack.posts()) == 2
    assert "SO-0001" in replies[1].args["text"]
    assert [o["order"] for o in _orders(slack.db)] == ["SO-0001"]


# -- sending through failures ------------------------------------------------------------------


def test_a_slack_500_on_the_reply_is_delivered_on_retry_once(slack):
    slack.fake.fail("chat.postMessage", 500)
    slack.dm("U0MARY", "how many M6")
    reply = slack.posted(1)[0]
    assert "M6-20" in reply.args["text"]
    slack.settled()
    calls = slack.posts(ok_only=False)
    assert [c.status for c in calls] == [500, 200]


def test_a_429_is_retried_after_its_retry_after(slack):
    slack.fake.fail("chat.postMessage", 429, retry_after=1)
    slack.dm("U0MARY", "how many M6")
    slack.posted(1)
    limited, delivered = slack.fake.of("chat.postMessage", ok_only=False)
    assert limited.status == 429 and delivered.status == 200
    assert delivered.at - limited.at >= 1.0


def test_a_chart_is_uploaded_with_files_upload_v2(tmp_path):
    from adapters.slack.sender import Sender, make_client
    from bot.render.reply import Reply

    png = tmp_path / "chart.png"
    png.write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000105fe02fea70000000049454e44ae426082"
        )
    )
    with FakeSlack() as fake:

        async def send():
            return await Sender(make_client("xoxb-test", fake.api_url)).post(
                "D0MARY", Reply("Sales by week", image=str(png))
            )

        assert asyncio.run(send())
    methods = [c.method for c in fake.calls]
    assert methods == [
        "chat.postMessage",
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    assert fake.calls[2].args["bytes"] == png.stat().st_size
    assert fake.calls[3].args["channel_id"] == "D0MARY"


def test_sigterm_finishes_the_reply_in_hand_and_exits_0(master_db):
    with FakeSlack() as fake:
        port = free_port()
        env = cli_env(master_db) | {
            "JXC_SLACK_BOT_TOKEN": "xoxb-test",
            "JXC_SLACK_SIGNING_SECRET": SECRET,
            "JXC_SLACK_API_URL": fake.api_url,
            "JXC_SLACK_PORT": str(port),
        }
        server = ServeProcess(["slack"], env, ROOT)
        server.wait_line("ready")
        slack = Slack(fake, port, master_db)
        fake.fail("chat.postMessage", 429, retry_after=2)
        assert slack.dm("U0MARY", "how many M6") == 200
        deadline = time.monotonic() + 10
        while not fake.of("chat.postMessage", ok_only=False) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.stop() == 0  # SIGTERM while the reply waits for its Retry-After
        assert len(fake.of("chat.postMessage")) == 1
        assert "stopped" in server.lines
