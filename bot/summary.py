"""The sentence a write command is confirmed with.

It is written from the command's *dry run* (the service run on the database as it is now and
rolled back), so what the user confirms — items, quantities, prices, discounts, totals, whether an
approval will be needed and why — is what the service will store. Lookups fill in only what a
result does not carry (an item's name).
"""

from __future__ import annotations

from decimal import Decimal

from domain import lookup
from domain.errors import JxcError
from domain.numbers import money_display, money_str, pct_display, qty_display
from domain.services.stock import stock_rows

ZERO = Decimal(0)


def money_text(value) -> str:
    """Money for people (`398,999,601.00`); a value that is not a number is shown as it is."""
    try:
        return money_display(value)
    except JxcError:
        return str(value)


def pct_text(percent) -> str:
    """A percentage given in percent, for people (`5 %`, `16.4 %`)."""
    return pct_display(Decimal(str(percent)) / 100).replace(".0 %", " %")


def _t(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def _item_name(uow, sku: str, line: dict, lang: str, with_sku: bool = False) -> str:
    name = line.get("name_zh") if lang == "zh" else line.get("name")
    name = name or line.get("name") or line.get("name_zh")
    if not name:
        try:
            item = lookup.item(uow, sku)
        except JxcError:
            return sku
        name = (item.name_zh or item.name) if lang == "zh" else (item.name or item.name_zh)
    if not name or name == sku:
        return sku
    return f"{name} ({sku})" if with_sku else name


def _partner(uow, code: str | None, result: dict, lang: str) -> str:
    if not code:
        return ""
    name = result.get("partner_name_zh") if lang == "zh" else result.get("partner_name")
    if not name:
        try:
            p = lookup.partner(uow, code)
            name = (p.name_zh or p.name) if lang == "zh" else (p.name or p.name_zh)
        except JxcError:
            name = None
    return f"{name} ({code})" if name and name.upper() != code.upper() else code


def available(uow, sku: str, warehouse: str | None) -> Decimal:
    """What can still be promised of an item in a warehouse (never below zero)."""
    rows = stock_rows(uow, sku, warehouse or "MAIN")
    return max(sum((Decimal(r.available) for r in rows), ZERO), ZERO)


def price_line(uow, line: dict, lang: str) -> str:
    """`200 × M6 bolt (M6-20) @ 0.209 (list 0.25, 16.4 % off) = 41.80`."""
    sku = line["item"]
    text = f"{line['qty']} × {_item_name(uow, sku, line, lang)} @ {line.get('price', '?')}"
    disc = Decimal(str(line.get("discount") or 0))
    if disc > 0 and line.get("list_price"):
        text += _t(
            lang,
            f" (list {line['list_price']}, {pct_text(disc)} off)",
            f"（原价 {line['list_price']}，优惠 {pct_text(disc)}）",
        )
    if line.get("amount") is not None:
        text += f" = {money_text(line['amount'])}"
    return text


def approval_note(result: dict, lang: str, *, future: bool) -> str:
    """Why an order or count waits for approval, before (`future`) or after it was stored."""
    if result.get("status") != "pending_approval":
        return ""
    reasons = result.get("reasons_zh") if lang == "zh" else None
    reasons = ("；" if lang == "zh" else "; ").join(reasons or result.get("reasons") or [])
    if future and "diff_qty" in result:  # a count reserves nothing anyway: it posts later
        return _t(
            lang,
            f" It will wait for approval ({reasons}); the difference is posted once approved.",
            f"此盘点需要审批（{reasons}），批准后才过账差异。",
        )
    if future:
        return _t(
            lang,
            f" It will wait for approval ({reasons}) and reserve nothing until approved.",
            f"此单需要审批（{reasons}），批准前不预留库存。",
        )
    return _t(
        lang,
        f" It waits for approval {result.get('approval', '')} ({reasons}).",
        f"需要审批 {result.get('approval', '')}（{reasons}）。",
    )


def _order_lines(uow, result: dict, lang: str) -> str:
    """The priced lines, and the total when there is more than one line."""
    sep = "；" if lang == "zh" else "; "
    lines = result.get("lines", [])
    text = sep.join(price_line(uow, ln, lang) for ln in lines)
    if len(lines) > 1:
        text += _t(lang, "; total ", "；合计 ") + money_text(result.get("total", "0"))
    return text


def _moved_lines(uow, lines: list[dict], lang: str) -> str:
    sep = "；" if lang == "zh" else "; "
    return sep.join(f"{ln['qty']} × {_item_name(uow, ln['item'], ln, lang)}" for ln in lines)


def details_text(uow, details: dict | None, lang: str) -> str:
    """What an approval request is about: the partner, lines and total, or the count."""
    if not details:
        return ""
    if "lines" in details:
        who = _partner(uow, details.get("partner"), details, lang)
        lines = _order_lines(uow, details, lang)
        total = money_text(details.get("total", "0"))
        if len(details["lines"]) > 1:
            return f"{who}: {lines}" if lang != "zh" else f"{who}：{lines}"
        return _t(lang, f"{who}: {lines}; total {total}", f"{who}：{lines}；合计 {total}")
    if "item" in details:
        name = _item_name(uow, details["item"], details, lang, with_sku=True)
        wh = details.get("warehouse", "")
        return _t(
            lang,
            f"count of {name} in {wh}: book {details.get('book_qty')}, counted "
            f"{details.get('counted_qty')}, difference {details.get('diff_qty')} "
            f"({money_text(details.get('diff_value', '0'))})",
            f"盘点 {name}（{wh}）：账面 {details.get('book_qty')}，实盘 "
            f"{details.get('counted_qty')}，差异 {details.get('diff_qty')}"
            f"（{money_text(details.get('diff_value', '0'))}）",
        )
    return ""


def summarize(uow, cmd: dict, result: dict, lang: str) -> str:
    """One proposal sentence from the command and its dry-run result, ending in "Confirm?"."""
    zh = lang == "zh"
    ask = "确认吗？" if zh else "Confirm?"
    body = _body(uow, cmd, result, lang)
    return f"{body}{ask}" if zh else f"{body} {ask}"


def _body(uow, cmd: dict, r: dict, lang: str) -> str:
    intent = cmd["intent"]
    wh = r.get("warehouse") or cmd.get("warehouse") or "MAIN"
    if intent == "sales.create":
        who = r.get("customer") or cmd.get("customer")
        stock = _availability(uow, r, wh)
        sep = "，" if lang == "zh" else ", "
        avail = sep.join(
            _t(lang, f"{qty_display(a)} available", f"{qty_display(a)} 可用")
            if len(stock) == 1
            else _t(lang, f"{sku} {qty_display(a)} available", f"{sku} {qty_display(a)} 可用")
            for sku, a in stock
        )
        src = "" if wh == "MAIN" else _t(lang, f" from {wh}", f"（{wh} 发货）")
        return _t(
            lang,
            f"Create sales order for {who}{src}: {_order_lines(uow, r, lang)}, {avail}.",
            f"为 {who} 创建销售单{src}：{_order_lines(uow, r, lang)}，{avail}。",
        ) + approval_note(r, lang, future=True)
    if intent == "purchase.create":
        who = r.get("supplier") or cmd.get("supplier")
        dst = "" if wh == "MAIN" else _t(lang, f" into {wh}", f"（入 {wh}）")
        total = money_text(r.get("total", "0"))
        one = len(r.get("lines", [])) <= 1
        return _t(
            lang,
            f"Create purchase order to {who}{dst}: {_order_lines(uow, r, lang)}"
            + (f", total {total}." if one else "."),
            f"向 {who} 采购{dst}：{_order_lines(uow, r, lang)}"
            + (f"，合计 {total}。" if one else "。"),
        ) + approval_note(r, lang, future=True)
    if intent == "purchase.receive":
        got = _moved_lines(uow, r.get("received", []), lang)
        who = _partner(uow, r.get("supplier"), r, lang)
        of = _t(lang, f" from {who}", f"（{who}）") if who else ""
        done = r.get("status") == "received"
        return _t(
            lang,
            f"Receive {r.get('order')}{of} into {wh}: {got}"
            + ("; the order is then complete." if done else "; more remains on order."),
            f"{r.get('order')}{of} 收货到 {wh}：{got}"
            + ("，收货后该单完成。" if done else "，仍有部分未到。"),
        )
    if intent == "sales.ship":
        lines = r.get("shipped") or r.get("lines") or []
        who = _partner(uow, r.get("customer"), r, lang)
        to = _t(lang, f" to {who}", f"（{who}）") if who else ""
        return _t(
            lang,
            f"Ship {r.get('order')}{to} from {wh}: {_moved_lines(uow, lines, lang)}.",
            f"{r.get('order')}{to} 从 {wh} 发货：{_moved_lines(uow, lines, lang)}。",
        )
    if intent in ("sales.cancel", "purchase.cancel"):
        order = r.get("order", cmd.get("order"))
        # A pending order reserved nothing: cancelling it releases nothing, it drops the request.
        held = intent == "sales.cancel" and _status(uow, order) != "pending_approval"
        return _t(
            lang,
            f"Cancel {order}" + (" (its reservation is released)." if held else "."),
            f"取消 {order}" + ("（释放预留库存）。" if held else "。"),
        )
    if intent == "approval.decide":
        approve = cmd.get("decision") == "approve"
        what = details_text(uow, r.get("details"), lang)
        reasons = r.get("reasons_zh") if lang == "zh" else None
        reasons = ("；" if lang == "zh" else "; ").join(reasons or r.get("reasons") or [])
        why = _t(lang, f" — {reasons}", f"（{reasons}）") if reasons else ""
        by = r.get("requested_by")
        by = _t(lang, f", requested by {by}", f"，申请人 {by}") if by else ""
        reason = cmd.get("reason")
        reason = _t(lang, f" Reason: {reason}.", f"理由：{reason}。") if reason else ""
        verb = _t(lang, "Approve" if approve else "Reject", "批准" if approve else "驳回")
        subject = r.get("subject", "")
        if r.get("subject_kind") == "stock_count":  # a count's number alone says nothing
            subject = _t(lang, f"count #{subject}", f"盘点 #{subject}")
        return _t(
            lang,
            f"{verb} {cmd.get('request')} ({subject}{by}): {what}{why}.{reason}",
            f"{verb} {cmd.get('request')}（{subject}{by}）：{what}{why}。{reason}",
        )
    if intent in ("sales.amend", "purchase.amend"):
        return amend_proposal(r, lang)
    if intent == "approval.delegate":
        return _t(
            lang,
            f"Let {r.get('to')} decide approval requests for {r.get('from')} until "
            f"{r.get('until')} (inclusive).",
            f"委托 {r.get('to')} 代 {r.get('from')} 审批，至 {r.get('until')}（含当日）。",
        )
    if intent == "approval.undelegate":
        to = r.get("to")
        return _t(
            lang,
            f"End {r.get('from')}'s delegation" + (f" to {to}." if to else "."),
            f"结束 {r.get('from')} 的代批" + (f"（{to}）。" if to else "。"),
        )
    sku = r.get("sku") or cmd.get("item", "")
    name = _item_name(uow, sku, r, lang, with_sku=True) if sku else ""
    if intent == "stock.receive":
        cost = cmd.get("unit_cost")
        value = money_text(r.get("move_value", "0"))
        return _t(
            lang,
            f"Receive {cmd.get('qty')} × {name} into {wh}"
            + (f" at {cost} = {value}" if cost else "")
            + ".",
            f"入库 {name} {cmd.get('qty')}，仓库 {wh}"
            + (f"，单价 {cost}，金额 {value}" if cost else "")
            + "。",
        )
    if intent == "stock.issue":
        reason = cmd.get("reason")
        return _t(
            lang,
            f"Issue {cmd.get('qty')} × {name} from {wh}"
            + (f" ({reason})" if reason else "")
            + f"; {qty_display(_before(r, cmd))} available before.",
            f"出库 {name} {cmd.get('qty')}，仓库 {wh}"
            + (f"（{reason}）" if reason else "")
            + f"，出库前可用 {qty_display(_before(r, cmd))}。",
        )
    if intent == "stock.transfer":
        return _t(
            lang,
            f"Move {cmd.get('qty')} × {name} from {cmd.get('from')} to {cmd.get('to')}.",
            f"调拨 {name} {cmd.get('qty')}，从 {cmd.get('from')} 到 {cmd.get('to')}。",
        )
    if intent == "stock.count":
        text = _t(
            lang,
            f"Record a count of {name} in {wh}: book {r.get('book_qty')}, counted "
            f"{r.get('counted_qty')}, difference {r.get('diff_qty')} "
            f"({money_text(r.get('diff_value', '0'))}).",
            f"盘点 {name}（{wh}）：账面 {r.get('book_qty')}，实盘 {r.get('counted_qty')}，"
            f"差异 {r.get('diff_qty')}（{money_text(r.get('diff_value', '0'))}）。",
        )
        return text + approval_note(r, lang, future=True)
    if intent == "alert.order":
        return _t(lang, f"From alert {cmd['alert']}: ", f"根据预警 {cmd['alert']}：") + _body(
            uow, {**cmd, "intent": "purchase.create"}, r, lang
        )
    if intent in ("alert.ack", "alert.snooze"):
        from bot.replies import alert_proposal

        return alert_proposal(cmd, lang).removesuffix("?").removesuffix("？") + (
            "." if lang != "zh" else "。"
        )
    return _t(lang, f"Run {intent}.", f"执行 {intent}。")


def _status(uow, order: str | None) -> str | None:
    """An order's status as stored now (the proposal's dry run was rolled back)."""
    from domain.services.orders import order_rows

    try:
        rows = order_rows(uow, order) if order else []
    except JxcError:
        return None
    return rows[0].status if rows else None


def _before(r: dict, cmd: dict) -> Decimal:
    try:
        return max(Decimal(r["available"]) + Decimal(cmd.get("qty", "0")), ZERO)
    except (KeyError, ArithmeticError, ValueError):
        return ZERO


def _availability(uow, r: dict, wh: str) -> list[tuple[str, Decimal]]:
    """Per item of a proposed sale, what is available now (before this order reserves)."""
    seen = []
    for ln in r.get("lines", []):
        if ln["item"] not in seen:
            seen.append(ln["item"])
    out = []
    for sku in seen:
        try:
            out.append((sku, available(uow, sku, wh)))
        except JxcError:
            continue
    return out


__all__ = ["summarize", "money_text", "pct_text", "details_text", "approval_note", "money_str"]


def change_text(c: dict, lang: str, done: bool = False) -> str:
    """One change of an amendment (`{item, from, to, price?, discount?}`): `M6-20 100 → 150`,
    `add 20 × TAPE-48`, `remove TAPE-48 (was 30)` (`done`: added, removed), with a price or
    discount that changed."""
    qty_from, qty_to = qty_display(c["from"]), qty_display(c["to"])
    item = c["item"]
    if c["from"] == "0":
        verb = _t(lang, "added" if done else "add", "已新增" if done else "新增")
        text = _t(lang, f"{verb} {qty_to} × {item}", f"{verb} {item} {qty_to}")
    elif c["to"] == "0":
        verb = _t(lang, "removed" if done else "remove", "已去掉" if done else "去掉")
        text = _t(lang, f"{verb} {item} (was {qty_from})", f"{verb} {item}（原 {qty_from}）")
    elif c["from"] == c["to"]:
        text = item
    else:
        text = f"{item} {qty_from} → {qty_to}"
    if c.get("price"):
        p = c["price"]
        text += _t(lang, f" @ {p['from']} → {p['to']}", f"，单价 {p['from']} → {p['to']}")
    if c.get("discount"):
        d = c["discount"]
        text += _t(
            lang, f" (discount {d['from']}% → {d['to']}%)", f"，折扣 {d['from']}% → {d['to']}%"
        )
    return text


def amend_proposal(r: dict, lang: str) -> str:
    """What an amendment will do, from its dry run: the changes, the new total, and whether
    the order will wait for approval (again)."""
    r = r.to_json() if hasattr(r, "to_json") else r  # read the result's shape once
    sep = "；" if lang == "zh" else "; "
    changes = sep.join(change_text(c, lang) for c in r.get("changes", []))
    total = money_text(r.get("total", "0"))
    text = _t(
        lang,
        f"Change {r.get('order')} ({r.get('partner')}): {changes}; total {total}.",
        f"修改 {r.get('order')}（{r.get('partner')}）：{changes}；合计 {total}。",
    )
    if r.get("status") == "pending_approval":
        listed = (r.get("reasons_zh") if lang == "zh" else None) or r.get("reasons") or []
        reasons = sep.join(listed)
        text += _t(
            lang,
            f" It will then wait for approval ({reasons})."
            if reasons
            else " It will then wait for approval.",
            f"修改后需要审批（{reasons}）。" if reasons else "修改后需要审批。",
        )
    return text
