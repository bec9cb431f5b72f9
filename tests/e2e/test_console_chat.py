"""The console chat and `jxc parse` as processes, the way a newcomer tries them."""

from __future__ import annotations

import json

import pytest

from tests.conftest import jxc, run_json

pytestmark = pytest.mark.db


def answers(proc) -> list[str]:
    return [a.strip() for a in proc.stdout.split("\n\n") if a.strip()]


def test_a_clerk_receives_cartons_in_chinese_and_the_ledger_shows_it(master_db):
    proc = jxc(master_db, "chat", "--user", "li", input="入库纸箱五百个\n是\n是\n纸箱还有多少\n")
    assert proc.returncode == 0
    out = answers(proc)
    assert out[0].startswith("入库 纸箱 (BOX-M) 500，仓库 MAIN。确认吗？")
    assert out[1].startswith("已入库 BOX-M 500")
    assert out[2] == "目前没有需要您确认的操作。"
    assert "BOX-M @ MAIN：在库 500" in out[3]
    stock = json.loads(jxc(master_db, "stock", "BOX-M", "--json").stdout)
    assert stock[0]["on_hand"] == "500"


def test_a_sale_confirmed_in_a_second_session_runs_once(master_db):
    run_json(master_db, {"intent": "stock.receive", "item": "M6-20", "qty": "100"})
    first = jxc(master_db, "chat", "--user", "sam", input="sell 20 m6 bolts to acme\n")
    assert "Confirm?" in first.stdout
    other = jxc(master_db, "chat", "--user", "wang", input="yes\n")
    assert "没有需要您确认" in other.stdout
    second = jxc(master_db, "chat", "--user", "sam", input="yes\nyes\n")
    out = answers(second)
    assert out[0].startswith("Sales order SO-0001 for ACME: total 5.00, confirmed.")
    assert out[1] == "There is nothing waiting for your confirmation."
    stock = json.loads(jxc(master_db, "stock", "M6-20", "--json").stdout)[0]
    assert (stock["reserved"], stock["available"]) == ("20", "80")


def test_chat_language_flag_and_unknown_user(master_db):
    proc = jxc(master_db, "chat", "--user", "li", "--lang", "en", input="help\n")
    assert proc.stdout.startswith("You are clerk.")
    nobody = jxc(master_db, "chat", "--user", "nobody", input="how many M6\n")
    assert "not registered" in nobody.stdout


def test_parse_prints_the_design_shape(master_db):
    proc = jxc(master_db, "parse", "ACME 要 20 个 M6", "--json")
    assert json.loads(proc.stdout) == {
        "intent": "sales.create",
        "customer": "ACME",
        "lines": [{"item": "M6-20", "qty": "20"}],
    }
    bad = jxc(master_db, "parse", "sell 20 M6 to", "--json")
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["intent"] is None
    many = jxc(master_db, "parse", "-", input="M6 还有多少\n哪些要补货\nblah blah\n")
    lines = [json.loads(x) for x in many.stdout.splitlines()]
    assert [x["intent"] for x in lines] == ["stock.query", "report", None]
    assert lines[1] == {"intent": "report", "name": "below_reorder"}
    assert many.returncode == 1
