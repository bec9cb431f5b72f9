"""Chat adapters over loopback: `python benchmarks/chat.py [--quick] [telegram] [slack]`.

Prints one `name=value` line per figure. Each section starts its adapter as `jxc serve` does (the
real SDK on an asyncio loop) against the local fake platform server of the tests, on a fresh
SQLite database with the demo master data and some stock.

Telegram: a question ("M6 还有多少") typed → the reply sent, p50 and p95 in seconds, one at a
time; then questions/s answered when many people ask at once (one chat each).

Slack: a signed DM event posted to `/slack/events` → the reply posted (`chat.postMessage` at the
fake), p50 and p95 one at a time, the askers taking turns so that no channel is asked again
within a second of its last reply (what is measured is the adapter, not Slack's limit of about
one post a second per channel, which the pacing keeps); then questions/s from many people at
once (8 senders, 9 channels: paced, so at most about 9 a second).

Approvals: both adapters, the chat notifiers and the feed loop as `jxc serve slack telegram
scheduler` runs them. Wang orders over ACME's credit in Telegram and taps Confirm → Mary's
approval request posted in Slack (p50, p95); Mary taps Approve in Slack → both of her copies
(Slack and Telegram) updated in place (p50, p95). A round starts at least a second after the
previous request reached Mary's channel (the same pacing).

Amend: an amendment round trip in the console chat, in-process (`SO-0001 改成 N 个` proposed from
its dry run, then `是`), p50 and p95 in milliseconds, and the most transactions a message took.
"""

from __future__ import annotations

import csv
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.bootstrap import bootstrap  # noqa: E402
from adapters.config import Settings  # noqa: E402
from adapters.slack.sender import POST_INTERVAL  # noqa: E402
from benchmarks.common import run_sections  # noqa: E402
from domain.ledger import imports  # noqa: E402
from domain.messages.commands import ReceiveStock  # noqa: E402

DEMO = ROOT / "adapters" / "demo_data"


def demo_app(folder: Path, **settings):
    """A bootstrapped application on a new SQLite database with the demo master data and stock."""
    app = bootstrap(
        Settings(database_url=f"sqlite:///{folder / 'jxc.db'}", **settings), migrate_schema=True
    )
    with app.uow() as uow:
        for kind in ("warehouses", "items", "partners", "users"):
            with (DEMO / f"{kind}.csv").open(newline="", encoding="utf-8") as f:
                rows = list(enumerate(csv.DictReader(f), start=2))
            imports.import_rows(uow, kind, rows, today=date(2026, 6, 15))
        uow.commit()
    clerk = app.bus.user("li")
    for sku in ("M6-20", "M6-NUT", "HAMMER"):
        app.bus.execute(ReceiveStock(item=sku, qty=Decimal(1000), unit_cost=Decimal("0.5")), clerk)
    return app


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def telegram_section(quick: bool) -> dict[str, str]:
    """Telegram message → reply sent (p50, p95) and questions/s, over loopback."""
    from adapters.telegram import make_part
    from tests.e2e.fake_telegram import FakeTelegram, LoopThread

    rounds, burst = (20, 40) if quick else (100, 300)
    users = [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008]  # the demo's people
    fake = FakeTelegram().start()
    loop = LoopThread()
    with tempfile.TemporaryDirectory() as folder:
        app = demo_app(Path(folder), telegram_token=fake.token, telegram_api_url=fake.url)
        part = make_part(app)
        loop.run(part.start())
        try:
            latencies = []
            for n in range(1, rounds + 1):
                start = time.perf_counter()
                fake.say(1002, "M6 还有多少")
                fake.wait_for("sendMessage", n, chat_id=1002)
                latencies.append(time.perf_counter() - start)
            before = len(fake.sent("sendMessage"))
            start = time.perf_counter()
            for n in range(burst):
                fake.say(users[n % len(users)], "M6 还有多少")
            fake.wait_for("sendMessage", before + burst, timeout=300)
            per_s = burst / (time.perf_counter() - start)
        finally:
            loop.run(part.stop())
            loop.close()
            fake.stop()
            app.engine.dispose()
    return {
        "telegram_reply_p50_s": f"{statistics.median(latencies):.4f}",
        "telegram_reply_p95_s": f"{_percentile(latencies, 0.95):.4f}",
        "telegram_questions_per_s": f"{per_s:.1f}",
    }


# -- Slack ------------------------------------------------------------------------------------------


