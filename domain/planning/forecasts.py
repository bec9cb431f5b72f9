"""The `forecast` intent: one item's daily demand forecast, from the store when its data has not
changed.

Demand is the sales history plus shipped sales order lines, per local day (the clock's zone), a
day without sales being zero; the forecast starts the day after the last day of history (the
latest date of history and shipments of all items together — never the wall clock).

The model is chosen per item by backtest (`domain.planning.choice`) and the choice is stored in
`forecastchoice`; an item without a choice, or whose choice was made under another candidate set
or fitter version, is chosen again. A forecast is stored in `storedforecast` under `(item, data
version)`, the version being a hash of the item's own daily series (so of the last day of
history too) and its choice — not the horizon: a stored forecast answers any `--days` up to the
horizon it was made for. An unchanged item is answered from the store without loading any model
library.

`Forecast` is a read command (any viewer may ask), so the bus hands the service a read-only unit
of work. The fit runs outside any write lock; only a miss then opens its own short write unit
to store the result (an insert that does nothing when a concurrent fit stored the same version
first). A failure to store is not the user's problem: the forecast is still answered.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import statistics
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select

from domain.errors import (
    ERROR_CODES,
    Busy,
    DatabaseUnavailable,
    InvalidQuantity,
    JxcError,
    UnknownItem,
)
from domain.ledger import lookup
from domain.ledger.history import last_history_day, returned_parts, shipped_parts
from domain.messages.commands import Forecast as ForecastCommand
from domain.messages.results import ForecastAnswer
from domain.model import ForecastChoice, Item, SalesHistory, StoredForecast
from domain.planning.candidates import FitterTable, as_table
from domain.planning.choice import Choice, choice_key, choose, forecast_with
from domain.planning.forecasting import (
    INTERVAL_WIDTH,
    MAX_DAYS,
    Fitter,
    Forecast,
    ForecastError,
    ForecastPoint,
    Series,
    check_days,
    daily_series,
)
from domain.uow import UowFactory

log = logging.getLogger(__name__)

DEFAULT_DAYS = 30
FRESH_DAYS = 7

item_t = Item.__table__
history_t = SalesHistory.__table__
stored_t = StoredForecast.__table__
choice_t = ForecastChoice.__table__

# Half-width of the 80 % interval in standard deviations (1.2816): turns a band back into σ.
_Z = statistics.NormalDist().inv_cdf(0.5 + INTERVAL_WIDTH / 2)


# -- demand ---------------------------------------------------------------------------------


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def demand_rows_by_item(uow, item_id: int | None = None) -> dict[int, list[tuple[date, float]]]:
    """`(local day, qty)` rows per item (one item when `item_id` is given): sales history plus
    what sales orders shipped, each shipment on its local day in the clock's zone."""
    out: dict[int, list[tuple[date, float]]] = {}
    q = select(history_t.c.item_id, history_t.c.day, history_t.c.qty)
    if item_id is not None:
        q = q.where(history_t.c.item_id == item_id)
    for iid, day, qty in uow.execute(q):
        out.setdefault(iid, []).append((_day(day), float(qty)))
    for part in shipped_parts(uow, item_ids=None if item_id is None else [item_id]):
        out.setdefault(part.item_id, []).append((uow.clock.local(part.at).date(), float(part.qty)))
    back = returned_parts(uow, item_ids=None if item_id is None else [item_id])
    if not back:
        return out
    # Net of returns on the day they came back, a day never below 0.
    for part in back:
        out.setdefault(part.item_id, []).append((uow.clock.local(part.at).date(), -float(part.qty)))
    netted = {}
    for iid, rows in out.items():
        days: dict[date, float] = {}
        for day, qty in rows:
            days[day] = days.get(day, 0.0) + qty
        netted[iid] = [(day, max(qty, 0.0)) for day, qty in days.items()]
    return netted


def demand_rows(uow, item_id: int) -> list[tuple[date, float]]:
    """`(local day, qty)` rows of one item: sales history plus shipped sales order lines."""
    return demand_rows_by_item(uow, item_id).get(item_id, [])


def item_series(uow, item_id: int, last_day: date | None = None) -> Series:
    """The item's daily demand series up to the last day of history (empty: no history)."""
    last_day = last_day or last_history_day(uow)
    if last_day is None:
        return []
    return daily_series(demand_rows(uow, item_id), last_day)


# -- data versions and the store ------------------------------------------------------------


def data_version(series: Series, choice: Choice) -> str:
    """A hash of the item's own daily series (its days with sales and its last day) and of the
    choice that forecasts it (candidate, candidate set and fitter versions, band)."""
    h = hashlib.sha256()
    band = choice.band
    h.update(f"{choice.key}|{choice.candidate}|{band.scale}|{band.lo}|{band.hi}|".encode())
    h.update(f"{band.relative}|{series[0][0]}|{series[-1][0]}|".encode() if series else b"|")
    for day, qty in series:
        if qty:
            h.update(f"{day.toordinal()}={qty!r};".encode())
    return h.hexdigest()[:24]


def _points_json(fc: Forecast) -> str:
    return json.dumps([[p.date.isoformat(), p.yhat, p.yhat_lower, p.yhat_upper] for p in fc.points])


def _points(text: str) -> list[ForecastPoint]:
    return [
        ForecastPoint(date.fromisoformat(d), float(y), float(lo), float(hi))
        for d, y, lo, hi in json.loads(text or "[]")
    ]


