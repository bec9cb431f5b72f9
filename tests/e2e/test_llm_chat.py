"""The LLM path as a user meets it, in this process: the real LangChain clients (`ChatOpenAI`,
`ChatOllama`) against the local fake model servers, scripted tool calls, the real conversation,
bus and database. What the parser reads never reaches the model; what it cannot read becomes a
proposal the user confirms, an answer from JXC's own data, or "I could not understand"."""

from __future__ import annotations

import json
import threading
import time
from decimal import Decimal

import pytest

from adapters.bootstrap import bootstrap
from adapters.config import Settings
from domain.messages.commands import CreatePurchaseOrder, Line, ReceiveStock
from tests.conftest import jxc
from tests.e2e.fake_llm import FakeLLM, call, calls, fail, garbage, hang, say, slow

FREE = "sort out the shelf thing for the guys"  # no command the parser knows
FREE_ZH = "帮我安排一下那个老客户的货"


@pytest.fixture
def fake():
    server = FakeLLM().start()
    yield server
    server.stop()


def llm_app(db_url, clock, fake, provider="openai", **more):
    url = fake.openai_url if provider == "openai" else fake.ollama_url
    settings = Settings(
        database_url=db_url,
        llm_provider=provider,
        llm_model="fake-model",
        llm_base_url=url,
        llm_api_key="test-key",
        **more,
    )
    return bootstrap(settings, clock=clock)


@pytest.fixture
def app(master_db, clock, fake):
    application = llm_app(master_db, clock, fake)
    application.bus.execute(
        ReceiveStock(item="M6-20", qty=Decimal(2000), unit_cost=Decimal("0.12")),
        application.bus.user("li"),
    )
    yield application
    application.engine.dispose()


@pytest.fixture
def chat(app):
    return app.conversation()


def orders(db_url) -> list[dict]:
    return json.loads(jxc(db_url, "orders", "--json", check=True).stdout)


def stock(db_url, sku="M6-20") -> dict:
    return json.loads(jxc(db_url, "stock", sku, "--json", check=True).stdout)[0]


def tool_results(request) -> list[dict]:
    return [json.loads(m["content"]) for m in request.messages if m["role"] == "tool"]


# -- proposals --------------------------------------------------------------------------------


def test_the_usual_order_from_the_cheapest_supplier_is_proposed_then_confirmed(
    app, chat, fake, master_db
):
    buyer = app.bus.user("zhao")
    for supplier, price, qty in (("SAFE", "1.30", 200), ("SZT", "1.25", 300)):
        app.bus.execute(
            CreatePurchaseOrder(
                supplier=supplier, lines=(Line("GLOVE-L", Decimal(qty), Decimal(price)),)
            ),
            buyer,
        )
    fake.script(
        call("find_item", query="gloves"),
        call("purchase_history", item="GLOVE-L"),
        call(
            "purchase_create",
            supplier="Shenzhen Tools",
            lines=[{"item": "work gloves size L", "qty": 300, "price": 1.25}],
        ),
    )
    ask = chat.handle("zhao", "c1", "get the usual amount of those from whoever was cheapest")
    assert ask.text == "向 SZT 采购：300 × 劳保手套 @ 1.25 = 375.00，合计 375.00。确认吗？"
    assert [b.payload.split(":")[0] for b in ask.buttons] == ["confirm", "cancel"]
    first, second, third = fake.wait_requests(3)
    history = tool_results(third)[-1]["quoted_data"]
    assert [(p["supplier"], p["price"], p["qty"]) for p in history["purchases"]] == [
        ("SZT", "1.25", "300"),
        ("SAFE", "1.30", "200"),
    ]
    assert len(orders(master_db)) == 2  # nothing written before the yes
    done = chat.handle("zhao", "c1", "是")
    assert done.text == "采购单 PO-0003（SZT）：合计 375.00，已确认。"
    assert len(fake.seen()) == 3  # the yes never went to the model
    po = orders(master_db)[-1]
    assert (po["order"], po["partner"], po["total"]) == ("PO-0003", "SZT", "375.00")
    assert [(li["item"], li["qty"], li["price"]) for li in po["lines"]] == [
        ("GLOVE-L", "300", "1.25")
    ]


