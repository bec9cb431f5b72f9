"""`jxc serve` as an operator runs it: which parts it serves with and without arguments, the
line a missing token gets, the "ready" line, and a clean exit on SIGTERM."""

from __future__ import annotations

import time

from tests.conftest import ROOT, cli_env, jxc
from tests.e2e.fake_slack import FakeSlack, ServeProcess, free_port

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
