"""The forecast store: an item's model choice in `forecastchoice` and its forecast in
`storedforecast` under `(item, data version)`, the version being a hash of the item's own daily
series (so of the last day of history too) and its choice — not the horizon: a stored forecast
answers any `--days` up to the horizon it was made for.

A forecast fitted in a read unit is stored in a short write unit of its own (an insert that
does nothing when a concurrent fit stored the same version first); a failure to store only
costs a refit next time.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import replace
from datetime import date

from sqlalchemy import delete, select

from domain.errors import Busy, DatabaseUnavailable
from domain.model import ForecastChoice, StoredForecast
from domain.planning.choice import Choice
from domain.planning.forecasting import Forecast, ForecastPoint, Series
from domain.uow import UowFactory

log = logging.getLogger(__name__)

stored_t = StoredForecast.__table__
choice_t = ForecastChoice.__table__


def data_version(series: Series, choice: Choice) -> str:
    """A hash of the item's own daily series (its days with sales and its last day) and of the
    choice that forecasts it (candidate, candidate set and fitter versions, band)."""
    h = hashlib.sha256()
    band = choice.band
    h.update(f"{choice.key}|{choice.candidate}|{band.scale}|{band.lo}|{band.hi}|".encode())
    h.update(f"{choice.point_scale}|".encode())
    h.update(f"{band.relative}|{series[0][0]}|{series[-1][0]}|".encode() if series else b"|")
    for day, qty in series:
        if qty:
            h.update(f"{day.toordinal()}={qty!r};".encode())
    return h.hexdigest()[:24]


def _points_json(fc: Forecast) -> str:
    """`[date, yhat, lower, upper]` per day, and the day's `mean` fifth when it has one."""
    return json.dumps(
        [
            [p.date.isoformat(), p.yhat, p.yhat_lower, p.yhat_upper]
            + ([] if p.mean is None else [p.mean])
            for p in fc.points
        ]
    )


def points_from_json(text: str) -> list[ForecastPoint]:
    """The points of a stored forecast's `points` column."""
    return [
        ForecastPoint(
            date.fromisoformat(row[0]), float(row[1]), float(row[2]), float(row[3]),
            float(row[4]) if len(row) > 4 else None,
        )
        for row in json.loads(text or "[]")
    ]  # fmt: skip


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
    return Forecast(sku, row.model, row.reason, points_from_json(row.points)[:days])


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


def store_separately(
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
