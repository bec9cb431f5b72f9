"""The facts the rules read, from outbox events and the CURRENT state of each subject: reorder
figures as `jxc report below_reorder` computes them, the request's status, the balance, the
day's demand; which orders and items an event re-checks; one fact per subject per batch.
"""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

from sqlalchemy import select

from domain import settings
from domain.alerts import records as alerts
from domain.errors import JxcError
from domain.ledger.moves import balance_t, move_t
from domain.messages.events import (
    ApprovalDecided,
    ApprovalRequested,
    Event,
    SalesOrderShipped,
    SalesPriceFlagged,
    StockCounted,
    StockIssued,
    StockReceived,
    StockShort,
    StockTransferred,
    StockWentNegative,
)
from domain.model import (
    ApprovalRequest,
    Item,
    Partner,
    PurchaseLine,
    PurchaseOrder,
    SalesLine,
    SalesOrder,
    StockCount,
    Warehouse,
)
from domain.orders.questions import APPROVAL_SUBJECTS
from domain.reports.stock import reorder_figures
from domain.uow import UnitOfWork

req_t = ApprovalRequest.__table__
item_t = Item.__table__
wh_t = Warehouse.__table__
STOCK_EVENTS = (StockReceived, StockIssued, StockTransferred, StockCounted, StockWentNegative,
                StockShort)  # fmt: skip
DOCUMENTS = ("SO", "PO")


def rechecked_orders(event: Event) -> list[str]:
    """The orders whose items' reorder points an event re-checks at once: any event naming an
    order in its `order` field (created, shipped, received, cancelled, amended — a new event
    plugs in by naming its order there), and a decision on an order's approval (approving a
    sales order reserves its stock; approving a purchase order puts it on order)."""
    found = []
    for name in ("order", "subject") if isinstance(event, ApprovalDecided) else ("order",):
        value = getattr(event, name, None)
        if isinstance(value, str) and value.split("-", 1)[0] in DOCUMENTS:
            found.append(value)
    return found


def rechecked_items(event: Event) -> list[str]:
    """The items an event names itself (`sku`, or `item` of its `lines` or `changes`): those
    re-checked too, so a line an amendment removed is seen although the order no longer has it."""
    skus = [event.sku] if isinstance(getattr(event, "sku", None), str) else []
    for name in ("lines", "changes"):
        for line in getattr(event, name, None) or ():
            sku = line.get("item") if isinstance(line, dict) else getattr(line, "item", None)
            if isinstance(sku, str):
                skus.append(sku)
    return skus


class Malformed(ValueError):
    """An outbox row the feed cannot read."""


def _num(x) -> float | int:
    f = float(x)
    return int(f) if f.is_integer() and abs(f) < 2**53 else f


