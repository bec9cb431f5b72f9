"""Which command a text names: keyword cues checked in a fixed order of precedence, on the text
with catalog names and ids masked (so `快递面单` never reads as `开单`)."""

from __future__ import annotations

import re

from bot.catalog import Mention
from bot.parse.cues import (
    ALERT,
    ALERT_ACK,
    ALERT_ORDER,
    ALERT_SNOOZE,
    AMEND,
    APPROVAL_LIST,
    APPROVAL_QUESTION,
    APPROVE,
    ARRIVED,
    ASKED_AFTER,
    BALANCE,
    BEFORE_PURCHASE,
    BEFORE_SALES,
    BLANKET,
    CANCEL,
    COUNT,
    COUNT_WEAK,
    DECIDE_FIRST,
    DECIDE_VERB,
    DELEGATE,
    DELIVERY_NOTE,
    DIGEST,
    FORECAST,
    GENERIC_CREATE,
    HELP,
    HELP_ONLY,
    INSTRUCTION,
    ISSUE,
    MINE,
    MONEY_CONTEXT,
    ORDER_QUERY,
    ORDER_WORDS,
    OUTBOUND,
    PAY_GENERIC,
    PAY_IN,
    PAY_OUT,
    PRICE_Q,
    PURCHASE,
    PURCHASE_WORDS,
    QUESTION,
    RECEIVE_PART,
    REJECT,
    RETURN,
    SALES,
    SELL_HOW_MANY,
    SHIP,
    SHIP_PART,
    STATE_QUESTION,
    STATEMENT,
    STOCK_AT,
    STOCK_QUERY,
    STOCK_RECEIVE,
    STRONG_DECIDE,
    SUBJECT_SALES,
    TRANSFER,
    UNDELEGATE,
    asks_for_labels,
)
from bot.parse.reports import MONEY_REPORTS, find_report
from bot.parse.scan import Scan

_ORDER_WRITES = {"sales.ship", "sales.cancel", "purchase.receive", "purchase.cancel",
                 "sales.return", "purchase.return", "sales.amend", "purchase.amend"}  # fmt: skip


def _alert_intent(t: str) -> str | None:
    """`alerts`, `ack alert 12`, `snooze alert 12 for 3 days`, `order from alert 12` and their
    Chinese (预警, 确认预警 12, 预警 12 推迟 3 天, 按预警 12 下采购单)."""
    if not ALERT.search(t):
        return None
    if ALERT_SNOOZE.search(t):
        return "alert.snooze"
    if ALERT_ORDER.search(t):
        return "alert.order"
    if ALERT_ACK.search(t):
        return "alert.ack"
    return "alert.list"


def classify(s: Scan) -> str | None:
    """The intent a scanned text names, or None when it names no command at all."""
    intent = _classify(s)
    if intent in _ORDER_WRITES and (s.ids_with("SO", "PO") or ORDER_WORDS.search(s.masked)):
        if STATE_QUESTION.search(s.masked):
            return "order.query"
    return intent


def _classify(s: Scan) -> str | None:
    t = s.masked
    items = s.of_kind("item")
    partners = s.of_kind("partner")
    requests, pos, sos = s.ids_with("A"), s.ids_with("PO"), s.ids_with("SO")
    has_lines = bool(items) and bool(s.qtys or s.prices or s.discounts)
    if INSTRUCTION.search(t):
        return None
    if HELP_ONLY.search(t) or HELP.search(t):
        return "help"
    alert = _alert_intent(s.text)
    if alert:
        return alert
    if requests and not DECIDE_FIRST.search(t) and not _decides(t):
        if APPROVAL_QUESTION.search(t) or STATE_QUESTION.search(t) or _bare_ids(s):
            return "approval.query"
    if DELEGATE.search(t) and not requests:
        return "approval.undelegate" if UNDELEGATE.search(t) else "approval.delegate"
    if requests or STRONG_DECIDE.search(t):
        if not requests and BLANKET.search(t):
            return None
        if REJECT.search(t) or (APPROVE.search(t) and not APPROVAL_LIST.search(t)):
            return "approval.decide"
    if DIGEST.search(t) and not (items or partners or requests or pos or sos):
        return "digest"
    if DELIVERY_NOTE.search(t) and not CANCEL.search(t):
        return "delivery_note"
    if asks_for_labels(s.text) and not (partners or requests or pos or sos):
        return "labels"
    if CANCEL.search(t) and (pos or sos or ORDER_WORDS.search(t) or PURCHASE_WORDS.search(t)):
        if pos or (not sos and PURCHASE_WORDS.search(t)):
            return "purchase.cancel"
        return "sales.cancel"
    if (pos or sos) and AMEND.search(t) and not (RETURN.search(t) or ARRIVED.search(t)):
        if not (SHIP.search(t) or OUTBOUND.search(t) or SHIP_PART.search(t)):
            return "purchase.amend" if pos and not sos else "sales.amend"
    if RETURN.search(t) and not STATEMENT.search(t):
        return _return_side(s, partners, pos, sos)
    if TRANSFER.search(t) and (items or s.of_kind("warehouse")) and not partners:
        return "stock.transfer"
    if COUNT.search(t) or (COUNT_WEAK.search(t) and items and s.qtys and not QUESTION.search(t)):
        return "stock.count"
    if pos and (ARRIVED.search(t) or (has_lines and RECEIVE_PART.search(t))):
        return "purchase.receive"
    if sos and has_lines and SHIP_PART.search(t):
        return "sales.ship"
    if sos and OUTBOUND.search(t) and not has_lines:
        return "sales.ship"
    if SHIP.search(t) and (sos or not (items or partners or ORDER_WORDS.search(t))):
        return "sales.ship"
    if items and PRICE_Q.search(t) and not (s.qtys or pos or sos):
        return "price.query"
    if not (has_lines or partners) and _money_report(t):
        return (
            "report"  # "who owes us money", "应付账款账龄", "毛利": the whole book, not one partner
        )
    if STATEMENT.search(t):
        return "statement"
    if BALANCE.search(t) and not has_lines:
        return "partner.balance"
    if FORECAST.search(t) or (s.days and items and SELL_HOW_MANY.search(t)):
        return "forecast"
    payment = _payment(s, t, items, partners, pos or sos)
    if payment:
        return payment
    if not has_lines and find_report(t):
        return "report"
    if APPROVAL_LIST.search(t):
        return "order.query" if ORDER_WORDS.search(t) else "approval.list"
    if MINE.search(t) and ORDER_WORDS.search(t) and not has_lines:
        return "order.query"  # "我的采购单", "my purchase orders"
    if sos and not has_lines:
        return "order.query"
    if STOCK_RECEIVE.search(t) and (items or not partners):
        if s.qtys or not STOCK_AT.search(t):
            return "stock.receive"
        return "stock.query"  # "elbow stock in Guangzhou": a question with a place
    if ISSUE.search(t) and items and not partners:
        return "stock.issue"
    create = _create_side(s, t, items, partners, has_lines)
    if create:
        return create
    if ISSUE.search(t):
        return "stock.issue"
    if pos or sos or ORDER_QUERY.search(t):
        return "order.query"
    if has_lines and s.qtys and not STOCK_QUERY.search(t):
        return "sales.create"  # "M6 200个，M6螺母 200个": an order without its customer yet
    if STOCK_QUERY.search(t) or (items and not partners) or s.of_kind("warehouse"):
        return "stock.query"
    return None


