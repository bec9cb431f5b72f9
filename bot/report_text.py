"""Reports as plain text for people: a title, the period, an aligned table, the summary, notes.
The words they are told in: `bot.report_words`."""

from __future__ import annotations

import unicodedata

from bot.forecast_text import chance_of_a_sale, chance_text, is_sparse, weekly_totals
from bot.report_words import (
    COLUMNS,
    DIMENSIONS,
    KPI_NAMES,
    PERIOD_NAMES,
    TITLES,
    WORDS,
    model_label,
    period_label,
    role_label,
    summary_label,
)
from domain.messages.results import ReportAnswer
from domain.numbers import cost_display, money_display, pct_display, qty_display
from domain.reports.notes import NOTES, read_note

__all__ = [  # read from here before the words and the forecast's had modules of their own
    "KPI_NAMES",
    "TITLES",
    "chance_of_a_sale",
    "chance_text",
    "is_sparse",
    "model_label",
    "note_text",
    "period_label",
    "render_text",
    "role_label",
    "weekly_totals",
]

PCT_KEYS = {"share", "cum_share", "on_time_rate", "lead_time_accuracy", "top_share", "margin"}
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
    "balance",
    "current",
    "1-30",
    "31-60",
    "61-90",
    "90+",
    "overdue",
    "credit_limit",
    "gross_profit",
}
MONEY_GROUPS = {"by_category", "by_warehouse"}


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
    for key, group in (result.summary or {}).items():
        if key in LISTED_GROUPS and group:
            lines.append("")
            lines.append(summary_label(name, key, lang) + colon.rstrip())
            first = LISTED_GROUPS[key]
            lines.extend(
                f"  {row[first]}{colon}{_pairs(name, _figures(row, first), zh)}" for row in group
            )
    if result.notes:
        lines.append("")
        lines.append(WORDS["notes"][zh] + colon.rstrip())
        lines.extend(f"  - {note_text(n, lang)}" for n in result.notes)
    return "\n".join(lines)


LISTED_GROUPS = {"by_customer": "customer"}
"""Summary lists shown as lines under the summary: key → the field that names each line."""


def _figures(row: dict, first: str) -> dict:
    """A listed row's figures: what is not its name."""
    return {k: v for k, v in row.items() if k not in (first, "name", "name_zh")}


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
