"""Upgrading a database that shipped and received before money existed: migration 0008 makes
the invoices and bills of those shipments and receipts (a shipment before shipments were
numbered grouped by order and instant), so balances and credit checks do not jump."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
from alembic import command
from sqlalchemy import text

from adapters.db import alembic_config, migrate
from domain.ledger.verify import verify_books
from domain.messages.commands import (
    CreatePurchaseOrder,
    CreateSalesOrder,
    Line,
    QueryBalance,
    ReceivePurchaseOrder,
    ReceiveStock,
    ShipSalesOrder,
)
from domain.money.statement import list_invoices

pytestmark = pytest.mark.db


def _invoices(app):
    with app.uow(write=False) as uow:
        rows = list_invoices(uow).to_json()["invoices"]
    return [(r["invoice"], r["partner"], r["order"], r["date"], r["due"], r["total"]) for r in rows]


def test_the_upgrade_invoices_what_shipped_and_arrived_before(app, users):
    li = users["li"]
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(1000), unit_cost=D("0.12")), li)
    so = app.bus.execute(
        CreateSalesOrder(customer="SUNRISE", lines=(Line("M6-20", D(3), price=D("0.333333")),)),
        users["wang"],
    ).order
    app.bus.execute(ShipSalesOrder(order=so, lines=(Line("M6-20", D(1)),)), li)
    app.clock.advance(days=1)
    app.bus.execute(ShipSalesOrder(order=so), li)
    po = app.bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("M8-30", D(30), price=D("0.2")),)),
        users["zhao"],
    ).order
    app.bus.execute(ReceivePurchaseOrder(order=po, lines=(Line("M8-30", D(10)),)), li)
    app.bus.execute(ReceivePurchaseOrder(order=po), li)
    made = _invoices(app)
    assert [(n, total) for n, *_, total in made] == [
        ("INV-0001", "0.33"),
        ("INV-0002", "0.67"),
        ("BILL-0001", "2.00"),
        ("BILL-0002", "4.00"),
    ]
    owed = app.bus.execute(QueryBalance(partner="SUNRISE"), users["tom"]).to_json()

    # The books as they stood before money: no invoices, no receipt numbers, and the first
    # shipment written before shipments were numbered.
    with app.engine.begin() as conn:
        conn.execute(
            text("UPDATE stockmove SET shipment = NULL WHERE ref = :so AND shipment = 1"),
            {"so": so},
        )
    command.downgrade(alembic_config(app.engine), "0007")
    with app.engine.connect() as conn:
        tables = conn.execute(text("SELECT * FROM salesorder")).keys()
        assert "shipments" in tables
    migrate(app.engine)

    assert _invoices(app) == made
    assert app.bus.execute(QueryBalance(partner="SUNRISE"), users["tom"]).to_json() == owed
    with app.uow(write=False) as uow:
        assert verify_books(uow).differences == []
    # Receipts are numbered now: the next one of the order is its third.
    po2 = app.bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("M8-30", D(5), price=D("0.2")),)),
        users["zhao"],
    ).order
    again = app.bus.execute(ReceivePurchaseOrder(order=po2), li)
    assert (again.receipt, again.invoice) == (1, "BILL-0003")


def test_the_upgrade_dates_invoices_on_the_local_day_and_due_after_the_terms(app, users):
    li = users["li"]
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(10), unit_cost=D("0.12")), li)
    so = app.bus.execute(
        CreateSalesOrder(customer="GREEN", lines=(Line("M6-20", D(2)),)), users["wang"]
    ).order
    app.clock.advance(hours=14)  # 2026-06-16 00:00 in Shanghai, still the 15th in UTC
    app.bus.execute(ShipSalesOrder(order=so), li)
    command.downgrade(alembic_config(app.engine), "0007")
    migrate(app.engine, "Asia/Shanghai")
    ((number, partner, order, day, due, total),) = _invoices(app)
    assert (number, partner, order, day, total) == ("INV-0001", "GREEN", so, "2026-06-16", "0.50")
    assert due == str(app.clock.today() + timedelta(days=45))