def _decides(t: str) -> bool:
    """A decision verb said, not asked about: "A-3 驳回，价格不对" decides; "A-3 驳回了吗" and
    "A-3 approve?" ask."""
    return any(not ASKED_AFTER.match(t, m.end()) for m in DECIDE_VERB.finditer(t))


def _bare_ids(s: Scan) -> bool:
    """Nothing but document numbers ("A-12", "A-12 A-13"): a question about them."""
    return not re.sub(r"[\s\ue000,，、.。!！?？]+", "", s.masked)


def _money_report(t: str) -> bool:
    found = find_report(t)
    return found is not None and found[0] in MONEY_REPORTS


def _return_side(s: Scan, partners: list[Mention], pos: list[str], sos: list[str]) -> str:
    if pos:
        return "purchase.return"
    if sos:
        return "sales.return"
    if any(p.entities[0].kind == "supplier" for p in partners) or PURCHASE_WORDS.search(s.masked):
        return "purchase.return"
    return "sales.return"


def _payment(s: Scan, t: str, items, partners, order_ids) -> str | None:
    if items or order_ids:
        return None
    if not (PAY_IN.search(t) or PAY_OUT.search(t) or PAY_GENERIC.search(t)):
        return None
    if not (partners or s.money or MONEY_CONTEXT.search(t)):
        return None
    if PAY_IN.search(t) and not PAY_OUT.search(t):
        return "payment.receive"
    if PAY_OUT.search(t):
        return "payment.pay"
    verb = PAY_GENERIC.search(t)
    if partners and len(partners[0].entities) == 1 and not verb.group(0).isascii():
        # 付款, 打款, 结账 say no direction: a customer pays us, we pay a supplier
        kind = partners[0].entities[0].kind
        return "payment.pay" if kind == "supplier" else "payment.receive"
    if partners:
        # "ACME paid 3000" (the partner paid us) against "paid ECH 5000" (we paid them)
        return "payment.receive" if partners[0].start < verb.start() else "payment.pay"
    return "payment.receive"


def _create_side(s: Scan, t: str, items, partners, has_lines: bool) -> str | None:
    sales = bool(SALES.search(t))
    purchase = bool(PURCHASE.search(t))
    for p in partners if items else ():
        if BEFORE_PURCHASE.search(t[: p.start]):
            purchase = True
        elif BEFORE_SALES.search(t[: p.start]) or SUBJECT_SALES.search(t[p.end :]):
            sales = True
    if not (items or sales or purchase) and ORDER_QUERY.search(t):
        return None
    if sales and not purchase:
        return "sales.create"
    if purchase and not sales:
        return "purchase.create"
    if not (sales or purchase or GENERIC_CREATE.search(t) or (partners and has_lines)):
        return None
    if not (items or partners or sales or purchase):
        return None
    if partners:
        kind = partners[0].entities[0].kind
        return "purchase.create" if kind == "supplier" else "sales.create"
    if items and not has_lines and not (sales or purchase):
        return None
    return "sales.create"
