"""Money results in words: returns, payments, a partner's balance, statements, invoice lists."""

from __future__ import annotations

from decimal import Decimal

from bot.render.reply import Reply, t
from bot.render.results.base import result_reply
from bot.render.words import money_text, status_words
from domain.money.results import (
    BalanceAnswer,
    InvoicesAnswer,
    PaymentResult,
    ReturnResult,
    StatementAnswer,
)

LIST_ROWS = 10
"""A list in chat shows at most this many rows (a phone's screen)."""
BUCKET_WORDS = {
    "1-30": ("1–30 days", "逾期1–30天"),
    "31-60": ("31–60 days", "逾期31–60天"),
    "61-90": ("61–90 days", "逾期61–90天"),
    "90+": ("over 90 days", "逾期90天以上"),
}


def who(r, lang: str) -> str:
    """A partner as people know it: `ACME Trading (ACME)`, `艾克米（ACME）`."""
    name = (r.partner_name_zh if lang == "zh" else r.partner_name) or r.partner_name or r.partner
    if name == r.partner:
        return r.partner
    return f"{name}（{r.partner}）" if lang == "zh" else f"{name} ({r.partner})"


def _zero(value: str) -> bool:
    return Decimal(value) == 0


@result_reply.register(ReturnResult)
def _returned(r: ReturnResult, lang: str) -> Reply:
    sep = "；" if lang == "zh" else "; "
    goods = sep.join(
        f"{x.qty} × {(x.name_zh if lang == 'zh' else x.name) or x.item}" for x in r.returned
    )
    credit = money_text(r.total.lstrip("-"))
    if r.kind == "sales":
        head = t(
            lang,
            f"{who(r, lang)} returned {goods} of {r.order}, back into {r.warehouse} at cost "
            f"{money_text(r.value)}.",
            f"{who(r, lang)}退回 {r.order} 的 {goods}，已入库 {r.warehouse}（成本 "
            f"{money_text(r.value)}）。",
        )
    else:
        head = t(
            lang,
            f"{goods} of {r.order} went back to {who(r, lang)} from {r.warehouse} "
            f"(stock value {money_text(r.value)}).",
            f"{r.order} 的 {goods} 已从 {r.warehouse} 退回{who(r, lang)}（库存价值 "
            f"{money_text(r.value)}）。",
        )
    if r.applied_to:
        note = t(
            lang,
            f" Credit note {r.credit_note} for {credit}, set against {r.applied_to}.",
            f"开具红字发票 {r.credit_note}，金额 {credit}，已冲抵 {r.applied_to}。",
        )
    else:
        note = t(
            lang,
            f" Credit note {r.credit_note} for {credit}, kept as open credit.",
            f"开具红字发票 {r.credit_note}，金额 {credit}，作为待抵扣余额。",
        )
    still = t(
        lang,
        f" {r.order} stays {status_words(lang, r.status)}.",
        f"{r.order} 仍为{status_words(lang, r.status)}。",
    )
    return Reply(head + note + still, lang, table=[x.to_json() for x in r.returned])


@result_reply.register(PaymentResult)
def _paid(r: PaymentResult, lang: str) -> Reply:
    sep = "，" if lang == "zh" else ", "
    paid = sep.join(f"{a.invoice} {money_text(a.amount)}" for a in r.allocated)
    if r.kind == "receive":
        head = t(
            lang,
            f"{r.payment}: received {money_text(r.amount)} from {who(r, lang)}",
            f"{r.payment}：收到{who(r, lang)}货款 {money_text(r.amount)}",
        )
    else:
        head = t(
            lang,
            f"{r.payment}: paid {money_text(r.amount)} to {who(r, lang)}",
            f"{r.payment}：付给{who(r, lang)} {money_text(r.amount)}",
        )
    text = head + (t(lang, f", for {paid}", f"，冲抵 {paid}") if paid else "")
    if not _zero(r.unallocated):
        text += t(
            lang,
            f"; {money_text(r.unallocated)} left unallocated as credit",
            f"；{money_text(r.unallocated)} 未核销，作为预付余额",
        )
    text += t(lang, ". ", "。") + _balance_words(r.kind == "receive", r.balance, who(r, lang), lang)
    return Reply(text, lang, table=[a.to_json() for a in r.allocated])


