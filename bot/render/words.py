"""Pieces of text that proposals and results share: money, statuses, items and partners by name,
priced lines, what an approval request is about, why something waits for approval, and one
change of an amendment.

A line may be a typed row of a result or a plain dict (the `details` of an approval request
stay the stored JSON); `field` reads either."""

from __future__ import annotations

from decimal import Decimal

from bot.render.reply import t
from domain.errors import JxcError
from domain.ledger import lookup
from domain.messages.results import LineChange, StockCountResult
from domain.numbers import money_display, pct_display, qty_display
from domain.orders.status_words import status_name


def money_text(value) -> str:
    """Money for people (`398,999,601.00`); a value that is not a number is shown as it is."""
    try:
        return money_display(value)
    except JxcError:
        return str(value)


def pct_text(percent) -> str:
    """A percentage given in percent, for people (`5 %`, `16.4 %`)."""
    return pct_display(Decimal(str(percent)) / 100).replace(".0 %", " %")


def status_words(lang: str, status: str) -> str:
    """An order's or a request's status in words (`pending approval`, `待审批`)."""
    return status_name(status, lang)


def joined_reasons(reasons, lang: str) -> str:
    """Reasons as one phrase, separated the way the language does."""
    return ("；" if lang == "zh" else "; ").join(reasons or [])


def subject_words(kind: str | None, subject: str, lang: str) -> str:
    """What a request is about: an order by its number, a count as `count #18` (its number
    alone says nothing)."""
    if kind == "stock_count":
        return t(lang, f"count #{subject}", f"盘点 #{subject}")
    return subject


def field(row, name: str, default=None):
    """A field of a typed row, or a key of a plain dict row."""
    if isinstance(row, dict):
        return row.get(name, default)
    return getattr(row, name, default)


def item_name(uow, sku: str, line, lang: str, with_sku: bool = False) -> str:
    """An item's name in the language, from the line when it carries one, else looked up."""
    name = field(line, "name_zh") if lang == "zh" else field(line, "name")
    name = name or field(line, "name") or field(line, "name_zh")
    if not name:
        try:
            item = lookup.item(uow, sku)
        except JxcError:
            return sku
        name = (item.name_zh or item.name) if lang == "zh" else (item.name or item.name_zh)
    if not name or name == sku:
        return sku
    return f"{name} ({sku})" if with_sku else name


def partner_name(uow, code: str | None, row, lang: str) -> str:
    """`Xinda Hardware (XINDA)`: a partner's name with its code, from the row or looked up."""
    if not code:
        return ""
    name = field(row, "partner_name_zh") if lang == "zh" else field(row, "partner_name")
    if not name:
        try:
            p = lookup.partner(uow, code)
            name = (p.name_zh or p.name) if lang == "zh" else (p.name or p.name_zh)
        except JxcError:
            name = None
    return f"{name} ({code})" if name and name.upper() != code.upper() else code


def price_line(uow, line, lang: str) -> str:
    """`200 × M6 bolt (M6-20) @ 0.209 (list 0.25, 16.4 % off) = 41.80`."""
    sku = field(line, "item")
    text = f"{field(line, 'qty')} × {item_name(uow, sku, line, lang)} @ {field(line, 'price', '?')}"
    disc = Decimal(str(field(line, "discount") or 0))
    list_price = field(line, "list_price")
    if disc > 0 and list_price:
        text += t(
            lang,
            f" (list {list_price}, {pct_text(disc)} off)",
            f"（原价 {list_price}，优惠 {pct_text(disc)}）",
        )
    if field(line, "amount") is not None:
        text += f" = {money_text(field(line, 'amount'))}"
    return text


def order_lines(uow, lines, total, lang: str) -> str:
    """The priced lines, and the total when there is more than one line."""
    sep = "；" if lang == "zh" else "; "
    text = sep.join(price_line(uow, ln, lang) for ln in lines)
    if len(lines) > 1:
        text += t(lang, "; total ", "；合计 ") + money_text(total)
    return text


