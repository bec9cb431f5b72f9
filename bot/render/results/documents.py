"""Results that are documents: a shipment's delivery note (the PDF itself is drawn at the edge,
by the documents port, and travels beside the reply)."""

from __future__ import annotations

from bot.render.reply import Reply, t
from bot.render.results.base import result_reply
from domain.numbers import qty_display
from domain.orders.delivery_notes import DeliveryNote


@result_reply.register(DeliveryNote)
def _delivery_note(r: DeliveryNote, lang: str) -> Reply:
    """Which shipment the note is of, when and from where it left, and what it carried."""
    zh = lang == "zh"
    who = (r.partner_name_zh if zh else r.partner_name) or r.partner_name or r.customer
    count = t(lang, f"{len(r.lines)} item" + ("s" * (len(r.lines) != 1)), f"{len(r.lines)} 种商品")
    what = ("，" if zh else ", ").join(
        f"{(ln.name_zh if zh else ln.name) or ln.item} {qty_display(ln.qty, ln.uom)} {ln.uom}"
        for ln in r.lines[:5]
    )
    if len(r.lines) > 5:
        what += t(lang, f", … ({len(r.lines) - 5} more)", f"等（另有 {len(r.lines) - 5} 种）")
    text = t(
        lang,
        f"Delivery note of {r.order}, shipment {r.shipment} of {r.shipments}, to {who} "
        f"({r.customer}): left {r.warehouse} on {r.date}; {count}: {what}.",
        f"{r.order} 送货单（第 {r.shipment}/{r.shipments} 批）：客户 {who}（{r.customer}），"
        f"{r.date} 从 {r.warehouse} 发出；{count}：{what}。",
    )
    return Reply(text, lang, table=[ln.to_json() for ln in r.lines])
