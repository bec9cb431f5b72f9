"""The delivery note of a shipment, read back from the ledger: the latest shipment unless one is
named, what each shipment carried, the warehouse it left from and its local date; refusals for
an unknown order or shipment, an order not shipped yet, and roles that may not print one. The
clock stands at Monday 2026-06-15 10:00 in Shanghai."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import update

from domain.errors import InvalidState, NotPermitted, UnknownOrder
from domain.messages.commands import (
    CreateSalesOrder,
    Line,
    QueryDeliveryNote,
    ReceiveStock,
    ShipSalesOrder,
    TransferStock,
)
from domain.model import StockMove
from tests.conftest import jxc, run_json

pytestmark = pytest.mark.db
D = Decimal


def note(app, user, order="SO-0001", shipment=None):
    return app.bus.execute(QueryDeliveryNote(order=order, shipment=shipment), user)


def shipped_twice(app, users, clock):
    """SO-0001 for ACME: 100 M6 bolts and 50 nuts; 40 bolts leave first, the rest a day later."""
    li, wang = users["li"], users["wang"]
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(1000), unit_cost=D("0.12")), li)
    app.bus.execute(ReceiveStock(item="M6-NUT", qty=D(1000), unit_cost=D("0.03")), li)
    app.bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("M6-20", D(100)), Line("M6-NUT", D(50)))),
        wang,
    )
    app.bus.execute(ShipSalesOrder(order="SO-0001", lines=(Line("M6-20", D(40)),)), li)
    clock.advance(days=1)
    app.bus.execute(ShipSalesOrder(order="SO-0001"), li)


def carried(result) -> list[tuple[str, str, str]]:
    return [(ln.item, ln.qty, ln.uom) for ln in result.lines]


def test_the_latest_shipment_is_the_default_and_each_carries_what_left(app, users, clock):
    shipped_twice(app, users, clock)
    latest = note(app, users["li"])
    assert (latest.order, latest.shipment, latest.shipments) == ("SO-0001", 2, 2)
    assert latest.date == "2026-06-16" and latest.shipped_at.startswith("2026-06-16T10:00")
    assert carried(latest) == [("M6-20", "60", "pcs"), ("M6-NUT", "50", "pcs")]
    assert (latest.customer, latest.partner_name_zh, latest.warehouse) == (
        "ACME",
        "艾克米",
        "MAIN",
    )
    first = note(app, users["wang"], "so-0001", 1)
    assert (first.shipment, first.date, carried(first)) == (
        1,
        "2026-06-15",
        [("M6-20", "40", "pcs")],
    )


def test_a_shipment_from_another_warehouse_names_it(app, users):
    li = users["li"]
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(100), unit_cost=D("0.12")), li)
    app.bus.execute(CreateSalesOrder(customer="ACME", lines=(Line("M6-20", D(30)),)), users["wang"])
    app.bus.execute(TransferStock(item="M6-20", qty=D(50), from_="MAIN", to="SH"), li)
    app.bus.execute(ShipSalesOrder(order="SO-0001", warehouse="SH"), li)
    assert note(app, li).warehouse == "SH"


def test_moves_written_before_shipments_were_numbered_count_one_shipment_per_instant(
    app, users, clock
):
    shipped_twice(app, users, clock)
    moves = StockMove.__table__
    with app.uow() as uow:  # as a database from before the upgrade holds them
        uow.execute(update(moves).where(moves.c.kind == "sale").values(shipment=None))
        uow.commit()
    assert carried(note(app, users["li"], shipment=1)) == [("M6-20", "40", "pcs")]
    latest = note(app, users["li"])
    assert (latest.shipment, latest.shipments) == (2, 2)
    assert carried(latest) == [("M6-20", "60", "pcs"), ("M6-NUT", "50", "pcs")]


def test_an_unknown_order_or_shipment_is_unknown_order_and_an_unshipped_one_invalid_state(
    app, users, clock
):
    shipped_twice(app, users, clock)
    li = users["li"]
    with pytest.raises(UnknownOrder, match="no sales order SO-0099"):
        note(app, li, "SO-0099")
    with pytest.raises(UnknownOrder, match="sales order"):
        note(app, li, "PO-0001")
    with pytest.raises(UnknownOrder, match="SO-0001 has no shipment 3; it has shipped 2 times"):
        note(app, li, shipment=3)
    with pytest.raises(UnknownOrder) as zero:
        note(app, li, shipment=0)
    assert "numbered from 1" in zero.value.message
    app.bus.execute(CreateSalesOrder(customer="ACME", lines=(Line("M6-20", D(5)),)), users["wang"])
    with pytest.raises(InvalidState) as waiting:
        note(app, li, "SO-0002")
    assert "has not shipped yet" in waiting.value.message and "还没有发货" in waiting.value.zh


def test_clerks_and_sales_print_delivery_notes_and_viewers_may_not(app, users, clock):
    shipped_twice(app, users, clock)
    for who in ("li", "wang", "admin"):
        assert note(app, users[who]).shipment == 2
    with pytest.raises(NotPermitted):
        note(app, users["tom"])
    with pytest.raises(NotPermitted):
        note(app, users["zhao"])  # a buyer


def test_jxc_run_reads_the_shipment_as_a_number_and_refuses_what_is_none(master_db):
    run_json(
        master_db,
        {"intent": "stock.receive", "item": "M6-20", "qty": "100"},
        {"intent": "sales.create", "customer": "ACME", "lines": [{"item": "M6-20", "qty": "10"}]},
        {"intent": "sales.ship", "order": "SO-0001"},
    )
    good, text, word, flag, zero = run_json(
        master_db,
        {"intent": "delivery_note", "order": "SO-0001", "shipment": 1},
        {"intent": "delivery_note", "order": "SO-0001", "shipment": "1"},
        {"intent": "delivery_note", "order": "SO-0001", "shipment": "first"},
        {"intent": "delivery_note", "order": "SO-0001", "shipment": True},
        {"intent": "delivery_note", "order": "SO-0001", "shipment": -2},
    )
    assert good["ok"] and good["result"]["lines"] == [
        {"item": "M6-20", "name": "M6x20 hex bolt", "name_zh": "M6螺栓", "uom": "pcs", "qty": "10"}
    ]
    assert text["result"] == good["result"]
    assert [r["error"]["code"] for r in (word, flag, zero)] == [
        "bad_request",
        "bad_request",
        "unknown_order",
    ]


def test_company_names_are_text_settings(master_db):
    assert jxc(master_db, "rules", "set", "company.name", " ACME Trading Co. ").returncode == 0
    assert (
        jxc(master_db, "rules", "set", "company.name_zh", "上海紧固件贸易有限公司").returncode == 0
    )
    shown = jxc(master_db, "rules", "show").stdout
    assert "company.name = ACME Trading Co.\n" in shown
    assert "company.name_zh = 上海紧固件贸易有限公司" in shown
    broken = jxc(master_db, "rules", "set", "company.name", "two\nlines")
    assert broken.returncode == 1 and "error (bad_request)" in broken.stderr
    long = jxc(master_db, "rules", "set", "company.name_zh", "公" * 201)
    assert long.returncode == 1 and "at most 200" in long.stderr
    assert jxc(master_db, "rules", "set", "company.name", "").returncode == 0  # cleared
    assert "company.name = \n" in jxc(master_db, "rules", "show").stdout
