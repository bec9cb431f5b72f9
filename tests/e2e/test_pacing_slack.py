"""Slack pacing on the wire: a burst of messages to one channel reaches the (local, fake) Web API
spread out at the channel's interval, while another channel's message is not held behind it."""

from __future__ import annotations

import asyncio

from adapters.pacing import every
from adapters.slack.sender import Sender, make_client
from bot.render.reply import Reply
from tests.e2e.fake_slack import FakeSlack

INTERVAL = 0.2  # seconds; Slack's own is about 1, shortened so the test stays quick


def test_a_burst_to_one_channel_is_spaced_and_another_channel_goes_at_once():
    with FakeSlack() as fake:

        async def burst():
            sender = Sender(make_client("xoxb-test", fake.api_url), pacing=every(INTERVAL))
            to_c1 = [sender.post("C0SALES", Reply(f"line {n}")) for n in range(5)]
            to_c2 = sender.post("C0BUYERS", Reply("reorder M6-20"))
            return await asyncio.gather(*to_c1, to_c2)

        results = asyncio.run(burst())
        assert all(results), results  # every message was delivered: spread, not refused
        posts = fake.wait_for("chat.postMessage", 6)

    sales = [c for c in posts if c.args["channel"] == "C0SALES"]
    buyers = [c for c in posts if c.args["channel"] == "C0BUYERS"]
    assert [c.args["text"] for c in sales] == [f"line {n}" for n in range(5)]
    gaps = [b.at - a.at for a, b in zip(sales, sales[1:], strict=False)]
    assert all(gap >= INTERVAL * 0.9 for gap in gaps), gaps
    assert sales[-1].at - sales[0].at >= 4 * INTERVAL * 0.9
    # The other channel's message did not wait behind the first channel's burst.
    assert buyers[0].at < sales[1].at
