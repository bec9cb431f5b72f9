"""One builder per intent: the design's command dict, optional slots left out."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.catalog import ResolveError
from bot.parse import residue
from bot.parse.scan import Scan
from bot.parse.slots import (
    Filler,
    SlotError,
    decision,
    decision_reason,
    group_numbers,
    report_name,
)

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
    return _put({"order": f.order("PO")}, "reason", residue.reason(f.s))


def sales_ship(f: Filler) -> dict:
    cmd: dict = {"order": f.order("SO")}
    if f.items():  # "SO-0007 先发 M6 10 个": a partial shipment
        cmd["lines"] = f.lines(prices=False)
    return _put(cmd, "warehouse", f.warehouse(outgoing=True))


def sales_cancel(f: Filler) -> dict:
    return _put({"order": f.order("SO")}, "reason", residue.reason(f.s))


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


def approval_query(f: Filler) -> dict:
    return {"request": f.order("A", required=False) or _missing("request")}


def _missing(slot: str):
    raise SlotError("missing_slot", slot=slot)


def price_query(f: Filler) -> dict:
    cmd: dict = {"item": f.item()}
    if f.s.of_kind("partner"):
        cmd["customer"] = f.partner("customer", "customer")
    return _put(cmd, "warehouse", f.warehouse(outgoing=True))


def digest(f: Filler) -> dict:
    from bot.parse.intents import WEEKLY

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
    "approval.query": approval_query,
    "price.query": price_query,
    "digest": digest,
    "forecast": forecast,
    "report": report,
    "order.query": order_query,
    "sales.return": _return("SO"),
    "purchase.return": _return("PO"),
    "payment.receive": payment("customer"),
    "payment.pay": payment("supplier"),
    "partner.balance": partner_balance,
    "statement": statement,
    "delivery_note": delivery_note,
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


# -- amending orders, partial receipts and shipments, delegation --------------------------------

# "扎带没到", "cable ties didn't come", "no cable ties": an item named as missing from a delivery.
_NOT_CAME_AFTER = re.compile(
    r"^\s*(?:还|也|都)?(?:没到|没来|未到|没有到|没收到|没发|没有来|缺货|缺)|"
    r"^\s*(?:did ?n[o']t|did not|has ?n[o']t|have ?n[o']t|not|never)\s+(?:yet\s+)?"
    r"(?:come|came|arrive|arrived|show(?:ed)? up)|^\s*(?:missing|short|to follow)\b"
)
_NOT_CAME_BEFORE = re.compile(r"(?:\bno|\bwithout|\bminus|没有|没|缺)\s*$")


def _drop_missing(f: Filler) -> None:
    """Leave out the items a receipt or shipment says did not come ("扎带没到")."""
    s = f.s
    kept = []
    for m in s.mentions:
        if m.kind == "item" and (
            _NOT_CAME_AFTER.search(s.text[m.end :]) or _NOT_CAME_BEFORE.search(s.text[: m.start])
        ):
            continue
        kept.append(m)
    s.mentions = kept


def _partial(prefix: str, warehouse_out: bool) -> Builder:
    def build(f: Filler) -> dict:
        cmd: dict = {"order": f.order(prefix)}
        _drop_missing(f)
        if f.items():  # "PO-0031 先收 M6 2000 个", "SO-0007 先发 M6 10 个": part of the order
            cmd["lines"] = f.lines(prices=False)
        return _put(cmd, "warehouse", f.warehouse(outgoing=warehouse_out))

    return build


def _amend(prefix: str) -> Builder:
    """`SO-0299 改成 50 个` (the item left to the service), `actually make SO-0304 5 drills not
    3`, `SO-0007 去掉胶带` (qty 0), `SO-0007 加 20 卷胶带`, `change PO-0012 M6 to 800`."""
    from bot.parse.intents import AMEND_NOT, REMOVE

    def build(f: Filler) -> dict:
        order = f.order(prefix)
        s = f.s
        olds = [m.end() for m in AMEND_NOT.finditer(s.masked)]
        s.qtys = [q for q in s.qtys if not any(0 <= q.start - end <= 2 for end in olds)]
        items = f.items()
        if not items:
            f.unknown_item(required=False)
            if not s.qtys:
                raise SlotError("missing_slot", slot="lines")
            return {"order": order, "lines": [{"qty": f.qty(s.qtys[0], None, zero_ok=True)}]}
        removing = bool(REMOVE.search(s.masked))
        pools = {"qty": list(s.qtys), "price": list(s.prices), "discount": list(s.discounts)}
        lines = []
        for m, got in zip(items, group_numbers(s, items, pools), strict=True):
            line = {"item": m.entities[0].sku}
            if got["qty"]:
                line["qty"] = f.qty(got["qty"][0], m, zero_ok=True)
            elif removing:
                line["qty"] = "0"
            else:
                raise SlotError("missing_slot", slot="qty", name=m.text)
            if got["price"]:
                line["price"] = f.money(got["price"][0], "price")
            if prefix == "SO" and got["discount"]:
                line["discount"] = f.discount(got["discount"][0])
            lines.append(line)
        return {"order": order, "lines": lines}

    return build


_DELEGATE_TO = [
    re.compile(r"(?:让|请|叫|由)\s*([^\s,，。、让请叫由]{1,12}?)\s*(?:代|帮|替|来)"),
    re.compile(
        r"(?:委托|交给|授权)(?:给)?\s*([^\s,，。、]{1,12}?)\s*(?:代|审批|帮|批|到|至|直到|$)"
    ),
    re.compile(r"\blet\s+(\w+)\s+(?:approve|decide|sign)", re.IGNORECASE),
    re.compile(r"\bdelegat\w*\b.*?\bto\s+(\w+)", re.IGNORECASE),
    re.compile(r"\b(\w+)\s+(?:will\s+|can\s+|should\s+)?(?:approves?|decides?)\s+for me\b", re.I),
]
_WEEKDAY_WORDS = (
    ("monday", r"monday|mon|周一|星期一|礼拜一"),
    ("tuesday", r"tuesday|tues?|周二|星期二|礼拜二"),
    ("wednesday", r"wednesday|wed|周三|星期三|礼拜三"),
    ("thursday", r"thursday|thur?s?|周四|星期四|礼拜四"),
    ("friday", r"friday|fri|周五|星期五|礼拜五"),
    ("saturday", r"saturday|sat|周六|星期六|礼拜六"),
    ("sunday", r"sunday|sun|周日|周天|星期日|星期天|礼拜日|礼拜天"),
    ("today", r"today|今天"),
    ("tomorrow", r"tomorrow|明天"),
)
_UNTIL = re.compile(
    r"(?:\buntil\b|\btill\b|\bthrough\b|\bthru\b|\bto\b|\bby\b|到|至|直到|截止到?)\s*(?:the\s+)?"
    r"(?P<when>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}月\d{1,2}[日号]?|\d{1,2}[/-]\d{1,2}|"
    + "|".join(rx for _, rx in _WEEKDAY_WORDS)
    + r")(?![a-z])",
    re.IGNORECASE,
)


def _until(text: str) -> str | None:
    """The last day of a delegation as the service reads it: an ISO date, `M-D`, or a weekday
    (`friday`), `today` or `tomorrow`; None when the text names none."""
    m = _UNTIL.search(text)
    if m is None:
        return None
    when = m.group("when").lower()
    for word, rx in _WEEKDAY_WORDS:
        if re.fullmatch(rx, when):
            return word
    md = re.fullmatch(r"(\d{1,2})(?:月|[/-])(\d{1,2})[日号]?", when)
    return f"{int(md.group(1))}-{int(md.group(2))}" if md else when


def approval_delegate(f: Filler) -> dict:
    text = f.s.base
    to = next((m.group(1) for rx in _DELEGATE_TO if (m := rx.search(text))), None)
    if to is None or to.lower() in ("me", "you", "him", "her", "them", "我", "你", "他", "她"):
        raise SlotError("missing_slot", slot="delegate")
    until = _until(text)
    if until is None:
        raise SlotError("missing_slot", slot="until")
    return {"to": to, "until": until}


_UNDELEGATE_FROM = [
    re.compile(r"(?:取消|结束|停止|收回|撤销)\s*([^\s,，。的]{1,12})\s*的(?:代批|代审|委托)"),
    re.compile(r"\b(\w+)'s delegation\b", re.IGNORECASE),
    re.compile(r"\bdelegation (?:of|for)\s+(\w+)", re.IGNORECASE),
]


def approval_undelegate(f: Filler) -> dict:
    who = next((m.group(1) for rx in _UNDELEGATE_FROM if (m := rx.search(f.s.base))), None)
    if who is None or who.lower() in ("my", "我", "我们"):
        return {}
    return {"from": who}


BUILDERS.update(
    {
        "sales.amend": _amend("SO"),
        "purchase.amend": _amend("PO"),
        "sales.ship": _partial("SO", warehouse_out=True),
        "purchase.receive": _partial("PO", warehouse_out=False),
        "approval.delegate": approval_delegate,
        "approval.undelegate": approval_undelegate,
    }
)
_QTY_INTENTS.update({"sales.amend", "purchase.amend"})