def load_stored(uow, item_id: int, sku: str, version: str, days: int) -> Forecast | None:
    """The stored forecast of an item for a data version, cut to `days` (None when there is
    none made for that many days)."""
    row = uow.execute(
        select(stored_t.c.model, stored_t.c.reason, stored_t.c.points)
        .where(
            (stored_t.c.item_id == item_id)
            & (stored_t.c.data_version == version)
            & (stored_t.c.days >= days)
        )
        .limit(1)
    ).first()
    if row is None:
        return None
    return Forecast(sku, row.model, row.reason, _points(row.points)[:days])


def store(uow, item_id: int, version: str, fc: Forecast) -> None:
    """Store a forecast in a write unit (the caller commits). The item's other forecasts are
    dropped (older data, or the same data for fewer days): only the newest is worth keeping."""
    uow.execute(
        delete(stored_t).where(
            (stored_t.c.item_id == item_id)
            & ((stored_t.c.data_version != version) | (stored_t.c.days < len(fc.points)))
        )
    )
    uow.execute(
        uow.insert_ignore(stored_t),
        {
            "item_id": item_id,
            "data_version": version,
            "model": fc.model,
            "reason": fc.reason[:500],
            "days": len(fc.points),
            "points": _points_json(fc),
            "created_at": uow.now,
        },
    )


def load_choice(uow, item_id: int) -> Choice | None:
    """The item's stored model choice, or None."""
    text = uow.execute(select(choice_t.c.choice).where(choice_t.c.item_id == item_id)).scalar()
    return Choice.from_json(json.loads(text)) if text else None


def load_choices(uow, item_ids) -> dict[int, Choice]:
    """The stored model choices of these items, by item id."""
    ids = list(item_ids)
    rows = uow.execute(
        select(choice_t.c.item_id, choice_t.c.choice).where(choice_t.c.item_id.in_(ids))
    )
    return {iid: Choice.from_json(json.loads(text)) for iid, text in rows}


def store_choice(uow, item_id: int, choice: Choice) -> None:
    """Store (replace) the item's model choice in a write unit (the caller commits)."""
    uow.execute(delete(choice_t).where(choice_t.c.item_id == item_id))
    uow.execute(
        uow.insert_ignore(choice_t),
        {
            "item_id": item_id,
            "model": choice.model,
            "candidate": choice.candidate[:64],
            "score": choice.score,
            "mase": choice.mase,
            "key": choice.key[:32],
            "last_day": date.fromisoformat(choice.last_day),
            "choice": json.dumps(choice.to_json()),
            "created_at": uow.now,
        },
    )


def _store_separately(
    uow,
    uow_factory: UowFactory,
    item_id: int,
    version: str,
    fc: Forecast,
    choice: Choice | None,
) -> None:
    def write(w) -> None:
        if choice is not None:
            store_choice(w, item_id, choice)
        store(w, item_id, version, fc)

    if uow.write:
        write(uow)
        return
    try:
        with uow_factory(write=True) as w:
            write(w)
            w.commit()
    except (Busy, DatabaseUnavailable):
        # The answer is already made; a lost entry only costs a refit (or a choice) next time.
        log.warning("could not store forecast", extra={"item_id": item_id}, exc_info=True)


class ForecastStore:
    """The batch's view of the store (`adapters.forecasting.batch.forecast_all(store=...)`):
    reads choices and forecasts through an open unit of work, collects new ones in memory;
    `save(write_uow)` stores them afterwards, so no write lock is held while fitting."""

    def __init__(self, uow, item_ids: dict[str, int]):
        self.uow = uow
        self.item_ids = item_ids
        by_id = load_choices(uow, item_ids.values()) if item_ids else {}
        self.choices = {sku: by_id[iid] for sku, iid in item_ids.items() if iid in by_id}
        self.new_choices: dict[str, Choice] = {}
        self.new: dict[str, tuple[str, Forecast]] = {}

    def choice(self, sku: str) -> Choice | None:
        """The item's choice (a new one first)."""
        return self.new_choices.get(sku) or self.choices.get(sku)

    def forecast(self, sku: str, version: str, days: int) -> Forecast | None:
        """The stored forecast of that version for at least `days` days."""
        found = self.new.get(sku)
        if found is not None and found[0] == version and len(found[1].points) >= days:
            return replace(found[1], points=found[1].points[:days])
        return load_stored(self.uow, self.item_ids[sku], sku, version, days)

    def keep(self, sku: str, version: str, fc: Forecast, choice: Choice | None) -> None:
        """Remember a new forecast (and a new choice) to save."""
        self.new[sku] = (version, fc)
        if choice is not None:
            self.new_choices[sku] = choice

    def save(self, write_uow) -> int:
        """Store the forecasts and choices made since loading; returns how many forecasts."""
        for sku, choice in self.new_choices.items():
            store_choice(write_uow, self.item_ids[sku], choice)
        for sku, (version, fc) in self.new.items():
            store(write_uow, self.item_ids[sku], version, fc)
        return len(self.new)


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
        _store_separately(uow, uow_factory, item.id, version, fc, new_choice)
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
    `lead_time_days` of them (default: the item's lead time). The mean is that of `yhat`; σ is
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
    points = [p for p in _points(row.points) if after is None or p.date > after]
    points = points[: max(int(lead_time_days or 0), 1)]
    if not points:
        return None
    mean = statistics.fmean(p.yhat for p in points)
    sd = math.sqrt(
        statistics.fmean(((p.yhat_upper - p.yhat_lower) / (2 * _Z)) ** 2 for p in points)
    )
    return ForecastDemand(mean, sd, len(points), row.model, row.created_at)
