"""The sentence a write command is confirmed with: what will happen, in the user's language,
with the figures a person checks (price, total, what is available)."""

from __future__ import annotations

from decimal import Decimal

from domain import lookup
from domain.errors import JxcError
from domain.numbers import money, money_str, price_str, qty_str
from domain.services.stock import stock_rows


def _available(uow, sku: str, wh: str | None) -> str:
    try:
        rows = stock_rows(uow, sku, wh or "MAIN")
    except JxcError:
        return "?"
    return qty_str(sum((Decimal(r["available"]) for r in rows), Decimal(0)))


def _name(item, lang: str) -> str:
    return (item.name_zh or item.name) if lang == "zh" else (item.name or item.name_zh)


def _lines(uow, cmd: dict, lang: str, price_of) -> tuple[list[str], Decimal]:
    parts, total = [], Decimal(0)
    for line in cmd.get("lines", []):
        item = lookup.item(uow, line["item"])
        qty = Decimal(line["qty"])
        price = price_of(item, line)
        amount = money(qty * price)
        total += amount
        parts.append(
            f"{qty_str(qty)} × {_name(item, lang)} @ {price_str(price)} = {money_str(amount)}"
        )
    return parts, total


def summarize(uow, cmd: dict, lang: str) -> str:
    """`Create sales order for ACME: 20 × M6x20 hex bolt @ 0.25 = 5.00, 1,980 available.
    Confirm?` — and the like for every write intent."""
    zh = lang == "zh"
    intent = cmd["intent"]
    ask = "确认吗？" if zh else "Confirm?"
    wh = cmd.get("warehouse")
    if intent == "sales.create":

        def sale_price(item, line):
            if line.get("price"):
                return Decimal(line["price"])
            base = item.unit_price or Decimal(0)
            if line.get("discount"):
                return base * (100 - Decimal(line["discount"])) / 100
            return base

        parts, total = _lines(uow, cmd, lang, sale_price)
        avail = [_available(uow, ln["item"], wh) for ln in cmd["lines"]]
        customer = cmd["customer"]
        if zh:
            tail = f"，合计 {money_str(total)}" if len(parts) > 1 else ""
            stock = "，".join(f"{a} 可用" for a in avail)
            return f"为 {customer} 创建销售单：{'；'.join(parts)}{tail}，{stock}。{ask}"
        tail = f", total {money_str(total)}" if len(parts) > 1 else ""
        stock = ", ".join(f"{a} available" for a in avail)
        return f"Create sales order for {customer}: {'; '.join(parts)}{tail}, {stock}. {ask}"
    if intent == "purchase.create":
        parts, total = _lines(
            uow,
            cmd,
            lang,
            lambda item, line: (
                Decimal(line["price"]) if line.get("price") else (item.unit_cost or Decimal(0))
            ),
        )
        if zh:
            return f"向 {cmd['supplier']} 采购：{'；'.join(parts)}，合计 {money_str(total)}。{ask}"
        return (
            f"Create purchase order to {cmd['supplier']}: {'; '.join(parts)}, total "
            f"{money_str(total)}. {ask}"
        )
    item = lookup.item(uow, cmd["item"]) if cmd.get("item") else None
    name = f"{_name(item, lang)} ({item.sku})" if item else ""
    where = wh or "MAIN"
    texts = {
        "stock.receive": (
            f"Receive {cmd.get('qty')} × {name} into {where}"
            + (f" at {cmd['unit_cost']}" if cmd.get("unit_cost") else "")
            + ".",
            f"入库 {name} {cmd.get('qty')}，仓库 {where}"
            + (f"，单价 {cmd['unit_cost']}" if cmd.get("unit_cost") else "")
            + "。",
        ),
        "stock.issue": (
            f"Issue {cmd.get('qty')} × {name} from {where}"
            + (f" ({cmd['reason']})" if cmd.get("reason") else "")
            + f"; {_available(uow, cmd.get('item', ''), wh)} available.",
            f"出库 {name} {cmd.get('qty')}，仓库 {where}，当前可用 "
            f"{_available(uow, cmd.get('item', ''), wh)}。",
        ),
        "stock.transfer": (
            f"Move {cmd.get('qty')} × {name} from {cmd.get('from')} to {cmd.get('to')}.",
            f"调拨 {name} {cmd.get('qty')}，从 {cmd.get('from')} 到 {cmd.get('to')}。",
        ),
        "stock.count": (
            f"Record a count of {name} in {where}: {cmd.get('counted_qty')}.",
            f"盘点 {name}（{where}）：实盘 {cmd.get('counted_qty')}。",
        ),
        "purchase.receive": (
            f"Receive {cmd['order'] if 'order' in cmd else ''}"
            + (" (the lines given)" if cmd.get("lines") else " in full")
            + ".",
            f"{cmd.get('order', '')} 收货"
            + ("（指定行）" if cmd.get("lines") else "（全部）")
            + "。",
        ),
        "purchase.cancel": (f"Cancel {cmd.get('order')}.", f"取消 {cmd.get('order')}。"),
        "sales.ship": (f"Ship {cmd.get('order')}.", f"{cmd.get('order')} 发货。"),
        "sales.cancel": (f"Cancel {cmd.get('order')}.", f"取消 {cmd.get('order')}。"),
        "approval.decide": (
            f"{cmd.get('decision', '').capitalize()} {cmd.get('request')}"
            + (f" ({cmd['reason']})" if cmd.get("reason") else "")
            + ".",
            f"{'批准' if cmd.get('decision') == 'approve' else '驳回'} "
            f"{cmd.get('request')}" + (f"（{cmd['reason']}）" if cmd.get("reason") else "") + "。",
        ),
    }
    en, zh_text = texts.get(intent, (f"Run {intent}.", f"执行 {intent}。"))
    return f"{zh_text}{ask}" if zh else f"{en} {ask}"