def test_no_drops_the_proposal_and_changes_nothing(chat, fake, master_db):
    fake.script(call("stock_receive", item="M6", qty="100", unit_cost="0.12"))
    ask = chat.handle("li", "c1", FREE)
    assert ask.text.startswith("入库") and ask.buttons
    assert chat.handle("li", "c1", "否").text == "已取消，没有做任何更改。"
    assert stock(master_db)["on_hand"] == "2000"
    assert len(fake.seen()) == 1


def test_a_number_the_model_sends_as_json_is_read_as_its_decimal_text(chat, fake, master_db):
    # As floats these would be refused (floats are not exact) or round the other way: 1 ×
    # 1.005 is 1.01 half-up, where the float 1.00499999… would give 1.00.
    fake.script(
        call("purchase_create", '{"supplier": "ECH", "lines": [{"item": "M6-20", "qty": 1000, '
             '"price": 1.005}, {"item": "M8-30", "qty": 1, "price": 1.005}]}')
    )  # fmt: skip
    ask = chat.handle("admin", "c1", FREE)
    assert ask.text == (
        "Create purchase order to ECH: 1000 × M6x20 hex bolt @ 1.005 = 1,005.00; "
        "1 × M8x30 hex bolt @ 1.005 = 1.01; total 1,006.01. Confirm?"
    )
    chat.handle("admin", "c1", "yes")
    (po,) = orders(master_db)
    assert [(li["qty"], li["price"], li["amount"]) for li in po["lines"]] == [
        ("1000", "1.005", "1005.00"),
        ("1", "1.005", "1.01"),
    ]


def test_a_tool_call_with_an_unknown_item_gets_suggestions_and_changes_nothing(
    chat, fake, master_db
):
    fake.script(call("sales_create", customer="ACME", lines=[{"item": "M7 bolt", "qty": "20"}]))
    reply = chat.handle("sam", "c1", FREE)
    assert reply.ok is False
    assert reply.text.startswith("I don't know the item 'M7 bolt'. Did you mean:")
    assert "M6-20" in reply.text or "M8-30" in reply.text
    assert orders(master_db) == []
    assert chat.handle("sam", "c1", "yes").text == "There is nothing waiting for your confirmation."


def test_a_write_outside_the_role_is_refused_before_any_confirmation(chat, fake, master_db):
    fake.script(call("purchase_create", supplier="ECH", lines=[{"item": "M6", "qty": "500"}]))
    reply = chat.handle("sam", "c1", FREE)
    assert reply.ok is False and not reply.buttons
    assert reply.text.startswith("sam (sales) may not")
    assert orders(master_db) == []


def test_one_write_is_proposed_per_message(chat, fake, master_db):
    fake.script(
        calls(
            ("stock_receive", {"item": "M6-20", "qty": "5"}),
            ("stock_issue", {"item": "M6-20", "qty": "7"}),
        )
    )
    reply = chat.handle("li", "c1", FREE)
    assert reply.text.count("确认吗") == 1 and "每条消息只提议一项改动" in reply.text
    chat.handle("li", "c1", "是")
    assert stock(master_db)["on_hand"] == "2005"


# -- answers ----------------------------------------------------------------------------------


def test_a_question_is_answered_from_jxc_data_and_the_data_goes_back_quoted(chat, fake):
    fake.script(
        call("stock_query", item="M6"),
        say("You have 2,000 M6 bolts in the main warehouse."),
    )
    reply = chat.handle("tom", "c1", FREE)
    assert reply.text.startswith("M6-20 @ MAIN: on hand 2,000")
    assert reply.text.endswith("You have 2,000 M6 bolts in the main warehouse.")
    _first, second = fake.wait_requests(2)
    (result,) = tool_results(second)
    assert result["quoted_data"]["rows"][0]["on_hand"] == "2000"


