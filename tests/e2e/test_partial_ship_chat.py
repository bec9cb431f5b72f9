"""A clerk ships part of an order in the console chat, confirms, and ships the rest later."""

from __future__ import annotations

import json

import pytest

from tests.conftest import jxc, run_json

pytestmark = pytest.mark.db


def answers(proc) -> list[str]:
    return [a.strip() for a in proc.stdout.split("\n\n") if a.strip()]


def test_a_clerk_ships_part_of_an_order_in_chat_then_the_rest(master_db):
    run_json(
        master_db,
        {"intent": "stock.receive", "item": "M6-20", "qty": "100", "unit_cost": "0.12"},
        {"intent": "sales.create", "customer": "ACME", "lines": [{"item": "M6-20", "qty": "30"}]},
    )
    proc = jxc(
        master_db,
        "chat",
        "--user",
        "li",
        input="SO-0001 先发 M6 10 个\n是\nSO-0001 先发 M6 25 个\nSO-0001 发货\n是\n",
    )
    assert proc.returncode == 0
    out = answers(proc)
    # The proposal names what ships now, not the whole order; the reply says it is partial.
    assert out[0].startswith("SO-0001（艾克米 (ACME)） 从 MAIN 发货：10 × M6螺栓。确认吗？")
    assert out[1].startswith("SO-0001 已从 MAIN 发货：10 × M6螺栓（销售成本 1.20）")
    assert out[1].endswith("状态：部分发货。")
    # 25 is more than the 20 still open: refused before anything is proposed, in Chinese.
    assert (
        out[2]
        == "SO-0001 的 M6螺栓（M6-20）只剩 20 未发（为该单预留；订购 30，已发 10），不能发 25"
    )
    # Without lines the rest ships, and the order is complete.
    assert out[3].startswith("SO-0001（艾克米 (ACME)） 从 MAIN 发货：20 × M6螺栓。确认吗？")
    assert out[4].endswith("状态：已发货。")
    (row,) = json.loads(jxc(master_db, "orders", "SO-0001", "--json", check=True).stdout)
    assert (row["status"], row["lines"][0]["shipped"]) == ("shipped", "30")
    stock = json.loads(jxc(master_db, "stock", "M6-20", "--json", check=True).stdout)[0]
    assert (stock["on_hand"], stock["reserved"]) == ("70", "0")