def moved_lines(uow, lines, lang: str) -> str:
    """`20 × M6 bolt; 5 × Tape` — what a receipt or a shipment moves."""
    sep = "；" if lang == "zh" else "; "
    return sep.join(
        f"{field(ln, 'qty')} × {item_name(uow, field(ln, 'item'), ln, lang)}" for ln in lines
    )


def approval_note(result, lang: str, *, future: bool) -> str:
    """Why an order or count waits for approval, before (`future`) or after it was stored."""
    if result.status != "pending_approval":
        return ""
    reasons = joined_reasons((result.reasons_zh if lang == "zh" else None) or result.reasons, lang)
    if future and isinstance(result, StockCountResult):  # a count reserves nothing: posts later
        return t(
            lang,
            f" It will wait for approval ({reasons}); the difference is posted once approved.",
            f"此盘点需要审批（{reasons}），批准后才过账差异。",
        )
    if future:
        return t(
            lang,
            f" It will wait for approval ({reasons}) and reserve nothing until approved.",
            f"此单需要审批（{reasons}），批准前不预留库存。",
        )
    return t(
        lang,
        f" It waits for approval {result.approval or ''} ({reasons}).",
        f"需要审批 {result.approval or ''}（{reasons}）。",
    )


def details_text(uow, details: dict | None, lang: str) -> str:
    """What an approval request is about: the partner, lines and total, or the count."""
    if not details:
        return ""
    if "lines" in details:
        who = partner_name(uow, details.get("partner"), details, lang)
        total = details.get("total", "0")
        lines = order_lines(uow, details["lines"], total, lang)
        total = money_text(total)
        if len(details["lines"]) > 1:
            return f"{who}: {lines}" if lang != "zh" else f"{who}：{lines}"
        return t(lang, f"{who}: {lines}; total {total}", f"{who}：{lines}；合计 {total}")
    if "item" in details:
        name = item_name(uow, details["item"], details, lang, with_sku=True)
        wh = details.get("warehouse", "")
        return t(
            lang,
            f"count of {name} in {wh}: book {details.get('book_qty')}, counted "
            f"{details.get('counted_qty')}, difference {details.get('diff_qty')} "
            f"({money_text(details.get('diff_value', '0'))})",
            f"盘点 {name}（{wh}）：账面 {details.get('book_qty')}，实盘 "
            f"{details.get('counted_qty')}，差异 {details.get('diff_qty')}"
            f"（{money_text(details.get('diff_value', '0'))}）",
        )
    return ""


def change_text(c: LineChange, lang: str, done: bool = False) -> str:
    """One change of an amendment: `M6-20 100 → 150`, `add 20 × TAPE-48`, `remove TAPE-48
    (was 30)` (`done`: added, removed), with a price or discount that changed."""
    qty_from, qty_to = qty_display(c.from_), qty_display(c.to)
    item = c.item
    if c.from_ == "0":
        verb = t(lang, "added" if done else "add", "已新增" if done else "新增")
        text = t(lang, f"{verb} {qty_to} × {item}", f"{verb} {item} {qty_to}")
    elif c.to == "0":
        verb = t(lang, "removed" if done else "remove", "已去掉" if done else "去掉")
        text = t(lang, f"{verb} {item} (was {qty_from})", f"{verb} {item}（原 {qty_from}）")
    elif c.from_ == c.to:
        text = item
    else:
        text = f"{item} {qty_from} → {qty_to}"
    if c.price:
        p = c.price
        text += t(lang, f" @ {p['from']} → {p['to']}", f"，单价 {p['from']} → {p['to']}")
    if c.discount:
        d = c.discount
        text += t(
            lang, f" (discount {d['from']}% → {d['to']}%)", f"，折扣 {d['from']}% → {d['to']}%"
        )
    return text
