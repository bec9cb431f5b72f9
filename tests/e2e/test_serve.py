"""`jxc serve` as an operator runs it: which parts it serves with and without arguments, the
line a missing token gets, the "ready" line, and a clean exit on SIGTERM."""

from __future__ import annotations

import time
from pathlib import Path

from adapters.notify import DirectNotifier
from tests.conftest import ROOT, cli_env, jxc, run_json
from tests.e2e.fake_slack import FakeSlack, ServeProcess, free_port
from tests.e2e.fake_telegram import FakeTelegram

CHAT_VARIABLES = (
    "JXC_SLACK_BOT_TOKEN",
    "JXC_SLACK_SIGNING_SECRET",
    "JXC_SLACK_APP_TOKEN",
    "JXC_TELEGRAM_TOKEN",
    "JXC_TELEGRAM_WEBHOOK_URL",
)


def _env(db: str, **values) -> dict:
    env = cli_env(db)
    for name in CHAT_VARIABLES:
        env.pop(name, None)
    return env | values


def test_a_part_named_without_its_token_exits_2_with_a_clear_line(master_db, monkeypatch):
    for name in CHAT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    slack = jxc(master_db, "serve", "slack", timeout=60)
    assert slack.returncode == 2
    assert "JXC_SLACK_BOT_TOKEN" in slack.stderr and "JXC_SLACK_SIGNING_SECRET" in slack.stderr
    telegram = jxc(master_db, "serve", "telegram", timeout=60)
    assert telegram.returncode == 2
    assert "JXC_TELEGRAM_TOKEN" in telegram.stderr
    both = jxc(master_db, "serve", "scheduler", "slack", timeout=60)
    assert both.returncode == 2 and "JXC_SLACK_BOT_TOKEN" in both.stderr


def test_slack_without_a_signing_secret_is_refused_in_http_mode(master_db, monkeypatch):
    for name in CHAT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JXC_SLACK_BOT_TOKEN", "xoxb-test")
    proc = jxc(master_db, "serve", "slack", timeout=60)
    assert proc.returncode == 2
    assert "JXC_SLACK_SIGNING_SECRET" in proc.stderr
    assert "JXC_SLACK_BOT_TOKEN" not in proc.stderr


def test_with_no_argument_it_serves_every_configured_part_and_the_scheduler(master_db):
    with FakeSlack() as fake:
        port = free_port()
        env = _env(
            master_db,
            JXC_SLACK_BOT_TOKEN="xoxb-test",
            JXC_SLACK_SIGNING_SECRET="secret",
            JXC_SLACK_API_URL=fake.api_url,
            JXC_SLACK_PORT=str(port),
        )
        started = time.monotonic()
        server = ServeProcess([], env, ROOT)
        try:
            ready = server.wait_line("ready", timeout=30)
            assert time.monotonic() - started < 30
        finally:
            code = server.stop()
    assert ready.startswith("ready: slack (port ")
    assert str(port) in ready and "scheduler" in ready and "telegram" not in ready
    assert code == 0
    assert server.lines[-2:] == ["stopped", "<eof>"]


def test_with_no_chat_settings_only_the_scheduler_runs(master_db):
    server = ServeProcess([], _env(master_db), ROOT)
    try:
        ready = server.wait_line("ready", timeout=30)
    finally:
        code = server.stop()
    assert ready.startswith("ready: scheduler")
    assert "slack" not in ready
    assert code == 0


# -- the feed and the deliveries run in every process that serves a chat platform ---------------

WANG, MARY, ADMIN, LIU = 1002, 1001, 1000, 1007


def _telegram_env(db: str, telegram: FakeTelegram) -> dict:
    return _env(db, JXC_TELEGRAM_TOKEN=telegram.token, JXC_TELEGRAM_API_URL=telegram.url)