class Enricher:
    """Facts from outbox rows, read from the current state; caches per batch."""

    def __init__(self, uow: UnitOfWork):
        self.uow = uow
        self._figures: dict | None = None
        self._wanted_skus: set[str] = set()
        self._live = alerts.live_subjects(uow)
        self._items: dict[str, object] | None = None
        self._order_skus: dict[str, list[str]] = {}

    # -- lookups ---------------------------------------------------------------------------

    def items(self) -> dict[str, object]:
        if self._items is None:
            self._items = {r.sku: r for r in self.uow.execute(select(item_t))}
        return self._items

    def figures(self, sku: str) -> dict | None:
        if self._figures is None:
            ids = {self.items()[s].id for s in self._wanted_skus if s in self.items()}
            self._figures = reorder_figures(self.uow, ids)
        return self._figures["rows"].get(sku)

    def is_live(self, kind: str, subject: str) -> int:
        return 1 if (kind, subject) in self._live else 0

    def order_skus(self, prefix: str, number: str) -> list[str]:
        if number not in self._order_skus:
            self._order_skus[number] = self._read_order_skus(prefix, number)
        return self._order_skus[number]

    def _read_order_skus(self, prefix: str, number: str) -> list[str]:
        head, lines = (
            (PurchaseOrder.__table__, PurchaseLine.__table__)
            if prefix == "PO"
            else (SalesOrder.__table__, SalesLine.__table__)
        )
        q = (
            select(item_t.c.sku)
            .select_from(
                head.join(lines, lines.c.order_id == head.c.id).join(
                    item_t, item_t.c.id == lines.c.item_id
                )
            )
            .where(head.c.number == number)
        )
        return list(dict.fromkeys(r[0] for r in self.uow.execute(q)))

    # -- facts -----------------------------------------------------------------------------

    def rechecked(self, event: Event) -> list[str]:
        """The SKUs whose reorder points an event re-checks: the item a stock move moved, the
        items of an order whose reservations or open quantity changed (`rechecked_orders`)."""
        skus = []
        orders = rechecked_orders(event)
        for number in orders:
            skus += self.order_skus(number[:2], number)
        if orders:
            skus += [s for s in rechecked_items(event) if s in self.items()]
        if isinstance(event, STOCK_EVENTS):
            skus.insert(0, event.sku)
        return list(dict.fromkeys(skus))

    def wants(self, event: Event) -> None:
        """Note the SKUs an event will need reorder figures for (one computation per batch)."""
        self._wanted_skus.update(self.rechecked(event))

    def stock_level(self, sku: str) -> dict:
        fig = self.figures(sku)
        live = self.is_live("reorder", sku)
        if fig is None:
            return {"type": "stock_level", "sku": sku, "projected": 0, "reorder_point": -1,
                    "alert_open": live}  # fmt: skip
        sl = float(settings.get_decimal(self.uow, "reorder.service_level"))
        fact = {
            "type": "stock_level",
            "sku": sku,
            "projected": _num(fig["projected"]),
            "reorder_point": fig["reorder_point"],
            "alert_open": live,
            "available": _num(fig["available"]),
            "on_order": _num(fig["on_order"]),
            "suggested_qty": _num(fig["suggested_qty"]),
            "eoq": fig["eoq"],
            "moq": _num(fig["moq"]),
            "mean_daily": fig["mean_daily"],
            "sd_daily": fig["sd_daily"],
            "lead_time_days": fig["lead_time_days"],
            "safety_stock": fig["safety_stock"],
            "service_level": sl,
            "uom": fig["uom"],
        }
        return {k: v for k, v in fact.items() if v is not None}

    def facts(self, row, event: Event) -> list[dict]:
        """The facts of one outbox row, whose typed event is `event`."""
        try:
            out = self._facts(event, row)
        except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
            raise Malformed(f"{row.event}: {type(exc).__name__}: {exc}") from None
        for f in out:
            f["event_id"] = row.id
        return out

    def _facts(self, event: Event, row) -> list[dict]:
        out: list[dict] = []
        out += [self.stock_level(sku) for sku in self.rechecked(event)]
        if isinstance(event, StockCounted):
            out.append(self.count(event, row))
        if isinstance(event, StockWentNegative | StockShort):
            out.append(self.negative(event))
        if isinstance(event, SalesPriceFlagged):
            out.append(self.sale_price(event))
        if isinstance(event, SalesOrderShipped):
            out += self.demand_days(event, row)
        if isinstance(event, ApprovalRequested | ApprovalDecided):
            out.append(self.approval(event.request))
        return out

    def count(self, event: StockCounted, row) -> dict:
        book, diff = float(event.book_qty), float(event.diff_qty)
        pct = abs(diff) / book * 100 if book else (100.0 if diff else 0.0)
        item = self.items().get(event.sku)
        return {
            "type": "count",
            "count_id": row.id,
            "sku": event.sku,
            "warehouse": event.warehouse,
            "diff_qty": _num(diff),
            "diff_value": float(event.diff_value),
            "pct": round(pct, 3),
            "value_limit": float(settings.get_decimal(self.uow, "approval.count_value")),
            "pct_limit": float(settings.get_decimal(self.uow, "approval.count_pct")),
            "uom": getattr(item, "uom", "pcs"),
        }

    def negative(self, event: StockWentNegative | StockShort) -> dict:
        sku, wh = event.sku, event.warehouse
        bal = self.uow.execute(
            select(balance_t.c.on_hand, balance_t.c.reserved)
            .select_from(
                balance_t.join(item_t, item_t.c.id == balance_t.c.item_id).join(
                    wh_t, wh_t.c.id == balance_t.c.warehouse_id
                )
            )
            .where((item_t.c.sku == sku) & (wh_t.c.code == wh))
        ).first()
        on_hand, reserved = (bal.on_hand, bal.reserved) if bal else (0, 0)
        return {
            "type": "negative",
            "sku": sku,
            "warehouse": wh,
            "on_hand": _num(on_hand),
            "reserved": _num(reserved),
            "orders": list(event.orders) if isinstance(event, StockShort) else [],
        }

    def sale_price(self, event: SalesPriceFlagged) -> dict:
        return {
            "type": "sale_price",
            "order": event.order,
            "sku": event.sku,
            "price": float(event.price),
            "list_price": float(event.list_price),
            "price_text": event.price,
            "list_price_text": event.list_price,
            "discount_pct": float(event.discount_pct),
            "threshold_pct": float(settings.get_decimal(self.uow, "anomaly.price_pct")),
        }

    def demand_days(self, event: SalesOrderShipped, row) -> list[dict]:
        clock_day = row.at.astimezone(self.uow.clock.tz).date()
        start = datetime.combine(clock_day, time(0), self.uow.clock.tz)
        out = []
        for line in event.lines:
            sku = line.item
            item = self.items().get(sku)
            fig = self.figures(sku)
            if item is None or fig is None:
                continue
            sold = self.uow.execute(
                select(move_t.c.qty).where(
                    (move_t.c.item_id == item.id)
                    & (move_t.c.kind == "sale")
                    & (move_t.c.at >= start)
                    & (move_t.c.at < start + timedelta(days=1))
                )
            ).all()
            qty = -sum((q for (q,) in sold), 0)
            out.append(
                {
                    "type": "demand_day",
                    "sku": sku,
                    "date": clock_day.isoformat(),
                    "qty": _num(qty),
                    "mean": fig["mean_daily"],
                    "sigma": fig["sd_daily"],
                    "k_sigma": float(settings.get_decimal(self.uow, "anomaly.sigma")),
                    "days": fig["days"],
                    "uom": item.uom,
                }
            )
        return out

    def approval(self, number: str) -> dict:
        req = self.uow.execute(select(req_t).where(req_t.c.number == number)).first()
        if req is None:
            raise Malformed(f"no approval request {number}")
        try:
            reasons = json.loads(req.reasons or "[]")
        except ValueError:
            reasons = [req.reasons] if req.reasons else []
        en = [r.get("en", "") if isinstance(r, dict) else str(r) for r in reasons]
        zh = [r.get("zh", "") if isinstance(r, dict) else str(r) for r in reasons]
        return {
            "type": "approval",
            "request": number,
            "status": req.status,
            "subject": req.subject,
            "requested_by": req.requested_by,
            "alert_open": self.is_live("approval", number),
            "partner": self._partner(req.subject),
            **self._label(req.subject_kind, req.subject),
            "reasons": en,
            "reasons_zh": zh,
            "details": self._details(req.subject_kind, req.subject),
            # A delegate's decision reads "li for mary" (design, Delegation).
            "decided_by": " for ".join(x for x in (req.decided_by, req.on_behalf_of) if x),
            "reason": req.decision_reason or "",
        }

    def _details(self, kind: str, subject: str) -> dict:
        """What the request asks (the order's partner, lines and total; the count's item,
        warehouse, book, counted and difference), as `approval.list` shows it."""
        subject_of = APPROVAL_SUBJECTS.get(kind)
        if subject_of is None:
            return {}
        try:
            return subject_of.details(self.uow, subject)
        except JxcError:  # the subject is gone: the message names the request alone
            return {}

    def _label(self, kind: str, subject: str) -> dict:
        """How the messages name a count: by its item and warehouse (`count #17 of M6-20 in
        MAIN`), not by its number alone; an order's number names it already."""
        if kind != "stock_count" or not subject.isdigit():
            return {}
        c = StockCount.__table__
        row = self.uow.execute(
            select(item_t.c.sku, wh_t.c.code)
            .select_from(
                c.join(item_t, item_t.c.id == c.c.item_id).join(wh_t, wh_t.c.id == c.c.warehouse_id)
            )
            .where(c.c.id == int(subject))
        ).first()
        if row is None:
            return {}
        return {
            "subject_label": f"count #{subject} of {row.sku} in {row.code}",
            "subject_label_zh": f"{row.code} 的 {row.sku} 盘点 #{subject}",
        }

    def _partner(self, subject: str) -> str:
        head = {"SO": SalesOrder.__table__, "PO": PurchaseOrder.__table__}.get(subject[:2])
        if head is None:
            return ""
        p = Partner.__table__
        name = self.uow.execute(
            select(p.c.code)
            .select_from(head.join(p, p.c.id == head.c.partner_id))
            .where(head.c.number == subject)
        ).scalar()
        return name or ""


def dedupe(facts: list[dict]) -> list[dict]:
    """Facts read from the current state are the same for every event of a batch about the same
    subject: post each once (the last)."""
    keyed: dict[tuple, int] = {}
    for i, f in enumerate(facts):
        if f["type"] == "stock_level":
            keyed[("stock_level", f["sku"])] = i
        elif f["type"] == "approval":
            keyed[("approval", f["request"])] = i
        elif f["type"] == "negative":
            keyed[("negative", f["sku"], f["warehouse"])] = i
    keep = set(keyed.values())
    return [
        f
        for i, f in enumerate(facts)
        if f["type"] not in ("stock_level", "approval", "negative") or i in keep
    ]
