"""The `report` intent's service: the design's named reports, each a `ReportAnswer`
(`{"report", "period"?, "rows", "summary", "notes"}`) with amounts as strings and statistics as
numbers. Periods are measured from the clock (`domain.reports.periods`); the figures come from
`domain.reports.stock` and `domain.reports.trade`."""

from __future__ import annotations

from collections.abc import Callable

from domain.commands import Report
from domain.errors import UnknownReport
from domain.lookup import close_matches
from domain.reports.notes import note
from domain.reports.periods import LAST_12_MONTHS, Period, period_range
from domain.reports.stock import abc, below_reorder, slow_moving, stock_status, turnover
from domain.reports.trade import (
    kpi,
    pending_approvals,
    sales_by_customer,
    supplier_performance,
    top_sellers,
)
from domain.results import ReportAnswer

ReportFn = Callable[[object, Period | None], dict]

# name → (function, default period; None: the report is a snapshot and takes no period)
REPORTS: dict[str, tuple[ReportFn, str | None]] = {
    "stock_status": (stock_status, None),
    "below_reorder": (below_reorder, None),
    "slow_moving": (slow_moving, None),
    "abc": (abc, None),
    "turnover": (turnover, LAST_12_MONTHS),
    "top_sellers": (top_sellers, "last_30_days"),
    "sales_by_customer": (sales_by_customer, "last_30_days"),
    "supplier_performance": (supplier_performance, LAST_12_MONTHS),
    "kpi": (kpi, LAST_12_MONTHS),
    "pending_approvals": (pending_approvals, None),
}
NAMES = tuple(REPORTS)


def run_report(cmd: Report, uow, user) -> ReportAnswer:
    """Run the named report for the period asked (or the report's default period)."""
    name = (cmd.name or "").strip().lower().replace("-", "_").replace(" ", "_")
    if name not in REPORTS:
        near = close_matches(name, NAMES)
        hint = f"did you mean {', '.join(near)}? " if near else ""
        hint_zh = f"您是不是要 {'、'.join(near)}？" if near else ""
        raise UnknownReport(
            f"unknown report {cmd.name!r}; {hint}reports: {', '.join(NAMES)}",
            zh=f"未知的报表 {cmd.name!r}；{hint_zh}可用报表：{', '.join(NAMES)}",
            suggestions=near,
        )
    fn, default = REPORTS[name]
    today = uow.clock.today()
    period = None
    if default is not None:
        period = period_range(cmd.period or default, today)
    elif cmd.period:
        period_range(cmd.period, today)  # a bad name is still an error
    body = fn(uow, period)
    notes = list(body["notes"])
    if default is None and cmd.period:
        notes.append(note("snapshot", report=name, period=cmd.period))
    return ReportAnswer(
        report=name,
        period=period.to_dict() if period is not None else None,
        rows=body["rows"],
        summary=body["summary"],
        notes=notes,
    )


__all__ = ["NAMES", "REPORTS", "run_report"]
