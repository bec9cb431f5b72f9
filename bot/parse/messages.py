"""Error messages of the parser, in the language of the text."""

from __future__ import annotations

SLOT_NAMES = {
    "item": ("item", "商品"),
    "qty": ("quantity", "数量"),
    "counted_qty": ("counted quantity", "实盘数量"),
    "customer": ("customer", "客户"),
    "supplier": ("supplier", "供应商"),
    "partner": ("customer or supplier", "客户或供应商"),
    "order": ("order number", "单号"),
    "request": ("approval request (A-…)", "审批单号（A-…）"),
    "from": ("source warehouse", "调出仓库"),
    "to": ("destination warehouse", "调入仓库"),
    "amount": ("amount", "金额"),
    "name": ("report name", "报表名称"),
    "lines": ("items and quantities", "商品和数量"),
    "items": ("items (SKUs or names)", "商品（编号或名称）"),
    "decision": ("decision (approve or reject)", "审批意见（批准或驳回）"),
    "delegate": ("person to decide in your stead", "代批人"),
    "until": ("last day (a date or a weekday)", "截止日期（日期或星期几）"),
}

_TEXTS = {
    "missing_slot": ("Which {slot}? It is missing from the command.", "请补充{slot}。"),
    "unknown_item": ("I don't know the item '{name}'.", "找不到商品“{name}”。"),
    "unknown_partner": ("I don't know the partner '{name}'.", "找不到客户或供应商“{name}”。"),
    "unknown_warehouse": ("I don't know the warehouse '{name}'.", "找不到仓库“{name}”。"),
    "ambiguous_name": ("'{name}' matches several names.", "“{name}”对应多个名称。"),
    "wrong_partner_kind": (
        "{name} is a {actual}, not a {wanted}.",
        "{name} 是{actual}，不是{wanted}。",
    ),
    "invalid_quantity": ("Invalid quantity {value}: {why}.", "数量 {value} 无效：{why}。"),
    "invalid_amount": ("Invalid amount {value}: {why}.", "金额 {value} 无效：{why}。"),
    "not_understood": (
        "I did not understand. Try 'help' for what I can do.",
        "我没有看懂。发送“帮助”查看可用的命令。",
    ),
    "too_long": (
        "I did not understand: the message is too long for a command.",
        "我没有看懂：消息太长，不像一条命令。",
    ),
}
_WHY = {
    "zero": ("must be more than zero", "必须大于零"),
    "negative": ("cannot be negative", "不能为负数"),
    "too_large": ("a line may not exceed 1,000,000", "单行不能超过 1,000,000"),
    "fraction": ("this item is counted in whole units", "该商品只能按整数计"),
    "decimals": ("at most 3 decimals", "最多 3 位小数"),
    "unit": (
        "that unit is not the item's own; say how many, e.g. 20",
        "这个单位不是该商品的计量单位，请说明数量，如 20",
    ),
    "percent": ("a discount is between 0 and 100 percent", "折扣须在 0 到 100% 之间"),
    "unreadable": (
        "it cannot be read whole as a number; write it in digits, e.g. 300",
        "无法完整识别为一个数，请用数字写，如 300",
    ),
    "days": ("the horizon must be a whole number of days above zero", "天数必须是正整数"),
}
_KINDS = {"customer": ("customer", "客户"), "supplier": ("supplier", "供应商")}
_CHOICES = (" Did you mean: {s}?", "您是不是指：{s}？")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "zh" else pair[0]


def message(code: str, lang: str, suggestions: list[str] | None = None, **kw: str) -> str:
    """The user-facing message of an error code, in `lang` (en or zh)."""
    if "slot" in kw:
        kw["slot"] = _pick(SLOT_NAMES.get(kw["slot"], (kw["slot"], kw["slot"])), lang)
    if "why" in kw:
        kw["why"] = _pick(_WHY[kw["why"]], lang)
    for key in ("actual", "wanted"):
        if key in kw:
            kw[key] = _pick(_KINDS.get(kw[key], (kw[key], kw[key])), lang)
    text = _pick(_TEXTS[code], lang).format(**kw)
    if suggestions:
        text += _pick(_CHOICES, lang).format(s=", ".join(suggestions))
    return text
