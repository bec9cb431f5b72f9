"""A waiting question takes only its answer: a missing value, a "did you mean", a pick from a
list, a "Confirm?", the draft kept after a stock refusal and a rejection's reason each wait for
one answer of their kind; a new order or question drops what waited and says so first; a late
answer is told it expired and writes nothing. A short line does not sink an order, and a stock
refusal can be followed by naming another warehouse."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.bootstrap import run_feed_inline
from adapters.deliveries import deliver_pending
from adapters.notify import RecordingNotifier
from bot.conversation import Conversation
from bot.waiting import ReasonPrompt, Waiting
from domain.messages.commands import QueryOrders, QueryStock, ReceiveStock

pytestmark = pytest.mark.db


@pytest.fixture
def chat(app):
    li = app.bus.user("li")
    for sku, qty, cost, wh in (
        ("M6-20", 2000, "0.12", "MAIN"),
        ("M6-NUT", 3000, "0.03", "MAIN"),
        ("M8-NUT", 3000, "0.03", "MAIN"),
        ("HAMMER", 300, "12", "MAIN"),
        ("PLIERS", 10, "5", "MAIN"),
        ("PLIERS", 100, "5", "BJ"),
        ("DRILL-18V", 1, "240", "MAIN"),
        ("DRILL-18V", 5, "240", "BJ"),
    ):
        app.bus.execute(
            ReceiveStock(item=sku, qty=Decimal(qty), unit_cost=Decimal(cost), warehouse=wh), li
        )
    return Conversation(app.bus, app.uow, app.clock)


def orders(app) -> list[dict]:
    return app.bus.execute(QueryOrders(), app.bus.user("admin")).orders


def available(app, sku: str, wh: str = "MAIN") -> str:
    rows = app.bus.execute(QueryStock(item=sku, warehouse=wh), app.bus.user("admin")).rows
    return rows[0].available


# -- the cases of the issue ------------------------------------------------------------------------


def test_a_new_order_after_did_you_mean_is_a_new_proposal_not_the_old_draft(app, chat):
    ask = chat.handle("wang", "tg", "旭日要3台电转")
    assert "DRILL-18V" in ask.text and not ask.buttons
    new = chat.handle("wang", "tg", "贝塔要100个M8螺母")
    first, *rest = new.text.splitlines()
    assert "已放弃" in first and "BETA" not in first
    assert "BETA" in rest[0] and "100 × M8螺母" in rest[0] and "SUNRISE" not in new.text
    chat.handle("wang", "tg", "是")
    (order,) = orders(app)
    assert order.partner == "BETA" and order.total == "12.00"


def test_the_english_twin_books_the_new_customer_and_item(app, chat):
    ask = chat.handle("sam", "tg", "sunrise wants 3 drils")
    assert "DRILL-18V" in ask.text
    new = chat.handle("sam", "tg", "beta wants 100 M8 nuts")
    first = new.text.splitlines()[0]
    assert "dropped" in first and first.startswith("(")
    assert "BETA" in new.text and "100 × M8" in new.text and "SUNRISE" not in new.text
    assert "DRILL" not in new.text.split("\n", 1)[1]
    chat.handle("sam", "tg", "yes")
    assert [o.partner for o in orders(app)] == ["BETA"]


def test_a_question_while_an_order_number_is_asked_is_answered_not_cancelled(app, chat):
    chat.handle("wang", "tg", "ACME 要 20 个 M6")
    chat.handle("wang", "tg", "是")
    ask = chat.handle("sam", "tg", "cancel my order")
    assert "order number" in ask.text.lower()
    reply = chat.handle("sam", "tg", "is SO-0001 shipped?")
    assert not reply.buttons and "SO-0001" in reply.text and "Confirm?" not in reply.text
    assert "dropped" in reply.text.splitlines()[0]
    assert chat.handle("sam", "tg", "yes").text.startswith("There is nothing")
    assert orders(app)[0].status == "confirmed"


def test_a_bare_order_number_answers_which_order(app, chat):
    chat.handle("wang", "tg", "ACME 要 20 个 M6")
    chat.handle("wang", "tg", "是")
    chat.handle("wang", "tg", "取消订单")
    proposal = chat.handle("wang", "tg", "SO-0001")
    assert proposal.buttons and "SO-0001" in proposal.text


def test_yes_to_a_single_suggestion_proposes_the_order_and_never_asks_again(app, chat):
    ask = chat.handle("wang", "tg", "美林要6把锤")
    assert "HAMMER" in ask.text
    proposal = chat.handle("wang", "tg", "是")
    assert proposal.buttons and "MEILIN" in proposal.text and "6 × 羊角锤" in proposal.text
    assert chat.handle("wang", "tg", "是").text.startswith("销售单 SO-0001")


def test_a_bare_name_answers_which_item_and_which_customer(app, chat):
    chat.handle("sam", "c1", "sell 20 M6 to")
    assert chat.handle("sam", "c1", "ACME").buttons
    chat.handle("sam", "c1", "no")
    pick = chat.handle("sam", "c1", "sell 100 nuts to acme")
    assert "M6-NUT" in pick.text and "M8-NUT" in pick.text
    proposal = chat.handle("sam", "c1", "M8-NUT")
    assert proposal.buttons and "100 × M8" in proposal.text


# -- every kind of waiting state against a new order, a new question and a late answer --------


def _approval_waiting(app, chat) -> None:
    chat.handle("wang", "tg", "绿居要 300 个 锤子 每个 20")
    chat.handle("wang", "tg", "是")
    run_feed_inline(app, "reference")


KINDS = {
    # kind: (who, how the question is asked, the answer that fits it)
    "missing": ("wang", ["取消订单"], "SO-0001"),
    "did_you_mean": ("wang", ["美林要6把锤"], "是"),
    "pick": ("wang", ["ACME 要 100 个 螺母"], "2"),
    "confirm": ("wang", ["ACME 要 20 个 M6"], "是"),
    "refused": ("wang", ["绿居要3个电钻"], "从北京发"),
    "reason": ("liu", ["@tap ap:A-1:reject"], "价格太低"),
}


def _ask(app, chat, kind: str) -> str:
    who, asks, _ = KINDS[kind]
    if kind in ("missing", "reason"):
        _approval_waiting(app, chat) if kind == "reason" else None
        if kind == "missing":
            chat.handle("wang", "tg", "ACME 要 20 个 M6")
            chat.handle("wang", "tg", "是")
    for text in asks:
        if text.startswith("@tap "):
            reply = chat.act(who, "tg", text.removeprefix("@tap "))
            assert isinstance(reply, ReasonPrompt) and "A-1" in reply.text
        else:
            reply = chat.handle(who, "tg", text)
            assert not reply.ok or reply.buttons, reply.text
    return who


def _ledger(app) -> list:
    return [(o.order, o.status, o.total) for o in orders(app)]


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_new_order_drops_what_waits_and_says_so_first(app, chat, kind):
    who = _ask(app, chat, kind)
    before = _ledger(app)
    new = chat.handle(who, "tg", "贝塔要10个锤子") if who == "wang" else None
    if who != "wang":  # an approver places no orders: a stock question is their new message
        new = chat.handle(who, "tg", "锤子还有多少")
    first = new.text.splitlines()[0]
    assert first.startswith("（") and ("放弃" in first or "没有驳回" in first), new.text
    if who == "wang":
        assert new.buttons and "BETA" in new.text
    assert _ledger(app) == before
    # the old answer no longer completes the old question
    _, _, fits = KINDS[kind]
    chat.handle(who, "tg", fits)
    if kind == "reason":
        assert orders(app)[0].status == "pending_approval"


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_new_question_drops_what_waits_and_is_answered(app, chat, kind):
    who = _ask(app, chat, kind)
    before = _ledger(app)
    reply = chat.handle(who, "tg", "M6还有多少")
    lines = reply.text.splitlines()
    assert lines[0].startswith("（") and not reply.buttons
    assert "M6-20" in reply.text and "MAIN" in reply.text
    assert _ledger(app) == before
    _, _, fits = KINDS[kind]
    after = chat.handle(who, "tg", fits)
    assert _ledger(app) == before or kind in ("missing", "pick", "did_you_mean")
    if kind in ("confirm", "reason", "refused"):
        assert not after.buttons and _ledger(app) == before


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_late_answer_is_told_the_question_expired_and_writes_nothing(app, chat, kind):
    who = _ask(app, chat, kind)
    before = _ledger(app)
    app.clock.advance(minutes=9)
    if kind != "reason":  # (any text but a command is a reason)
        chat.handle(who, "tg", "你好")  # later messages don't extend the question
    app.clock.advance(minutes=2)
    _, _, fits = KINDS[kind]
    late = chat.handle(who, "tg", fits)
    assert "超时" in late.text and not late.buttons, late.text
    assert _ledger(app) == before
    # and the question is gone: the same answer again is not taken either
    again = chat.handle(who, "tg", fits)
    assert "超时" not in again.text and _ledger(app) == before


# -- a short line, a refusal followed ---------------------------------------------------------------


def test_a_short_line_is_named_and_the_rest_is_proposed(app, chat):
    ask = chat.handle("sam", "tg", "acme wants 24 hammers and 50 pliers")
    assert ask.buttons
    assert "24 × claw hammer" in ask.text and "PLIERS" in ask.text
    short = next(line for line in ask.text.splitlines() if "PLIERS" in line)
    assert "10" in short and "100 in BJ" in short and "50 wanted" in short
    chat.handle("sam", "tg", "yes")
    (order,) = orders(app)
    assert order.partner == "ACME" and order.status == "confirmed"
    assert available(app, "HAMMER") == "276" and available(app, "PLIERS") == "10"


def test_an_order_no_line_of_which_can_be_served_is_refused_at_once(app, chat):
    reply = chat.handle("sam", "tg", "acme wants 50 pliers and 20 drills")
    assert reply.ok is False and not reply.buttons
    assert orders(app) == ()


@pytest.mark.parametrize(
    "who, order, follow",
    [
        ("wang", "绿居要3个电钻", "从北京发"),
        ("wang", "绿居要3个电钻", "那从北京发吧"),
        ("sam", "green wants 3 drills", "from BJ then"),
        ("sam", "green wants 3 drills", "BJ"),
    ],
)
def test_a_refusal_for_stock_is_followed_by_naming_another_warehouse(app, chat, who, order, follow):
    refused = chat.handle(who, "tg", order)
    assert refused.ok is False and "BJ" in refused.text
    proposal = chat.handle(who, "tg", follow)
    assert proposal.buttons and "GREEN" in proposal.text and "3 ×" in proposal.text
    assert "BJ" in proposal.text
    chat.handle(who, "tg", "yes")
    assert available(app, "DRILL-18V", "BJ") == "2" and available(app, "DRILL-18V") == "1"


# -- the reason of a rejection ------------------------------------------------------------------


def test_a_reject_tap_asks_why_and_the_reason_reaches_the_requester(app, chat):
    _approval_waiting(app, chat)
    prompt = chat.act("mary", "tg:1001", "ap:A-1:reject")
    assert isinstance(prompt, ReasonPrompt) and prompt.request == "A-1"
    assert orders(app)[0].status == "pending_approval"
    done = chat.handle("mary", "tg:1001", "too cheap, ask for 25")
    assert "A-1" in done.text
    assert orders(app)[0].status == "cancelled"
    assert orders(app)[0].reason == "too cheap, ask for 25"
    run_feed_inline(app, "reference")
    notifier = RecordingNotifier()
    deliver_pending(app, notifier)
    told = [s for s in notifier.sent if s.recipient == "wang"]
    assert told and "too cheap, ask for 25" in told[-1].text


def test_a_reason_prompt_left_unanswered_changes_nothing(app, chat):
    _approval_waiting(app, chat)
    chat.act("mary", "tg:1001", "ap:A-1:reject")
    assert "nothing was changed" in chat.handle("mary", "tg:1001", "cancel").text.lower()
    assert orders(app)[0].status == "pending_approval"
    chat.act("mary", "tg:1001", "ap:A-1:reject", reason="modal")  # Slack: a form asks
    assert chat.handle("mary", "tg:1001", "why not").text  # not taken as a reason
    assert orders(app)[0].status == "pending_approval"
    done = chat.reject("mary", "A-1", "over budget")
    assert "A-1" in done.text and orders(app)[0].reason == "over budget"


# -- stored states ----------------------------------------------------------------------------------


def test_states_stored_before_typed_records_still_load(app, chat):
    old_question = {"awaiting": {"text": "sell 20 M6 to", "intent": "sales.create"}}
    assert Waiting.from_state(old_question).kind == "missing"
    old_pick = {"awaiting": {"text": "x", "intent": "sales.create", "suggestions": ["A", "B"]}}
    assert Waiting.from_state(old_pick).options == ["A", "B"]
    old_confirm = {
        "proposal": "p1",
        "pending": [{"intent": "stock.query"}],
        "keys": ["k"],
        "expires": "2026-06-15T02:10:00+00:00",
        "summary": "s",
    }
    w = Waiting.from_state(old_confirm)
    assert w.kind == "confirm" and w.asked_at.isoformat() == "2026-06-15T02:00:00+00:00"
    assert Waiting.from_state({"garbage": 1}) is None
    again = Waiting.from_state(w.to_state())
    assert again == w


def test_a_stored_proposal_loads_as_typed_commands_and_stores_the_same_json(app, chat):
    stored = {
        "kind": "confirm",
        "asked_at": "2026-06-15T02:00:00+00:00",
        "proposal": "p1",
        "pending": [
            {"intent": "stock.receive", "item": "M6-20", "qty": "5"},
            {
                "intent": "sales.create",
                "customer": "ACME",
                "lines": [{"item": "M6-20", "qty": "2"}],
            },
        ],
        "keys": ["k1", "k2"],
        "summary": "s",
    }
    w = Waiting.from_state(stored)
    assert [type(c).__name__ for c in w.pending] == ["ReceiveStock", "CreateSalesOrder"]
    assert w.pending[0].qty == Decimal("5")
    again = w.to_state()
    assert again["pending"] == stored["pending"] and again["keys"] == stored["keys"]
    draft = {"kind": "refused", "command": stored["pending"][1], "asked": "short"}
    assert Waiting.from_state(draft).command.to_dict() == stored["pending"][1]