def slack_section(quick: bool) -> dict[str, str]:
    """Slack DM (a signed event to /slack/events) → reply posted (chat.postMessage at the fake),
    p50 and p95 in seconds one at a time; then questions/s when many people ask at once."""
    import asyncio
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from adapters.slack import make_part
    from tests.e2e.fake_slack import FakeSlack, dm, event_body, free_port, post, signed_headers

    secret = "bench-signing-secret"
    rounds, burst = (20, 40) if quick else (100, 300)
    users = ["U0ADMIN", "U0MARY", "U0WANG", "U0LI", "U0ZHAO", "U0CHEN", "U0TOM", "U0LIU", "U0SAM"]
    counter = iter(range(1, 10**9))

    def ask(url: str, user: str) -> None:
        body = event_body(dm(user, "M6 还有多少"), f"EvBench{next(counter)}")
        status, _ = post(url, body, signed_headers(secret, body))
        assert status == 200, status

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="slack-bench", daemon=True)
    thread.start()

    def run(coro):
        return asyncio.run_coroutine_threadsafe(coro, loop).result(120)

    with FakeSlack() as fake, tempfile.TemporaryDirectory() as folder:
        port = free_port()
        app = demo_app(
            Path(folder),
            slack_bot_token="xoxb-bench",
            slack_signing_secret=secret,
            slack_api_url=fake.api_url,
            slack_port=port,
        )
        part = make_part(app)
        run(part.start())
        url = f"http://127.0.0.1:{port}/slack/events"
        try:
            latencies, replied = [], {}
            for n in range(1, rounds + 1):
                user = users[n % len(users)]
                time.sleep(max(0.0, replied.get(user, 0.0) + POST_INTERVAL - time.perf_counter()))
                start = time.perf_counter()
                ask(url, user)
                fake.wait_for("chat.postMessage", n)
                replied[user] = time.perf_counter()
                latencies.append(replied[user] - start)
            before = len(fake.of("chat.postMessage"))
            start = time.perf_counter()
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(lambda n: ask(url, users[n % len(users)]), range(burst)))
            fake.wait_for("chat.postMessage", before + burst, timeout=300)
            per_s = burst / (time.perf_counter() - start)
        finally:
            run(part.stop())
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            app.engine.dispose()
    return {
        "slack_reply_p50_s": f"{statistics.median(latencies):.4f}",
        "slack_reply_p95_s": f"{_percentile(latencies, 0.95):.4f}",
        "slack_questions_per_s": f"{per_s:.1f}",
    }


# -- approvals across both -------------------------------------------------------------------------


def approvals_section(quick: bool) -> dict[str, str]:
    """Telegram confirm → Slack approval request posted; Slack approve → both copies updated."""
    import asyncio
    import threading

    from adapters.bootstrap import serving
    from adapters.scheduler import FeedLoop
    from tests.e2e.fake_slack import FakeSlack, block_action_body, free_port, post, signed_headers
    from tests.e2e.fake_telegram import FakeTelegram

    secret, rounds = "bench-signing-secret", 5 if quick else 20
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="approvals-bench", daemon=True)
    thread.start()

    def run(coro):
        return asyncio.run_coroutine_threadsafe(coro, loop).result(120)

    def until(check, timeout=30.0):
        deadline = time.perf_counter() + timeout
        while not (found := check()):
            if time.perf_counter() > deadline:
                raise TimeoutError("nothing came")
            time.sleep(0.002)
        return found

    telegram = FakeTelegram().start()
    with FakeSlack() as slack, tempfile.TemporaryDirectory() as folder:
        port = free_port()
        app = demo_app(
            Path(folder),
            slack_bot_token="xoxb-bench",
            slack_signing_secret=secret,
            slack_api_url=slack.api_url,
            slack_port=port,
            telegram_token=telegram.token,
            telegram_api_url=telegram.url,
        )
        app.bus.execute(
            ReceiveStock(item="DRILL-18V", qty=Decimal(200 * rounds), unit_cost=Decimal(240)),
            app.bus.user("li"),
        )
        wiring = serving(app)
        notifier = run(wiring.notifiers.start())
        parts = wiring.parts(["slack", "telegram"], notifier)
        for part in parts:
            if hasattr(part, "poll_timeout"):
                part.poll_timeout = 1
        for part in parts:
            run(part.start())
        feed = FeedLoop(app, notifier).start()
        url = f"http://127.0.0.1:{port}/slack/events"
        requested, updated, reached = [], [], 0.0
        try:
            for n in range(1, rounds + 1):
                time.sleep(max(0.0, reached + POST_INTERVAL - time.perf_counter()))
                telegram.say(1002, "ACME 要 200 个 电钻")
                proposal = telegram.wait_for("sendMessage", n * 2 - 1, chat_id=1002)[-1]
                markup = proposal.params["reply_markup"]["inline_keyboard"][0][0]
                request = f"A-{n}"
                start = time.perf_counter()
                telegram.tap(1002, telegram.message_dict(proposal), markup["callback_data"])
                in_slack = until(
                    lambda r=request: [
                        c
                        for c in slack.of("chat.postMessage")
                        if c.args.get("channel") == "U0MARY" and f"{r} " in c.args["text"]
                    ]
                )[0]
                reached = time.perf_counter()
                requested.append(reached - start)
                in_telegram = until(
                    lambda r=request: [
                        c for c in telegram.sent("sendMessage", 1001) if f"{r} " in c.params["text"]
                    ]
                )[0]
                ts, message_id = in_slack.response["ts"], in_telegram.params["_message_id"]
                body = block_action_body("U0MARY", "U0MARY", ts, f"ap:{request}:approve")
                start = time.perf_counter()
                post(url, body, signed_headers(secret, body), form=True)
                until(lambda ts=ts: [c for c in slack.of("chat.update") if c.args["ts"] == ts])
                until(
                    lambda m=message_id: [
                        c
                        for c in telegram.sent("editMessageText", 1001)
                        if int(c.params["message_id"]) == m
                    ]
                )
                updated.append(time.perf_counter() - start)
                # wang is told before the next round (one proposal and one notice a round)
                telegram.wait_for("sendMessage", n * 2, chat_id=1002)
        finally:
            feed.stop()
            for part in reversed(parts):
                run(part.stop())
            run(wiring.notifiers.stop())
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            telegram.stop()
            app.engine.dispose()
    return {
        "approval_request_posted_p50_s": f"{statistics.median(requested):.4f}",
        "approval_request_posted_p95_s": f"{_percentile(requested, 0.95):.4f}",
        "approval_copies_updated_p50_s": f"{statistics.median(updated):.4f}",
        "approval_copies_updated_p95_s": f"{_percentile(updated, 0.95):.4f}",
    }


