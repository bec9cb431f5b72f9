"""The `forecast` intent: one item's daily demand forecast, from the store when its data has not
changed; and the demand over a lead time read back from a stored forecast, for reorder points.

Demand is built by `domain.planning.demand`; the forecast starts the day after the last day of
history. The model is chosen per item by backtest (`domain.planning.choice`) and stored with
the forecast (`domain.planning.forecast_store`); an item without a choice, or whose choice was
made under another candidate set or fitter version, is chosen again. An unchanged item is
answered from the store without loading any model library.

`Forecast` is a read command (any viewer may ask), so the bus hands the service a read-only unit
of work. The fit runs outside any write lock; only a miss then opens its own short write unit
to store the result. A failure to store is not the user's problem: the forecast is still
answered.
"""

from __future__ import annotations

import logging
import math
import statistics
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select

from domain.errors import ERROR_CODES, InvalidQuantity, JxcError, UnknownItem
from domain.ledger import lookup
from domain.messages.commands import Forecast as ForecastCommand
from domain.messages.results import ForecastAnswer
from domain.model import Item
from domain.planning.candidates import FitterTable, as_table
from domain.planning.choice import Choice, choice_key, choose, forecast_with
from domain.planning.demand import item_series
from domain.planning.forecast_store import (
    data_version,
    load_choice,
    load_stored,
    points_from_json,
    store_separately,
    stored_t,
)
from domain.planning.forecasting import (
    MAX_DAYS,
    Fitter,
    ForecastError,
    band_sd,
    check_days,
)
from domain.uow import UowFactory

log = logging.getLogger(__name__)

DEFAULT_DAYS = 30
FRESH_DAYS = 7

item_t = Item.__table__

# -- the service ----------------------------------------------------------------------------


def _days(value) -> int:
    days = DEFAULT_DAYS if value is None else value
    try:
        return check_days(int(days) if not isinstance(days, bool) else days)
    except (TypeError, ValueError):
        raise InvalidQuantity(
            f"days must be a whole number from 1 to {MAX_DAYS}, got {value!r}",
            zh=f"天数必须是 1 到 {MAX_DAYS} 之间的整数，而不是 {value!r}",
        ) from None


def as_jxc_error(exc: ForecastError, sku: str) -> JxcError:
    """Map a forecasting error onto the domain's error tree."""
    if exc.code == "unknown_item":
        return UnknownItem(
            f"{sku} has no sales history yet, so there is nothing to forecast from; import "
            "its sales_history or ship orders first",
            zh=f"{sku} 还没有销售记录，无法预测；请先导入销售历史或发货",
        )
    return ERROR_CODES.get(exc.code, JxcError)(str(exc))


def current_choice(choice: Choice | None, key: str) -> bool:
    """Whether a stored choice was made under the current candidate set and fitter versions."""
    return choice is not None and choice.key == key


def forecast_item(
    cmd: ForecastCommand,
    uow,
    user,
    *,
    uow_factory: UowFactory,
    fitters: FitterTable | Fitter | None = None,
) -> ForecastAnswer:
    """Forecast the item's daily demand for `cmd.days` days (default 30, 1–365):
    `{"sku", "model", "reason", "points": [{"date", "yhat", "yhat_lower", "yhat_upper"}]}`.

    Answers from the stored forecast of the same data version when there is one for as many
    days; otherwise fits the item's stored choice (choosing first when it has none, or one made
    under other candidates) for at least the default 30 days and stores it. Unknown SKU →
    `UnknownItem`; a bad horizon → `InvalidQuantity`; an item with no history → `UnknownItem`
    saying so. A fit made in a read unit is stored in a write unit of its own from
    `uow_factory`.
    """
    days = _days(cmd.days)
    item = lookup.item(uow, cmd.item or "")
    series = item_series(uow, item.id)
    if not series:
        raise as_jxc_error(ForecastError("no history", "unknown_item"), item.sku)
    table = as_table(fitters)
    choice, new_choice = load_choice(uow, item.id), None
    if not current_choice(choice, choice_key(table)):
        choice = new_choice = choose(series, table, series[-1][0].isoformat())
        log.info("forecast model chosen", extra={"sku": item.sku, "model": choice.candidate})
    version = data_version(series, choice)
    fc = load_stored(uow, item.id, item.sku, version, days)
    if fc is None:
        try:
            fc = forecast_with(item.sku, series, max(days, DEFAULT_DAYS), choice, table)
        except ForecastError as exc:
            raise as_jxc_error(exc, item.sku) from exc
        store_separately(uow, uow_factory, item.id, version, fc, new_choice)
        log.info("forecast fitted", extra={"sku": item.sku, "model": fc.model})
        fc = replace(fc, points=fc.points[:days])
    return ForecastAnswer.from_json(fc.to_dict())


# -- reorder points -------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastDemand:
    """Mean and σ of forecast daily demand over the lead time, from a stored forecast."""

    mean_daily: float
    sd_daily: float
    days: int
    model: str
    created_at: datetime
    source: str = "forecast"


def fresh_forecast(
    uow,
    item_id: int,
    max_age_days: int = FRESH_DAYS,
    *,
    lead_time_days: int | None = None,
    after: date | None = None,
) -> ForecastDemand | None:
    """Demand over the lead time from the newest stored forecast of the item made in the last
    `max_age_days` (by the clock), or None when there is none (fall back to history).

    Takes the forecast's points after `after` (default: none skipped) and the first
    `lead_time_days` of them (default: the item's lead time). The mean is that of each day's
    expected demand (`yhat`, or the `mean` of a point scaled toward the typical day); σ is
    the forecast's own daily uncertainty, read back from each day's 80 % interval
    (`(upper − lower) / (2 × 1.2816)`) and pooled as a root mean square.
    """
    since = uow.clock.now() - timedelta(days=max_age_days)
    row = uow.execute(
        select(stored_t.c.model, stored_t.c.points, stored_t.c.created_at)
        .where((stored_t.c.item_id == item_id) & (stored_t.c.created_at >= since))
        .order_by(stored_t.c.created_at.desc(), stored_t.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    if lead_time_days is None:
        lead_time_days = uow.execute(
            select(item_t.c.lead_time_days).where(item_t.c.id == item_id)
        ).scalar()
    points = [p for p in points_from_json(row.points) if after is None or p.date > after]
    points = points[: max(int(lead_time_days or 0), 1)]
    if not points:
        return None
    mean = statistics.fmean(p.expected for p in points)
    sd = math.sqrt(statistics.fmean(band_sd(p.yhat_lower, p.yhat_upper) ** 2 for p in points))
    return ForecastDemand(mean, sd, len(points), row.model, row.created_at)