def test_the_model_words_alone_answer_a_request_it_has_no_tool_for(chat, fake):
    fake.script(say("我只能帮您处理进销存的事情。"))
    reply = chat.handle("wang", "c1", "给我讲个笑话吧，随便什么都行")
    assert reply.text == "我只能帮您处理进销存的事情。"


def test_the_tools_offered_follow_the_role_and_the_design_slots(chat, fake):
    for user in ("tom", "sam", "li"):
        fake.script(say("ok"))
        chat.handle(user, "c1", FREE)
    viewer, sales, clerk = (r.tools for r in fake.wait_requests(3))
    assert {"find_item", "find_partner", "purchase_history", "stock_query", "report"} <= set(viewer)
    assert not {"sales_create", "stock_receive", "purchase_create", "approval_decide"} & set(viewer)
    assert "sales_create" in sales and "purchase_create" not in sales
    assert not {"forecast_all", "forecast_backtest", "digest_send", "help"} & set(sales)
    create = sales["sales_create"]
    assert create["description"].startswith("sales.create")
    params = create["parameters"]
    assert set(params["properties"]) == {"customer", "lines", "warehouse"}
    assert set(params["required"]) == {"customer", "lines"}
    line = params["properties"]["lines"]["items"]["properties"]
    assert set(line) == {"item", "qty", "price", "discount"}
    assert set(line["qty"]["type"]) == {"string", "number"}
    assert set(clerk["stock_transfer"]["parameters"]["properties"]) == {"item", "qty", "from", "to"}


# -- limits and failures ---------------------------------------------------------------------


def test_at_most_three_requests_are_made_for_one_message(chat, fake):
    fake.answer = lambda body: call("find_item", query="shelf")
    reply = chat.handle("tom", "c1", FREE)
    assert len(fake.seen()) == 3
    assert reply.ok is False and reply.text.startswith("I could not understand")


def test_an_unknown_tool_is_asked_about_once_then_not_understood(chat, fake, master_db):
    fake.script(call("drop_all_tables", everything=True), call("drop_all_tables"))
    reply = chat.handle("tom", "c1", FREE)
    assert reply.text.startswith("I could not understand")
    first, second = fake.wait_requests(2)
    assert "there is no tool" in tool_results(second)[0]["error"]
    assert len(fake.seen()) == 2


def test_invalid_arguments_are_asked_about_once_and_the_correction_is_proposed(chat, fake):
    fake.script(
        call("stock_receive", '{"item": "M6-20", "qty": '),  # not JSON
        call("stock_receive", item="M6-20", qty="five", confirmed=True),
    )
    reply = chat.handle("li", "c1", FREE)
    assert reply.text.startswith("我没能理解")
    fake.script(
        call("stock_receive", item="M6-20", qty="twenty"),
        call("stock_receive", item="M6-20", qty="20"),
    )
    reply = chat.handle("li", "c1", FREE)
    assert reply.text.startswith("入库") and reply.buttons
    wrong = tool_results(fake.seen()[-1])[0]["error"]
    assert "not a number" in wrong


@pytest.mark.parametrize("failure", [fail(500), garbage()], ids=["500", "garbage"])
def test_a_failed_request_is_asked_again_once(chat, fake, failure):
    fake.script(failure, call("stock_query", item="M6"), say("That is all the M6."))
    reply = chat.handle("tom", "c1", FREE)
    assert reply.text.startswith("M6-20 @ MAIN") and reply.text.endswith("That is all the M6.")
    assert len(fake.seen()) == 3
    fake.script(failure, failure)
    reply = chat.handle("tom", "c1", FREE)
    assert reply.text.startswith("I could not understand that: the language model did not answer")
    assert len(fake.seen()) == 5


