"""Results of purchase and sales orders: created, received, shipped, cancelled, listed, amended."""

from __future__ import annotations

from bot.render.reply import Reply, t
from bot.render.results.base import result_reply, said
from bot.render.words import (
    approval_note,
    change_text,
    joined_reasons,
    money_text,
    status_words,
)
from domain.messages.results import (
    AlertOrderResult,
    Amendment,
    Cancellation,
    OrderRow,
    OrdersAnswer,
    PurchaseOrderResult,
    PurchaseReceipt,
    SalesOrderResult,
    Shipment,
)
from domain.numbers import money_display


def _order_created(kind: str, who: str, r, lang: str) -> Reply:
    text = t(
        lang,
        f"{kind} {r.order} for {who}: total {money_text(r.total)}, {status_words(lang, r.status)}.",
        f"{kind} {r.order}（{who}）：合计 {money_text(r.total)}，{status_words(lang, r.status)}。",
    )
    return Reply(text + approval_note(r, lang, future=False), lang)


@result_reply.register(PurchaseOrderResult)
def _purchase_created(r: PurchaseOrderResult, lang: str) -> Reply:
    return _order_created(t(lang, "Purchase order", "采购单"), r.supplier, r, lang)


@result_reply.register(SalesOrderResult)
def _sales_created(r: SalesOrderResult, lang: str) -> Reply:
    return _order_created(t(lang, "Sales order", "销售单"), r.customer, r, lang)


@result_reply.register(AlertOrderResult)
def _ordered_from_alert(r: AlertOrderResult, lang: str) -> Reply:
    head = _purchase_created(r, lang)
    return Reply(
        t(lang, f"From alert {r.alert}: ", f"根据预警 {r.alert}：") + head.text,
        lang,
        table=head.table,
    )


@result_reply.register(PurchaseReceipt)
def _purchase_received(r: PurchaseReceipt, lang: str) -> Reply:
    got = ", ".join(f"{x.qty} × {x.item}" for x in r.received)
    return said(
        lang,
        f"{r.order} received into {r.warehouse}: {got}{_invoiced(r, lang, bill=True)}. "
        f"Status: {status_words(lang, r.status)}.",
        f"{r.order} 已收货到 {r.warehouse}：{got}{_invoiced(r, lang, bill=True)}。"
        f"状态：{status_words(lang, r.status)}。",
    )


def _invoiced(r, lang: str, bill: bool = False) -> str:
    """The invoice (a supplier's bill) a shipment (receipt) made, as a clause."""
    if not r.invoice:
        return ""
    if bill:
        return t(lang, f", supplier's bill {r.invoice}", f"，供应商账单 {r.invoice}")
    return t(lang, f", invoice {r.invoice}", f"，发票 {r.invoice}")


@result_reply.register(Shipment)
def _shipped(r: Shipment, lang: str) -> Reply:
    sep = "; " if lang != "zh" else "；"
    sent = sep.join(
        f"{x.qty} × {(x.name_zh if lang == 'zh' else x.name) or x.item}" for x in r.shipped
    )
    return said(
        lang,
        f"{r.order} shipped from {r.warehouse}: {sent} (cost of goods "
        f"{money_text(r.cogs)}){_invoiced(r, lang)}. Status: {status_words(lang, r.status)}.",
        f"{r.order} 已从 {r.warehouse} 发货：{sent}（销售成本 {money_text(r.cogs)}）"
        f"{_invoiced(r, lang)}。状态：{status_words(lang, r.status)}。",
    )


@result_reply.register(Cancellation)
def _cancelled(r: Cancellation, lang: str) -> Reply:
    if not r.closed:
        why = t(lang, f" Reason: {r.reason}", f"理由：{r.reason}") if r.reason else ""
        return Reply(t(lang, f"{r.order} cancelled.", f"{r.order} 已取消。") + why, lang)
    rest = ", ".join(f"{x.qty} × {x.item}" for x in r.closed)
    return said(
        lang,
        f"{r.order} closed with what it shipped; the rest ({rest}) is no longer reserved or owed.",
        f"{r.order} 按已发货部分结单，其余（{rest}）不再预留、不再发货。",
    )


LIST_ROWS = 10
"""A list in chat shows at most this many rows (a phone's screen), newest first."""


@result_reply.register(OrdersAnswer)
def _orders(r: OrdersAnswer, lang: str) -> Reply:
    if not r.orders:
        return Reply(t(lang, "No orders found.", "没有找到订单。"), lang, table=[])
    newest = sorted(r.orders, key=lambda o: (o.created_at, o.order), reverse=True)
    shown = newest[:LIST_ROWS]
    lines = [_order_line(o, lang) for o in shown]
    more = len(newest) - len(shown)
    if more:
        lines.append(
            t(
                lang,
                f"… and {more} more. Narrow it with a status (pending approval, confirmed, "
                "shipped), a customer or supplier, or an order number.",
                f"……还有 {more} 个。可加上状态（待审批、已确认、已发货）、客户或供应商、"
                "或单号来缩小范围。",
            )
        )
    return Reply("\n".join(lines), lang, table=[o.to_json() for o in shown])


def _order_line(o: OrderRow, lang: str) -> str:
    """`SO-0302 XINDA pending approval 3,500.00 (A-9) — waiting because …`; a rejected or
    cancelled order with the reason given."""
    text = f"{o.order} {o.partner} {status_words(lang, o.status)} {money_text(o.total)}"
    text += f" ({o.approval})" if o.approval else ""
    why = (o.reasons_zh if lang == "zh" else o.reasons) or o.reasons
    if why:
        text += t(lang, " — waiting because: ", " — 待审批原因：") + joined_reasons(why, lang)
    elif o.reason:
        text += t(lang, f" — reason: {o.reason}", f" — 理由：{o.reason}")
    return text


@result_reply.register(Amendment)
def _amended(r: Amendment, lang: str) -> Reply:
    changes = t(lang, "; ", "；").join(change_text(c, lang, done=True) for c in r.changes)
    head = t(
        lang,
        f"{r.order} ({r.partner}) changed: {changes}. Total {money_display(r.total)}; it is "
        f"now {status_words(lang, r.status)}.",
        f"{r.order}（{r.partner}）已修改：{changes}。合计 {money_display(r.total)}，现为"
        f"{status_words(lang, r.status)}。",
    )
    note = approval_note(r, lang, future=False)
    return Reply(head + (" " if note and lang != "zh" else "") + note.strip(), lang)
