"""Report charts as PNG (matplotlib, Agg backend), with a CJK font so Chinese labels render.

matplotlib is imported inside the functions: importing this module costs nothing.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
from decimal import Decimal
from pathlib import Path

from bot.report_text import KPI_NAMES, TITLES
from domain.messages.results import ReportAnswer
from domain.numbers import pct_display

log = logging.getLogger(__name__)

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "WenQuanYi Zen Hei")
BAR = "#4C72B0"
ACCENT = "#DD8452"
GOOD = "#55A868"
BAD = "#C44E52"

_LABELS = {
    "value": ("Value", "金额"),
    "revenue": ("Revenue", "销售额"),
    "cum": ("Cumulative share", "累计占比"),
    "projected": ("Projected", "预计可用"),
    "rop": ("Reorder point", "再订货点"),
    "no_data": ("No data", "无数据"),
    "by_category": ("Stock value by category", "各品类库存金额"),
    "month_end": ("Month-end stock value", "月末库存金额"),
    "score": ("Scorecard (0–100)", "评分（0–100）"),
    "on_time": ("On-time rate", "准时率"),
    "actual": ("Actual", "实际"),
    "target": ("Target", "目标"),
    "age": ("Waiting (hours)", "等待（小时）"),
    "tied": ("Value tied up", "占用金额"),
    "owed": ("Owed, by days past due", "按逾期天数的未结金额"),
    "gross_profit": ("Gross profit", "毛利"),
    "current": ("Not yet due", "未到期"),
}


def pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def cjk_font() -> str | None:
    """The first CJK font matplotlib knows of, or None (Chinese would render as boxes)."""
    from matplotlib import font_manager

    available = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in available), None)


def cjk_rc() -> dict:
    """Matplotlib settings that render Chinese labels (a warning when no CJK font exists)."""
    font = cjk_font()
    rc = {"font.family": "sans-serif", "axes.unicode_minus": False}
    if font:
        rc["font.sans-serif"] = [font, "DejaVu Sans"]
    else:
        log.warning("no CJK font found: Chinese labels may render as boxes")
    return rc


def _num(text) -> float:
    return float(Decimal(str(text))) if text not in (None, "") else 0.0


def _t(key: str, zh: bool) -> str:
    return _LABELS[key][zh]


def _item_label(row: dict, zh: bool) -> str:
    name = row.get("name_zh") if zh else None
    return f"{row['sku']} {name}" if name else row["sku"]


def render_report_png(result: ReportAnswer, path: str | Path, lang: str = "en") -> Path:
    """Draw the chart that suits the report (bars of top sellers, a Pareto for ABC, stock value
    by category…) into `path`; an empty report gives a figure that says so."""
    plt = pyplot()
    zh = lang == "zh"
    rc = cjk_rc()
    path = Path(path)
    name = result.report
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=(10, 5.5), dpi=100)
        try:
            drawn = _DRAW.get(name, _draw_none)(ax, result, zh)
            if not drawn:
                _draw_none(ax, result, zh)
            title = TITLES.get(name, (name, name))[zh]
            period = result.period
            if period:
                title += f"  {period['start']} – {period['end']}"
            ax.set_title(title)
            fig.tight_layout()
            fig.savefig(path)
        finally:
            plt.close(fig)
    return path


def _draw_none(ax, result, zh) -> bool:
    ax.axis("off")
    ax.text(0.5, 0.5, _t("no_data", zh), ha="center", va="center", fontsize=20, color="#777777")
    return True


def _barh(ax, labels, values, color=BAR, xlabel=""):
    y = range(len(labels))
    ax.barh(list(y), values, color=color)
    ax.set_yticks(list(y), labels)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)


def _stock_status(ax, result, zh) -> bool:
    cats = result.summary.get("by_category") or {}
    if not cats:
        return False
    pairs = sorted(((k, _num(v)) for k, v in cats.items()), key=lambda p: -p[1])
    _barh(ax, [k for k, _ in pairs], [v for _, v in pairs], xlabel=_t("by_category", zh))
    return True


def _below_reorder(ax, result, zh) -> bool:
    rows = result.rows
    if not rows:
        return False
    labels = [_item_label(r, zh) for r in rows]
    y = list(range(len(rows)))
    ax.barh(
        [i - 0.2 for i in y],
        [_num(r["projected"]) for r in rows],
        0.4,
        label=_t("projected", zh),
        color=BAR,
    )
    ax.barh(
        [i + 0.2 for i in y],
        [r["reorder_point"] for r in rows],
        0.4,
        label=_t("rop", zh),
        color=ACCENT,
    )
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.legend()
    ax.grid(axis="x", alpha=0.3)
    return True


def _slow_moving(ax, result, zh) -> bool:
    rows = result.rows[:15]
    if not rows:
        return False
    _barh(
        ax,
        [_item_label(r, zh) for r in rows],
        [_num(r["value"]) for r in rows],
        BAD,
        _t("tied", zh),
    )
    return True


def _abc(ax, result, zh) -> bool:
    rows = [r for r in result.rows if _num(r["value"]) > 0]
    if not rows:
        return False
    colors = {"A": BAD, "B": ACCENT, "C": BAR}
    x = list(range(len(rows)))
    ax.bar(x, [_num(r["value"]) for r in rows], color=[colors[r["class"]] for r in rows])
    ax.set_xticks(x, [r["sku"] for r in rows], rotation=70, fontsize=7)
    ax.set_ylabel(_t("value", zh))
    ax2 = ax.twinx()
    ax2.plot(x, [r["cum_share"] * 100 for r in rows], color="#333333", marker=".")
    for limit in (80, 95):
        ax2.axhline(limit, color="#999999", linestyle="--", linewidth=0.8)
    ax2.set_ylim(0, 105)
    ax2.set_ylabel(_t("cum", zh) + " %")
    classes = result.summary.get("classes", {})
    legend = [
        f"{k}: {v['items']} × {v['count_per_year']}/{'年' if zh else 'yr'}"
        for k, v in classes.items()
    ]
    from matplotlib.patches import Patch

    ax.legend(
        [Patch(color=colors[k]) for k in classes],
        legend,
        loc="center right",
        bbox_to_anchor=(0.98, 0.4),
    )
    return True


def _turnover(ax, result, zh) -> bool:
    points = result.summary.get("month_ends") or []
    if not points:
        return False
    ax.bar([p["date"][:7] for p in points], [_num(p["value"]) for p in points], color=BAR)
    ax.set_ylabel(_t("month_end", zh))
    ax.tick_params(axis="x", rotation=45)
    s = result.summary
    turn = s.get("annualised_turnover")
    label = "年周转率" if zh else "turnover/yr"
    ax.text(
        0.01,
        0.95,
        f"{label}: {turn if turn is not None else '-'}",
        transform=ax.transAxes,
        va="top",
    )
    return True


def _top_sellers(ax, result, zh) -> bool:
    rows = result.rows
    if not rows:
        return False
    _barh(
        ax,
        [_item_label(r, zh) for r in rows],
        [_num(r["revenue"]) for r in rows],
        xlabel=_t("revenue", zh),
    )
    return True


def _sales_by_customer(ax, result, zh) -> bool:
    rows = result.rows
    if not rows:
        return False
    labels = [(r.get("name_zh") or r["customer"]) if zh else r["customer"] for r in rows]
    _barh(ax, labels, [_num(r["revenue"]) for r in rows], xlabel=_t("revenue", zh))
    return True


def _supplier_performance(ax, result, zh) -> bool:
    rows = result.rows
    if not rows:
        return False
    labels = [(r.get("name_zh") or r["supplier"]) if zh else r["supplier"] for r in rows]
    colors = [GOOD if (r["on_time_rate"] or 0) >= 0.95 else BAD for r in rows]
    _barh(ax, labels, [r["score"] for r in rows], colors, _t("score", zh))
    ax.set_xlim(0, 125)
    for i, r in enumerate(rows):
        ax.text(
            r["score"] + 1,
            i,
            f"{_t('on_time', zh)} {pct_display(r['on_time_rate'], 0)}",
            va="center",
        )
    return True


def _kpi(ax, result, zh) -> bool:
    rows = result.rows
    labels, ratios, colors, notes = [], [], [], []
    for r in rows:
        labels.append(KPI_NAMES.get(r["kpi"], (r["kpi"], r["kpi"]))[zh])
        value, target = r["value"], r["target"]
        pct = r["kpi"] != "turnover"
        fmt = pct_display if pct else (lambda v: f"{v:g}")
        if value is None:
            ratios.append(0)
            colors.append("#BBBBBB")
            notes.append(f"{_t('no_data', zh)} ({_t('target', zh)} {fmt(target)})")
            continue
        # Share of target reached; for a "lower is better" KPI, target ÷ actual.
        if r["better"] == "lower":
            ratio = 1.0 if value <= target else target / value
        else:
            ratio = value / target if target else 0
        ratios.append(min(ratio, 1.5) * 100)
        colors.append(GOOD if r["met"] else BAD)
        notes.append(f"{_t('actual', zh)} {fmt(value)} / {_t('target', zh)} {fmt(target)}")
    _barh(ax, labels, ratios, colors, ("达成目标 %" if zh else "% of target"))
    ax.axvline(100, color="#333333", linestyle="--", linewidth=1)
    ax.set_xlim(0, 160)
    for i, text in enumerate(notes):
        ax.text(max(ratios[i], 0) + 2, i, text, va="center")
    return True


def _pending(ax, result, zh) -> bool:
    rows = result.rows
    if not rows:
        return False
    count = "盘点 #" if zh else "count #"
    labels = [
        f"{r['request']} {count if r['subject_kind'] == 'stock_count' else ''}{r['subject']}"
        for r in rows
    ]
    ages = [r["age_hours"] or 0 for r in rows]
    _barh(ax, labels, ages, ACCENT, _t("age", zh))
    ax.set_xlim(0, max(1.0, max(ages) * 1.1))
    return True


def _aging(ax, result, zh) -> bool:
    """One bar per partner, stacked by days past due (credit not applied leaves `current`
    below zero: drawn from zero as it is)."""
    rows = result.rows[:15]
    if not rows:
        return False
    labels = [(r.get("name_zh") or r["partner"]) if zh else r["partner"] for r in rows]
    colors = (GOOD, "#E5C07B", ACCENT, BAD, "#8B1E2D")
    left = [0.0] * len(rows)
    y = list(range(len(rows)))
    for bucket, color in zip(("current", "1-30", "31-60", "61-90", "90+"), colors, strict=True):
        widths = [max(_num(r[bucket]), 0.0) for r in rows]
        name = _t("current", zh) if bucket == "current" else bucket + ("天" if zh else "")
        ax.barh(y, widths, left=left, color=color, label=name)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel(_t("owed", zh))
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlim(0, max(max(left), 1.0) * 1.05)
    ax.legend(ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.14), frameon=False)
    return True


def _gross_profit(ax, result, zh) -> bool:
    rows = result.rows[:15]
    if not rows:
        return False
    values = [_num(r["gross_profit"]) for r in rows]
    colors = [GOOD if v >= 0 else BAD for v in values]
    _barh(ax, [_item_label(r, zh) for r in rows], values, colors, _t("gross_profit", zh))
    for i, r in enumerate(rows):
        if r.get("margin") is not None:
            ax.text(max(values[i], 0), i, f" {pct_display(r['margin'])}", va="center")
    return True


_DRAW = {
    "receivables_aging": _aging,
    "payables_aging": _aging,
    "gross_profit": _gross_profit,
    "stock_status": _stock_status,
    "below_reorder": _below_reorder,
    "slow_moving": _slow_moving,
    "abc": _abc,
    "turnover": _turnover,
    "top_sellers": _top_sellers,
    "sales_by_customer": _sales_by_customer,
    "supplier_performance": _supplier_performance,
    "kpi": _kpi,
    "pending_approvals": _pending,
}


class ReportCharts:
    """The chat's chart port: draws a report's PNG into a private directory (mode 700, made
    with `mkdtemp`), under a name nobody can guess, never in the shared temp directory."""

    def __init__(self, directory: str | Path | None = None):
        self._directory = Path(directory) if directory else None

    @property
    def directory(self) -> Path:
        if self._directory is None:
            self._directory = Path(tempfile.mkdtemp(prefix="jxc-charts-"))
        return self._directory

    def __call__(self, result: ReportAnswer, lang: str) -> Path:
        name = f"{result.report}-{secrets.token_hex(8)}.png"
        return render_report_png(result, self.directory / name, lang)
