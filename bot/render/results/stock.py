"""Results of stock questions and moves."""

from __future__ import annotations

from bot.render.reply import Reply, t
from bot.render.results.base import listed, result_reply, said
from bot.render.words import (
    approval_note,
    money_text,
)
from domain.messages.results import (
    StockAnswer,
    StockCountResult,
    StockIssue,
    StockReceipt,
    StockRow,
    StockTransfer,
)
from domain.numbers import money_display, qty_display


@result_reply.register(StockAnswer)
def _stock(r: StockAnswer, lang: str) -> Reply:
    return listed(r.rows, lang, ("No stock.", "没有库存。"), _stock_line)


def _stock_line(r: StockRow, lang: str) -> str:
    on_hand, available = qty_display(r.on_hand), qty_display(r.available)
    on_order, short = qty_display(r.on_order), r.short
    return t(
        lang,
        f"{r.sku} @ {r.warehouse}: on hand {on_hand}, available {available}, "
        f"on order {on_order}, value {money_display(r.value)}"
        + (f"; {qty_display(short)} short for orders already confirmed" if short else ""),
        f"{r.sku} @ {r.warehouse}：在库 {on_hand}，可用 {available}，"
        f"在途 {on_order}，金额 {money_display(r.value)}"
        + (f"；已确认订单还缺 {qty_display(short)}" if short else ""),
    )


@result_reply.register(StockReceipt)
def _received(r: StockReceipt, lang: str) -> Reply:
    return said(
        lang,
        f"Received {r.qty} × {r.sku} into {r.warehouse} ({r.move_value}). On hand now {r.on_hand}.",
        f"已入库 {r.sku} {r.qty}，仓库 {r.warehouse}（{r.move_value}），现在在库 {r.on_hand}。",
    )


@result_reply.register(StockIssue)
def _issued(r: StockIssue, lang: str) -> Reply:
    return said(
        lang,
        f"Issued {r.qty} × {r.sku} from {r.warehouse} (cost {r.cost}). On hand now {r.on_hand}.",
        f"已出库 {r.sku} {r.qty}，仓库 {r.warehouse}（成本 {r.cost}），现在在库 {r.on_hand}。",
    )


@result_reply.register(StockTransfer)
def _transferred(r: StockTransfer, lang: str) -> Reply:
    src, dst = r.from_.warehouse, r.to.warehouse
    return said(
        lang,
        f"Moved {r.qty} × {r.sku} from {src} to {dst} (value {r.value}).",
        f"已调拨 {r.sku} {r.qty}，从 {src} 到 {dst}（金额 {r.value}）。",
    )


@result_reply.register(StockCountResult)
def _counted(r: StockCountResult, lang: str) -> Reply:
    text = t(
        lang,
        f"Count of {r.sku} in {r.warehouse}: book {qty_display(r.book_qty)}, counted "
        f"{qty_display(r.counted_qty)}, difference {qty_display(r.diff_qty)} "
        f"({money_text(r.diff_value)}). On hand now {qty_display(r.on_hand)}.",
        f"盘点 {r.sku}（{r.warehouse}）：账面 {qty_display(r.book_qty)}，实盘 "
        f"{qty_display(r.counted_qty)}，差异 {qty_display(r.diff_qty)}"
        f"（{money_text(r.diff_value)}），现在在库 {qty_display(r.on_hand)}。",
    )
    return Reply(text + approval_note(r, lang, future=False), lang)
