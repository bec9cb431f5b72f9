"""The sentence a write command is confirmed with, one renderer per type of command.

It is written from the command's *dry run* (the service run on the database as it is now and
rolled back), so what the user confirms — items, quantities, prices, discounts, totals, whether an
approval will be needed and why — is what the service will store. Lookups fill in only what a
result does not carry (an item's name).
"""

from __future__ import annotations

import functools
from decimal import Decimal

from bot.render.alerts import alert_proposal
from bot.render.reply import t
from bot.render.words import (
    approval_note,
    change_text,
    details_text,
    item_name,
    joined_reasons,
    money_text,
    moved_lines,
    order_lines,
    partner_name,
    subject_words,
)
from domain.errors import JxcError
from domain.ledger.stock_query import stock_rows
from domain.messages.commands import (
    AckAlert,
    AmendPurchaseOrder,
    AmendSalesOrder,
    CancelPurchaseOrder,
    CancelSalesOrder,
    CountStock,
    CreatePurchaseOrder,
    CreateSalesOrder,
    DecideApproval,
    DelegateApprovals,
    EndDelegation,
    IssueStock,
    OrderFromAlert,
    ReceivePurchaseOrder,
    ReceiveStock,
    ShipSalesOrder,
    SnoozeAlert,
    TransferStock,
)
from domain.messages.results import (
    Amendment,
    Cancellation,
    Decision,
    DelegationEnded,
    DelegationSet,
    PurchaseOrderResult,
    PurchaseReceipt,
    SalesOrderResult,
    Shipment,
    StockCountResult,
    StockIssue,
    StockReceipt,
    StockTransfer,
)
from domain.numbers import qty_display

ZERO = Decimal(0)


def summarize(uow, cmd, result, lang: str) -> str:
    """One proposal sentence from the command and its dry-run result, ending in "Confirm?"."""
    zh = lang == "zh"
    ask = "确认吗？" if zh else "Confirm?"
    body = proposal(cmd, uow, result, lang)
    return f"{body}{ask}" if zh else f"{body} {ask}"


@functools.singledispatch
def proposal(cmd, uow, result, lang: str) -> str:
    """What a write command will do, in words, from its dry run: each type of write command
    has its renderer below."""
    raise TypeError(f"no proposal renderer for {type(cmd).__name__}")


def _warehouse(r, cmd) -> str:
    return getattr(r, "warehouse", None) or getattr(cmd, "warehouse", None) or "MAIN"


def available(uow, sku: str, warehouse: str | None) -> Decimal:
    """What can still be promised of an item in a warehouse (never below zero)."""
    rows = stock_rows(uow, sku, warehouse or "MAIN")
    return max(sum((Decimal(r.available) for r in rows), ZERO), ZERO)


@proposal.register(CreateSalesOrder)
def _sale(cmd: CreateSalesOrder, uow, r: SalesOrderResult, lang: str) -> str:
    wh = _warehouse(r, cmd)
    who = r.customer or cmd.customer
    stock = _availability(uow, r, wh)
    sep = "，" if lang == "zh" else ", "
    avail = sep.join(
        t(lang, f"{qty_display(a)} available", f"{qty_display(a)} 可用")
        if len(stock) == 1
        else t(lang, f"{sku} {qty_display(a)} available", f"{sku} {qty_display(a)} 可用")
        for sku, a in stock
    )
    src = "" if wh == "MAIN" else t(lang, f" from {wh}", f"（{wh} 发货）")
    lines = order_lines(uow, r.lines, r.total, lang)
    return t(
        lang,
        f"Create sales order for {who}{src}: {lines}, {avail}.",
        f"为 {who} 创建销售单{src}：{lines}，{avail}。",
    ) + approval_note(r, lang, future=True)


def _availability(uow, r: SalesOrderResult, wh: str) -> list[tuple[str, Decimal]]:
    """Per item of a proposed sale, what is available now (before this order reserves)."""
    seen = []
    for ln in r.lines:
        if ln.item not in seen:
            seen.append(ln.item)
    out = []
    for sku in seen:
        try:
            out.append((sku, available(uow, sku, wh)))
        except JxcError:
            continue
    return out


@proposal.register(CreatePurchaseOrder)
def _purchase(cmd: CreatePurchaseOrder, uow, r: PurchaseOrderResult, lang: str) -> str:
    return _purchase_text(uow, r, cmd.supplier, _warehouse(r, cmd), lang)


