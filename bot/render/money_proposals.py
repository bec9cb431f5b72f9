"""The sentences the money writes are confirmed with, from their dry runs: a return (what
goes back, where, the credit note it makes) and a payment (how it will be allocated)."""

from __future__ import annotations

from decimal import Decimal

from bot.render.proposals import proposal
from bot.render.reply import t
from bot.render.results.money import who
from bot.render.words import money_text, moved_lines
from domain.money.commands import MakePayment, ReceivePayment, ReturnPurchaseOrder, ReturnSalesOrder
from domain.money.results import PaymentResult, ReturnResult


@proposal.register(ReturnSalesOrder)
@proposal.register(ReturnPurchaseOrder)
def _return(cmd, uow, r: ReturnResult, lang: str) -> str:
    goods = moved_lines(uow, r.returned, lang)
    credit = money_text(r.total.lstrip("-"))
    against = (
        t(lang, f", set against {r.applied_to}", f"，冲抵 {r.applied_to}") if r.applied_to else ""
    )
    if r.kind == "sales":
        return t(
            lang,
            f"Take back {goods} of {r.order} from {who(r, lang)} into {r.warehouse}; a credit "
            f"note for {credit}{against}.",
            f"{r.order} 退货：{who(r, lang)}退回 {goods}，入库 {r.warehouse}；开具红字发票 "
            f"{credit}{against}。",
        )
    return t(
        lang,
        f"Return {goods} of {r.order} to {who(r, lang)} from {r.warehouse}; their credit note "
        f"for {credit}{against}.",
        f"{r.order} 退货给{who(r, lang)}：{goods}，从 {r.warehouse} 出库；对方红字发票 "
        f"{credit}{against}。",
    )


@proposal.register(ReceivePayment)
@proposal.register(MakePayment)
def _payment(cmd, uow, r: PaymentResult, lang: str) -> str:
    sep = "，" if lang == "zh" else ", "
    paid = sep.join(f"{a.invoice} {money_text(a.amount)}" for a in r.allocated)
    if r.kind == "receive":
        text = t(
            lang,
            f"Record {money_text(r.amount)} received from {who(r, lang)}",
            f"登记收到{who(r, lang)}货款 {money_text(r.amount)}",
        )
    else:
        text = t(
            lang,
            f"Record {money_text(r.amount)} paid to {who(r, lang)}",
            f"登记付给{who(r, lang)} {money_text(r.amount)}",
        )
    if paid:
        text += t(lang, f", for {paid}", f"，冲抵 {paid}")
    if Decimal(r.unallocated):
        text += t(
            lang,
            f"; {money_text(r.unallocated)} stays unallocated",
            f"；{money_text(r.unallocated)} 暂不核销",
        )
    return text + t(lang, ".", "。")
