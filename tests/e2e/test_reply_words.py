"""Replies speak in words, not identifiers: roles and models named in the reader's language,
money with 2 decimals and thousands separators, Chinese clauses with Chinese punctuation, text
as the user typed it, and a sparse forecast in weeks and chances rather than "0" every day."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from bot.conversation import Conversation
from domain.ledger import imports
from domain.messages.commands import QueryOrders, ReceiveStock
from tests.conftest import jxc

pytestmark = pytest.mark.db
D = Decimal


@pytest.fixture
def chat(app):
    return Conversation(app.bus, app.uow, app.clock)


def say(chat, user, text):
    """Send a text and confirm the proposal it makes; returns (proposal, answer)."""
    ask = chat.handle(user, f"c-{user}", text)
    done = chat.handle(user, f"c-{user}", "是" if user in ("wang", "li", "liu", "chen") else "yes")
    return ask.text, done.text


def receive(app, sku, qty, cost):
    app.bus.execute(ReceiveStock(item=sku, qty=D(qty), unit_cost=D(cost)), app.bus.user("li"))


def sparse_history(app, sku, every=9, days=120):
    """One sale of 2 every `every` days over `days` days ending yesterday."""
    end = app.clock.today() - timedelta(days=1)
    rows = [
        (
            n,
            {
                "date": (end - timedelta(days=i)).isoformat(),
                "sku": sku,
                "qty": "2",
                "customer": "ACME",
                "unit_price": "",
            },
        )  # fmt: skip
        for n, i in enumerate(range(0, days, every), start=2)
    ]
    with app.uow() as uow:
        imports.import_rows(uow, "sales_history", rows, today=app.clock.today())
        uow.commit()


def test_a_rejection_reason_is_stored_and_shown_as_typed(app, chat):
    receive(app, "DRILL-18V", 10, "240")
    _, placed = say(chat, "wang", "GREEN 要 2 台 DRILL-18V 八五折")
    assert "A-1" in placed
    proposal, done = say(chat, "liu", "驳回 A-1 盘点数不对，重新盘")
    assert "盘点数不对，重新盘" in proposal and "盘点数不对，重新盘" in done
    [order] = app.bus.execute(QueryOrders(order="SO-0001"), app.bus.user("admin")).orders
    assert order.reason == "盘点数不对，重新盘"


def test_help_names_the_role_in_chinese(chat):
    text = chat.handle("chen", "c-chen", "帮助").text
    assert text.startswith("您的角色是会计，") and "accountant" not in text


def test_a_count_in_words_money_with_separators_and_no_reservation_talk(app, chat):
    receive(app, "DRILL-18V", 100, "240.5")
    proposal, done = say(chat, "li", "盘点 电钻 实际 87")
    assert "（-3,126.50）" in proposal and "批准前不预留库存" not in proposal
    assert "批准后才过账差异" in proposal
    assert "差异 -13（-3,126.50）" in done and "-3126.5" not in done
    listed = chat.handle("liu", "c-liu", "待审批").text
    # A count is named by its number (PostgreSQL may skip one a dry run took): `盘点 #n`.
    count = re.match(r"A-1：(盘点 #\d+)，", listed).group(1)
    assert (
        listed.startswith(f"A-1：{count}，盘点 电钻 (DRILL-18V)（MAIN）：") and "; " not in listed
    )
    rejected, told = say(chat, "liu", "驳回 A-1 盘点数不对，重新盘")
    assert rejected.startswith(f"驳回 A-1（{count}，申请人 li）：")
    assert told.startswith(f"A-1 已驳回：{count}（") and "盘点数不对，重新盘" in told


def test_below_average_cost_is_money_with_two_decimals(app, chat):
    receive(app, "DRILL-18V", 3, "240.5023")
    proposal = chat.handle("wang", "c-wang", "GREEN 要 1 台 电钻 单价 200").text
    assert "低于平均成本 240.50" in proposal and "240.5023" not in proposal
    assert "; " not in proposal  # Chinese clauses take Chinese punctuation


def test_cancelling_a_pending_order_releases_nothing(app, chat):
    receive(app, "DRILL-18V", 10, "240")
    say(chat, "wang", "GREEN 要 2 台 DRILL-18V 八五折")
    proposal = chat.handle("wang", "c-wang", "取消 SO-0001").text
    assert proposal == "取消 SO-0001。确认吗？"
    receive(app, "M6-20", 100, "0.12")
    say(chat, "wang", "ACME 要 20 个 M6")
    assert "释放预留库存" in chat.handle("wang", "c-wang", "取消 SO-0002").text


def test_an_english_shortage_ends_its_sentence_before_the_hint(app, chat):
    receive(app, "M6-20", 5, "0.12")
    text = chat.handle("sam", "c-sam", "sell 500 M6 to ACME").text
    assert ". Ask `how many <item>`" in text, text


def test_a_forecast_names_its_model_in_words_and_a_sparse_one_in_weeks(app, chat):
    sparse_history(app, "GLOVE-L")
    zh = chat.handle("wang", "c-wang", "预测 手套 未来30天").text
    assert "间歇需求模型" in zh
    assert not any(m in zh for m in ("croston_sba", "adida", "imapa"))
    assert "平均每周约" in zh and "一周内有销量的可能性" in zh
    en = chat.handle("sam", "c-sam", "forecast gloves next 30 days").text
    assert "sparse-demand model" in en and "a week" in en


def test_slow_moving_on_a_young_ledger_says_the_ledger_is_younger(app, chat):
    receive(app, "M6-20", 100, "0.12")
    say(chat, "wang", "ACME 要 20 个 M6")
    text = chat.handle("wang", "c-wang", "呆滞库存").text
    assert "（无数据）" not in text
    assert "账簿从" in text and "不足所问的 90 天" in text


def test_turnover_kpi_shows_sensible_decimals(app, chat):
    receive(app, "M6-20", 3000, "0.12")
    for n in range(3):
        say(chat, "wang", f"ACME 要 {300 + n} 个 M6")
        say(chat, "li", f"SO-000{n + 1} 发货")
    text = chat.handle("wang", "c-wang", "关键指标").text
    line = next(x for x in text.splitlines() if x.lstrip().startswith("库存周转率"))
    figures = [w for w in line.split() if w.replace(".", "").replace(",", "").isdigit()]
    assert figures and all(len(f.partition(".")[2]) <= 2 for f in figures), line


def test_jxc_forecast_of_a_sparse_item_shows_weeks_and_the_chance_of_a_sale(app, master_db):
    sparse_history(app, "GLOVE-L")
    out = jxc(master_db, "forecast", "GLOVE-L", "--days", "28", check=True).stdout
    lines = out.splitlines()
    # Whichever of the sparse-demand models the backtest chose, named in words first.
    assert lines[0].split(" — ")[0] in {
        f"GLOVE-L: sparse-demand model ({m})" for m in ("croston_sba", "adida", "imapa")
    }
    assert "most days sell nothing (a sale on a given day: about " in out
    weeks = [x for x in lines if "chance of any sale" in x]
    assert len(weeks) == 4 and all("on average" in w for w in weeks)
    assert not any(x.strip().endswith("[0 – 2]") for x in lines)
    points = __import__("json").loads(
        jxc(master_db, "forecast", "GLOVE-L", "--days", "28", "--json", check=True).stdout
    )["points"]
    assert len(points) == 28  # the JSON keeps every day


def test_a_forecast_total_s_range_adds_the_days_spreads_not_their_bounds(app, chat, master_db):
    """A month's total is not every day at its 10th percentile at once: the range said in chat
    is the total ± 1.2816 σ with the days' σ added as independent days (as safety stock adds
    them), inside the sum of the daily bounds and around the total."""
    import json
    import re

    sparse_history(app, "GLOVE-L")
    text = chat.handle("sam", "c-sam", "forecast gloves next 30 days").text
    total, lo, hi = (
        float(x.replace(",", ""))
        for x in re.search(r"about ([\d,.]+) \(range ([\d,.]+)–([\d,.]+)\)", text).groups()
    )
    out = jxc(master_db, "forecast", "GLOVE-L", "--json", check=True).stdout
    points = json.loads(out)["points"]
    days_low = sum(p["yhat_lower"] for p in points)
    days_high = sum(p["yhat_upper"] for p in points)
    assert days_low - 0.5 <= lo <= total <= hi <= days_high + 0.5
    assert hi - lo < days_high - days_low
