"""Channel-neutral replies: text, an optional table, an optional image, optional buttons.

Every adapter renders a `Reply` its own way (the console prints text; Slack and Telegram draw
buttons). Texts come in English and Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.errors import JxcError


@dataclass(frozen=True)
class Button:
    """A button with words on it (never an emoji alone) and the payload it sends back."""

    label: str
    payload: str


@dataclass
class Reply:
    """What the bot answers."""

    text: str
    lang: str = "en"
    table: list[dict] | None = None
    image: str | None = None
    buttons: list[Button] = field(default_factory=list)
    ok: bool = True


CONFIRM = Button("✅ 确认 Confirm", "confirm")
CANCEL = Button("取消 Cancel", "cancel")


def t(lang: str, en: str, zh: str) -> str:
    """Pick the text of a language."""
    return zh if lang == "zh" else en


def error_reply(exc: JxcError, lang: str) -> Reply:
    """One rendering of any refusal: what went wrong and what to do next."""
    msg = exc.zh if lang == "zh" else exc.message
    if exc.suggestions and not any(s in msg for s in exc.suggestions):
        msg += t(lang, " Did you mean: ", " 您是不是指：") + ", ".join(exc.suggestions) + "?"
    hint = _HINTS.get(exc.code)
    if hint and hint[0]:
        if lang == "zh" and not msg.endswith(("。", "？", "！")):
            msg += "。"
        msg += ("" if lang == "zh" else " ") + t(lang, *hint)
    return Reply(msg, lang, ok=False)


_HINTS = {
    "insufficient_stock": (
        "Ask `how many <item>` to see what is available.",
        "可发“库存 <物品>”查看可用数量。",
    ),
    "not_permitted": ("Type `help` to see what you may do.", "发送“帮助”查看您可以做什么。"),
    "missing_slot": ("", ""),
}


def _n(lang: str, status: str) -> str:
    zh = {
        "confirmed": "已确认",
        "pending_approval": "待审批",
        "shipped": "已发货",
        "received": "已收货",
        "partially_received": "部分收货",
        "partially_shipped": "部分发货",
        "cancelled": "已取消",
        "posted": "已过账",
        "approved": "已批准",
        "rejected": "已驳回",
        "pending": "待审批",
    }
    return zh.get(status, status) if lang == "zh" else status.replace("_", " ")


def _stock_line(r: dict, lang: str) -> str:
    return t(
        lang,
        f"{r['sku']} @ {r['warehouse']}: on hand {r['on_hand']}, available {r['available']}, "
        f"on order {r['on_order']}, value {r['value']}",
        f"{r['sku']} @ {r['warehouse']}：在库 {r['on_hand']}，可用 {r['available']}，"
        f"在途 {r['on_order']}，金额 {r['value']}",
    )


def _approval(result: dict, lang: str) -> str:
    if result.get("status") != "pending_approval":
        return ""
    reasons = "; ".join(result.get("reasons", []))
    return t(
        lang,
        f" It waits for approval {result['approval']} ({reasons}).",
        f" 需要审批 {result['approval']}（{reasons}）。",
    )


def result_reply(intent: str, result: dict, lang: str) -> Reply:
    """Render a service result for people."""
    r = result
    if intent == "stock.query":
        rows = r["rows"]
        if not rows:
            return Reply(t(lang, "No stock.", "没有库存。"), lang, table=rows)
        return Reply("\n".join(_stock_line(x, lang) for x in rows), lang, table=rows)
    if intent == "stock.receive":
        text = t(
            lang,
            f"Received {r['qty']} × {r['sku']} into {r['warehouse']} "
            f"({r['move_value']}). On hand now {r['on_hand']}.",
            f"已入库 {r['sku']} {r['qty']}，仓库 {r['warehouse']}（{r['move_value']}），"
            f"现在在库 {r['on_hand']}。",
        )
    elif intent == "stock.issue":
        text = t(
            lang,
            f"Issued {r['qty']} × {r['sku']} from {r['warehouse']} (cost {r['cost']}). "
            f"On hand now {r['on_hand']}.",
            f"已出库 {r['sku']} {r['qty']}，仓库 {r['warehouse']}（成本 {r['cost']}），"
            f"现在在库 {r['on_hand']}。",
        )
    elif intent == "stock.transfer":
        text = t(
            lang,
            f"Moved {r['qty']} × {r['sku']} from {r['from']['warehouse']} to "
            f"{r['to']['warehouse']} (value {r['value']}).",
            f"已调拨 {r['sku']} {r['qty']}，从 {r['from']['warehouse']} 到 "
            f"{r['to']['warehouse']}（金额 {r['value']}）。",
        )
    elif intent == "stock.count":
        text = t(
            lang,
            f"Count of {r['sku']} in {r['warehouse']}: book {r['book_qty']}, counted "
            f"{r['counted_qty']}, difference {r['diff_qty']} ({r['diff_value']}). "
            f"On hand now {r['on_hand']}.",
            f"盘点 {r['sku']}（{r['warehouse']}）：账面 {r['book_qty']}，实盘 "
            f"{r['counted_qty']}，差异 {r['diff_qty']}（{r['diff_value']}），"
            f"现在在库 {r['on_hand']}。",
        ) + _approval(r, lang)
    elif intent in ("purchase.create", "sales.create"):
        who = r.get("supplier") or r.get("customer")
        kind = t(
            lang,
            "Purchase order" if intent == "purchase.create" else "Sales order",
            "采购单" if intent == "purchase.create" else "销售单",
        )
        text = t(
            lang,
            f"{kind} {r['order']} for {who}: total {r['total']}, {_n(lang, r['status'])}.",
            f"{kind} {r['order']}（{who}）：合计 {r['total']}，{_n(lang, r['status'])}。",
        )
        text += _approval(r, lang)
    elif intent == "purchase.receive":
        got = ", ".join(f"{x['qty']} × {x['item']}" for x in r["received"])
        text = t(
            lang,
            f"{r['order']} received into {r['warehouse']}: {got}. Status: {_n(lang, r['status'])}.",
            f"{r['order']} 已收货到 {r['warehouse']}：{got}。状态：{_n(lang, r['status'])}。",
        )
    elif intent == "sales.ship":
        text = t(
            lang,
            f"{r['order']} shipped from {r['warehouse']} (cost of goods {r['cogs']}).",
            f"{r['order']} 已从 {r['warehouse']} 发货（销售成本 {r['cogs']}）。",
        )
    elif intent in ("sales.cancel", "purchase.cancel"):
        text = t(lang, f"{r['order']} cancelled.", f"{r['order']} 已取消。")
    elif intent == "order.query":
        orders = r["orders"]
        if not orders:
            return Reply(t(lang, "No orders found.", "没有找到订单。"), lang, table=orders)
        lines = [
            f"{o['order']} {o['partner']} {_n(lang, o['status'])} {o['total']}"
            + (f" ({o['approval']})" if o.get("approval") else "")
            for o in orders
        ]
        return Reply("\n".join(lines), lang, table=orders)
    elif intent == "approval.list":
        reqs = r["requests"]
        if not reqs:
            return Reply(t(lang, "No pending approvals.", "没有待审批事项。"), lang, table=reqs)
        lines = [
            f"{q['request']}: {q['subject']} — {'; '.join(q['reasons'])} "
            f"({t(lang, 'by', '提交人')} {q['requested_by']})"
            for q in reqs
        ]
        return Reply("\n".join(lines), lang, table=reqs)
    elif intent == "approval.decide":
        text = t(
            lang,
            f"{r['request']} {_n(lang, r['status'])}: {r['subject']} is now "
            f"{_n(lang, r['subject_status'])}.",
            f"{r['request']} {_n(lang, r['status'])}：{r['subject']} 现为"
            f"{_n(lang, r['subject_status'])}。",
        )
    elif intent == "forecast":
        pts = r["points"]
        total = sum(p["yhat"] for p in pts)
        lo = sum(p["yhat_lower"] for p in pts)
        hi = sum(p["yhat_upper"] for p in pts)
        text = t(
            lang,
            f"Forecast for {r['sku']}, next {len(pts)} days: about {total:,.0f} "
            f"(range {lo:,.0f}–{hi:,.0f}), model {r['model']}.",
            f"{r['sku']} 未来 {len(pts)} 天预计销量约 {total:,.0f}"
            f"（区间 {lo:,.0f}–{hi:,.0f}），模型 {r['model']}。",
        )
    elif intent == "report":
        from domain import reports

        return Reply(reports.render_text(r, lang), lang, table=r.get("rows"))
    else:
        text = str(r)
    return Reply(text, lang)