def _purchase_text(uow, r: PurchaseOrderResult, supplier, wh: str, lang: str) -> str:
    who = r.supplier or supplier
    dst = "" if wh == "MAIN" else t(lang, f" into {wh}", f"（入 {wh}）")
    total = money_text(r.total)
    one = len(r.lines) <= 1
    lines = order_lines(uow, r.lines, r.total, lang)
    return t(
        lang,
        f"Create purchase order to {who}{dst}: {lines}" + (f", total {total}." if one else "."),
        f"向 {who} 采购{dst}：{lines}" + (f"，合计 {total}。" if one else "。"),
    ) + approval_note(r, lang, future=True)


@proposal.register(OrderFromAlert)
def _from_alert(cmd: OrderFromAlert, uow, r: PurchaseOrderResult, lang: str) -> str:
    head = t(lang, f"From alert {cmd.alert}: ", f"根据预警 {cmd.alert}：")
    return head + _purchase_text(uow, r, cmd.supplier, _warehouse(r, cmd), lang)


@proposal.register(ReceivePurchaseOrder)
def _receive_order(cmd: ReceivePurchaseOrder, uow, r: PurchaseReceipt, lang: str) -> str:
    wh = _warehouse(r, cmd)
    got = moved_lines(uow, r.received, lang)
    done = r.status == "received"
    return t(
        lang,
        f"Receive {r.order} into {wh}: {got}"
        + ("; the order is then complete." if done else "; more remains on order."),
        f"{r.order} 收货到 {wh}：{got}" + ("，收货后该单完成。" if done else "，仍有部分未到。"),
    )


@proposal.register(ShipSalesOrder)
def _ship(cmd: ShipSalesOrder, uow, r: Shipment, lang: str) -> str:
    wh = _warehouse(r, cmd)
    lines = r.shipped or r.lines
    who = partner_name(uow, r.customer, r, lang)
    to = t(lang, f" to {who}", f"（{who}）") if who else ""
    return t(
        lang,
        f"Ship {r.order}{to} from {wh}: {moved_lines(uow, lines, lang)}.",
        f"{r.order}{to} 从 {wh} 发货：{moved_lines(uow, lines, lang)}。",
    )


@proposal.register(CancelSalesOrder)
@proposal.register(CancelPurchaseOrder)
def _cancel(cmd, uow, r: Cancellation, lang: str) -> str:
    order = r.order
    # A pending order reserved nothing: cancelling it releases nothing, it drops the request.
    held = isinstance(cmd, CancelSalesOrder) and _status(uow, order) != "pending_approval"
    return t(
        lang,
        f"Cancel {order}" + (" (its reservation is released)." if held else "."),
        f"取消 {order}" + ("（释放预留库存）。" if held else "。"),
    )


def _status(uow, order: str | None) -> str | None:
    """An order's status as stored now (the proposal's dry run was rolled back)."""
    from domain.orders.questions import order_rows

    try:
        rows = order_rows(uow, order) if order else []
    except JxcError:
        return None
    return rows[0].status if rows else None


@proposal.register(DecideApproval)
def _decide(cmd: DecideApproval, uow, r: Decision, lang: str) -> str:
    approve = cmd.decision == "approve"
    what = details_text(uow, r.details, lang)
    reasons = joined_reasons((r.reasons_zh if lang == "zh" else None) or r.reasons, lang)
    why = t(lang, f" — {reasons}", f"（{reasons}）") if reasons else ""
    by = r.requested_by
    by = t(lang, f", requested by {by}", f"，申请人 {by}") if by else ""
    reason = cmd.reason
    reason = t(lang, f" Reason: {reason}.", f"理由：{reason}。") if reason else ""
    verb = t(lang, "Approve" if approve else "Reject", "批准" if approve else "驳回")
    subject = subject_words(r.subject_kind, r.subject or "", lang)
    return t(
        lang,
        f"{verb} {cmd.request} ({subject}{by}): {what}{why}.{reason}",
        f"{verb} {cmd.request}（{subject}{by}）：{what}{why}。{reason}",
    )


@proposal.register(AmendSalesOrder)
@proposal.register(AmendPurchaseOrder)
def _amend(cmd, uow, r: Amendment, lang: str) -> str:
    return amend_proposal(r, lang)


