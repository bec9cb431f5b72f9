"""What the user confirms is what happens: the chat proposes only what would succeed, says what
it is about, never drops a request silently, speaks the user's language, and lets a "did you
mean" be answered."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from adapters.bootstrap import run_feed_inline
from adapters.deliveries import deliver_pending
from adapters.notify import RecordingNotifier
from bot.conversation import Conversation
from domain.messages.commands import CountStock, QueryOrders, QueryStock, ReceiveStock

pytestmark = pytest.mark.db
ROOT = Path(__file__).resolve().parent.parent.parent
CORPUS = ROOT / "tests" / "unit" / "parse_corpus.jsonl"
DEMO_ITEMS = ROOT / "adapters" / "demo_data" / "items.csv"


@pytest.fixture
def notifier():
    return RecordingNotifier()


@pytest.fixture
def chat(app):
    li = app.bus.user("li")
    for sku, qty, cost, wh in (
        ("M6-20", 2000, "0.12", "MAIN"),
        ("M6-NUT", 3000, "0.03", "MAIN"),
        ("HAMMER", 300, "12", "MAIN"),
        ("GLOVE-L", 1000, "1.50", "MAIN"),
        ("DRILL-18V", 1, "240", "MAIN"),
        ("DRILL-18V", 5, "240", "BJ"),
    ):
        app.bus.execute(
            ReceiveStock(item=sku, qty=Decimal(qty), unit_cost=Decimal(cost), warehouse=wh), li
        )
    return Conversation(app.bus, app.uow, app.clock)


def stock(app, sku, wh="MAIN"):
    rows = app.bus.execute(QueryStock(item=sku, warehouse=wh), app.bus.user("admin")).rows
    return rows[0]


def orders(app):
    return app.bus.execute(QueryOrders(), app.bus.user("admin")).orders


# -- 4. offer only what can succeed --------------------------------------------------------------


def test_a_sale_that_stock_cannot_cover_is_refused_before_any_confirmation(app, chat):
    reply = chat.handle("sam", "c1", "sell 999999 drills to acme")
    assert reply.ok is False and not reply.buttons
    assert "available" in reply.text
    assert chat.handle("sam", "c1", "yes").text.startswith("There is nothing")
    assert orders(app) == ()


def test_a_chinese_sale_short_in_main_says_what_other_warehouses_hold(app, chat):
    reply = chat.handle("wang", "tg", "绿居要十个电钻")
    assert reply.ok is False and not reply.buttons
    assert "1" in reply.text and "BJ" in reply.text and "5" in reply.text
    assert "确认吗" not in reply.text


def test_shipping_a_cancelled_order_is_refused_at_once(app, chat):
    chat.handle("wang", "tg", "ACME 要 20 个 M6")
    chat.handle("wang", "tg", "是")
    chat.handle("wang", "tg", "取消 SO-0001")
    chat.handle("wang", "tg", "是")
    reply = chat.handle("li", "tg", "SO-0001 发货")
    assert reply.ok is False and not reply.buttons
    assert "SO-0001" in reply.text and "已取消" in reply.text


def test_an_order_that_will_wait_for_approval_says_so_and_why_before_the_yes(app, chat):
    ask = chat.handle("sam", "c1", "sell 300 hammers to green at 20")
    assert ask.buttons and "wait for approval" in ask.text and "discount" in ask.text
    assert "reserve nothing" in ask.text
    done = chat.handle("sam", "c1", "yes")
    assert "A-1" in done.text and "pending approval" not in ask.text


def test_approving_ones_own_request_is_refused_before_the_yes(app, chat):
    chat.handle("admin", "c1", "sell 300 hammers to green at 20")
    chat.handle("admin", "c1", "yes")
    reply = chat.handle("admin", "c1", "approve A-1")
    assert reply.ok is False and not reply.buttons and "own" in reply.text


# -- 2. the confirmed total is the stored total ---------------------------------------------------


def test_a_price_and_a_discount_mean_the_discount_off_that_price(app, chat):
    ask = chat.handle("wang", "tg", "艾克米要 M6 200个 每个0.22 九五折")
    assert "41.80" in ask.text and "44.00" not in ask.text
    chat.handle("wang", "tg", "是")
    assert orders(app)[0].total == "41.80"


def _sales_utterances() -> list[str]:
    out = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        if (case.get("expect") or {}).get("intent") == "sales.create":
            out.append(case["text"])
    return out


def test_every_sales_utterance_of_the_corpus_is_stored_as_quoted(app, chat):
    """Propose, confirm, and compare the total quoted with the total stored."""
    texts = _sales_utterances()
    assert len(texts) >= 20
    admin = app.bus.user("admin")
    skus = [row.split(",")[0] for row in DEMO_ITEMS.read_text(encoding="utf-8").splitlines()[1:]]
    for sku in skus:
        app.bus.execute(ReceiveStock(item=sku, qty=Decimal(900000)), admin)
    compared = 0
    for n, text in enumerate(texts):
        channel = f"corpus-{n}"
        ask = chat.handle("admin", channel, text)
        if not ask.buttons:
            continue  # refused before the yes (stock, credit): nothing to compare
        done = chat.handle("admin", channel, "yes")
        number = re.search(r"SO-\d{4}", done.text)
        assert number, (text, done.text)
        stored = next(o for o in orders(app) if o.order == number.group())
        lines = stored.lines
        quoted_amounts = [ln.amount for ln in lines]
        for amount in quoted_amounts:
            assert f"{Decimal(amount):,.2f}" in ask.text, (text, ask.text, lines)
        if len(lines) > 1:
            assert f"{Decimal(stored.total):,.2f}" in ask.text, (text, ask.text)
        compared += 1
    assert compared >= 15


# -- 3. an approved count posts what was approved ------------------------------------------------


def test_an_approved_count_posts_the_approved_difference(app, chat):
    ask = chat.handle("li", "tg", "盘点 手套 实际 1198")
    assert "GLOVE-L" in ask.text and "MAIN" in ask.text and "198" in ask.text
    chat.handle("li", "tg", "是")
    chat.handle("li", "tg", "出库 手套 10 个")
    chat.handle("li", "tg", "是")
    assert stock(app, "GLOVE-L").on_hand == "990"
    ask = chat.handle("mary", "slack", "approve A-1")
    assert "GLOVE-L" in ask.text and "MAIN" in ask.text and "1198" in ask.text
    done = chat.handle("mary", "slack", "yes")
    assert stock(app, "GLOVE-L").on_hand == "1188"
    assert "+198" in done.text and "1188" in done.text and "book moved" in done.text


# -- 6. nothing dropped silently -----------------------------------------------------------------


def test_a_new_request_while_another_waits_says_it_replaced_it(app, chat):
    chat.handle("sam", "c1", "sell 10 hammers to beta")
    ask = chat.handle("sam", "c1", "ACME wants 20 hammers")
    assert "replaces" in ask.text and "BETA" in ask.text
    chat.handle("sam", "c1", "yes")
    assert [o.partner for o in orders(app)] == ["ACME"]


def test_several_orders_to_ship_in_one_message_are_all_proposed(app, chat):
    for text in ("ACME 要 20 个 M6", "贝塔要 10 个 锤子"):
        chat.handle("wang", "tg", text)
        chat.handle("wang", "tg", "是")
    ask = chat.handle("li", "tg", "发货 SO-0001 SO-0002")
    assert "SO-0001" in ask.text and "SO-0002" in ask.text and ask.buttons
    chat.handle("li", "tg", "是")
    assert {o.order: o.status for o in orders(app)} == {
        "SO-0001": "shipped",
        "SO-0002": "shipped",
    }


# -- 7. never confirm blind ----------------------------------------------------------------------


def test_receiving_and_shipping_confirmations_name_items_and_quantities(app, chat):
    chat.handle("zhao", "tg", "向华东五金采购 M6 500 个")
    chat.handle("zhao", "tg", "是")
    ask = chat.handle("li", "tg", "PO-0001 到货")
    assert "500" in ask.text and "M6" in ask.text and "指定行" not in ask.text
    chat.handle("li", "tg", "否")
    chat.handle("wang", "tg", "ACME 要 20 个 M6")
    chat.handle("wang", "tg", "是")
    ask = chat.handle("li", "tg", "SO-0001 发货")
    assert "20 × M6螺栓" in ask.text and "ACME" in ask.text


def test_a_discount_is_shown_with_the_list_price(app, chat):
    ask = chat.handle("sam", "c1", "sell 10 hammers to acme 5% off")
    assert "28.00" in ask.text and "5 %" in ask.text and "266.00" in ask.text


def test_an_approval_names_what_it_is_about_and_the_requester_hears_the_reason(app, chat, notifier):
    chat.handle("wang", "tg", "绿居要 300 个 锤子 每个 20")
    chat.handle("wang", "tg", "是")
    run_feed_inline(app, "reference")  # as the console and the server do after each message
    listing = chat.handle("mary", "slack", "pending approvals")
    assert "GREEN" in listing.text and "300" in listing.text and "wang" in listing.text
    ask = chat.handle("mary", "slack", "reject A-1 too cheap")
    assert "300" in ask.text and "GREEN" in ask.text and "too cheap" in ask.text
    chat.handle("mary", "slack", "yes")
    run_feed_inline(app, "reference")
    deliver_pending(app, notifier)
    told = [s for s in notifier.sent if s.recipient == "wang"]
    assert told and "too cheap" in told[-1].text and "驳回" in told[-1].text
    assert orders(app)[0].reason == "too cheap"


def test_a_count_approval_request_names_item_and_warehouse(app, chat):
    app.bus.execute(CountStock(item="GLOVE-L", counted_qty=Decimal(1051)), app.bus.user("li"))
    listing = chat.handle("mary", "slack", "pending approvals")
    assert "GLOVE-L" in listing.text and "MAIN" in listing.text and "1051" in listing.text


# -- 8. the user's language ----------------------------------------------------------------------


def test_an_english_user_gets_english_prompts_for_a_chinese_message(app, chat):
    assert chat.handle("tom", "c1", "预测").text == "Which item? It is missing from the command."
    unknown = chat.handle("tom", "c1", "库存 扳子手")
    # a new command while "which item?" waits: a line says the question was dropped, then
    assert unknown.text.splitlines()[-1].startswith("I don't know the item"), unknown.text
    assert chat.handle("wang", "tg", "forecast").text == "请补充商品。"


def test_a_refusal_says_in_words_what_the_user_may_not_do(app, chat):
    en = chat.handle("tom", "c1", "PO-0001 arrived")
    assert "purchase.receive" not in en.text and "receive purchase orders" in en.text
    zh = chat.handle("wang", "tg", "PO-0001 到货")
    assert "purchase.receive" not in zh.text and "采购收货" in zh.text


def test_approval_reasons_come_in_the_reply_language(app, chat):
    chat.handle("wang", "tg", "绿居要 300 个 锤子 每个 20")
    done = chat.handle("wang", "tg", "是")
    assert "discount" not in done.text and "折扣" in done.text


# -- 9. "did you mean" can be answered -----------------------------------------------------------


def test_a_single_suggestion_is_taken_with_yes(app, chat):
    ask = chat.handle("wang", "tg", "美 要 10 个 锤子")
    assert "MEILIN" in ask.text
    proposal = chat.handle("wang", "tg", "是")
    assert proposal.buttons and "MEILIN" in proposal.text


def test_a_suggestion_is_taken_by_its_name_and_the_order_goes_on(app, chat):
    ask = chat.handle("wang", "tg", "ACME 要 100 个 螺母")
    assert "M6-NUT" in ask.text
    proposal = chat.handle("wang", "tg", "M6-NUT")
    assert proposal.buttons and "ACME" in proposal.text and "100 × M6螺母" in proposal.text


def test_a_missing_value_is_not_asked_of_someone_who_may_not_run_the_command(app, chat):
    reply = chat.handle("tom", "c1", "sell 20 M6 to")
    assert "may not" in reply.text and "customer" not in reply.text.lower()


def test_the_dry_run_leaves_no_trace(app, chat):
    chat.handle("wang", "tg", "ACME 要 20 个 M6")
    assert stock(app, "M6-20").reserved == "0"
    assert orders(app) == ()
    chat.handle("wang", "tg", "否")
    chat.handle("wang", "tg", "ACME 要 20 个 M6")
    assert "SO-0001" in chat.handle("wang", "tg", "是").text


def test_a_replayed_confirmation_runs_once(app, chat):
    chat.handle("wang", "tg", "ACME 要 20 个 M6")
    chat.handle("wang", "tg", "是")
    chat.handle("wang", "tg", "是")
    assert len(orders(app)) == 1 and stock(app, "M6-20").reserved == "20"


def test_two_customers_orders_in_one_message_are_both_proposed(app, chat):
    ask = chat.handle("wang", "tg", "艾克米要20个锤子，贝塔要10个锤子")
    assert "ACME" in ask.text and "BETA" in ask.text and ask.buttons
    chat.handle("wang", "tg", "是")
    assert sorted(o.partner for o in orders(app)) == ["ACME", "BETA"]


# -- 5. a question is never a write ----------------------------------------------------------------


def test_questions_about_an_order_are_answered_not_proposed(app, chat):
    chat.handle("wang", "tg", "ACME 要 20 个 M6")
    chat.handle("wang", "tg", "是")
    for text in ("SO-0001 发货了吗", "is SO-0001 shipped?", "SO-0001 为什么取消了"):
        reply = chat.handle("li", "tg", text)
        assert not reply.buttons and "SO-0001" in reply.text, (text, reply.text)
    polite = chat.handle("li", "tg", "can you ship SO-0001?")
    assert polite.buttons and "SO-0001" in polite.text
    chat.handle("li", "tg", "否")
    assert orders(app)[0].status == "confirmed"


# -- buttons ------------------------------------------------------------------------------------


def test_a_confirmation_button_is_taken_only_from_the_proposer_and_only_once(app, chat):
    ask = chat.handle("wang", "group", "ACME 要 20 个 M6")
    confirm, cancel = (b.payload for b in ask.buttons)
    assert confirm.startswith("confirm:") and cancel.startswith("cancel:")
    assert len(confirm.encode()) <= 64
    other = chat.press("li", "group", confirm)
    assert other.ok is False and orders(app) == ()
    done = chat.press("wang", "group", confirm)
    assert "SO-0001" in done.text
    again = chat.press("wang", "group", confirm)
    assert again.ok is False and len(orders(app)) == 1


def test_a_button_of_an_older_proposal_changes_nothing(app, chat):
    old = chat.handle("wang", "group", "ACME 要 20 个 M6").buttons[0].payload
    new = chat.handle("wang", "group", "ACME 要 30 个 M6").buttons[0].payload
    assert chat.press("wang", "group", old).ok is False and orders(app) == ()
    assert "SO-0001" in chat.press("wang", "group", new).text
    assert orders(app)[0].total == "7.50"


def test_a_chat_delivery_seen_before_has_no_second_effect(app, chat):
    ask = chat.handle("wang", "tg", "ACME 要 20 个 M6", delivery=("telegram", "101"))
    assert ask.buttons
    assert chat.handle("wang", "tg", "ACME 要 20 个 M6", delivery=("telegram", "101")) is None
    assert "SO-0001" in chat.handle("wang", "tg", "是", delivery=("telegram", "102")).text
    assert chat.handle("wang", "tg", "是", delivery=("telegram", "102")) is None
    question = chat.handle("wang", "tg", "M6 还有多少", delivery=("telegram", "103"))
    assert "M6-20" in question.text
    assert chat.handle("wang", "tg", "M6 还有多少", delivery=("telegram", "103")) is None
    assert len(orders(app)) == 1 and stock(app, "M6-20").reserved == "20"


def test_cancelling_a_partly_shipped_order_says_the_rest_is_closed(app, chat):
    chat.handle("wang", "tg", "ACME 要 20 个 M6")
    chat.handle("wang", "tg", "是")
    chat.handle("li", "tg", "SO-0001 先发 M6 5 个")
    chat.handle("li", "tg", "是")
    chat.handle("wang", "tg", "取消 SO-0001")
    done = chat.handle("wang", "tg", "是")
    assert "结单" in done.text and "15 × M6-20" in done.text
    assert stock(app, "M6-20").reserved == "0"
