"""What an alert says, in English and Chinese, from the fact that fired it.

Quantities read as people count them (reorder points, safety stock and EOQ round up to whole
counted units), money with thousands separators.
"""

from __future__ import annotations

from domain.numbers import money_display, qty_display


def _n(x, uom: str | None = None, up: bool = False) -> str:
    if x is None:
        return "-"
    return qty_display(str(x), uom, up=up)


def _rate(x) -> str:
    if x is None:
        return "-"
    text = f"{float(x):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _pct(x) -> str:
    return _rate(round(float(x or 0), 1))


def _reorder(f: dict) -> tuple[str, str]:
    uom = f.get("uom")
    sku = f["sku"]
    sl = _rate(float(f.get("service_level") or 0) * 100)
    proj, avail, on_order = (_n(f.get(k), uom) for k in ("projected", "available", "on_order"))
    rop, ss = _n(f.get("reorder_point"), uom, up=True), _n(f.get("safety_stock"), uom, up=True)
    mean, lead = _rate(f.get("mean_daily")), f.get("lead_time_days")
    qty, moq = _n(f.get("suggested_qty"), uom, up=True), _n(f.get("moq"), uom)
    eoq = _n(f.get("eoq"), uom, up=True)
    en = (
        f"{sku} below reorder point: projected {proj} ({avail} available + {on_order} on order), "
        f"reorder point {rop} ({mean}/day × {lead} days lead + safety stock {ss} at {sl} %); "
        f"suggest ordering {qty} (EOQ {eoq}, MOQ {moq})"
    )
    zh = (
        f"{sku} 低于再订货点：预计库存 {proj}（可用 {avail} + 在途 {on_order}），再订货点 {rop}"
        f"（日均 {mean} × 提前期 {lead} 天 + 安全库存 {ss}，服务水平 {sl}%）；"
        f"建议采购 {qty}（经济订货量 {eoq}，最小起订量 {moq}）"
    )
    return en, zh


def _price(f: dict) -> tuple[str, str]:
    pct = _pct(f.get("discount_pct"))
    order, sku, price = f["order"], f["sku"], f.get("price_text") or f.get("price")
    lst = f.get("list_price_text") or f.get("list_price")
    return (
        f"{order}: {sku} at {price} is {pct} % under list ({lst})",
        f"{order}：{sku} 单价 {price}，低于标价（{lst}）{pct}%",
    )


def _demand(f: dict) -> tuple[str, str]:
    sku, day, qty = f["sku"], f["date"], _n(f.get("qty"), f.get("uom"))
    mean, sigma, k = _rate(f.get("mean")), _rate(f.get("sigma")), _rate(f.get("k_sigma"))
    return (
        f"{sku}: {qty} sold on {day}, above mean + {k}σ of its daily demand "
        f"(mean {mean}, σ {sigma})",
        f"{sku}：{day} 销量 {qty}，超过日均需求 + {k}σ（均值 {mean}，σ {sigma}）",
    )


def _count(f: dict) -> tuple[str, str]:
    sku, wh = f["sku"], f["warehouse"]
    diff, value, pct = (
        _n(f.get("diff_qty"), f.get("uom")),
        money_display(str(f.get("diff_value", 0))),
        _pct(f.get("pct")),
    )
    limits_en = f"{money_display(str(f.get('value_limit', 0)))} or {_pct(f.get('pct_limit'))} %"
    limits_zh = f"{money_display(str(f.get('value_limit', 0)))} 或 {_pct(f.get('pct_limit'))}%"
    return (
        f"Count of {sku} in {wh}: {diff} off the book (value {value}, {pct} %), over the "
        f"limits ({limits_en})",
        f"{wh} 的 {sku} 盘点差异 {diff}（金额 {value}，{pct}%），超过阈值（{limits_zh}）",
    )


def _negative(f: dict) -> tuple[str, str]:
    sku, wh = f["sku"], f["warehouse"]
    on_hand, reserved = _n(f.get("on_hand")), _n(f.get("reserved"))
    orders = ", ".join(f.get("orders") or [])
    if float(f.get("on_hand") or 0) < 0:
        en, zh = (
            f"{sku} in {wh} went below zero: on hand {on_hand}",
            f"{wh} 的 {sku} 库存为负：{on_hand}",
        )
    else:
        en = f"{sku} in {wh}: on hand {on_hand} is below what is reserved ({reserved})"
        zh = f"{wh} 的 {sku}：在库 {on_hand} 少于已预留 {reserved}"
    if orders:
        en += f"; {orders} may not ship"
        zh += f"；{orders} 可能无法发货"
    return en, zh


def _subject(f: dict) -> tuple[str, str]:
    """What an approval is about, in English and Chinese (a count by its item and warehouse)."""
    subject = f.get("subject", "")
    return f.get("subject_label") or subject, f.get("subject_label_zh") or subject