def amend_proposal(r: Amendment, lang: str) -> str:
    """What an amendment will do, from its dry run: the changes, the new total, and whether
    the order will wait for approval (again)."""
    sep = "；" if lang == "zh" else "; "
    changes = sep.join(change_text(c, lang) for c in r.changes)
    total = money_text(r.total)
    text = t(
        lang,
        f"Change {r.order} ({r.partner}): {changes}; total {total}.",
        f"修改 {r.order}（{r.partner}）：{changes}；合计 {total}。",
    )
    if r.status == "pending_approval":
        reasons = joined_reasons((r.reasons_zh if lang == "zh" else None) or r.reasons, lang)
        text += t(
            lang,
            f" It will then wait for approval ({reasons})."
            if reasons
            else " It will then wait for approval.",
            f"修改后需要审批（{reasons}）。" if reasons else "修改后需要审批。",
        )
    return text


@proposal.register(DelegateApprovals)
def _delegate(cmd: DelegateApprovals, uow, r: DelegationSet, lang: str) -> str:
    return t(
        lang,
        f"Let {r.to} decide approval requests for {r.from_} until {r.until} (inclusive).",
        f"委托 {r.to} 代 {r.from_} 审批，至 {r.until}（含当日）。",
    )


@proposal.register(EndDelegation)
def _undelegate(cmd: EndDelegation, uow, r: DelegationEnded, lang: str) -> str:
    to = r.to
    return t(
        lang,
        f"End {r.from_}'s delegation" + (f" to {to}." if to else "."),
        f"结束 {r.from_} 的代批" + (f"（{to}）。" if to else "。"),
    )


def _item(uow, r, cmd, lang: str) -> str:
    sku = r.sku or cmd.item
    return item_name(uow, sku, r, lang, with_sku=True) if sku else ""


@proposal.register(ReceiveStock)
def _receive(cmd: ReceiveStock, uow, r: StockReceipt, lang: str) -> str:
    wh, name = _warehouse(r, cmd), _item(uow, r, cmd, lang)
    cost = cmd.unit_cost
    value = money_text(r.move_value)
    return t(
        lang,
        f"Receive {cmd.qty} × {name} into {wh}" + (f" at {cost} = {value}" if cost else "") + ".",
        f"入库 {name} {cmd.qty}，仓库 {wh}"
        + (f"，单价 {cost}，金额 {value}" if cost else "")
        + "。",
    )


@proposal.register(IssueStock)
def _issue(cmd: IssueStock, uow, r: StockIssue, lang: str) -> str:
    wh, name = _warehouse(r, cmd), _item(uow, r, cmd, lang)
    reason = cmd.reason
    before = qty_display(max(Decimal(r.available) + cmd.qty, ZERO))
    return t(
        lang,
        f"Issue {cmd.qty} × {name} from {wh}"
        + (f" ({reason})" if reason else "")
        + f"; {before} available before.",
        f"出库 {name} {cmd.qty}，仓库 {wh}"
        + (f"（{reason}）" if reason else "")
        + f"，出库前可用 {before}。",
    )


@proposal.register(TransferStock)
def _transfer(cmd: TransferStock, uow, r: StockTransfer, lang: str) -> str:
    name = _item(uow, r, cmd, lang)
    return t(
        lang,
        f"Move {cmd.qty} × {name} from {cmd.from_} to {cmd.to}.",
        f"调拨 {name} {cmd.qty}，从 {cmd.from_} 到 {cmd.to}。",
    )


@proposal.register(CountStock)
def _count(cmd: CountStock, uow, r: StockCountResult, lang: str) -> str:
    wh, name = _warehouse(r, cmd), _item(uow, r, cmd, lang)
    text = t(
        lang,
        f"Record a count of {name} in {wh}: book {r.book_qty}, counted {r.counted_qty}, "
        f"difference {r.diff_qty} ({money_text(r.diff_value)}).",
        f"盘点 {name}（{wh}）：账面 {r.book_qty}，实盘 {r.counted_qty}，"
        f"差异 {r.diff_qty}（{money_text(r.diff_value)}）。",
    )
    return text + approval_note(r, lang, future=True)


@proposal.register(AckAlert)
def _ack(cmd: AckAlert, uow, r, lang: str) -> str:
    return alert_proposal(cmd.alert, lang, snooze=False).removesuffix("?").removesuffix("？") + t(
        lang, ".", "。"
    )


@proposal.register(SnoozeAlert)
def _snooze(cmd: SnoozeAlert, uow, r, lang: str) -> str:
    asked = alert_proposal(cmd.alert, lang, snooze=True, days=cmd.days)
    return asked.removesuffix("?").removesuffix("？") + t(lang, ".", "。")


# The money writes (returns, payments) have their sentences beside their results' words.
import bot.render.money_proposals  # noqa: E402, F401