def test_a_hanging_endpoint_is_answered_in_time_and_the_parser_keeps_working(
    master_db, clock, fake
):
    app = llm_app(master_db, clock, fake, llm_timeout=1.0)
    chat = app.conversation()
    fake.script(hang(), hang())
    began = time.monotonic()
    reply = chat.handle("li", "c1", FREE)
    took = time.monotonic() - began
    assert reply.text.startswith("我没能理解这句话：语言模型没有应答")
    assert 1.5 < took < 5  # two requests of 1 s each, then the answer
    ask = chat.handle("li", "c1", "入库 M6 100 个")
    assert ask.buttons and len(fake.seen()) == 2
    app.engine.dispose()


def test_an_endpoint_that_is_down_is_answered_at_once(master_db, clock):
    down = FakeLLM().start()
    down.stop()  # nothing listens on its port any more
    app = llm_app(master_db, clock, down)
    began = time.monotonic()
    reply = app.conversation().handle("tom", "c1", FREE)
    assert reply.text.startswith("I could not understand that: the language model did not answer")
    assert time.monotonic() - began < 10
    app.engine.dispose()


def test_yes_and_no_never_go_to_the_model(chat, fake):
    assert chat.handle("tom", "c1", "yes").text == "There is nothing waiting for your confirmation."
    assert chat.handle("li", "c1", "算了").text == "目前没有需要您确认的操作。"
    assert fake.seen() == []


def test_a_redelivered_message_does_not_call_the_model_again(chat, fake, master_db):
    fake.script(slow(1.0, call("stock_receive", item="M6-20", qty="5")))
    delivery = ("telegram", "update 77")
    replies = []
    first = threading.Thread(
        target=lambda: replies.append(chat.handle("li", "tg:1003", FREE, delivery=delivery))
    )
    first.start()
    fake.wait_requests(1)
    assert chat.handle("li", "tg:1003", FREE, delivery=delivery) is None  # while it thinks
    first.join(10)
    assert replies[0].buttons
    assert chat.handle("li", "tg:1003", FREE, delivery=delivery) is None  # and afterwards
    assert len(fake.seen()) == 1


def test_no_database_read_is_held_while_the_model_thinks(app, chat, fake, master_db):
    if not master_db.startswith("sqlite"):
        pytest.skip("the write-ahead log is SQLite's")
    from sqlalchemy import create_engine, text

    checked = []
    engine = create_engine(master_db)

    def answer(body):
        # A reader holding a snapshot would stop the log from being truncated.
        with engine.connect() as conn:
            checked.append(conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).first()[0])
        return say("done")

    fake.answer = answer
    chat.handle("tom", "c1", FREE, delivery=("telegram", "update 5"))
    engine.dispose()
    assert checked == [0]


# -- Ollama -----------------------------------------------------------------------------------


def test_ollama_proposes_and_confirms_like_any_other(master_db, clock, fake):
    app = llm_app(master_db, clock, fake, provider="ollama")
    chat = app.conversation()
    fake.script(
        call("find_partner", query="艾克米"),
        call("sales_create", customer="ACME", lines=[{"item": "M6螺栓", "qty": 20, "price": 0.3}]),
    )
    app.bus.execute(ReceiveStock(item="M6-20", qty=Decimal(50)), app.bus.user("li"))
    ask = chat.handle("wang", "tg:1002", FREE_ZH)
    assert ask.text.startswith("为 ACME 创建销售单：20 × M6螺栓 @ 0.30 = 6.00")
    assert all(r.path == "/api/chat" for r in fake.seen())
    assert chat.handle("wang", "tg:1002", "确认").text.startswith("销售单 SO-0001（ACME）")
    assert stock(master_db)["reserved"] == "20"
    fake.script(fail(500), fail(500))
    assert chat.handle("wang", "tg:1002", FREE_ZH).text.startswith("我没能理解")
    app.engine.dispose()
