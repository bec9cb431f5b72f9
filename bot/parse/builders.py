"""One builder per intent: the design's command dict, optional slots left out. The questions'
builders are here with the table of every intent's; the ledger's writes are built in
`build_orders`, approvals and alerts in `build_approvals`."""

from __future__ import annotations

import re

from bot.parse.build_approvals import (
    alert_ack,
    alert_list,
    alert_order,
    alert_snooze,
    approval_decide,
    approval_delegate,
    approval_list,
    approval_query,
    approval_undelegate,
)
from bot.parse.build_orders import (
    amend,
    order_return,
    part_of_order,
    purchase_cancel,
    purchase_create,
    sales_cancel,
    sales_create,
    stock_count,
    stock_issue,
    stock_receive,
    stock_transfer,
)
from bot.parse.cues import MINE
from bot.parse.labels import labels
from bot.parse.scan import Scan
from bot.parse.slots import Builder, Filler, SlotError, put, report_name

_STATUSES = [
    ("partially_shipped", r"\bpartially shipped\b|\bpartial(?:ly)? shipments?\b|部分发货"),
    ("partially_received", r"\bpartially received\b|部分到货|部分收货|部分入库"),
    ("pending_approval", r"\bpending approval\b|\bawaiting approval\b|待审批|待批|审批中"),
    ("cancelled", r"\bcancell?ed\b|已取消|取消的|作废的"),
    ("shipped", r"\bshipped\b|已发货|已发出|发了的"),
    ("received", r"\breceived\b|已到货|已收货|已入库"),
    ("confirmed", r"\bconfirmed\b|\bunshipped\b|\bnot (?:yet )?shipped\b|\bto ship\b|已确认|待发货|"
                  r"未发货|没发货"),
    ("open", r"\bopen\b|\boutstanding\b|\bunfinished\b|未完成|未结|进行中|没完成|在途"),
]  # fmt: skip
_PURCHASE_ORDERS = re.compile(r"\bpurchase orders?\b|\bpos\b|采购单|采购订单|进货单")
_SALES_ORDERS = re.compile(r"\bsales orders?\b|\bsos\b|销售单|销售订单")
_STATUS_RES = [(name, re.compile(rx)) for name, rx in _STATUSES]


def stock_query(f: Filler) -> dict:
    cmd: dict = {}
    if f.items():
        cmd["item"] = f.item()
    else:
        f.unknown_item(required=False)
    return put(cmd, "warehouse", f.warehouse())


def price_query(f: Filler) -> dict:
    cmd: dict = {"item": f.item()}
    if f.s.of_kind("partner"):
        cmd["customer"] = f.partner("customer", "customer")
    return put(cmd, "warehouse", f.warehouse(outgoing=True))


def digest(f: Filler) -> dict:
    from bot.parse.cues import WEEKLY

    return {"kind": "weekly" if WEEKLY.search(f.s.text) else "daily"}


def forecast(f: Filler) -> dict:
    cmd: dict = {"item": f.item()}
    if f.s.days:
        days = f.s.days[0]
    elif f.s.qtys and f.s.qtys[0].unit is None:
        value = f.s.qtys[0].value
        if value != value.to_integral_value():
            raise SlotError("invalid_quantity", slot="days", value=str(value), why="days")
        days = int(value)
    else:
        return cmd
    if days <= 0:
        raise SlotError("invalid_quantity", slot="days", value=str(days), why="days")
    cmd["days"] = days
    return cmd


def report(f: Filler) -> dict:
    cmd = {"name": report_name(f.s)}
    return put(cmd, "period", f.s.period[0] if f.s.period else None)


def order_query(f: Filler) -> dict:
    cmd: dict = {}
    put(cmd, "order", f.order("SO", "PO", required=False))
    if f.s.of_kind("partner"):
        cmd["partner"] = f.partner(None, "partner")
    for name, rx in _STATUS_RES if "order" not in cmd else ():
        if rx.search(f.s.masked):
            cmd["status"] = name
            break
    if MINE.search(f.s.masked):
        cmd["mine"] = True
    if "order" not in cmd and _PURCHASE_ORDERS.search(f.s.masked):
        cmd["kind"] = "purchase"
    elif "order" not in cmd and _SALES_ORDERS.search(f.s.masked):
        cmd["kind"] = "sales"
    return cmd