def _balance_words(customer: bool, balance: str, name: str, lang: str) -> str:
    amount = Decimal(balance)
    if amount == 0:
        return t(lang, f"{name} is settled.", f"{name}已结清。")
    shown = money_text(abs(amount))
    if customer and amount > 0:
        return t(lang, f"{name} now owes {shown}.", f"{name}尚欠 {shown}。")
    if customer:
        return t(lang, f"{name} has {shown} of credit with us.", f"{name}在我方有余额 {shown}。")
    if amount > 0:
        return t(lang, f"We owe {name} {shown}.", f"我方尚欠{name} {shown}。")
    return t(lang, f"We have {shown} of credit with {name}.", f"我方在{name}有余额 {shown}。")


@result_reply.register(BalanceAnswer)
def _balance(r: BalanceAnswer, lang: str) -> Reply:
    customer = r.kind == "customer"
    text = _balance_words(customer, r.balance, who(r, lang), lang)
    late = [(b, v) for b, v in r.aging.items() if b != "current" and not _zero(v)]
    if late:
        parts = ("，" if lang == "zh" else ", ").join(
            f"{BUCKET_WORDS[b][1 if lang == 'zh' else 0]} {money_text(v)}" for b, v in late
        )
        text += t(
            lang,
            f" Overdue: {money_text(r.overdue)} ({parts}).",
            f"其中逾期 {money_text(r.overdue)}（{parts}）。",
        )
    elif Decimal(r.balance) > 0:
        text += t(lang, " Nothing is overdue.", "没有逾期。")
    if customer:
        text += t(
            lang,
            f" Credit limit {money_text(r.credit_limit)}, in use {money_text(r.exposure)} "
            f"(orders not yet shipped {money_text(r.open_orders)} and the unpaid balance), "
            f"credit left {money_text(r.credit_left)}.",
            f"信用额度 {money_text(r.credit_limit)}，已占用 {money_text(r.exposure)}（未发货订单 "
            f"{money_text(r.open_orders)} 及未收款余额），剩余额度 {money_text(r.credit_left)}。",
        )
    return Reply(text, lang, table=[r.to_json()])


@result_reply.register(StatementAnswer)
def _statement(r: StatementAnswer, lang: str) -> Reply:
    period = r.period
    span = f"{period['start']} – {period['end']}"
    head = t(
        lang,
        f"Statement of {who(r, lang)}, {span}: opening balance {money_text(r.opening)}.",
        f"{who(r, lang)}对账单（{span}）：期初余额 {money_text(r.opening)}。",
    )
    if not r.lines:
        return Reply(
            head
            + t(
                lang,
                f" No activity in this period: closing balance {money_text(r.closing)}, the "
                "same as the opening.",
                f"本期没有往来，期末余额 {money_text(r.closing)}，与期初相同。",
            ),
            lang,
            table=[],
        )
    shown = r.lines[-LIST_ROWS:]
    rows = [head]
    earlier = len(r.lines) - len(shown)
    if earlier:
        rows.append(t(lang, f"… {earlier} earlier documents", f"……前面还有 {earlier} 笔"))
    for ln in shown:
        moved = (
            t(lang, f"debit {money_text(ln.debit)}", f"借 {money_text(ln.debit)}")
            if not _zero(ln.debit)
            else t(lang, f"credit {money_text(ln.credit)}", f"贷 {money_text(ln.credit)}")
        )
        rows.append(
            f"{ln.date} {ln.doc} {moved} → {money_text(ln.balance)}"
            if lang != "zh"
            else f"{ln.date} {ln.doc} {moved} → 余额 {money_text(ln.balance)}"
        )
    rows.append(
        t(lang, f"Closing balance {money_text(r.closing)}.", f"期末余额 {money_text(r.closing)}。")
    )
    return Reply("\n".join(rows), lang, table=[ln.to_json() for ln in r.lines])


@result_reply.register(InvoicesAnswer)
def _invoices(r: InvoicesAnswer, lang: str) -> Reply:
    if not r.invoices:
        return Reply(t(lang, "No invoices found.", "没有找到发票。"), lang, table=[])
    newest = list(reversed(r.invoices))[:LIST_ROWS]
    rows = [
        t(
            lang,
            f"{i.invoice} {i.partner} {i.order} {i.date} due {i.due}: {money_text(i.total)}, "
            f"open {money_text(i.open)}",
            f"{i.invoice} {i.partner} {i.order} {i.date} 到期 {i.due}：{money_text(i.total)}，"
            f"未结 {money_text(i.open)}",
        )
        for i in newest
    ]
    more = len(r.invoices) - len(newest)
    if more:
        rows.append(t(lang, f"… and {more} more.", f"……还有 {more} 张。"))
    return Reply("\n".join(rows), lang, table=[i.to_json() for i in newest])