# -- amending an order in the console chat ---------------------------------------------------------


def amend_section(quick: bool) -> dict[str, str]:
    """An amendment round trip in-process (`SO-0001 改成 N 个`, proposed from a dry run, then
    `是`), p50 and p95 in milliseconds, and the most transactions one of those messages took."""
    from sqlalchemy import event

    from bot.conversation import Conversation
    from domain.messages.commands import CreateSalesOrder, Line

    rounds = 50 if quick else 300
    with tempfile.TemporaryDirectory() as folder:
        app = demo_app(Path(folder))
        wang = app.bus.user("wang")
        app.bus.execute(
            CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", Decimal(10)),)), wang
        )
        chat = Conversation(app.bus, app.uow, app.clock)
        chat.handle("wang", "bench", "SO-0001 改成 11 个")  # warm-up: catalog load
        chat.handle("wang", "bench", "是")
        begun = [0]
        event.listen(app.engine, "begin", lambda _conn: begun.__setitem__(0, begun[0] + 1))
        most, latencies = 0, []
        for n in range(rounds):
            start = time.perf_counter()
            for text in (f"SO-0001 改成 {12 + n % 2} 个", "是"):
                begun[0] = 0
                reply = chat.handle("wang", "bench", text)
                most = max(most, begun[0])
            latencies.append((time.perf_counter() - start) * 1000)
            assert "SO-0001" in reply.text, reply.text
        app.engine.dispose()
    return {
        "amend_round_trip_p50_ms": f"{statistics.median(latencies):.2f}",
        "amend_round_trip_p95_ms": f"{_percentile(latencies, 0.95):.2f}",
        "amend_transactions_per_message_max": str(most),
    }


# -- questions in the console chat -----------------------------------------------------------------


def questions_section(quick: bool) -> dict[str, str]:
    """A question's round trip in-process: `电钻什么价` / `how much is a drill for acme`
    (`price.query`) and `A-1 批了吗` (`approval.query`), p50 and p95 in milliseconds, and the
    most transactions one of those messages took (a question writes nothing)."""
    from sqlalchemy import event

    from bot.conversation import Conversation
    from domain.messages.commands import CreateSalesOrder, Line

    rounds = 100 if quick else 600
    with tempfile.TemporaryDirectory() as folder:
        app = demo_app(Path(folder))
        wang = app.bus.user("wang")
        app.bus.execute(
            CreateSalesOrder(
                customer="ACME", lines=(Line("M6-20", Decimal(10), discount=Decimal(20)),)
            ),
            wang,
        )
        chat = Conversation(app.bus, app.uow, app.clock)
        asks = {
            "price": ("wang", "电钻什么价", "how much is a drill for acme"),
            "approval": ("mary", "A-1 批了吗", "has A-1 been approved?"),
        }
        for user, *texts in asks.values():
            chat.handle(user, "bench", texts[0])  # warm-up: catalog load
        begun = [0]
        event.listen(app.engine, "begin", lambda _conn: begun.__setitem__(0, begun[0] + 1))
        out, most = {}, 0
        for name, (user, *texts) in asks.items():
            latencies = []
            for n in range(rounds):
                begun[0] = 0
                start = time.perf_counter()
                reply = chat.handle(user, "bench", texts[n % 2])
                latencies.append((time.perf_counter() - start) * 1000)
                most = max(most, begun[0])
                assert reply.ok and not reply.buttons, reply.text
            out[f"{name}_query_round_trip_p50_ms"] = f"{statistics.median(latencies):.2f}"
            out[f"{name}_query_round_trip_p95_ms"] = f"{_percentile(latencies, 0.95):.2f}"
        app.engine.dispose()
    out["question_transactions_per_message_max"] = str(most)
    return out


SECTIONS = {
    "telegram": telegram_section,
    "slack": slack_section,
    "approvals": approvals_section,
    "amend": amend_section,
    "questions": questions_section,
}


def main(argv: list[str] | None = None) -> int:
    return run_sections(__doc__, SECTIONS, "Fewer rounds (a smoke run).", argv)


if __name__ == "__main__":
    sys.exit(main())
