"""One builder per intent: the design's command dict, optional slots left out."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.catalog import ResolveError
from bot.parse import residue
from bot.parse.scan import Scan
from bot.parse.slots import Filler, SlotError, decision, decision_reason, report_name

Builder = Callable[[Filler], dict]
_FROM = re.compile(r"(?:\bfrom\b|从|由|自)\s*$")
_TO = re.compile(r"(?:\bto\b|\binto\b|->|→|到|去|往|至|调到|调往|移到|转到|入)\s*$")
_MINE = re.compile(r"\bmy\b|\bmine\b|我的|我下的|我开的|我做的|我负责的")
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


def _put(cmd: dict, key: str, value) -> dict:
    if value is not None:
        cmd[key] = value
    return cmd


def stock_query(f: Filler) -> dict:
    cmd: dict = {}
    if f.items():
        cmd["item"] = f.item()
    else:
        f.unknown_item(required=False)
    return _put(cmd, "warehouse", f.warehouse())


def _single_qty(f: Filler, slot: str, zero_ok: bool = False) -> str:
    items = f.items()
    if not f.s.qtys:
        raise SlotError("missing_slot", slot=slot)
    return f.qty(f.s.qtys[0], items[0] if items else None, zero_ok=zero_ok)


def stock_receive(f: Filler) -> dict:
    item = f.item()
    cmd = {"item": item, "qty": _single_qty(f, "qty")}
    costs = f.s.prices or f.s.money
    if costs:
        cmd["unit_cost"] = f.money(costs[0], "unit_cost")
    return _put(cmd, "warehouse", f.warehouse())


def stock_issue(f: Filler) -> dict:
    cmd = {"item": f.item(), "qty": _single_qty(f, "qty")}
    _put(cmd, "warehouse", f.warehouse())
    return _put(cmd, "reason", residue.reason(f.s, allow_for=True))


def stock_transfer(f: Filler) -> dict:
    cmd = {"item": f.item(), "qty": _single_qty(f, "qty")}
    src = dst = None
    rest = []
    for m in f.warehouses():
        before = f.s.text[: m.start]
        if _FROM.search(before) and src is None:
            src = m
        elif _TO.search(before) and dst is None:
            dst = m
        else:
            rest.append(m)
    for m in rest:
        if src is None and (dst is None or m.start < dst.start):
            src = m
        elif dst is None:
            dst = m
    for slot, found in (("from", src), ("to", dst)):
        if found is None:
            chunk = residue.warehouse_chunk(f.s, f.chunks)
            if chunk:
                try:
                    f.catalog.resolve_warehouse(chunk[1])
                except ResolveError as err:
                    raise SlotError(err.code, err.suggestions, slot, name=chunk[1]) from err
            raise SlotError("missing_slot", slot=slot)
        cmd[slot] = found.entities[0].code
    return cmd


def stock_count(f: Filler) -> dict:
    cmd = {"item": f.item(), "counted_qty": _single_qty(f, "counted_qty", zero_ok=True)}
    return _put(cmd, "warehouse", f.warehouse())


def purchase_create(f: Filler) -> dict:
    supplier = f.partner("supplier", "supplier")
    cmd = {"supplier": supplier, "lines": f.lines()}
    return _put(cmd, "warehouse", f.warehouse())


def sales_create(f: Filler) -> dict:
    customer = f.partner("customer", "customer")
    cmd = {"customer": customer, "lines": f.lines(discount=True)}
    return _put(cmd, "warehouse", f.warehouse(outgoing=True))


def purchase_receive(f: Filler) -> dict:
    cmd: dict = {"order": f.order("PO")}
    if f.items():
        cmd["lines"] = f.lines(prices=False)
    return _put(cmd, "warehouse", f.warehouse())


def purchase_cancel(f: Filler) -> dict:
    return {"order": f.order("PO")}


def sales_ship(f: Filler) -> dict:
    cmd: dict = {"order": f.order("SO")}
    if f.items():  # "SO-0007 先发 M6 10 个": a partial shipment
        cmd["lines"] = f.lines(prices=False)
    return _put(cmd, "warehouse", f.warehouse(outgoing=True))


def sales_cancel(f: Filler) -> dict:
    return {"order": f.order("SO")}


def _return(prefix: str) -> Builder:
    def build(f: Filler) -> dict:
        order = f.order(prefix)
        cmd = {"order": order, "lines": f.lines(prices=False)}
        return _put(cmd, "reason", residue.reason(f.s))

    return build


def approval_list(f: Filler) -> dict:
    return {}


def approval_decide(f: Filler) -> dict:
    request = f.order("A", required=False)
    if request is None:
        raise SlotError("missing_slot", slot="request")
    found = decision(f.s)
    if found is None:
        raise SlotError("missing_slot", slot="decision")
    return _put({"request": request, "decision": found}, "reason", decision_reason(f.s))


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
    return _put(cmd, "period", f.s.period[0] if f.s.period else None)


def order_query(f: Filler) -> dict:
    cmd: dict = {}
    _put(cmd, "order", f.order("SO", "PO", required=False))
    if f.s.of_kind("partner"):
        cmd["partner"] = f.partner(None, "partner")
    for name, rx in _STATUS_RES if "order" not in cmd else ():
        if rx.search(f.s.masked):
            cmd["status"] = name
            break
    if _MINE.search(f.s.masked):
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
        return _put(cmd, "invoice", f.order("INV", "BILL", "CN", required=False))

    return build


def partner_balance(f: Filler) -> dict:
    return {"partner": f.partner(None, "partner")}


def statement(f: Filler) -> dict:
    cmd = {"partner": f.partner(None, "partner")}
    return _put(cmd, "period", f.s.period[0] if f.s.period else None)


def help_(f: Filler) -> dict:
    return {}


_ALERT_ID = re.compile(r"(?:alerts?|预警|警报|告警)\s*(?:no\.?|number|#|第)?\s*(\d{1,9})|#\s*(\d{1,9})|"
                       r"(\d{1,9})\s*号?\s*(?:预警|警报|告警)")  # fmt: skip
_ALERT_DAYS = re.compile(r"(-?\d{1,4})\s*(?:days?|天|日)")
_ALERT_KINDS = [
    ("reorder", re.compile(r"\breorder\b|补货")),
    ("approval", re.compile(r"\bapprovals?\b|审批")),
]


def _alert_id(f: Filler) -> int:
    m = _ALERT_ID.search(f.s.text)
    if m is None:
        raise SlotError("missing_slot", slot="alert")
    return int(next(g for g in m.groups() if g))


def alert_list(f: Filler) -> dict:
    cmd: dict = {}
    for kind, rx in _ALERT_KINDS:
        if rx.search(f.s.text):
            cmd["kind"] = kind
            break
    if _MINE.search(f.s.text):
        cmd["mine"] = True
    return cmd


def alert_ack(f: Filler) -> dict:
    return {"alert": _alert_id(f)}


def alert_snooze(f: Filler) -> dict:
    cmd: dict = {"alert": _alert_id(f)}
    m = _ALERT_DAYS.search(f.s.text)
    if m is not None:
        cmd["days"] = int(m.group(1))
    elif f.s.days:
        cmd["days"] = f.s.days[0]
    return cmd


def alert_order(f: Filler) -> dict:
    return {"alert": _alert_id(f)}


BUILDERS: dict[str, Builder] = {
    "stock.query": stock_query,
    "stock.receive": stock_receive,
    "stock.issue": stock_issue,
    "stock.transfer": stock_transfer,
    "stock.count": stock_count,
    "purchase.create": purchase_create,
    "purchase.receive": purchase_receive,
    "purchase.cancel": purchase_cancel,
    "sales.create": sales_create,
    "sales.ship": sales_ship,
    "sales.cancel": sales_cancel,
    "approval.list": approval_list,
    "approval.decide": approval_decide,
    "forecast": forecast,
    "report": report,
    "order.query": order_query,
    "sales.return": _return("SO"),
    "purchase.return": _return("PO"),
    "payment.receive": payment("customer"),
    "payment.pay": payment("supplier"),
    "partner.balance": partner_balance,
    "statement": statement,
    "help": help_,
    "alert.list": alert_list,
    "alert.ack": alert_ack,
    "alert.snooze": alert_snooze,
    "alert.order": alert_order,
}


_QTY_INTENTS = {
    "stock.receive", "stock.issue", "stock.transfer", "stock.count", "purchase.create",
    "purchase.receive", "sales.create", "sales.ship", "sales.return", "purchase.return",
}  # fmt: skip
_AMOUNT_INTENTS = {"payment.receive", "payment.pay"}


def build(intent: str, s: Scan, f: Filler) -> dict:
    if s.unreadable and intent in _QTY_INTENTS | _AMOUNT_INTENTS:
        # "acme 5kk m8", "三百多个": ask, never keep a fragment of the number
        code = "invalid_quantity" if intent in _QTY_INTENTS else "invalid_amount"
        slot = "qty" if intent in _QTY_INTENTS else "amount"
        raise SlotError(code, slot=slot, value=s.unreadable[0], why="unreadable")
    return {"intent": intent, **BUILDERS[intent](f)}
