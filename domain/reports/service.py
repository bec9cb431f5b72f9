"""The `report` intent's service: the design's named reports, each a `ReportAnswer`
(`{"report", "period"?, "rows", "summary", "notes"}`) with amounts as strings and statistics as
numbers. Periods are measured from the clock (`domain.reports.periods`); the figures come from
`domain.reports.stock`, `domain.reports.trade`, `domain.reports.suppliers` and
`domain.reports.kpis`."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from domain.errors import UnknownReport
from domain.ledger.lookup import close_matches
from domain.messages.commands import Report
from domain.messages.results import ReportAnswer
from domain.reports.notes import note
from domain.reports.periods import LAST_12_MONTHS, Period, period_range

ReportFn = Callable[[object, Period | None], dict]

# name → (module of `domain.reports` with the function of that name, default period; None: the
# report is a snapshot and takes no period). A module is loaded when one of its reports runs:
# a command that runs none (`jxc stock`) does not pay for them.
REPORTS: dict[str, tuple[str, str | None]] = {
    "stock_status": ("stock", None),
    "below_reorder": ("stock", None),
    "slow_moving": ("stock", None),
    "abc": ("stock", None),
    "turnover": ("stock", LAST_12_MONTHS),
    "top_sellers": ("trade", "last_30_days"),
    "sales_by_customer": ("trade", "last_30_days"),
    "supplier_performance": ("suppliers", LAST_12_MONTHS),
    "kpi": ("kpis", LAST_12_MONTHS),
    "pending_approvals": ("trade", None),
    # Money (a module path of its own: the money reports live beside the money services).
    "receivables_aging": ("domain.money.reports", None),
    "payables_aging": ("domain.money.reports", None),
    "gross_profit": ("domain.money.reports", "last_30_days"),
}
NAMES = tuple(REPORTS)


def report_function(name: str) -> ReportFn:
    """The function that computes a named report."""
    module = REPORTS[name][0]
    return getattr(import_module(module if "." in module else f"domain.reports.{module}"), name)


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
    fn, default = report_function(name), REPORTS[name][1]
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


__all__ = ["NAMES", "REPORTS", "report_function", "run_report"]
