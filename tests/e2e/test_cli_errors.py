"""Bad input and bad databases through the real `jxc` CLI: one clear line, exit status 1 or 2,
never a traceback."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading

import pytest

from tests.conftest import DEMO, ROOT, RUN_DIR, cli_env, jxc, run_json

UNREACHABLE = "postgresql://nobody@127.0.0.1:1/x"
RECEIVE = json.dumps({"intent": "stock.receive", "item": "M6-20", "qty": "5", "unit_cost": "0.1"})

# Every subcommand, as a script would call it; stdin where it reads one.
EVERY_COMMAND = [
    (["init"], None),
    (["import", "items", str(DEMO / "items.csv")], None),
    (["run", "-"], RECEIVE + "\n"),
    (["stock", "M6-20"], None),
    (["stock", "--json"], None),
    (["orders"], None),
    (["orders", "SO-0001", "--json"], None),
    (["rules", "show"], None),
    (["rules", "set", "approval.purchase_total", "20000"], None),
    (["report", "kpi"], None),
    (["report", "stock_status", "--json"], None),
    (["parse", "sell 20 M6 to ACME"], None),
    (["parse", "-"], "sell 20 M6 to ACME\n"),
    (["chat"], "how many M6 do we have\n"),
    (["forecast", "M6-20"], None),
    (["forecast", "--all", "--json"], None),
    (["forecast", "--backtest"], None),
    (["digest"], None),
    (["serve"], None),
    (["verify"], None),
    (["verify", "--json"], None),
]
WRITES = {"init", "import", "run", "rules set"}


def assert_clean(proc: subprocess.CompletedProcess, *codes: int) -> list[str]:
    """No traceback, an expected exit status; the non-empty output lines."""
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    assert proc.returncode in codes, out
    return [line for line in out.splitlines() if line.strip()]


def _name(args: list[str]) -> str:
    return " ".join(args[:2]) if args[0] == "rules" else args[0]


@pytest.mark.parametrize(("args", "stdin"), EVERY_COMMAND, ids=lambda a: " ".join(a or []))
def test_an_unreachable_database_is_one_line_for_every_command(args, stdin):
    proc = jxc(UNREACHABLE, *args, input=stdin, timeout=60)
    lines = assert_clean(proc, 1)
    assert len(lines) == 1, lines
    assert "cannot reach the database postgresql://nobody@127.0.0.1:1/x" in lines[0]
    if "--json" in args or args[0] == "run" or args[-1] == "-":
        body = json.loads(proc.stdout)
        assert body["ok"] is False
        assert body["error"]["code"] == "database_unavailable"


@pytest.fixture
def read_only_url(master_db, tmp_path) -> str:
    """The master database opened read-only (root may write a mode-444 file, so SQLite's own
    read-only mode stands for a file we may not write)."""
    if not master_db.startswith("sqlite"):
        pytest.skip("a read-only database file is a SQLite matter")
    path = master_db.removeprefix("sqlite:///")
    run_json(master_db, json.loads(RECEIVE))
    return f"sqlite:///file:{path}?mode=ro&uri=true"


@pytest.mark.parametrize(("args", "stdin"), EVERY_COMMAND, ids=lambda a: " ".join(a or []))
def test_a_read_only_database_refuses_writes_in_one_line(read_only_url, args, stdin):
    if args[0] == "serve":
        pytest.skip("serve runs until stopped when its database is readable")
    proc = jxc(read_only_url, *args, input=stdin, timeout=120)
    lines = assert_clean(proc, 0, 1)
    if _name(args) in WRITES:
        assert proc.returncode == 1
        assert any("read-only" in line for line in lines), lines
        before = jxc(read_only_url, "stock", "M6-20", "--json", check=True).stdout
        assert json.loads(before)[0]["on_hand"] == "5"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["stock", "--warehouse"], "requires an argument"),
        (["stock", "--jsn"], "No such option"),
        (["forecast", "M6-20", "--days", "abc"], "is not a valid integer"),
        (["forecast", "M6-20", "--days", "-3"], "--days"),
        (["forecast", "--jobs", "many", "--all"], "is not a valid integer"),
        (["report", "kpi", "--lang", "fr"], "is not one of"),
        (["import", "nope", str(DEMO / "items.csv")], "is not one of"),
        (["digest", "--kind", "hourly"], "hourly"),
        (["orders", "--status", "lost"], "lost"),
        (["report", "top_sellers", "--period", "2026-13"], "2026-13"),
        (["rules", "set", "approval.purchase_total", "-5"], "invalid_amount"),
        (["rules", "set", "approval.purchase_total", "lots"], "invalid_amount"),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else None,
)
def test_a_malformed_value_is_one_clear_line(master_db, args, expected):
    proc = jxc(master_db, *args)
    lines = assert_clean(proc, 1, 2)
    assert any(expected in line for line in lines), lines
    assert not any("No such option: -" in line for line in lines)


def test_a_negative_number_is_a_value_not_an_option(master_db):
    proc = jxc(master_db, "rules", "set", "approval.purchase_total", "-5")
    lines = assert_clean(proc, 1)
    assert lines == ["error (invalid_amount): approval.purchase_total must be a number ≥ 0"]
    shown = json.loads(jxc(master_db, "rules", "show", "--json", check=True).stdout)
    assert shown["approval.purchase_total"] == "10000"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["stock", "NOPE-1"], "unknown_item"),
        (["stock", "--warehouse", "MARS"], "unknown_warehouse"),
        (["orders", "SO-9999"], "unknown_order"),
        (["forecast", "NOPE-1"], "unknown_item"),
        (["report", "nonsense"], "error (unknown_report)"),
        (["rules", "set", "approval.nonsense", "1"], "error (unknown_setting)"),
        (["chat", "--user", "nobody"], "nobody is not registered"),
        (["run", "--user", "nobody", "-"], "not_permitted"),
        (["nonsense"], "No such command"),
        (["rules", "nonsense"], "No such command"),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else None,
)
def test_an_unknown_name_is_one_clear_line(master_db, args, code):
    proc = jxc(master_db, *args, input=RECEIVE + "\n")
    # The chat answers a stranger politely, as in Slack or Telegram, and goes on.
    lines = assert_clean(proc, *((0,) if args[0] == "chat" else (1, 2)))
    assert any(code in line for line in lines), lines


def _break_a_balance(db_url: str) -> None:
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE balance SET on_hand = 'twelve'")


def test_an_unexpected_error_names_a_reference_kept_in_the_log(master_db, tmp_path):
    if not master_db.startswith("sqlite"):
        pytest.skip("breaks a SQLite row by hand")
    run_json(master_db, json.loads(RECEIVE))
    _break_a_balance(master_db)
    log_file = tmp_path / "errors.log"
    env = {**cli_env(master_db), "JXC_LOG_FILE": str(log_file)}
    argv = [sys.executable, "-m", "adapters.cli"]
    kw = {"capture_output": True, "text": True, "env": env, "cwd": ROOT, "timeout": 60}

    proc = subprocess.run([*argv, "stock", "M6-20"], **kw)
    lines = assert_clean(proc, 1)
    assert len(lines) == 1 and lines[0].startswith("error (internal_error): Sorry"), lines
    ref = lines[0].split("(reference ")[1].split(")")[0]
    kept = log_file.read_text("utf-8")
    assert f"reference {ref}" in kept and "Traceback" in kept

    as_json = json.loads(subprocess.run([*argv, "stock", "M6-20", "--json"], **kw).stdout)
    assert as_json["ok"] is False and as_json["error"]["code"] == "internal_error"

    debug = subprocess.run([*argv, "--debug", "stock", "M6-20"], **kw)
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_the_log_defaults_to_the_users_private_state_directory(master_db, tmp_path):
    if not master_db.startswith("sqlite"):
        pytest.skip("breaks a SQLite row by hand")
    run_json(master_db, json.loads(RECEIVE))
    _break_a_balance(master_db)
    env = {k: v for k, v in cli_env(master_db).items() if k != "JXC_LOG_FILE"}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    proc = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "stock"],
        capture_output=True,
        text=True,
        env=env,
        cwd=RUN_DIR,
        timeout=60,
    )
    assert_clean(proc, 1)
    kept = tmp_path / "state" / "jxc" / "jxc.log"
    assert "internal_error" in proc.stderr and str(kept) in proc.stderr
    assert "Traceback" in kept.read_text("utf-8")
    assert kept.stat().st_mode & 0o777 == 0o600
    assert kept.parent.stat().st_mode & 0o777 == 0o700
    beside = os.path.join(os.path.dirname(master_db.removeprefix("sqlite:///")), "jxc.log")
    assert not os.path.exists(beside)


def _on_hand(db_url: str) -> str:
    return json.loads(jxc(db_url, "stock", "M6-20", "--json", check=True).stdout)[0]["on_hand"]


def test_a_writer_facing_a_held_lock_gets_busy_and_changes_nothing(master_db):
    if not master_db.startswith("sqlite"):
        pytest.skip("SQLite's database lock")
    impatient = master_db + "?timeout=0.2"
    holder = sqlite3.connect(master_db.removeprefix("sqlite:///"), isolation_level=None)
    keyed = json.dumps({**json.loads(RECEIVE), "key": "tg:77"}) + "\n"
    holder.execute("BEGIN IMMEDIATE")
    try:
        proc = jxc(impatient, "run", "-", input=keyed)
    finally:
        holder.rollback()
        holder.close()
    assert_clean(proc, 1)
    result = json.loads(proc.stdout)
    assert result["error"]["code"] == "busy", result
    assert "try again" in result["error"]["message"]
    assert _on_hand(master_db) == "0"
    # "busy" is not the command's answer: the same key, sent again, runs it.
    again = json.loads(jxc(master_db, "run", "-", input=keyed).stdout)
    assert again["ok"] is True, again
    assert _on_hand(master_db) == "5"


@pytest.mark.db
def test_two_writers_on_one_sqlite_file_both_land_or_one_is_busy(master_db):
    if not master_db.startswith("sqlite"):
        pytest.skip("SQLite's database lock")
    lines = "".join(
        json.dumps({"intent": "stock.receive", "item": "M6-20", "qty": "1", "unit_cost": "0.1"})
        + "\n"
        for _ in range(40)
    )
    outputs: list[subprocess.CompletedProcess] = []

    def writer():
        outputs.append(
            jxc(master_db + "?timeout=0.5", "run", "-", input=lines, timeout=120, process=True)
        )

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    landed = 0
    for proc in outputs:
        assert "Traceback" not in proc.stdout + proc.stderr
        for line in proc.stdout.splitlines():
            result = json.loads(line)
            assert result["ok"] or result["error"]["code"] == "busy", result
            landed += result["ok"]
    assert landed >= 40
    assert _on_hand(master_db) == str(landed)


def test_every_command_a_module_registers_is_listed_and_runs_inside_the_boundary():
    import importlib

    import click

    from adapters.cli.main import COMMANDS, cli

    for module_name in {m for m, _ in COMMANDS.values()}:
        group = click.Group()
        importlib.import_module(f"adapters.cli.{module_name}").register(group)
        for name in group.commands:
            assert COMMANDS.get(name, ("",))[0] == module_name, f"add {name!r} to COMMANDS"
    help_text = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "--help"], capture_output=True, text=True, cwd=ROOT
    ).stdout
    assert all(f"  {name} " in help_text for name in COMMANDS)
    assert cli.get_command(click.Context(cli), "stock").callback.__wrapped__


def test_input_that_is_not_a_command_is_a_bad_request_and_a_missing_slot_stays_one(master_db):
    lines = [
        "not json",
        "[1, 2]",
        {"qty": "5"},
        {"intent": "stock.recieve", "item": "M6-20", "qty": "5"},
        {"intent": "stock.receive", "item": "M6-20", "qty": "5", "colour": "red"},
        {"intent": "stock.receive", "item": "M6-20", "qty": 5.5},
        {"intent": "stock.receive", "item": ["M6-20"], "qty": "5"},
        {"intent": "forecast", "item": "M6-20", "days": "soon"},
        {"intent": "sales.create", "customer": "ACME", "lines": "M6-20 x 5"},
        {"intent": "sales.create", "customer": "ACME", "lines": [{"item": "M6-20", "n": "5"}]},
        {"intent": "sales.create", "customer": "ACME"},
        {"intent": "stock.receive", "item": "M6-20"},
        {"intent": "stock.receive", "item": "M6-20", "qty": "lots"},
        {"intent": "report", "name": "nonsense"},
        {"intent": "report", "name": "top_seller"},
    ]
    stdin = "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines)
    proc = jxc(master_db, "run", "-", input=stdin)
    assert_clean(proc, 1)
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    codes = [o["error"]["code"] for o in out]
    assert codes == [*["bad_request"] * 10, "missing_slot", "missing_slot", "invalid_quantity",
                     "unknown_report", "unknown_report"]  # fmt: skip
    assert out[3]["error"]["suggestions"] == ["stock.receive"]
    assert "colour" in out[4]["error"]["message"]
    assert "suggestions" not in out[13]["error"]
    assert out[14]["error"]["suggestions"] == ["top_sellers"]
    assert _on_hand(master_db) == "0"


@pytest.mark.parametrize(
    ("args", "code", "suggested"),
    [
        (["forecast", "NOPE"], "unknown_item", None),
        (["forecast", "M6-2"], "unknown_item", "M6-20"),
        (["stock", "DRILL"], "unknown_item", "DRILL-18V"),
        (["report", "nonsense"], "unknown_report", None),
        (["report", "kpis"], "unknown_report", "kpi"),
        (["rules", "set", "approval.nonsense", "1"], "unknown_setting", None),
        (["rules", "set", "approval.purchase", "1"], "unknown_setting", "approval.purchase_total"),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else None,
)
def test_suggestions_are_only_the_close_names(master_db, args, code, suggested):
    proc = jxc(master_db, *args)
    (line,) = assert_clean(proc, 1)
    assert line.startswith(f"error ({code})"), line
    if suggested is None:
        assert "did you mean" not in line, line
    else:
        assert f"did you mean {suggested}" in line, line
