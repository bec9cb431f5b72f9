"""The conversation as a user meets it: questions answered at once, writes confirmed first,
missing values asked for, state kept across restarts, one effect per confirmation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.conversation import Conversation
from domain.messages.bus import MessageBus
from domain.messages.commands import QueryStock, ReceiveStock

pytestmark = pytest.mark.db


@pytest.fixture
def chat(app):
    app.bus.execute(
        ReceiveStock(item="M6-20", qty=Decimal(2000), unit_cost=Decimal("0.12")), app.bus.user("li")
    )
    return Conversation(app.bus, app.uow, app.clock)


def on_hand(app, sku="M6-20"):
    return (
        app.bus.execute(QueryStock(item=sku, warehouse="MAIN"), app.bus.user("admin"))
        .rows[0]
        .on_hand
    )


def test_a_chinese_sale_is_summarised_confirmed_and_answered_in_chinese(app, chat):
    ask = chat.handle("wang", "tg:1002", "ACME 要 20 个 M6")
    assert ask.text == ("为 ACME 创建销售单：20 × M6螺栓 @ 0.25 = 5.00，2,000 可用。确认吗？")
    assert [b.payload.split(":")[0] for b in ask.buttons] == ["confirm", "cancel"]
    done = chat.handle("wang", "tg:1002", "确认")
    assert done.text == "销售单 SO-0001（ACME）：合计 5.00，已确认。"
    again = chat.handle("wang", "tg:1002", "确认")
    assert again.text == "目前没有需要您确认的操作。"
    orders = chat.handle("wang", "tg:1002", "我的订单")
    assert orders.text == "SO-0001 ACME 已确认 5.00"


def test_english_sale_in_an_english_sentence(app, chat):
    ask = chat.handle("sam", "c1", "sell 20 M6 bolts to acme")
    assert ask.text == (
        "Create sales order for ACME: 20 × M6x20 hex bolt @ 0.25 = 5.00, 2,000 available. Confirm?"
    )
    assert chat.handle("sam", "c1", "no").text == "Cancelled; nothing was changed."
    missing = chat.handle("admin", "c1", "status of SO-0001")
    assert missing.ok is False and "no order so-0001" in missing.text.lower()
    assert on_hand(app) == "2000"


def test_a_missing_value_is_asked_for_and_the_answer_completes_the_command(app, chat):
    ask = chat.handle("sam", "c1", "sell 20 M6 to")
    assert ask.ok is False and "customer" in ask.text.lower()
    confirm = chat.handle("sam", "c1", "ACME")
    assert confirm.text.startswith("Create sales order for ACME: 20 × M6x20 hex bolt")
    assert chat.handle("sam", "c1", "yes").text.startswith("Sales order SO-0001 for ACME")


def test_a_restart_mid_confirmation_loses_nothing(app, chat):
    chat.handle("li", "c1", "receive 100 M6 at 0.15")
    fresh = Conversation(app.bus, app.uow, app.clock)  # a new process, same database
    # li's language is Chinese: replies follow the user's language, not the message's.
    assert fresh.handle("li", "c1", "yes").text.startswith("已入库 M6-20 100，仓库 MAIN")
    assert on_hand(app) == "2100"


def test_a_confirmation_expires_after_ten_minutes(app, chat):
    chat.handle("li", "c1", "issue 5 M6 for repairs")
    app.clock.advance(minutes=11)
    assert "超时" in chat.handle("li", "c1", "yes").text
    assert on_hand(app) == "2000"


def test_another_user_cannot_answer_someone_elses_confirmation(app, chat):
    chat.handle("li", "group", "issue 5 M6 for repairs")
    assert chat.handle("mary", "group", "yes").text == (
        "There is nothing waiting for your confirmation."
    )
    assert on_hand(app) == "2000"
    chat.handle("li", "group", "yes")
    assert on_hand(app) == "1995"


def test_roles_are_refused_before_any_confirmation(app, chat):
    reply = chat.handle("tom", "c1", "receive 100 M6")
    assert reply.ok is False and not reply.buttons
    assert "may not" in reply.text and "help" in reply.text
    assert chat.handle("tom", "c1", "yes").text.startswith("There is nothing")


def test_unregistered_users_get_a_polite_refusal_that_says_how_to_register(app, chat):
    reply = chat.handle("stranger", "c1", "how many M6")
    assert reply.ok is False and "not registered" in reply.text and "jxc import users" in reply.text


def test_unknown_and_ambiguous_names_are_never_guessed(app, chat):
    unknown = chat.handle("sam", "c1", "sell 20 M7 bolts to ACME")
    assert unknown.ok is False and not unknown.buttons
    ambiguous = chat.handle("sam", "c1", "sell 5 bolt to acme")
    assert "M6-20" in ambiguous.text and "M8-30" in ambiguous.text and not ambiguous.buttons


def test_intents_without_a_service_say_so_plainly(app):
    served = {k: v for k, v in app.bus.handlers.items() if k != "payment.receive"}
    chat = Conversation(MessageBus(app.bus.uow_factory, served), app.uow, app.clock)
    reply = chat.handle("chen", "c1", "ACME paid 3000")
    assert reply.ok is False and "尚未开放" in reply.text  # chen reads Chinese
    help_text = chat.handle("chen", "c1", "帮助").text
    assert (
        "收到艾克米货款 3000（即将开放）" in help_text
        and "付华东五金 5000（即将开放）" not in help_text
    )


def test_help_lists_what_the_role_may_do(app, chat):
    text = chat.handle("wang", "c1", "帮助").text
    assert "ACME 要 20 个 M6" in text and "入库" not in text
    assert "receive 100 M6" in chat.handle("admin", "c1", "help").text


def test_bad_input_is_answered_not_raised(app, chat):
    for text in (
        "",
        "🙂🙂",
        "x" * 2000,
        "'; DROP TABLE item; --",
        "$(rm -rf /)",
        "sell -5 M6 to ACME",
        "sell 0 M6 to ACME",
        "sell 2000000 M6 to ACME",
    ):
        reply = chat.handle("sam", "c1", text)
        assert reply.ok is False and not reply.buttons, text
    assert on_hand(app) == "2000"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=80))
def test_no_text_makes_the_conversation_raise(app, chat, text):
    reply = chat.handle("sam", "fuzz", text)
    assert isinstance(reply.text, str) and reply.text
    # An unexpected error is answered with an apology and a reference: none may happen here.
    assert "reference" not in reply.text and "编号" not in reply.text, reply.text
    chat.handle("sam", "fuzz", "no")
    assert on_hand(app) == "2000"
