"""Typed results of the batch and admin services: the catalogue forecast and backtest
(`forecast.all`, `forecast.backtest`), sending a digest now and replacing the digest schedules
(`digest.send`, `digest.schedules`).

Like every result (`domain.messages.results`), each field is a key of the JSON shape, in the order the
CLI prints it; `to_json()` gives the shape `jxc forecast --all --json`, `jxc forecast --backtest
--json` and `jxc run` print.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.messages.results import REPLAYED, Result


@dataclass(frozen=True, kw_only=True)
class CatalogueForecast(Result):
    """`forecast.all`: how many items were forecast for how many days after the last day of
    history (none without history), how many were refitted, served from the stored forecast
    (of the fitted, how many had their model chosen anew) and stored, why each failed one
    failed, and how many each model forecast."""

    items: int
    days: int
    last_day_of_history: str | None
    fitted: int
    cached: int
    chosen: int  # of the fitted, those whose model was chosen anew by backtest
    stored: int
    failed: dict[str, str]  # SKU → reason
    models: dict[str, int]  # model → items


@dataclass(frozen=True, kw_only=True)
class BacktestRow(Result):
    """One item's backtest: the model chosen, its MASE and the seasonal naive's (none when the
    history is too short to score)."""

    sku: str
    model: str
    mase: float | None
    mase_naive: float | None


@dataclass(frozen=True, kw_only=True)
class FamilyRow(Result):
    """One model of the backtest: how many items chose it, and their mean MASE on the latest
    origin (none when none of them could be scored)."""

    model: str
    items: int
    mean_mase: float | None


@dataclass(frozen=True, kw_only=True)
class CatalogueBacktest(Result):
    """`forecast.backtest`: each item's chosen model and scores, the means over the items
    scored, and per model how many items chose it (`families`)."""

    items: tuple[BacktestRow, ...]
    mean_mase: float | None
    mean_mase_naive: float | None
    families: tuple[FamilyRow, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DigestSent(Result):
    """`digest.send`: the digest of which kind went to how many recipients."""

    kind: str
    sent: int


@dataclass(frozen=True, kw_only=True)
class DigestSchedule(Result):
    """A digest schedule: its kind, when (`HH:MM` daily, `ddd HH:MM` weekly) and to whom (roles
    and/or user names)."""

    kind: str
    at: str
    to: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class DigestSchedules(Result):
    """`digest.schedules`: the schedules stored."""

    schedules: tuple[DigestSchedule, ...]


# The one write among them: a replay of its key rebuilds the typed result.
REPLAYED["digest.schedules"] = DigestSchedules
