"""Reports as plain text for people: a title, the period, an aligned table, the summary, notes."""

from __future__ import annotations

import math
import unicodedata

from domain.numbers import cost_display, money_display, pct_display, qty_display
from domain.reports.notes import NOTES, read_note
from domain.results import ReportAnswer

TITLES = {
    "stock_status": ("Stock status", "库存状况"),
    "below_reorder": ("Below reorder point", "低于再订货点"),
    "slow_moving": ("Slow-moving stock", "呆滞库存"),
    "abc": ("ABC analysis", "ABC 分类"),
    "turnover": ("Inventory turnover", "库存周转率"),
    "top_sellers": ("Top sellers", "畅销商品"),
    "sales_by_customer": ("Sales by customer", "客户销售额"),
    "supplier_performance": ("Supplier performance", "供应商绩效"),
    "kpi": ("KPIs", "关键绩效指标"),
    "pending_approvals": ("Pending approvals", "待审批"),
}

# report → columns (key, English heading, Chinese heading)
COLUMNS: dict[str, list[tuple[str, str, str]]] = {
    "stock_status": [
        ("sku", "SKU", "物品"),
        ("warehouse", "Warehouse", "仓库"),
        ("on_hand", "On hand", "在库"),
        ("reserved", "Reserved", "已预留"),
        ("available", "Available", "可用"),
        ("on_order", "On order", "在途"),
        ("avg_cost", "Avg cost", "平均成本"),
        ("value", "Value", "金额"),
    ],
    "below_reorder": [
        ("sku", "SKU", "物品"),
        ("projected", "Projected", "预计可用"),
        ("reorder_point", "ROP", "再订货点"),
        ("safety_stock", "Safety stock", "安全库存"),
        ("eoq", "EOQ", "经济订货量"),
        ("moq", "MOQ", "起订量"),
        ("suggested_qty", "Order", "建议订货"),
    ],
    "slow_moving": [
        ("sku", "SKU", "物品"),
        ("on_hand", "On hand", "在库"),
        ("value", "Value", "金额"),
        ("last_out", "Last out", "最后出库"),
        ("days_idle", "Days idle", "闲置天数"),
    ],
    "abc": [
        ("sku", "SKU", "物品"),
        ("class", "Class", "类别"),
        ("value", "Sales value", "销售额"),
        ("share", "Share", "占比"),
        ("cum_share", "Cumulative", "累计占比"),
    ],
    "turnover": [
        ("category", "Category", "品类"),
        ("cogs", "COGS", "销售成本"),
        ("avg_value", "Avg stock", "平均库存"),
        ("annualised_turnover", "Turnover/yr", "年周转率"),
        ("days_of_inventory", "Days", "周转天数"),
    ],
    "top_sellers": [
        ("rank", "#", "排名"),
        ("sku", "SKU", "物品"),
        ("qty", "Qty", "数量"),
        ("revenue", "Revenue", "销售额"),
        ("share", "Share", "占比"),
    ],
    "sales_by_customer": [
        ("customer", "Customer", "客户"),
        ("revenue", "Revenue", "销售额"),
        ("share", "Share", "占比"),
        ("items", "Items", "品种数"),
    ],
    "supplier_performance": [
        ("supplier", "Supplier", "供应商"),
        ("receipts", "Receipts", "到货次数"),
        ("on_time_rate", "On time", "准时率"),
        ("avg_lead_time_days", "Lead time", "实际交期"),
        ("lead_time_accuracy", "LT accuracy", "交期准确度"),
        ("score", "Score", "评分"),
        ("na", "n/a", "无数据"),
    ],
    "kpi": [
        ("kpi", "KPI", "指标"),
        ("value", "Value", "实际"),
        ("target", "Target", "目标"),
        ("met", "Met", "达标"),
        ("basis", "Basis", "依据"),
    ],
    "pending_approvals": [
        ("request", "Request", "审批单"),
        ("subject", "Subject", "对象"),
        ("requested_by", "By", "申请人"),
        ("age_hours", "Age (h)", "等待(小时)"),
        ("reasons", "Reasons", "原因"),
    ],
}
PCT_KEYS = {"share", "cum_share", "on_time_rate", "lead_time_accuracy", "top_share"}
# Quantities of the row's unit (whole for counted units); levels one orders or keeps stock
# against round up; money with thousands separators.
QTY_KEYS = {"on_hand", "reserved", "available", "on_order", "projected", "qty", "moq"}
QTY_UP_KEYS = {"reorder_point", "safety_stock", "eoq", "suggested_qty"}
MONEY_KEYS = {
    "value",
    "revenue",
    "cogs",
    "avg_value",
    "total_value",
    "value_tied_up",
    "total",
    "amount",
}
MONEY_GROUPS = {"by_category", "by_warehouse"}
KPI_NAMES = {
    "turnover": ("inventory turnover", "库存周转率"),
    "fill_rate": ("order fill rate", "订单满足率"),
    "supplier_on_time": ("supplier on-time", "供应商准时率"),
    "count_discrepancy": ("count discrepancy", "库存差异率"),
}
WORDS = {
    "period": ("Period", "期间"),
    "summary": ("Summary", "汇总"),
    "notes": ("Notes", "说明"),
    "none": ("(nothing to show)", "（无数据）"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
}
PERIOD_NAMES = {
    "today": ("today", "今天"),
    "this_week": ("this week", "本周"),
    "last_week": ("last week", "上周"),
    "this_month": ("this month", "本月"),
    "last_month": ("last month", "上月"),
    "this_quarter": ("this quarter", "本季度"),
    "last_quarter": ("last quarter", "上季度"),
    "this_year": ("this year", "今年"),
    "last_year": ("last year", "去年"),
    "last_7_days": ("last 7 days", "近 7 天"),
    "last_30_days": ("last 30 days", "近 30 天"),
    "last_12_months": ("last 12 months", "近 12 个月"),
}
# Summary keys as people read them; (report, key) first, then the key alone.
SUMMARY_LABELS: dict[str | tuple[str, str], tuple[str, str]] = {
    "lines": ("Lines", "行数"),
    "items": ("Items", "物品数"),
    "total_value": ("Total stock value", "库存总金额"),
    ("abc", "total_value"): ("Total sales value", "销售总额"),
    "by_category": ("By category", "按品类"),
    "by_warehouse": ("By warehouse", "按仓库"),
    "last_day_of_history": ("Last day of history", "历史最后一天"),
    "value_tied_up": ("Value tied up", "占用金额"),
    ("slow_moving", "days"): ("Idle for at least (days)", "闲置天数下限"),
    "window": ("Window", "统计区间"),
    "classes": ("Classes", "分类"),
    "cogs": ("Cost of goods sold", "销售成本"),
    "avg_value": ("Average stock value", "平均库存金额"),
    "turnover": ("Turnover in the period", "期间周转率"),
    "annualised_turnover": ("Turnover a year", "年周转率"),
    "days_of_inventory": ("Days of inventory", "周转天数"),
    "days_covered": ("Days covered", "覆盖天数"),
    "items_sold": ("Items sold", "售出品种数"),
    "revenue": ("Revenue", "销售额"),
    "top_share": ("Share of the top 10", "前十名占比"),
    "customers": ("Customers", "客户数"),
    "suppliers": ("Suppliers", "供应商数"),
    "receipts": ("Receipts", "到货次数"),
    "on_time_rate": ("On-time rate", "准时率"),
    "met": ("Targets met", "达标指标数"),
    "measured": ("KPIs with data", "有数据的指标数"),
    "pending": ("Waiting", "待审批数"),
    "oldest_hours": ("Oldest (hours)", "最久等待（小时）"),
    # inside ABC's classes
    ("abc", "items"): ("items", "物品数"),
    ("abc", "value"): ("sales value", "销售额"),
    ("abc", "share"): ("share", "占比"),
    ("abc", "count_per_year"): ("counts a year", "每年盘点次数"),
}
# The supplier scorecard's dimensions (the `na` column).
DIMENSIONS = {
    "quality": ("quality", "质量"),
    "cost": ("cost", "成本"),
    "delivery": ("delivery", "交付"),
    "service": ("service", "服务"),
    "innovation": ("innovation", "创新"),
}


def period_label(name: str, lang: str = "en") -> str:
    """A period's name as people say it (`last_30_days` → "last 30 days" / "近 30 天"); a month
    (`YYYY-MM`) stays as it is."""
    return PERIOD_NAMES.get(name, (name, name))[lang == "zh"]


def summary_label(report: str, key: str, lang: str = "en") -> str:
    """A summary key as people read it, in English or Chinese."""
    zh = lang == "zh"
    found = SUMMARY_LABELS.get((report, key)) or SUMMARY_LABELS.get(key)
    return found[zh] if found else key.replace("_", " ")


def _note_fields(kind: str, fields: dict[str, str], zh: bool) -> dict[str, str]:
    """Fields that are codes become words: KPI names, report titles, period names."""
    out = dict(fields)
    if "kpis" in out:
        sep = "、" if zh else ", "
        out["kpis"] = sep.join(KPI_NAMES.get(k, (k, k))[zh] for k in out["kpis"].split(", "))
    if kind == "snapshot":
        title = TITLES.get(out["report"], (out["report"],) * 2)[zh]
        out["report"] = title if zh else title[:1].upper() + title[1:]
        out["period"] = PERIOD_NAMES.get(out["period"], (out["period"],) * 2)[zh]
    return out


def note_text(text: str, lang: str = "en") -> str:
    """A report's note (as JSON carries it) in the reader's language; a note of no known kind
    is shown as it is."""
    found = read_note(text)
    if found is None:
        return text
    kind, fields = found
    zh = lang == "zh"
    return NOTES[kind][zh].format(**_note_fields(kind, fields, zh))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def _listed(key: str, values: list, zh: bool) -> str:
    """A list in a cell: scorecard dimensions by name, reasons kept in both languages in the
    reader's, anything else as it is."""
    shown = []
    for v in values:
        if isinstance(v, dict) and "en" in v:
            shown.append(v.get("zh") if zh and v.get("zh") else v["en"])
        elif key == "na":
            shown.append(DIMENSIONS.get(v, (v, v))[zh])
        else:
            shown.append(str(v))
    return ("、" if zh and key == "na" else "; ").join(shown)


def _cell(report: str, key: str, value, zh: bool, row: dict | None = None) -> str:
    """One value as people read it: whole counted units, money with thousands separators,
    shares as percentages (JSON keeps the exact forms)."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return WORDS["yes" if value else "no"][zh]
    if isinstance(value, list):
        return _listed(key, value, zh)
    if report == "kpi" and key == "kpi":
        return KPI_NAMES.get(value, (value, value))[zh]
    if report == "kpi" and key == "basis":
        return note_text(value, "zh" if zh else "en")
    kpi_row = report == "kpi" and key in ("value", "target")
    if kpi_row and (row or {}).get("kpi") == "turnover":
        return _figure(value)
    if key in PCT_KEYS or kpi_row:
        return pct_display(value)
    uom = (row or {}).get("uom")
    if key in QTY_UP_KEYS:
        return qty_display(value, uom, up=True)
    if key in QTY_KEYS:
        return qty_display(value, uom)
    if key in MONEY_KEYS:
        return money_display(value)
    if key == "avg_cost":
        return cost_display(value)
    if isinstance(value, float):
        return _figure(value)
    return str(value)


def _figure(value) -> str:
    """A statistic (a turnover, days of inventory) to 2 decimals at most: `7.45`, `12`."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def render_text(result: ReportAnswer, lang: str = "en") -> str:
    """A report result as text for people: title, period, table, summary and notes all in
    English or all in Chinese (`lang="zh"`); item, partner and warehouse codes as they are."""
    zh = lang == "zh"
    colon = "：" if zh else ": "
    name = result.report
    title = TITLES.get(name, (name, name))[zh]
    lines = [title]
    period = result.period
    if period:
        label = period_label(period["name"], lang)
        when = f"{period['start']} – {period['end']}"
        lines.append(
            f"{WORDS['period'][zh]}{colon}{when}" + (f"（{label}）" if zh else f" ({label})")
        )
    cols = COLUMNS.get(name) or [(k, k, k) for k in (result.rows[:1] or [{}])[0]]
    rows = result.rows
    if rows:
        head = [zh_ if zh else en for _, en, zh_ in cols]
        body = [[_cell(name, k, r.get(k), zh, r) for k, _, _ in cols] for r in rows]
        widths = [max(_width(t) for t in col) for col in zip(head, *body, strict=True)]
        right = [
            all(_numeric(b[i]) for b in body) and not _numeric(head[i]) for i in range(len(cols))
        ]
        lines.append("")
        for cells in [head, *body]:
            lines.append(
                "  ".join(
                    _pad(c, w, r) for c, w, r in zip(cells, widths, right, strict=True)
                ).rstrip()
            )
    else:  # nothing to show; when the books are younger than the window asked, say so
        young = [n for n in result.notes or () if (read_note(n) or ("",))[0] == "young_ledger"]
        lines.append(note_text(young[0], lang) if young else WORDS["none"][zh])
    summary = {k: v for k, v in (result.summary or {}).items() if not isinstance(v, list)}
    if summary:
        lines.append("")
        lines.append(WORDS["summary"][zh] + colon.rstrip())
        for k, v in summary.items():
            label = summary_label(name, k, lang)
            if isinstance(v, dict) and all(isinstance(x, dict) for x in v.values()):
                lines.append(f"  {label}{colon.rstrip()}")
                lines.extend(f"    {a}{colon}{_pairs(name, b, zh)}" for a, b in v.items())
                continue
            if isinstance(v, dict) and set(v) == {"start", "end"}:
                shown = f"{v['start']} – {v['end']}"
            elif isinstance(v, dict):
                shown = _pairs(name, v, zh, money=k in MONEY_GROUPS)
            else:
                shown = _cell(name, k, v, zh)
            lines.append(f"  {label}{colon}{shown}")
    if result.notes:
        lines.append("")
        lines.append(WORDS["notes"][zh] + colon.rstrip())
        lines.extend(f"  - {note_text(n, lang)}" for n in result.notes)
    return "\n".join(lines)


def _pairs(report: str, d: dict, zh: bool, money: bool = False) -> str:
    """A group of figures on one line: `fasteners 12.00; packaging 10.00` (codes and money), or
    labelled figures `items 11, share 80.2 %`."""
    if money:
        return ("；" if zh else "; ").join(f"{a} {money_display(b)}" for a, b in d.items())
    lang = "zh" if zh else "en"
    return ("，" if zh else ", ").join(
        f"{summary_label(report, a, lang)} {_cell(report, a, b, zh)}" for a, b in d.items()
    )


def _numeric(text: str) -> bool:
    t = text.removesuffix(" %").replace(",", "").replace(".", "", 1).replace("-", "", 1)
    return t.isdigit() or text == "-"


# -- words for identifiers the chat and the CLI text show --------------------------------------

MODEL_NAMES = {
    "croston_sba": ("sparse-demand model", "间歇需求模型"),
    "adida": ("sparse-demand model", "间歇需求模型"),
    "imapa": ("sparse-demand model", "间歇需求模型"),
    "prophet": ("seasonal trend model", "季节趋势模型"),
    "auto_ets": ("exponential smoothing model", "指数平滑模型"),
    "mstl": ("seasonal decomposition model", "季节分解模型"),
    "ensemble": ("combined model", "组合模型"),
    "seasonal_mean": ("weekly average model", "周均值模型"),
}
# The English role names are English words already; Chinese readers get theirs.
ROLE_NAMES = {
    "viewer": ("viewer", "查看者"),
    "sales": ("sales", "销售"),
    "clerk": ("clerk", "仓管员"),
    "buyer": ("buyer", "采购员"),
    "accountant": ("accountant", "会计"),
    "approver": ("approver", "审批人"),
    "admin": ("admin", "管理员"),
}


def model_label(model: str, lang: str = "en") -> str:
    """A forecast model as people say it (`croston_sba` → "sparse-demand model" / 间歇需求模型)."""
    return MODEL_NAMES.get(model, (model, model))[lang == "zh"]


def role_label(role: str, lang: str = "en") -> str:
    """A role as people say it (`accountant` → 会计 in Chinese)."""
    return ROLE_NAMES.get(role, (role, role))[lang == "zh"]


def is_sparse(points) -> bool:
    """Whether a forecast's days are mostly no sale: every day's expectation under half a unit,
    so a day-by-day list of whole units would read "0" every day."""
    return bool(points) and max(_get(p, "yhat") for p in points) < 0.5


def _get(point, key: str) -> float:
    return float(point[key] if isinstance(point, dict) else getattr(point, key))


def chance_of_a_sale(expected: float) -> float:
    """The chance of at least one sale in a span whose expected demand is `expected`, taking
    sales as independent arrivals (Poisson): 1 − e^(−expected). Any model's forecast has an
    expectation, so this reads alike whatever model made it."""
    return 1 - math.exp(-max(expected, 0.0))


def weekly_totals(points) -> list[dict]:
    """The forecast summed by week from its first day: `start`, `end`, `expected`, `low`,
    `high` and `chance` (of any sale in that week); the last week may be shorter."""
    out = []
    for i in range(0, len(points), 7):
        week = points[i : i + 7]
        expected = sum(_get(p, "yhat") for p in week)
        out.append(
            {
                "start": str(_day(week[0])),
                "end": str(_day(week[-1])),
                "days": len(week),
                "expected": expected,
                "low": sum(_get(p, "yhat_lower") for p in week),
                "high": sum(_get(p, "yhat_upper") for p in week),
                "chance": chance_of_a_sale(expected),
            }
        )
    return out


def _day(point):
    return point["date"] if isinstance(point, dict) else point.date


def chance_text(chance: float) -> str:
    """A chance as a whole percentage, never a false certainty (`99 %` at most, `1 %` at least
    when there is any)."""
    pct = round(chance * 100)
    if chance > 0:
        pct = min(max(pct, 1), 99)
    return f"{pct} %"
