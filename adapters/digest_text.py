"""What a digest says: the design's reports — stock value, items below reorder point, top
sellers, pending approvals, KPIs (and overdue receivables in the copies for accountants and
admins) — gathered into one short text, in English or Chinese, and one chart. A digest with
nothing to report says so, and has no chart.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path

from bot.render.words import subject_words
from bot.report_text import KPI_NAMES, period_label
from domain.errors import JxcError
from domain.messages.commands import Report
from domain.messages.results import ReportAnswer
from domain.numbers import money_display, pct_display, qty_display
from domain.reports.service import run_report

logger = logging.getLogger(__name__)

# Top sellers: a week for the daily digest, the previous calendar week for Monday's weekly one.
TOP_PERIOD = {"daily": "last_7_days", "weekly": "last_week"}
TOP_SHOWN = 5
REORDER_SHOWN = 10


def _t(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def _kpi_line(row: dict, lang: str = "en") -> str:
    pct = row["kpi"] != "turnover"

    def show(x):
        return "–" if x is None else (pct_display(x) if pct else f"{x:.1f}")

    mark = {True: "✓", False: "✗", None: _t(lang, "n/a", "无数据")}[row["met"]]
    name = KPI_NAMES.get(row["kpi"], (row["kpi"], row["kpi"]))[lang == "zh"]
    value, target = show(row["value"]), show(row["target"])
    return _t(
        lang,
        f"  {name}: {value} (target {target}) {mark}",
        f"  {name}：{value}（目标 {target}）{mark}",
    )


def _run(uow, name: str, period: str | None = None) -> ReportAnswer | None:
    try:
        return run_report(Report(name=name, period=period), uow, None)
    except JxcError as exc:
        logger.warning("digest: report %s unavailable: %s", name, exc.message)
        return None


def gather(app, kind: str = "daily") -> dict:
    """The reports a digest is made of, read in one unit of work."""
    with app.uow(write=False) as uow:
        return gather_in(uow, kind)


def gather_in(uow, kind: str = "daily") -> dict:
    """The reports a digest is made of, read in the given unit of work."""
    return {
        "today": uow.clock.today(),
        "stock": _run(uow, "stock_status"),
        "reorder": _run(uow, "below_reorder"),
        "top": _run(uow, "top_sellers", TOP_PERIOD[kind]),
        "approvals": _run(uow, "pending_approvals"),
        "kpi": _run(uow, "kpi"),
        # Shown only in the copies that go to accountants and admins (`render_text(money=…)`).
        "receivables": _run(uow, "receivables_aging"),
    }


def _rows(part: ReportAnswer | None) -> list:
    return list(part.rows) if part is not None else []


MONEY_ROLES = ("accountant", "admin")
"""Who reads the overdue receivables in their copy of the digest."""
OVERDUE_SHOWN = 5


def render_text(
    data: dict, kind: str, currency: str, lang: str = "en", money: bool = False
) -> tuple[str, bool]:
    """The digest's text and whether it had anything to report; with `money` (the copies of
    accountants and admins), the overdue receivables too."""
    text, has_news = _render_text(data, kind, currency, lang)
    overdue = _overdue_lines(data, currency, lang) if money else []
    if not overdue:
        return text, has_news
    if not has_news:
        text = text.split("\n", 1)[0]
    return text + "\n" + "\n".join(overdue), True


def _overdue_lines(data: dict, currency: str, lang: str) -> list[str]:
    """Customers with overdue invoices, most overdue first: the amount and its buckets."""
    rows = [r for r in _rows(data.get("receivables")) if float(r["overdue"]) > 0]
    if not rows:
        return []
    total = sum(Decimal(r["overdue"]) for r in rows)
    lines = [
        _t(
            lang,
            f"Overdue receivables: {money_display(total)} {currency} ({len(rows)} customers)",
            f"逾期应收：{money_display(total)} {currency}（{len(rows)} 个客户）",
        )
    ]
    for r in rows[:OVERDUE_SHOWN]:
        name = (r.get("name_zh") if lang == "zh" else None) or r["partner"]
        late = [(b, r[b]) for b in ("1-30", "31-60", "61-90", "90+") if float(r[b]) > 0]
        parts = ", ".join(f"{b}{_t(lang, ' days', '天')} {money_display(v)}" for b, v in late)
        lines.append(
            f"  {name}: {money_display(r['overdue'])}" + _t(lang, f" ({parts})", f"（{parts}）")
        )
    if len(rows) > OVERDUE_SHOWN:
        lines.append(f"  … +{len(rows) - OVERDUE_SHOWN}")
    return lines


def _render_text(data: dict, kind: str, currency: str, lang: str = "en") -> tuple[str, bool]:
    title = _t(
        lang, f"JXC {kind} digest — {data['today']}", f"JXC {_zh_kind(kind)}摘要 — {data['today']}"
    )
    top_period = period_label(TOP_PERIOD[kind], lang)
    stock = data["stock"]
    total = stock.summary.get("total_value", "0") if stock is not None else "0"
    reorder, top = _rows(data["reorder"]), _rows(data["top"])
    approvals = _rows(data["approvals"])
    if float(total) == 0 and not (reorder or top or approvals):
        return title + "\n" + _t(
            lang,
            "Nothing to report: no stock on hand, nothing below its reorder point, no sales "
            f"in the period ({top_period}) and no approvals waiting.",
            f"今日无事可报：没有库存、没有低于再订货点的物品、期间（{top_period}）"
            "没有销售、没有待审批的请求。",
        ), False
    lines = [title, ""]
    lines.append(_t(lang, "Stock value: ", "库存价值：") + f"{money_display(total)} {currency}")
    lines.append(_t(lang, f"Below reorder point: {len(reorder)}", f"低于再订货点：{len(reorder)}"))
    for r in reorder[:REORDER_SHOWN]:
        uom = r.get("uom")
        rop = qty_display(r["reorder_point"], uom, up=True)
        order = qty_display(r["suggested_qty"], uom, up=True)
        projected = qty_display(r["projected"], uom)
        lines.append(
            f"  {r['sku']}: "
            + _t(
                lang,
                f"{projected} ≤ ROP {rop}, suggest {order}",
                f"预计可用 {projected} ≤ 再订货点 {rop}，建议订 {order}",
            )
        )
    if len(reorder) > REORDER_SHOWN:
        lines.append(f"  … +{len(reorder) - REORDER_SHOWN}")
    lines.append(_t(lang, f"Top sellers ({top_period}):", f"畅销（{top_period}）："))
    if not top:
        lines.append(_t(lang, "  no sales in the period", "  期间无销售"))
    for r in top[:TOP_SHOWN]:
        revenue, share = money_display(r["revenue"]), pct_display(r["share"])
        lines.append(
            f"  {r['rank']}. {r['sku']} {revenue}" + _t(lang, f" ({share})", f"（{share}）")
        )
    lines.append(_t(lang, f"Pending approvals: {len(approvals)}", f"待审批：{len(approvals)}"))
    for r in approvals[:REORDER_SHOWN]:
        who, age = r["requested_by"], f"{r['age_hours']:g}"
        lines.append(
            f"  {r['request']} {subject_words(r.get('subject_kind'), str(r['subject']), lang)} "
            + _t(lang, f"({who}, {age} h)", f"（{who}，{age} 小时）")
        )
    if data["kpi"] is not None:
        period = period_label((data["kpi"].period or {}).get("name", ""), lang)
        lines.append(_t(lang, f"KPIs ({period}):", f"关键指标（{period}）："))
        lines.extend(_kpi_line(r, lang) for r in data["kpi"].rows)
    return "\n".join(lines), True


def _zh_kind(kind: str) -> str:
    return {"daily": "每日", "weekly": "每周"}.get(kind, kind)


def render_png(data: dict, kind: str, path: Path) -> Path:
    """Top sellers by revenue beside stock value by category (matplotlib, Agg, CJK font)."""
    from adapters.charts import cjk_rc, pyplot

    plt = pyplot()
    rc = cjk_rc()
    top = _rows(data["top"])[: TOP_SHOWN * 2]
    by_cat = data["stock"].summary.get("by_category", {}) if data["stock"] is not None else {}
    with plt.rc_context(rc):
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), dpi=100)
        try:
            labels = [f"{r['sku']} {r.get('name_zh', '')}".strip() for r in top][::-1]
            left.barh(labels, [float(r["revenue"]) for r in top][::-1], color="#1f77b4")
            when, when_zh = period_label(TOP_PERIOD[kind]), period_label(TOP_PERIOD[kind], "zh")
            left.set_title(f"top sellers 畅销 ({when} {when_zh})")
            left.set_xlabel("revenue 销售额")
            cats = sorted(by_cat, key=lambda c: float(by_cat[c]))
            right.barh(cats, [float(by_cat[c]) for c in cats], color="#2ca02c")
            right.set_title("stock value by category 库存价值（按类别）")
            for ax in (left, right):
                ax.grid(axis="x", alpha=0.3)
                if not ax.has_data():
                    ax.text(0.5, 0.5, "no data 无数据", ha="center", transform=ax.transAxes)
            fig.suptitle(f"JXC {kind} digest {_zh_kind(kind)}摘要 — {data['today']}")
            fig.tight_layout()
            fig.savefig(path, format="png")
        finally:
            plt.close(fig)
    return path
