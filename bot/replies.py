"""Channel-neutral replies: text, an optional table, an optional image, optional buttons.

Every adapter renders a `Reply` its own way (the console prints text; Slack and Telegram draw
buttons). Texts come in English and Chinese.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from bot.summary import approval_note, change_text, details_text, money_text
from domain.errors import JxcError
from domain.numbers import money_display, qty_display
from domain.results import (
    AlertAction,
    AlertOrderResult,
    AlertsAnswer,
    Amendment,
    ApprovalAnswer,
    ApprovalsAnswer,
    Cancellation,
    CreditAnswer,
    Decision,
    DelegationEnded,
    DelegationSet,
    DigestAnswer,
    ForecastAnswer,
    OrderRow,
    OrdersAnswer,
    PostedCount,
    PriceAnswer,
    PurchaseOrderResult,
    PurchaseReceipt,
    ReportAnswer,
    RequestRow,
    SalesOrderResult,
    Shipment,
    StockAnswer,
    StockCountResult,
    StockIssue,
    StockReceipt,
    StockRow,
    StockTransfer,
)
from domain.status_words import DECIDED_ZH, status_name


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


def confirmation_buttons(proposal: str) -> list[Button]:
    """Confirm / Cancel for one proposal: the payload carries its short id (`confirm:p1a2b3c4`,
    well under Telegram's 64 bytes), so a tap on an older proposal changes nothing."""
    return [
        Button(CONFIRM.label, f"{CONFIRM.payload}:{proposal}"),
        Button(CANCEL.label, f"{CANCEL.payload}:{proposal}"),
    ]


def t(lang: str, en: str, zh: str) -> str:
    """Pick the text of a language."""
    return zh if lang == "zh" else en


# What each intent lets a person do, in words (refusals never show an intent name).
INTENT_WORDS = {
    "stock.query": ("look up stock", "查询库存"),
    "stock.receive": ("receive stock", "入库"),
    "stock.issue": ("issue stock", "出库"),
    "stock.transfer": ("transfer stock", "调拨库存"),
    "stock.count": ("record stock counts", "盘点"),
    "purchase.create": ("create purchase orders", "创建采购单"),
    "purchase.receive": ("receive purchase orders", "采购收货"),
    "purchase.cancel": ("cancel purchase orders", "取消采购单"),
    "purchase.return": ("return goods to suppliers", "办理采购退货"),
    "sales.create": ("create sales orders", "创建销售单"),
    "sales.ship": ("ship sales orders", "销售发货"),
    "sales.cancel": ("cancel sales orders", "取消销售单"),
    "sales.return": ("record customer returns", "办理销售退货"),
    "approval.list": ("list approval requests", "查看审批"),
    "approval.decide": ("decide approval requests", "审批"),
    "forecast": ("forecast demand", "预测销量"),
    "report": ("run reports", "查看报表"),
    "order.query": ("look up orders", "查询订单"),
    "price.query": ("ask prices", "查询价格"),
    "approval.query": ("ask about approval requests", "查询审批进度"),
    "digest": ("read the digest", "查看日报/周报"),
    "payment.receive": ("record customer payments", "登记收款"),
    "payment.pay": ("record supplier payments", "登记付款"),
    "partner.balance": ("look up partner balances and credit", "查询往来余额和信用额度"),
    "statement": ("make statements", "生成对账单"),
    "alert.list": ("list alerts", "查看预警"),
    "alert.ack": ("acknowledge alerts", "确认预警"),
    "alert.snooze": ("snooze alerts", "推迟预警"),
    "alert.order": ("order from alerts", "按预警下采购单"),
    "help": ("get help", "查看帮助"),
    "sales.amend": ("change sales orders", "修改销售单"),
    "purchase.amend": ("change purchase orders", "修改采购单"),
    "approval.delegate": ("delegate approvals", "委托他人代批"),
    "approval.undelegate": ("end a delegation of approvals", "结束代批"),
}


def intent_words(intent: str, lang: str) -> str:
    """What an intent does, in words of the language."""
    en, zh = INTENT_WORDS.get(intent, (intent, intent))
    return t(lang, en, zh)


def not_permitted_reply(user_name: str, role: str, intent: str, lang: str) -> Reply:
    """A role refusal that says in words what the user may not do, and what to do next."""
    return Reply(
        t(
            lang,
            f"{user_name} ({role}) may not {intent_words(intent, lang)}. "
            "Type `help` to see what you may do, or ask an admin for the right role.",
            f"{user_name}（{role}）不能{intent_words(intent, lang)}。"
            "发送“帮助”查看您可以做什么，或请管理员分配角色。",
        ),
        lang,
        ok=False,
    )


def unregistered_reply(platform: str, platform_id, lang: str) -> Reply:
    """The polite refusal of someone not in the users table, with their own id on the platform
    so an admin can register them (`Slack` U0…, `Telegram` 12345)."""
    return Reply(
        t(
            lang,
            f"Sorry, you are not registered with JXC. Your {platform} id is {platform_id}; an "
            "admin can add you with `jxc import users FILE.csv` (name, role, slack_id, "
            "telegram_id, lang).",
            f"抱歉，您还没有在 JXC 登记。您的 {platform} 编号是 {platform_id}，请管理员用 "
            "`jxc import users` 导入您的账号（姓名、角色、Slack/Telegram 编号、语言）。",
        ),
        lang,
        ok=False,
    )


def not_available_reply(intent: str, lang: str) -> Reply:
    """An intent understood whose service does not exist yet."""
    return Reply(
        t(
            lang,
            f"I understood that you want to {intent_words(intent, lang)}, but that is not "
            "available yet.",
            f"已理解您要{intent_words(intent, lang)}，但该功能尚未开放。",
        ),
        lang,
        ok=False,
    )


def error_reply(exc: JxcError, lang: str) -> Reply:
    """One rendering of any refusal: what went wrong and what to do next."""
    msg = exc.zh if lang == "zh" else exc.message
    if exc.suggestions and not any(s in msg for s in exc.suggestions):
        msg += t(lang, " Did you mean: ", " 您是不是指：") + ", ".join(exc.suggestions) + "?"
    hint = _HINTS.get(exc.code)
    if hint and hint[0]:
        if lang == "zh" and not msg.endswith(("。", "？", "！")):
            msg += "。"
        elif lang != "zh" and not msg.rstrip().endswith((".", "?", "!")):
            msg = msg.rstrip() + "."  # the hint is a sentence of its own
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
    return status_name(status, lang)


def _reasons(r: RequestRow, lang: str) -> str:
    zh = r.reasons_zh if lang == "zh" else None
    return ("；" if lang == "zh" else "; ").join(zh or r.reasons or [])


def subject_words(kind: str | None, subject: str, lang: str) -> str:
    """What a request is about: an order by its number, a count as `count #18` (its number
    alone says nothing)."""
    if kind == "stock_count":
        return t(lang, f"count #{subject}", f"盘点 #{subject}")
    return subject


def _posted(posted: PostedCount | None, lang: str) -> str:
    """What an approved count posted, and whether the book had moved since the count."""
    if not posted:
        return ""
    moved = ""
    if posted.book_moved:
        moved = t(
            lang,
            f" (the book moved from {posted.book_qty_at_count} at the count to "
            f"{posted.book_qty_before}; the approved difference was posted, not the count)",
            f"（账面已从盘点时的 {posted.book_qty_at_count} 变为 {posted.book_qty_before}，"
            "按批准的差异过账，而不是按实盘数）",
        )
    return t(
        lang,
        f"; posted {posted.diff_qty} ({money_display(posted.diff_value)}), on hand now "
        f"{posted.on_hand}{moved}",
        f"；已过账 {posted.diff_qty}（{money_display(posted.diff_value)}），现在在库 "
        f"{posted.on_hand}{moved}",
    )


def decision_notice(result: dict, lang: str) -> str:
    """What a requester is told when their request is decided (with the reason if rejected)."""
    approved = result.get("status") == "approved"
    by = result.get("decided_by", "")
    if result.get("on_behalf_of"):
        by = t(lang, f"{by} for {result['on_behalf_of']}", f"{by}（代 {result['on_behalf_of']}）")
    reason = result.get("reason") or ""
    what = details_text(None, result.get("details"), lang)
    what = f" ({what})" if what and lang != "zh" else (f"（{what}）" if what else "")
    if approved:
        return t(
            lang,
            f"Your request {result['request']} for {result.get('subject', '')}{what} was "
            f"approved by {by}; it is now {_n(lang, result.get('subject_status', ''))}.",
            f"您的申请 {result['request']}（{result.get('subject', '')}）{what}已由 {by} 批准，"
            f"现为{_n(lang, result.get('subject_status', ''))}。",
        )
    return t(
        lang,
        f"Your request {result['request']} for {result.get('subject', '')}{what} was rejected "
        f"by {by}" + (f": {reason}" if reason else "") + f"; it is now "
        f"{_n(lang, result.get('subject_status', ''))}.",
        f"您的申请 {result['request']}（{result.get('subject', '')}）{what}已被 {by} 驳回"
        + (f"，理由：{reason}" if reason else "")
        + f"，现为{_n(lang, result.get('subject_status', ''))}。",
    )


# -- results: one renderer per type of result --------------------------------------------------


@functools.singledispatch
def result_reply(result, lang: str) -> Reply:
    """Render a service's result for people: each type of result has its renderer below (a
    result of a subclass uses its parent's unless it has its own)."""
    return Reply(str(result), lang)


@result_reply.register(StockAnswer)
def _stock(r: StockAnswer, lang: str) -> Reply:
    table = r.to_json()["rows"]
    if not r.rows:
        return Reply(t(lang, "No stock.", "没有库存。"), lang, table=table)
    return Reply("\n".join(_stock_line(x, lang) for x in r.rows), lang, table=table)


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
    return Reply(
        t(
            lang,
            f"Received {r.qty} × {r.sku} into {r.warehouse} "
            f"({r.move_value}). On hand now {r.on_hand}.",
            f"已入库 {r.sku} {r.qty}，仓库 {r.warehouse}（{r.move_value}），现在在库 {r.on_hand}。",
        ),
        lang,
    )


@result_reply.register(StockIssue)
def _issued(r: StockIssue, lang: str) -> Reply:
    return Reply(
        t(
            lang,
            f"Issued {r.qty} × {r.sku} from {r.warehouse} (cost {r.cost}). "
            f"On hand now {r.on_hand}.",
            f"已出库 {r.sku} {r.qty}，仓库 {r.warehouse}（成本 {r.cost}），现在在库 {r.on_hand}。",
        ),
        lang,
    )


@result_reply.register(StockTransfer)
def _transferred(r: StockTransfer, lang: str) -> Reply:
    src, dst = r.from_.warehouse, r.to.warehouse
    return Reply(
        t(
            lang,
            f"Moved {r.qty} × {r.sku} from {src} to {dst} (value {r.value}).",
            f"已调拨 {r.sku} {r.qty}，从 {src} 到 {dst}（金额 {r.value}）。",
        ),
        lang,
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


def _order_created(kind: str, who: str, r, lang: str) -> Reply:
    text = t(
        lang,
        f"{kind} {r.order} for {who}: total {money_text(r.total)}, {_n(lang, r.status)}.",
        f"{kind} {r.order}（{who}）：合计 {money_text(r.total)}，{_n(lang, r.status)}。",
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
    return Reply(
        t(
            lang,
            f"{r.order} received into {r.warehouse}: {got}. Status: {_n(lang, r.status)}.",
            f"{r.order} 已收货到 {r.warehouse}：{got}。状态：{_n(lang, r.status)}。",
        ),
        lang,
    )


@result_reply.register(Shipment)
def _shipped(r: Shipment, lang: str) -> Reply:
    sep = "; " if lang != "zh" else "；"
    sent = sep.join(
        f"{x.qty} × {(x.name_zh if lang == 'zh' else x.name) or x.item}" for x in r.shipped
    )
    return Reply(
        t(
            lang,
            f"{r.order} shipped from {r.warehouse}: {sent} (cost of goods "
            f"{money_text(r.cogs)}). Status: {_n(lang, r.status)}.",
            f"{r.order} 已从 {r.warehouse} 发货：{sent}（销售成本 {money_text(r.cogs)}）。"
            f"状态：{_n(lang, r.status)}。",
        ),
        lang,
    )


@result_reply.register(Cancellation)
def _cancelled(r: Cancellation, lang: str) -> Reply:
    if not r.closed:
        why = t(lang, f" Reason: {r.reason}", f"理由：{r.reason}") if r.reason else ""
        return Reply(t(lang, f"{r.order} cancelled.", f"{r.order} 已取消。") + why, lang)
    rest = ", ".join(f"{x.qty} × {x.item}" for x in r.closed)
    return Reply(
        t(
            lang,
            f"{r.order} closed with what it shipped; the rest ({rest}) is no longer "
            "reserved or owed.",
            f"{r.order} 按已发货部分结单，其余（{rest}）不再预留、不再发货。",
        ),
        lang,
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
    text = f"{o.order} {o.partner} {_n(lang, o.status)} {money_text(o.total)}"
    text += f" ({o.approval})" if o.approval else ""
    why = (o.reasons_zh if lang == "zh" else o.reasons) or o.reasons
    if why:
        text += t(lang, " — waiting because: ", " — 待审批原因：") + _joined_reasons(why, lang)
    elif o.reason:
        text += t(lang, f" — reason: {o.reason}", f" — 理由：{o.reason}")
    return text


def _joined_reasons(reasons, lang: str) -> str:
    return ("；" if lang == "zh" else "; ").join(reasons)


def _local_minute(iso: str | None) -> str:
    """`2026-05-14 17:00` from an ISO time (already in the shop's zone when it carries it)."""
    return (iso or "")[:16].replace("T", " ")


@result_reply.register(ApprovalAnswer)
def _approval(r: ApprovalAnswer, lang: str) -> Reply:
    """A request in words: what it is about, its state, who decided and when, and why."""
    what = details_text(None, r.details, lang)
    head = f"{r.request} ({r.subject}" + (f" — {what}" if what else "") + ")"
    if lang == "zh":
        head = f"{r.request}（{r.subject}" + (f"，{what}" if what else "") + "）"
    asked = _joined_reasons((r.reasons_zh if lang == "zh" else r.reasons) or r.reasons, lang)
    by = r.decided_by or ""
    if r.on_behalf_of:
        by = t(lang, f"{by} for {r.on_behalf_of}", f"{by}（代 {r.on_behalf_of}）")
    when = _local_minute(r.decided_at)
    if r.status == "pending":
        text = t(
            lang,
            f"{head} is still waiting for an approver (asked by {r.requested_by}); nothing "
            "has been decided.",
            f"{head} 仍在等待审批（提交人 {r.requested_by}），尚未决定。",
        )
    else:
        state = {
            "approved": ("approved", "批准"),
            "rejected": ("rejected", "驳回"),
            "cancelled": ("cancelled", "取消"),
        }.get(r.status, (r.status, r.status))
        text = t(
            lang,
            f"{head} was {state[0]}"
            + (f" by {by}" if by else "")
            + (f" on {when}" if when else "")
            + ".",
            f"{head} 已"
            + (f"由 {by} " if by else "")
            + (f"于 {when} " if when else "")
            + f"{state[1]}。",
        )
    if asked:
        text += t(lang, f" Asked because: {asked}.", f"提交原因：{asked}。")
    if r.reason:
        text += t(lang, f" Reason given: {r.reason}", f"理由：{r.reason}")
    return Reply(text, lang, table=[r.to_json()])


@result_reply.register(PriceAnswer)
def _price(r: PriceAnswer, lang: str) -> Reply:
    """List price, what is available where, and the customer's last price."""
    name = (r.name_zh if lang == "zh" else r.name) or r.name
    places = [w for w in r.by_warehouse if w.warehouse != r.warehouse and w.available != "0"]
    where = ""
    if r.warehouse:
        where = t(lang, f" in {r.warehouse}", f"（{r.warehouse}）")
    if not r.warehouse and len(places) < 2:
        places = []  # all of it in one warehouse: the total says it
    others = ", ".join(f"{w.warehouse} {qty_display(w.available)}" for w in places)
    if lang == "zh":
        text = f"{name}（{r.sku}）：标价 {r.list_price}/{r.uom}，可用{where} {qty_display(r.available)}"
        text += f"（{others.replace(', ', '，')}）" if others and not r.warehouse else ""
        text += (
            f"；其他仓库：{others.replace(', ', '，')}" if others and r.warehouse else ""
        ) + "。"
    else:
        text = f"{name} ({r.sku}): list price {r.list_price} per {r.uom}; available{where} "
        text += qty_display(r.available)
        text += f" ({others})" if others and not r.warehouse else ""
        text += f"; elsewhere: {others}" if others and r.warehouse else ""
        text += "."
    if r.customer:
        if r.last_price:
            text += t(
                lang,
                f" {r.customer} last paid {r.last_price} on {r.last_date} ({r.last_order}).",
                f"{r.customer} 上次成交价 {r.last_price}（{r.last_date}，{r.last_order}）。",
            )
        else:
            text += t(
                lang,
                f" {r.customer} has no confirmed or shipped order of it yet.",
                f"{r.customer} 还没有这件商品的已确认或已发货订单。",
            )
    return Reply(text, lang, table=[r.to_json()])


@result_reply.register(CreditAnswer)
def _credit(r: CreditAnswer, lang: str) -> Reply:
    """A partner's credit line in words."""
    name = (r.partner_name_zh if lang == "zh" else r.partner_name) or r.partner
    who = f"{name} ({r.partner})" if name != r.partner else r.partner
    if lang == "zh":
        who = f"{name}（{r.partner}）" if name != r.partner else r.partner
    text = t(
        lang,
        f"{who}: credit limit {money_text(r.credit_limit)}, in use "
        f"{money_text(r.exposure)} (confirmed orders not yet shipped and shipped ones not yet "
        f"paid), credit left {money_text(r.credit_left)}.",
        f"{who}：信用额度 {money_text(r.credit_limit)}，已占用 {money_text(r.exposure)}"
        f"（已确认未发货及已发货未收款），剩余额度 {money_text(r.credit_left)}。",
    )
    return Reply(text, lang, table=[r.to_json()])


@result_reply.register(DigestAnswer)
def _digest(r: DigestAnswer, lang: str) -> Reply:
    """The digest's text, with its chart for channels that show pictures."""
    return Reply(r.text, lang, image=r.chart)


@result_reply.register(ApprovalsAnswer)
def _approvals(r: ApprovalsAnswer, lang: str) -> Reply:
    table = r.to_json()["requests"]
    if not r.requests:
        return Reply(t(lang, "No pending approvals.", "没有待审批事项。"), lang, table=table)
    lines = []
    for q in r.requests:
        what = details_text(None, q.details, lang)
        subject = subject_words(q.subject_kind, q.subject, lang)
        if lang == "zh":
            lines.append(
                f"{q.request}：{subject}" + (f"，{what}" if what else "")
                + f"；原因：{_reasons(q, lang)}（提交人 {q.requested_by}）"
            )  # fmt: skip
            continue
        lines.append(
            f"{q.request}: {subject}"
            + (f" — {what}" if what else "")
            + f" — {_reasons(q, lang)} (by {q.requested_by})"
        )
    return Reply("\n".join(lines), lang, table=table)


@result_reply.register(Decision)
def _decided(r: Decision, lang: str) -> Reply:
    what = details_text(None, r.details, lang)
    what = (f" ({what})" if lang != "zh" else f"（{what}）") if what else ""
    reason = r.reason or ""
    what += _posted(r.posted, lang)
    behalf = r.on_behalf_of
    subject = subject_words(r.subject_kind, r.subject, lang)
    return Reply(
        t(
            lang,
            f"{r.request} {_n(lang, r.status)}: {subject}{what} is now "
            f"{_n(lang, r.subject_status)}."
            + (f" Decided by {r.decided_by} for {behalf}." if behalf else "")
            + (f" Reason: {reason}." if reason else "")
            + (f" {r.requested_by} has been told." if r.requested_by else ""),
            f"{r.request} {_n(lang, r.status)}：{subject}{what} 现为"
            f"{_n(lang, r.subject_status)}。"
            + (f"由 {r.decided_by} 代 {behalf} 审批。" if behalf else "")
            + (f"理由：{reason}。" if reason else "")
            + (f"已通知 {r.requested_by}。" if r.requested_by else ""),
        ),
        lang,
    )


@result_reply.register(ForecastAnswer)
def _forecast(r: ForecastAnswer, lang: str) -> Reply:
    from bot.report_text import chance_of_a_sale, chance_text, is_sparse, model_label

    pts = r.points
    total = sum(p.yhat for p in pts)
    lo = sum(p.yhat_lower for p in pts)
    hi = sum(p.yhat_upper for p in pts)
    model = model_label(r.model, lang)
    text = t(
        lang,
        f"Forecast for {r.sku}, next {len(pts)} days: about {total:,.0f} "
        f"(range {lo:,.0f}–{hi:,.0f}), {model}.",
        f"{r.sku} 未来 {len(pts)} 天预计销量约 {total:,.0f}（区间 {lo:,.0f}–{hi:,.0f}），{model}。",
    )
    if is_sparse(pts):  # most days sell nothing: a week's average and the chance of a sale
        week = total / len(pts) * 7
        chance = chance_text(chance_of_a_sale(week))
        text += t(
            lang,
            f" Most days sell nothing: about {week:.1f} a week, a {chance} chance of any sale "
            "in a week.",
            f"多数日子没有销量：平均每周约 {week:.1f}，一周内有销量的可能性 {chance}。",
        )
    return Reply(text, lang)


@result_reply.register(ReportAnswer)
def _report(r: ReportAnswer, lang: str) -> Reply:
    from bot.report_text import render_text

    return Reply(render_text(r, lang), lang, table=r.rows)


# -- alerts ------------------------------------------------------------------------------------


@result_reply.register(AlertsAnswer)
def _alerts(r: AlertsAnswer, lang: str) -> Reply:
    """The user's alerts."""
    table = r.to_json()["alerts"]
    if not r.alerts:
        return Reply(t(lang, "No open alerts.", "没有未处理的预警。"), lang, table=table)
    lines = []
    for a in r.alerts:
        state = "" if a.status == "open" else f" [{_alert_state(a.status, lang)}]"
        lines.append(f"#{a.id}{state} {a.message}")
    return Reply("\n".join(lines), lang, table=table)


@result_reply.register(AlertAction)
def _alert_acted(r: AlertAction, lang: str) -> Reply:
    """What became of an alert: acknowledged, or snoozed for some days."""
    if r.status != "snoozed":
        return Reply(t(lang, f"Alert {r.alert} acknowledged.", f"预警 {r.alert} 已确认。"), lang)
    days = 1 if r.days is None else r.days
    return Reply(
        t(
            lang,
            f"Alert {r.alert} snoozed for {days} day{'s' if days != 1 else ''}.",
            f"预警 {r.alert} 已推迟 {days} 天。",
        ),
        lang,
    )


_ALERT_STATES = {
    "open": "未处理",
    "acknowledged": "已确认",
    "snoozed": "已推迟",
    "resolved": "已解决",
}


def _alert_state(status: str, lang: str) -> str:
    return _ALERT_STATES.get(status, status) if lang == "zh" else status


def alert_proposal(cmd: dict, lang: str) -> str:
    """What the chat asks before acknowledging or snoozing an alert."""
    alert = cmd.get("alert")
    if cmd["intent"] == "alert.snooze":
        days = cmd.get("days", 1)
        return t(
            lang,
            f"Snooze alert {alert} for {days} day{'s' if days != 1 else ''}?",
            f"将预警 {alert} 推迟 {days} 天？",
        )
    return t(lang, f"Acknowledge alert {alert}?", f"确认预警 {alert}？")


# -- alerts in chat: their buttons, and what their copies say afterwards ------------------------

APPROVE = Button("批准 Approve", "approve")
REJECT = Button("驳回 Reject", "reject")
DRAFT_PO = Button("下采购单 Create draft PO", "order")
SNOOZE = Button("推迟一天 Snooze 1 day", "snooze")
ALERT_PAYLOADS = ("ap:", "al:")
"""Payloads of alert buttons: `ap:A-7:approve` / `ap:A-7:reject` (the request, expected
pending), `al:12:order` / `al:12:snooze` (the alert, expected open); all well under 64 bytes."""


def alert_buttons(kind: str, subject: str, alert_id: int) -> list[Button]:
    """The buttons an alert carries to its recipients: Approve / Reject on an approval request,
    Create draft PO / Snooze 1 day on a reorder alert, none on the others."""
    if kind == "approval":
        return [Button(b.label, f"ap:{subject}:{b.payload}") for b in (APPROVE, REJECT)]
    if kind == "reorder":
        return [Button(b.label, f"al:{alert_id}:{b.payload}") for b in (DRAFT_PO, SNOOZE)]
    return []


_DONE = {
    "approved": ("Approved by {by} {at}", "已由 {by} 于 {at} 批准"),
    "rejected": ("Rejected by {by} {at}", "已由 {by} 于 {at} 驳回"),
    "cancelled": ("Cancelled by {by} {at}", "已由 {by} 于 {at} 取消"),
    "acknowledged": ("Acknowledged by {by} {at}", "已由 {by} 于 {at} 确认"),
    "snoozed": ("Snoozed by {by} until {until}", "已由 {by} 推迟到 {until}"),
    "resolved": ("Resolved {at}", "已于 {at} 解决"),
}


def outcome_line(status: str, by: str, at: str, lang: str, until: str = "") -> str:
    """What became of an alert or request, for its copies (`at` and `until` already in
    JXC_TIMEZONE): "Approved by mary 10:42" / "已由 mary 于 10:42 批准"."""
    en, zh = _DONE.get(status, (status, status))
    return t(lang, en, zh).format(by=by or "?", at=at, until=until)


def decided_copy(text: str, line: str) -> str:
    """A copy of an alert after its decision: what it said, then the outcome (no buttons)."""
    return f"{text}\n\n{line}"


def already_decided_reply(request: str, status: str, by: str, lang: str) -> Reply:
    """A tap on a request that is no longer pending: nothing changes."""
    zh_status = DECIDED_ZH.get(status, status)
    return Reply(
        t(
            lang,
            f"{request} was already decided by {by} ({status}); nothing was changed.",
            f"{request} 已由 {by} 处理（{zh_status}），没有做任何更改。",
        ),
        lang,
        ok=False,
    )


def own_request_reply(request: str, lang: str) -> Reply:
    """A requester's tap on their own request."""
    return Reply(
        t(
            lang,
            f"{request} is your own request; another approver must decide it. Nothing was changed.",
            f"{request} 是您本人提交的，需由其他审批人处理，没有做任何更改。",
        ),
        lang,
        ok=False,
    )


def stale_alert_reply(alert: int, status: str, lang: str) -> Reply:
    """A tap on an alert that is not open any more."""
    return Reply(
        t(
            lang,
            f"Alert {alert} is {status} already; nothing was changed.",
            f"预警 {alert} 已{_alert_state(status, 'zh')}，没有做任何更改。",
        ),
        lang,
        ok=False,
    )


# -- amending orders, delegating approvals ------------------------------------------------------


@result_reply.register(Amendment)
def _amended(r: Amendment, lang: str) -> Reply:
    changes = t(lang, "; ", "；").join(change_text(c.to_json(), lang, done=True) for c in r.changes)
    head = t(
        lang,
        f"{r.order} ({r.partner}) changed: {changes}. Total {money_display(r.total)}; it is "
        f"now {_n(lang, r.status)}.",
        f"{r.order}（{r.partner}）已修改：{changes}。合计 {money_display(r.total)}，现为"
        f"{_n(lang, r.status)}。",
    )
    note = approval_note(r.to_json(), lang, future=False)
    return Reply(head + (" " if note and lang != "zh" else "") + note.strip(), lang)


@result_reply.register(DelegationSet)
def _delegated(r: DelegationSet, lang: str) -> Reply:
    return Reply(
        t(
            lang,
            f"{r.to} now decides approval requests for {r.from_} until {r.until} (inclusive), "
            f"and receives them too.",
            f"已委托 {r.to} 代 {r.from_} 审批，至 {r.until}（含当日），审批请求也会发给 {r.to}。",
        ),
        lang,
    )


@result_reply.register(DelegationEnded)
def _undelegated(r: DelegationEnded, lang: str) -> Reply:
    who = f" ({r.to})" if r.to and lang != "zh" else (f"（{r.to}）" if r.to else "")
    return Reply(
        t(
            lang,
            f"{r.from_}'s delegation{who} has ended; their requests are theirs to decide again.",
            f"{r.from_} 的代批{who}已结束，审批请求恢复由本人处理。",
        ),
        lang,
    )