def payment(kind: str) -> Builder:
    def build(f: Filler) -> dict:
        partner = f.partner(kind, kind)
        cmd = {kind: partner, "amount": f.amount()}
        return put(cmd, "invoice", f.order("INV", "BILL", "CN", required=False))

    return build


def partner_balance(f: Filler) -> dict:
    return {"partner": f.partner(None, "partner")}


def statement(f: Filler) -> dict:
    cmd = {"partner": f.partner(None, "partner")}
    return put(cmd, "period", f.s.period[0] if f.s.period else None)


# "shipment 2", "2nd shipment", "第2批", "第二次发货", "第 3 车"
_SHIPMENT = re.compile(
    r"\bshipment\s*(?:no\.?|number|#)?\s*(\d{1,9})\b|\b(\d{1,9})(?:st|nd|rd|th)\s+shipment\b|"
    r"第\s*(\d{1,9}|[零〇一二两三四五六七八九十百]+)\s*(?:批|次|车)"
)


def delivery_note(f: Filler) -> dict:
    cmd = {"order": f.order("SO", "PO", required=False) or _missing("order")}
    m = _SHIPMENT.search(f.s.text)
    if m is not None:
        from bot.parse.numbers import to_decimal

        cmd["shipment"] = int(to_decimal(next(g for g in m.groups() if g)))
    return cmd


def _missing(slot: str):
    raise SlotError("missing_slot", slot=slot)


def help_(f: Filler) -> dict:
    return {}


BUILDERS: dict[str, Builder] = {
    "stock.query": stock_query,
    "stock.receive": stock_receive,
    "stock.issue": stock_issue,
    "stock.transfer": stock_transfer,
    "stock.count": stock_count,
    "purchase.create": purchase_create,
    "purchase.receive": part_of_order("PO", warehouse_out=False),
    "purchase.cancel": purchase_cancel,
    "sales.create": sales_create,
    "sales.ship": part_of_order("SO", warehouse_out=True),
    "sales.cancel": sales_cancel,
    "approval.list": approval_list,
    "approval.decide": approval_decide,
    "approval.query": approval_query,
    "price.query": price_query,
    "digest": digest,
    "forecast": forecast,
    "report": report,
    "order.query": order_query,
    "sales.return": order_return("SO"),
    "purchase.return": order_return("PO"),
    "payment.receive": payment("customer"),
    "payment.pay": payment("supplier"),
    "partner.balance": partner_balance,
    "statement": statement,
    "delivery_note": delivery_note,
    "labels": labels,
    "help": help_,
    "alert.list": alert_list,
    "alert.ack": alert_ack,
    "alert.snooze": alert_snooze,
    "alert.order": alert_order,
    "sales.amend": amend("SO"),
    "purchase.amend": amend("PO"),
    "approval.delegate": approval_delegate,
    "approval.undelegate": approval_undelegate,
}


_QTY_INTENTS = {
    "stock.receive", "stock.issue", "stock.transfer", "stock.count", "purchase.create",
    "purchase.receive", "sales.create", "sales.ship", "sales.return", "purchase.return",
    "sales.amend", "purchase.amend",
}  # fmt: skip
_AMOUNT_INTENTS = {"payment.receive", "payment.pay"}


def build(intent: str, s: Scan, f: Filler) -> dict:
    if s.unreadable and intent in _QTY_INTENTS | _AMOUNT_INTENTS:
        # "acme 5kk m8", "三百多个": ask, never keep a fragment of the number
        code = "invalid_quantity" if intent in _QTY_INTENTS else "invalid_amount"
        slot = "qty" if intent in _QTY_INTENTS else "amount"
        raise SlotError(code, slot=slot, value=s.unreadable[0], why="unreadable")
    return {"intent": intent, **BUILDERS[intent](f)}