def _buttons(call) -> list[dict]:
    markup = call.params.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def _wait(check, what: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
    return value


def _deliveries(db: str) -> list:
    from sqlalchemy import create_engine, select

    from domain.alerts.records import alert_t, delivery_t

    engine = create_engine(db.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return conn.execute(
                select(delivery_t.c.purpose, delivery_t.c.status, delivery_t.c.recipient)
                .add_columns(alert_t.c.subject)
                .select_from(delivery_t.outerjoin(alert_t, alert_t.c.id == delivery_t.c.alert_id))
                .where(delivery_t.c.channel == "telegram")
            ).all()
    finally:
        engine.dispose()


def test_serve_telegram_without_the_scheduler_tells_the_approvers(master_db):
    run_json(master_db, {"intent": "stock.receive", "item": "DRILL-18V", "qty": "300"})
    telegram = FakeTelegram().start()
    server = ServeProcess(["telegram"], _telegram_env(master_db, telegram), ROOT)
    try:
        assert "scheduler" not in server.wait_line("ready")
        telegram.say(WANG, "ACME 要 200 个 电钻")
        proposal = telegram.wait_for("sendMessage", 1, chat_id=WANG)[0]
        confirm = next(b for b in _buttons(proposal) if "确认" in b["text"])
        telegram.tap(WANG, telegram.message_dict(proposal), confirm["callback_data"])
        request = _wait(
            lambda: [
                c
                for c in telegram.sent("sendMessage", MARY)
                if "A-1" in c.params["text"] and _buttons(c)
            ],
            "the approval request reaching mary",
        )[0]
        assert [b["text"] for b in _buttons(request)] == ["批准 Approve", "驳回 Reject"]
        approve = _buttons(request)[0]["callback_data"]
        telegram.tap(MARY, telegram.message_dict(request), approve, lang="en")
        _wait(
            lambda: [
                c
                for c in telegram.sent("sendMessage", WANG)
                if "已由 mary 批准" in c.params["text"]
            ],
            "wang told of the decision",
        )
    finally:
        code = server.stop()
        telegram.stop()
    assert code == 0, server.lines


def test_a_request_decided_before_its_turn_is_skipped_not_sent(master_db, monkeypatch):
    telegram = FakeTelegram().start()
    try:
        # Requests queued for Telegram by commands while no `jxc serve` ran; A-1 was decided
        # at the command line before anything was sent.
        monkeypatch.setenv("JXC_TELEGRAM_TOKEN", telegram.token)
        monkeypatch.setenv("JXC_TELEGRAM_API_URL", telegram.url)
        order = {"intent": "sales.create", "customer": "ACME",
                 "lines": [{"item": "DRILL-18V", "qty": "200"}]}  # fmt: skip
        run_json(master_db, {"intent": "stock.receive", "item": "DRILL-18V", "qty": "500"})
        made = run_json(master_db, order, order, user="wang")
        assert [r["result"]["approval"] for r in made] == ["A-1", "A-2"]
        decided = run_json(
            master_db,
            {"intent": "approval.decide", "request": "A-1", "decision": "approve"},
            user="mary",
        )
        assert decided[0]["ok"], decided
        assert {(d.subject, d.status) for d in _deliveries(master_db)} == {
            ("A-1", "pending"),
            ("A-2", "pending"),
        }

        server = ServeProcess(["telegram"], _telegram_env(master_db, telegram), ROOT)
        try:
            server.wait_line("ready")
            _wait(
                lambda: [
                    c for c in telegram.sent("sendMessage", MARY) if "A-2" in c.params["text"]
                ],
                "A-2 reaching mary",
            )
            _wait(
                lambda: [
                    c for c in telegram.sent("sendMessage", WANG) if "A-1" in c.params["text"]
                ],
                "wang told that A-1 was approved",
            )
            # Nothing more is on its way once no delivery waits (a stale request, were one
            # sent, would have been sent by then).
            _wait(
                lambda: not [d for d in _deliveries(master_db) if d.status == "pending"],
                "the deliveries settled",
            )
        finally:
            code = server.stop()
    finally:
        telegram.stop()
    assert code == 0, server.lines
    to_approvers = [
        c.params["text"] for chat in (MARY, ADMIN, LIU) for c in telegram.sent("sendMessage", chat)
    ]
    assert not [t for t in to_approvers if "A-1" in t], to_approvers
    rows = _deliveries(master_db)
    assert {d.status for d in rows if d.subject == "A-1" and d.purpose == "alert"} == {"skipped"}
    assert {d.status for d in rows if d.subject == "A-1" and d.purpose == "decision"} == {"sent"}
    assert {d.status for d in rows if d.subject == "A-2"} == {"sent"}


# -- a digest's chart lives as long as a delivery needs it --------------------------------------


class SeesTheChart(DirectNotifier):
    """A chat platform that takes every send but mary's first `down`, noting whether the chart
    was there to send."""

    def __init__(self, down: int):
        self.down = down
        self.sent: list[tuple[str, str | None, bool]] = []

    def send(self, recipient, text, png_path=None):
        from adapters.notify import TransientError

        if recipient.name == "mary" and self.down > 0:
            self.down -= 1
            raise TransientError("503 from the chat platform")
        self.sent.append((recipient.name, png_path, bool(png_path) and Path(png_path).is_file()))


def test_a_digest_chart_is_removed_once_every_copy_is_sent_and_a_png_asked_for_is_kept(
    app, users, clock, tmp_path
):
    from decimal import Decimal

    from adapters.deliveries import deliver_pending
    from adapters.scheduler import _RUNTIMES, run_digest_job
    from domain.messages.commands import ReceiveStock

    app.bus.execute(ReceiveStock(item="M6-20", qty=Decimal(1000)), users["li"])
    platform = SeesTheChart(down=3)  # its quick retries too
    _RUNTIMES["chart"] = (app, platform)
    try:
        run_digest_job("daily", ["mary", "liu"], runtime="chart")
    finally:
        del _RUNTIMES["chart"]
    ((to, chart, there),) = platform.sent
    assert (to, there) == ("liu", True)
    folder = Path(chart).parent
    assert folder.name.startswith("jxc-digest-") and folder.stat().st_mode & 0o777 == 0o700
    assert Path(chart).is_file()  # mary's copy still waits for it
    clock.advance(minutes=1)
    assert deliver_pending(app, platform) == 1
    assert platform.sent[-1] == ("mary", chart, True)
    assert not folder.exists()

    asked = tmp_path / "mine.png"
    proc = jxc(app.settings.database_url, "digest", "--png", str(asked))
    assert proc.returncode == 0, proc.stderr
    assert asked.is_file()


# -- a SQLite database file removed under a running process ---------------------------------------


def test_serve_exits_1_saying_why_when_its_database_file_is_removed(master_db):
    import os

    from sqlalchemy import make_url

    if make_url(master_db).get_backend_name() != "sqlite":
        return  # a PostgreSQL database is not a file
    path = make_url(master_db).database
    server = ServeProcess(["scheduler"], _env(master_db), ROOT)
    try:
        server.wait_line("ready")
        os.replace(path, path + ".moved")  # removed from where serve opened it
        line = server.wait_line("error (database_unavailable)", timeout=15)
        code = server.proc.wait(30)
    finally:
        server.stop()
    assert code == 1, server.lines
    assert path in line and "removed" in line
    assert not [x for x in server.lines if "Traceback" in x], server.lines
