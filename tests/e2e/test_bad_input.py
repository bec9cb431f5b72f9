"""Bad input through the real `jxc` CLI, `jxc run` and `jxc chat`: every line gets one clear
answer with a design error code, nothing is half done or leaked, and no traceback reaches anyone."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import RUN_DIR, cli_env, jxc, run_json

RECEIVE = {"intent": "stock.receive", "item": "M6-20", "qty": "5", "unit_cost": "0.1"}


def assert_clean(proc: subprocess.CompletedProcess, *codes: int) -> list[str]:
    """No traceback, an expected exit status; the non-empty output lines."""
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out and "Logging error" not in out, out
    assert proc.returncode in codes, out
    return [line for line in out.splitlines() if line.strip()]


def on_hand(db_url: str, sku: str = "M6-20") -> str:
    return json.loads(jxc(db_url, "stock", sku, "--json", check=True).stdout)[0]["on_hand"]


def sqlite_path(db_url: str) -> Path:
    if not db_url.startswith("sqlite"):
        pytest.skip("a SQLite database file")
    return Path(db_url.removeprefix("sqlite:///"))


# -- 4. a batch answers every line and goes on ------------------------------------------------


def test_a_batch_answers_every_line_and_goes_on_past_bad_ones(master_db, tmp_path):
    good = [json.dumps({**RECEIVE, "key": f"batch:{i}"}).encode() for i in range(3)]
    lines = [
        good[0],
        b'{"intent": "stock.query", "item": "M6\xff"}',  # not UTF-8
        good[1],
        b"not json",
        b"[" * 5000 + b"]" * 5000,  # nested 5,000 deep
        b'["stock.query"]',  # JSON, not an object
        b'{"intent": "stock.receive", "item": "M6-20", "qty": 1' + b"0" * 5000 + b"}",
        good[2],
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(b"\n".join(lines) + b"\n")
    proc = jxc(master_db, "run", str(batch))
    assert_clean(proc, 1)
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(answers) == len(lines)
    assert [a["ok"] for a in answers] == [True, False, True, False, False, False, False, True]
    codes = [a["error"]["code"] for a in answers if not a["ok"]]
    assert codes[:4] == ["bad_request"] * 4 and codes[4] in ("bad_request", "invalid_quantity")
    assert "UTF-8" in answers[1]["error"]["message"]
    assert not any("Nothing was changed" in line for line in proc.stdout.splitlines())
    assert on_hand(master_db) == "15"


def test_run_of_a_missing_file_or_a_directory_is_one_bad_request(master_db, tmp_path):
    for target in (tmp_path / "missing.jsonl", tmp_path):
        proc = jxc(master_db, "run", str(target))
        lines = assert_clean(proc, 1)
        assert len(lines) == 1
        assert json.loads(lines[0])["error"]["code"] == "bad_request"


# -- 5. a read creates nothing -----------------------------------------------------------------


@pytest.mark.parametrize("args", [["stock"], ["stock", "--json"], ["orders"], ["verify"]])
def test_a_read_of_a_database_that_is_not_there_creates_nothing(tmp_path, args):
    path = tmp_path / "nothing-here.db"
    proc = jxc(f"sqlite:///{path}", *args)
    lines = assert_clean(proc, 1)
    assert len(lines) == 1 and "database_unavailable" in lines[0], lines
    assert "there is no database" in lines[0] and "jxc init" in lines[0]
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_init_makes_the_database_a_read_would_not(tmp_path):
    path = tmp_path / "new.db"
    assert_clean(jxc(f"sqlite:///{path}", "init"), 0)
    assert path.exists()
    missing_dir = tmp_path / "no" / "such" / "dir" / "x.db"
    lines = assert_clean(jxc(f"sqlite:///{missing_dir}", "init"), 1)
    assert "database_unavailable" in lines[0] and "does not exist" in lines[0]


# -- 6. a database file removed or replaced under a running process ----------------------------


def _batch_process(db_url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "run", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(db_url),
        cwd=RUN_DIR,
    )


def _ask(proc: subprocess.Popen, command: dict) -> dict:
    proc.stdin.write(json.dumps(command) + "\n")
    proc.stdin.flush()
    return json.loads(proc.stdout.readline())


@pytest.mark.parametrize("how", ["removed", "replaced"])
def test_a_database_file_removed_or_replaced_under_a_running_batch_is_refused(
    master_db, tmp_path, how
):
    path = sqlite_path(master_db)
    proc = _batch_process(master_db)
    try:
        assert _ask(proc, {**RECEIVE, "key": "live:1"})["ok"] is True
        kept = tmp_path / "kept.db"
        for suffix in ("", "-wal"):  # the copy holds what was committed (in the WAL too)
            if Path(f"{path}{suffix}").exists():
                shutil.copy(f"{path}{suffix}", f"{kept}{suffix}")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        if how == "replaced":
            for suffix in ("", "-wal"):
                if Path(f"{kept}{suffix}").exists():
                    shutil.copy(f"{kept}{suffix}", f"{path}{suffix}")
        answer = _ask(proc, {**RECEIVE, "key": "live:2"})
        assert answer["ok"] is False
        assert answer["error"]["code"] == "database_unavailable"
        assert how in answer["error"]["message"]
        again = _ask(proc, {**RECEIVE, "key": "live:3"})
        assert again["error"]["code"] == "database_unavailable"
    finally:
        proc.stdin.close()
        out = proc.stdout.read() + proc.stderr.read()
        proc.wait(timeout=60)
    assert "Traceback" not in out
    if how == "replaced":
        assert on_hand(master_db) == "5"  # the writes after the swap went nowhere


# -- 7. no traceback, no internal_error --------------------------------------------------------


BAD_CLI = [
    (["alerts", "ack", "99999999999999999999"], {}, 1, "unknown_alert"),
    (["alerts", "snooze", "1", "--days", "1000000000"], {}, 2, "--days"),
    (["report", "kpi", "--period", "0001-01"], {}, 1, "bad_request"),
    (["report", "kpi", "--period", "9999-12"], {}, 1, "bad_request"),
    (["report", "kpi", "--png", "/no/such/dir/kpi.png"], {}, 2, "--png"),
    (["forecast", "--all", "--jobs", "0"], {}, 2, "--jobs"),
    (["stock"], {"JXC_DATABASE_URL": "mysql://root@localhost/jxc"}, 1, "JXC_DATABASE_URL"),
    (["stock"], {"JXC_DATABASE_URL": "notaurl"}, 1, "JXC_DATABASE_URL"),
    (["stock"], {"JXC_DATABASE_URL": ""}, 1, "JXC_DATABASE_URL"),
    (["stock"], {"JXC_TIMEZONE": "Mars/Base"}, 1, "JXC_TIMEZONE"),
    (["stock"], {"JXC_NOW": "notadate"}, 1, "JXC_NOW"),
    (["stock"], {"JXC_DATABASE_URL": "sqlite:///x.db?timeout=abc"}, 1, "timeout"),
]


@pytest.mark.db
@pytest.mark.parametrize(
    ("args", "env", "status", "said"),
    BAD_CLI,
    ids=lambda a: " ".join(a) if isinstance(a, list) else None,
)
def test_bad_options_and_settings_get_one_clear_line(master_db, args, env, status, said):
    proc = subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        capture_output=True,
        text=True,
        env={**cli_env(master_db), **env},
        cwd=RUN_DIR,
        timeout=120,
    )
    lines = assert_clean(proc, status)
    text = "\n".join(lines)
    assert said in text and "internal_error" not in text, text
    if status == 1:
        assert len(lines) == 1 and lines[0].startswith("error ("), lines


@pytest.mark.db
def test_invalid_utf8_in_an_argument_is_a_bad_request(master_db):
    proc = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "stock", os.fsdecode(b"M6\xff\xfe")],
        capture_output=True,
        env=cli_env(master_db),
        cwd=RUN_DIR,
        timeout=120,
    )
    out = (proc.stdout + proc.stderr).decode("utf-8")
    assert proc.returncode == 1 and "Traceback" not in out and "Logging error" not in out
    assert out.strip().splitlines() == [
        "error (bad_request): the argument 'M6\\\\xff\\\\xfe' is not valid UTF-8 text"
    ]


@pytest.mark.db
def test_numbers_and_names_no_column_can_hold_are_refused_in_run(master_db):
    big = [{"item": "M6-20", "qty": "1000000", "price": "99999"} for _ in range(100)]
    answers = run_json(
        master_db,
        {"intent": "stock.receive", "item": "M6-20", "qty": "1e309", "unit_cost": "1"},
        {"intent": "stock.receive", "item": "M6\ud800", "qty": "1"},
        {"intent": "sales.create", "customer": "AC\udfffME", "lines": [{"item": "M6", "qty": "1"}]},
        {"intent": "alert.ack", "alert": "99999999999999999999"},
        {"intent": "alert.snooze", "alert": 1, "days": 1000000000},
        {"intent": "report", "name": "kpi", "period": "0001-01"},
        {"intent": "purchase.create", "supplier": "ECH", "lines": big},
        {"intent": "sales.create", "customer": "ACME", "lines": big},
    )
    assert len(answers) == 8
    for a in answers:
        assert a.get("error", {}).get("code") != "internal_error", a
    codes = [a["error"]["code"] if not a["ok"] else "ok" for a in answers]
    assert codes[:6] == [
        "invalid_quantity",
        "bad_request",
        "bad_request",
        "unknown_alert",
        "invalid_quantity",
        "bad_request",
    ]


def test_a_read_only_database_in_the_chat_is_one_clear_line(master_db):
    path = sqlite_path(master_db)
    proc = jxc(
        f"sqlite:///file:{path}?mode=ro&uri=true",
        "chat",
        input="receive 10 M6-20 at 0.1\nyes\nhow many M6 do we have\n",
    )
    lines = assert_clean(proc, 0, 1)
    assert any("read-only" in line for line in lines), lines
    assert len(lines) <= 6, lines
    assert on_hand(master_db) == "0"


# -- 8. lengths and characters: one answer on every database -----------------------------------


@pytest.mark.db
def test_text_over_its_length_or_with_a_nul_byte_is_bad_request_on_every_database(master_db):
    run_json(master_db, {**RECEIVE, "key": "stock:1"})
    answers = run_json(
        master_db,
        {"intent": "stock.issue", "item": "M6-20", "qty": "1", "reason": "r" * 201},
        {"intent": "stock.issue", "item": "M6-20", "qty": "1", "reason": "r" * 200, "key": "ok:1"},
        {**RECEIVE, "key": "k" * 201},
        {"intent": "approval.decide", "request": "A-1", "decision": "approve", "reason": "x" * 501},
        {"intent": "stock.query", "item": "M6\u0000"},
        {"intent": "order.query", "partner": "AC\u0000ME"},
        {"intent": "stock.receive", "item": "M6-20", "qty": "1", "warehouse": "W" * 201},
    )
    codes = [a["error"]["code"] if not a["ok"] else "ok" for a in answers]
    assert codes == ["bad_request", "ok", "bad_request", "bad_request"] + ["bad_request"] * 3
    assert "NUL" in answers[4]["error"]["message"]
    long_user = run_json(master_db, {"intent": "stock.query"}, user="u" * 65)
    assert long_user[0]["error"]["code"] == "bad_request"
    assert on_hand(master_db) == "4"


# -- 10. echoes of user text are cut ----------------------------------------------------------


def test_errors_repeat_a_long_name_cut_to_a_readable_length(master_db):
    name = "螺" * 150
    answers = run_json(
        master_db,
        {"intent": "stock.query", "item": name},
        {"intent": "stock.query", "item": "x" * 10_000},
        {"intent": "no.such.intent." + "y" * 10_000},
        {"intent": "stock.query", "z" * 10_000: 1},
    )
    for a in answers:
        assert not a["ok"]
        assert len(a["error"]["message"]) < 400, a["error"]["message"]
    assert "…" in answers[1]["error"]["message"] and "x" * 61 not in answers[1]["error"]["message"]
    proc = jxc(master_db, "stock", "q" * 10_000)
    lines = assert_clean(proc, 1)
    assert len(lines) == 1 and len(lines[0]) < 400


# -- 11. the log: private, never followed, never waited on ------------------------------------


def _broken_balance(db_url: str) -> None:
    import sqlite3

    run_json(db_url, RECEIVE)
    with sqlite3.connect(sqlite_path(db_url)) as conn:
        conn.execute("UPDATE balance SET on_hand = 'twelve'")


def _with_log(db_url: str, log: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        capture_output=True,
        text=True,
        env={**cli_env(db_url), "JXC_LOG_FILE": str(log), **env},
        cwd=RUN_DIR,
        timeout=60,
    )


def test_a_fifo_planted_as_the_log_does_not_hang_a_failing_command(master_db, tmp_path):
    _broken_balance(master_db)
    fifo = tmp_path / "jxc.log"
    os.mkfifo(fifo)
    state = tmp_path / "state"
    proc = _with_log(master_db, fifo, "stock", "M6-20", XDG_STATE_HOME=str(state))
    lines = assert_clean(proc, 1)
    assert len(lines) == 1 and "internal_error" in lines[0]
    kept = state / "jxc" / "jxc.log"
    assert str(kept) in lines[0] and "Traceback" in kept.read_text("utf-8")


def test_the_log_is_never_written_through_a_link(master_db, tmp_path):
    _broken_balance(master_db)
    target = tmp_path / "elsewhere.txt"
    target.write_text("")
    link = tmp_path / "jxc.log"
    link.symlink_to(target)
    state = tmp_path / "state"
    proc = _with_log(master_db, link, "stock", "M6-20", XDG_STATE_HOME=str(state))
    lines = assert_clean(proc, 1)
    assert "internal_error" in lines[0]
    assert target.read_text() == ""


def test_a_line_of_a_batch_that_fails_unexpectedly_keeps_its_traceback_in_the_log(
    master_db, tmp_path
):
    _broken_balance(master_db)
    log = tmp_path / "errors.log"
    batch = json.dumps({"intent": "stock.query", "item": "M6-20"}) + "\n"
    proc = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "run", "-"],
        input=batch * 2,
        capture_output=True,
        text=True,
        env={**cli_env(master_db), "JXC_LOG_FILE": str(log)},
        cwd=RUN_DIR,
        timeout=60,
    )
    assert_clean(proc, 1)
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [a["error"]["code"] for a in answers] == ["internal_error"] * 2
    assert proc.stderr == ""
    ref = answers[0]["error"]["message"].split("reference ")[1].split(")")[0]
    kept = log.read_text("utf-8")
    assert f"reference {ref}" in kept and "Traceback" in kept
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


# -- 12. idempotency keys belong to their user --------------------------------------------------


@pytest.mark.db
def test_another_users_same_key_is_a_different_key(master_db):
    admin_first = run_json(master_db, {**RECEIVE, "key": "shared:1"}, user="admin")[0]
    assert admin_first["ok"] is True
    clerk = {"intent": "stock.receive", "item": "M6-20", "qty": "7", "unit_cost": "0.1"}
    clerk_first = run_json(master_db, {**clerk, "key": "shared:1"}, user="li")[0]
    assert clerk_first["ok"] is True and clerk_first["result"]["qty"] == "7"
    assert on_hand(master_db) == "12"
    # Each user's replay returns their own first result and changes nothing.
    assert run_json(master_db, {**clerk, "key": "shared:1"}, user="li")[0] == clerk_first
    assert run_json(master_db, {**RECEIVE, "key": "shared:1"}, user="admin")[0] == admin_first
    # The same user's key with another command is still refused.
    other = run_json(master_db, {**RECEIVE, "qty": "9", "key": "shared:1"}, user="li")[0]
    assert other["error"]["code"] == "duplicate_request"
    assert on_hand(master_db) == "12"


def test_a_failed_statement_is_logged_without_its_parameters(master_db, tmp_path):
    import sqlite3

    with sqlite3.connect(sqlite_path(master_db)) as conn:
        conn.execute(
            "CREATE TRIGGER planted BEFORE INSERT ON audit WHEN NEW.detail LIKE '%M6-20%' "
            "BEGIN SELECT RAISE(ABORT, 'planted failure'); END"
        )
    log = tmp_path / "errors.log"
    batch = json.dumps({**RECEIVE, "key": "secret-key-4711"}) + "\n"
    proc = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "run", "-"],
        input=batch,
        capture_output=True,
        text=True,
        env={**cli_env(master_db), "JXC_LOG_FILE": str(log)},
        cwd=RUN_DIR,
        timeout=60,
    )
    assert_clean(proc, 1)
    assert json.loads(proc.stdout)["error"]["code"] == "internal_error"
    kept = log.read_text("utf-8")
    assert "planted failure" in kept and "parameters hidden" in kept
    assert "secret-key-4711" not in kept
    assert on_hand(master_db) == "0"