def _name(row: dict, key: str, zh: bool) -> str:
    """An item's or partner's name in a language, falling back to the other, then the code."""
    first, second = (f"{key}_zh", key) if zh else (key, f"{key}_zh")
    return row.get(first) or row.get(second) or ""


def _asked(details: dict, zh: bool) -> str:
    """What a request asks, in words: an order's partner, lines (qty × item @ net price) and
    total, or a count's item, book, counted and difference with its value."""
    if details.get("lines"):
        code = details.get("partner") or ""
        name = _name(details, "partner_name", zh)
        lines = [
            f"{_n(ln.get('qty'))} × {_name(ln, 'name', zh) or ln.get('item', '')} "
            f"@ {ln.get('price', '?')}"
            for ln in details["lines"]
        ]
        total = money_display(str(details.get("total") or 0))
        if zh:
            who = f"{name}（{code}）" if name and name != code else code
            return f"{who}：{'，'.join(lines)}；合计 {total}"
        who = f"{code}, {name}" if name and name != code else code
        return f"{who}: {', '.join(lines)}; total {total}"
    if "diff_qty" in details:
        name = _name(details, "name", zh)
        book, counted = _n(details.get("book_qty")), _n(details.get("counted_qty"))
        diff, value = (
            _n(details.get("diff_qty")),
            money_display(str(details.get("diff_value") or 0)),
        )
        if zh:
            return f"{name}：账面 {book}，实盘 {counted}，差异 {diff}（金额 {value}）"
        return f"{name}: book {book}, counted {counted}, difference {diff} worth {value}"
    return ""


def _approval(f: dict) -> tuple[str, str]:
    """`A-13 for SO-0310 (SUNRISE, Sunrise Trading: 3 × 18V cordless drill @ 339.15; total
    1,017.45; why: …) waits for you`: what is asked and why, so the approver can decide from
    the message alone."""
    request, (subject, subject_zh) = f["request"], _subject(f)
    details = f.get("details") or {}
    asked, asked_zh = _asked(details, False), _asked(details, True)
    if not asked:  # no details (an older fact): the partner alone
        asked = asked_zh = f.get("partner") or ""
    reasons, reasons_zh = f.get("reasons") or [], f.get("reasons_zh") or []
    about = "; ".join(x for x in (asked, "why: " + "; ".join(reasons) if reasons else "") if x)
    about_zh = "；".join(
        x for x in (asked_zh, "原因：" + "；".join(reasons_zh) if reasons_zh else "") if x
    )
    en = f"{request} for {subject}" + (f" ({about})" if about else "") + " waits for you"
    zh = f"{request}（{subject_zh}" + (f"，{about_zh}" if about_zh else "") + "）等待您审批"
    return en, zh


_TEXTS = {
    "reorder": _reorder,
    "anomaly.price": _price,
    "anomaly.demand": _demand,
    "anomaly.count": _count,
    "anomaly.negative": _negative,
    "approval": _approval,
}


def alert_texts(kind: str, facts: dict) -> tuple[str, str]:
    """The alert's message in English and Chinese."""
    render = _TEXTS.get(kind)
    if render is None:
        subject = facts.get("sku") or facts.get("request") or ""
        return f"{kind}: {subject}", f"{kind}：{subject}"
    return render(facts)


def pick(texts: tuple[str, str], lang: str) -> str:
    """One of (English, Chinese) for a language."""
    return texts[1] if lang == "zh" else texts[0]


def reminder_texts(message: str, message_zh: str, hours: int) -> tuple[str, str]:
    """A reminder of a pending approval, after `hours`."""
    return (
        f"Reminder ({hours} h without a decision): {message}",
        f"提醒（已 {hours} 小时未审批）：{message_zh}",
    )


def escalation_texts(message: str, message_zh: str, hours: int) -> tuple[str, str]:
    """An escalation of a pending approval to the admins, after `hours`."""
    return (
        f"Escalation ({hours} h without a decision): {message}",
        f"升级（已 {hours} 小时未审批）：{message_zh}",
    )


def decision_texts(facts: dict) -> tuple[str, str]:
    """What the requester is told of a decision on their request (the reason of a rejection)."""
    request, (subject, subject_zh) = facts["request"], _subject(facts)
    by, status = facts.get("decided_by") or "", facts.get("status", "")
    reason = (facts.get("reason") or "").strip()
    if status == "approved":
        return (
            f"{request} for {subject} was approved by {by}",
            f"{request}（{subject_zh}）已由 {by} 批准",
        )
    return (
        f"{request} for {subject} was rejected by {by}" + (f": {reason}" if reason else ""),
        f"{request}（{subject_zh}）已被 {by} 驳回" + (f"：{reason}" if reason else ""),
    )
