"""An item's past purchase lines, as the LLM path's `purchase_history` reads them: newest first,
per supplier when asked, cancelled orders left out, unknown names refused with suggestions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import UnknownItem, WrongPartnerKind
from domain.ledger.purchase_history import purchase_history
from domain.messages.commands import CancelPurchaseOrder, CreatePurchaseOrder, Line

pytestmark = pytest.mark.db


def buy(app, supplier: str, qty: int, price: str) -> None:
    app.bus.execute(
        CreatePurchaseOrder(
            supplier=supplier, lines=(Line("GLOVE-L", Decimal(qty), Decimal(price)),)
        ),
        app.bus.user("zhao"),
    )


def test_purchase_lines_newest_first_without_cancelled_orders(app, clock):
    buy(app, "SAFE", 200, "1.30")
    clock.advance(days=3)
    buy(app, "SZT", 300, "1.25")
    clock.advance(days=1)
    buy(app, "ECH", 100, "0.99")
    app.bus.execute(CancelPurchaseOrder(order="PO-0003"), app.bus.user("zhao"))
    with app.uow(write=False) as uow:
        lines = purchase_history(uow, "glove-l")
        only = purchase_history(uow, "GLOVE-L", "safe")
    assert [(p.order, p.supplier, p.qty, p.price, p.date) for p in lines] == [
        ("PO-0002", "SZT", "300", "1.25", "2026-06-18"),
        ("PO-0001", "SAFE", "200", "1.30", "2026-06-15"),
    ]
    assert [p.order for p in only] == ["PO-0001"]


def test_unknown_item_and_a_customer_for_a_supplier_are_refused(app):
    with app.uow(write=False) as uow:
        with pytest.raises(UnknownItem) as unknown:
            purchase_history(uow, "GLOVE-X")
        assert "GLOVE-L" in unknown.value.suggestions
        with pytest.raises(WrongPartnerKind):
            purchase_history(uow, "GLOVE-L", "ACME")
        assert purchase_history(uow, "HAMMER") == []
