"""A photo's codes in the conversation (扫码): the item and its stock; a caption that is a command
without its item takes the photo's item and goes through the normal confirmation, role checks
and idempotency; no code gives advice, an unknown code its digits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.conversation import Conversation, Scanned
from domain.messages.commands import QueryOrders, QueryStock, ReceiveStock

pytestmark = pytest.mark.db
M6 = "6900010000004"  # M6-20's EAN-13
M8_NUT = "6900010000035"
UNKNOWN = "4006381333931"
CARTON_OF_M6 = "16900010000001"


@pytest.fixture
def chat(app):
    li = app.bus.user("li")
    app.bus.execute(
        ReceiveStock(item="M6-20", qty=Decimal(2000), unit_cost=Decimal("0.12"), warehouse="MAIN"),
        li,
    )
    return Conversation(app.bus, app.uow, app.clock)


def on_hand(app, sku: str) -> Decimal:
    rows = app.bus.execute(QueryStock(item=sku, warehouse="MAIN"), app.bus.user("admin")).rows
    return Decimal(rows[0].on_hand)


def test_a_photo_without_caption_names_the_item_and_its_stock(chat):
    reply = chat.handle("li", "telegram:1003", Scanned((M6,)), delivery=("telegram", "u1"))
    first, *rest = reply.text.splitlines()
    assert first == f"扫码 {M6}：M6-20 M6螺栓"
    assert "在库 2,000" in "\n".join(rest)
    assert reply.ok and not reply.buttons
    # The QR of a label holds the SKU: the same item, in English for an English speaker.
    reply = chat.handle("mary", "slack:D1", Scanned(("M6-20",)))
    assert reply.text.splitlines()[0] == "Scanned M6-20 M6x20 hex bolt"


def test_a_photo_with_receive_20_is_confirmed_first_then_received(app, chat):
    asked = chat.handle("li", "telegram:1003", Scanned((M6,), "入库 20"), delivery=("tg", "1"))
    assert asked.buttons, asked.text
    assert asked.text.splitlines()[0] == f"扫码 {M6}：M6-20 M6螺栓"
    assert "M6-20" in asked.text and "20" in asked.text
    assert on_hand(app, "M6-20") == 2000  # nothing before yes
    done = chat.handle("li", "telegram:1003", "是", delivery=("tg", "2"))
    assert done.ok, done.text
    assert on_hand(app, "M6-20") == 2020
    # The photo delivered again changes nothing and gets no second answer.
    again = chat.handle("li", "telegram:1003", Scanned((M6,), "入库 20"), delivery=("tg", "1"))
    assert again is None
    assert on_hand(app, "M6-20") == 2020


def test_a_viewers_photo_with_receive_20_is_refused(app, chat):
    reply = chat.handle("tom", "slack:D2", Scanned((M6,), "receive 20"))
    assert not reply.ok and not reply.buttons
    assert "may not" in reply.text or "not permitted" in reply.text.lower(), reply.text
    assert on_hand(app, "M6-20") == 2000


def test_a_count_and_a_sale_take_the_photos_item(app, chat):
    count = chat.handle("li", "telegram:1003", Scanned((M6,), "盘点 1990"))
    assert count.buttons and "实盘 1990" in count.text, count.text
    sale = chat.handle("wang", "telegram:1002", Scanned((M6,), "ACME 要 20"))
    assert sale.buttons and "ACME" in sale.text, sale.text
    chat.handle("wang", "telegram:1002", "是")
    (order,) = app.bus.execute(QueryOrders(), app.bus.user("admin")).orders
    assert order.lines[0].item == "M6-20" and order.lines[0].qty == "20"


def test_a_caption_naming_its_own_item_is_taken_as_typed(chat):
    reply = chat.handle("li", "telegram:1003", Scanned((M6,), "入库 M8-30 5"))
    assert reply.buttons and "M8-30" in reply.text, reply.text


def test_a_photo_answers_the_question_which_item(app, chat):
    asked = chat.handle("li", "telegram:1003", "入库 20")
    assert not asked.buttons and "商品" in asked.text
    reply = chat.handle("li", "telegram:1003", Scanned((M6,)))
    assert reply.buttons and "M6-20" in reply.text, reply.text


def test_no_code_gives_advice_and_an_unknown_code_its_digits(app, chat):
    reply = chat.handle("li", "telegram:1003", Scanned((), "入库 20"))
    assert not reply.ok and "靠近" in reply.text and "“入库 20”未执行" in reply.text
    reply = chat.handle("mary", "slack:D1", Scanned(()))
    assert "Move closer" in reply.text and "more light" in reply.text
    reply = chat.handle("mary", "slack:D1", Scanned((UNKNOWN,), "receive 20"))
    assert not reply.ok and f"{UNKNOWN}: not in the item list." in reply.text
    assert "Nothing was done with “receive 20”" in reply.text
    assert on_hand(app, "M6-20") == 2000


def test_several_codes_are_each_read_and_a_command_needs_exactly_one_item(app, chat):
    reply = chat.handle("mary", "slack:D1", Scanned((M6, UNKNOWN)))
    assert f"Scanned {M6}: M6-20 M6x20 hex bolt" in reply.text
    assert f"{UNKNOWN}: not in the item list." in reply.text
    reply = chat.handle("li", "telegram:1003", Scanned((M6, UNKNOWN), "入库 20"))
    assert reply.buttons, reply.text  # one item among them: the command goes on
    chat.handle("li", "telegram:1003", "否")
    reply = chat.handle("li", "telegram:1003", Scanned((M6, M8_NUT), "入库 20"))
    assert not reply.buttons and "一次只拍一个条码" in reply.text
    assert "M6-20" in reply.text and "M8-NUT" in reply.text
    assert on_hand(app, "M6-20") == 2000


def test_a_carton_code_names_the_item_and_says_quantities_are_in_its_unit(app, chat):
    reply = chat.handle("mary", "slack:D1", Scanned((CARTON_OF_M6,)))
    assert reply.text.splitlines()[0] == (
        f"{CARTON_OF_M6}: a carton of M6-20 M6x20 hex bolt. Quantities are counted in pcs, "
        "not cartons."
    )
    assert "on hand 2,000" in reply.text
    asked = chat.handle("li", "telegram:1003", Scanned((CARTON_OF_M6,), "入库 200"))
    assert "不按箱计" in asked.text and "入库 M6螺栓 (M6-20) 200" in asked.text
