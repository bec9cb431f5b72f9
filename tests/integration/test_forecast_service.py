"""The `forecast` intent through the message bus, with a fake Prophet that counts its fits: the
choice by backtest is stored, an unchanged item answers from the store, a changed one refits
with its stored choice."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import pytest
from sqlalchemy import func, select

from adapters.forecasting.batch import backtest_catalogue, forecast_catalogue
from domain.errors import InvalidQuantity, UnknownItem
from domain.ledger import imports, lookup
from domain.messages.batch_results import BacktestRow, CatalogueBacktest, CatalogueForecast
from domain.messages.bus import MessageBus
from domain.messages.commands import CreateSalesOrder, Forecast, Line, ReceiveStock, ShipSalesOrder
from domain.messages.commands_admin import BacktestForecasts, ForecastCatalogue
from domain.model import ForecastChoice, StoredForecast
from domain.planning.forecast_store import load_choice
from domain.planning.forecasting import ForecastPoint
from domain.planning.forecasts import forecast_item, fresh_forecast
from domain.reports.stock import reorder_inputs

pytestmark = pytest.mark.db
D = Decimal
TODAY = date(2026, 6, 15)


class CountingFitter:
    """Stands in for Prophet: a flat forecast at the mean of the last four weeks, ± `half`."""

    def __init__(self, half: float = 2, version: str = "1"):
        self.calls = 0
        self.series = []
        self.half = half
        self.version = version

    def settings_key(self) -> str:
        return f"counting-fitter-{self.version}"

    def __call__(self, series, days):
        self.calls += 1
        self.series.append(series)
        mean = sum(q for _, q in series[-28:]) / len(series[-28:])
        half = self.half
        start = series[-1][0] + timedelta(days=1)
        return [
            ForecastPoint(start + timedelta(days=i), mean, mean - half, mean + half)
            for i in range(days)
        ]


@pytest.fixture
def fitter():
    return CountingFitter()


@pytest.fixture
def bus(app, fitter):
    return MessageBus(
        app.uow,
        {
            **app.bus.handlers,
            "forecast": partial(forecast_item, fitters=fitter, uow_factory=app.uow),
        },
    )


def import_history(
    app, sku: str, days: list[date], qty=lambda d: 10 + d.weekday() + d.toordinal() % 3
) -> None:
    rows = [
        (n, {"date": d.isoformat(), "sku": sku, "qty": str(qty(d)), "customer": "ACME",
             "unit_price": "0.50"})
        for n, d in enumerate(days, start=2)
    ]  # fmt: skip
    with app.uow() as uow:
        imports.import_rows(uow, "sales_history", rows, today=TODAY)
        uow.commit()


def daily(last: date, n: int) -> list[date]:
    return [last - timedelta(days=i) for i in range(n)][::-1]


def stored_count(app) -> int:
    with app.uow(write=False) as uow:
        return uow.execute(select(func.count()).select_from(StoredForecast.__table__)).scalar()


def test_forecast_gives_n_days_from_the_day_after_the_last_day_of_history(app, users, bus):
    import_history(app, "M6-20", daily(date(2026, 6, 10), 120))
    result = bus.execute(Forecast(item="m6-20", days=14), users["tom"])
    assert set(result.to_json()) == {"sku", "model", "reason", "points"}
    assert result.sku == "M6-20" and result.model == "prophet" and result.reason
    dates = [p.date for p in result.points]
    assert dates == [(date(2026, 6, 11) + timedelta(days=i)).isoformat() for i in range(14)]
    for p in result.points:
        assert set(p.to_json()) == {"date", "yhat", "yhat_lower", "yhat_upper"}
        assert all(isinstance(getattr(p, k), float) for k in ("yhat", "yhat_lower", "yhat_upper"))
        assert 0 <= p.yhat_lower <= p.yhat <= p.yhat_upper


def test_a_shipment_after_the_history_moves_the_last_day_and_counts_as_demand(
    app, users, bus, fitter
):
    import_history(app, "M6-20", daily(date(2026, 6, 10), 120))
    bus.execute(ReceiveStock(item="M6-20", qty=D(1000), unit_cost=D("0.12")), users["li"])
    bus.execute(CreateSalesOrder(customer="ACME", lines=(Line("M6-20", D(25)),)), users["wang"])
    bus.execute(ShipSalesOrder(order="SO-0001"), users["li"])
    result = bus.execute(Forecast(item="M6-20", days=3), users["tom"])
    assert result.points[0].date == "2026-06-16"  # shipped on the clock's day, 06-15
    series = fitter.series[-1]
    assert series[-1] == (date(2026, 6, 15), 25.0)
    assert [q for _, q in series[-5:-1]] == [0.0] * 4  # 06-11 … 06-14: no sales, zeros


def test_an_unchanged_item_is_not_refit_and_new_data_is_refit_with_the_stored_choice(
    app, users, bus, fitter
):
    import_history(app, "M6-20", daily(date(2026, 6, 10), 150))
    first = bus.execute(Forecast(item="M6-20", days=30), users["tom"])
    chosen = fitter.calls  # the backtest's fits and the forecast's
    assert chosen > 1 and "chosen by backtest" in first.reason
    again = bus.execute(Forecast(item="M6-20", days=30), users["mary"])
    assert again == first
    assert fitter.calls == chosen and stored_count(app) == 1
    shorter = bus.execute(Forecast(item="M6-20", days=7), users["mary"])
    assert shorter.points == first.points[:7] and fitter.calls == chosen
    import_history(app, "M6-20", [date(2026, 6, 11)])
    newer = bus.execute(Forecast(item="M6-20", days=30), users["tom"])
    assert fitter.calls == chosen + 1  # one refit, no new choice
    assert newer.points[0].date == "2026-06-12"
    assert stored_count(app) == 1  # the older version is dropped


def test_only_the_item_whose_history_changed_is_refit(app, users, bus, fitter):
    import_history(app, "M6-20", daily(date(2026, 6, 10), 150))
    import_history(app, "M8-30", daily(date(2026, 6, 10), 150))
    bus.execute(Forecast(item="M6-20", days=14), users["tom"])
    bus.execute(Forecast(item="M8-30", days=14), users["tom"])
    before = fitter.calls
    import_history(app, "M8-30", [date(2026, 6, 3)], qty=lambda d: 500)  # an older day
    bus.execute(Forecast(item="M6-20", days=14), users["tom"])
    assert fitter.calls == before
    bus.execute(Forecast(item="M8-30", days=14), users["tom"])
    assert fitter.calls == before + 1


def test_a_stored_choice_is_kept_until_the_candidates_change(app, users, bus, fitter):
    import_history(app, "M6-20", daily(date(2026, 6, 10), 150))
    bus.execute(Forecast(item="M6-20", days=14), users["tom"])
    with app.uow(write=False) as uow:
        item = lookup.item(uow, "M6-20")
        choice = load_choice(uow, item.id)
        row = uow.execute(select(ForecastChoice.__table__)).one()
    assert choice.model == "prophet" and choice.origins == 3
    assert (row.model, row.score, row.mase) == ("prophet", choice.score, choice.mase)
    newer = CountingFitter(version="2")
    other = MessageBus(
        app.uow,
        {
            **app.bus.handlers,
            "forecast": partial(forecast_item, fitters=newer, uow_factory=app.uow),
        },
    )
    other.execute(Forecast(item="M6-20", days=14), users["tom"])
    assert newer.calls > 1  # chosen again under the new fitter version
    with app.uow(write=False) as uow:
        assert load_choice(uow, item.id).key != choice.key


def test_unknown_sku_is_an_error_naming_close_matches(app, users, bus):
    with pytest.raises(UnknownItem) as err:
        bus.execute(Forecast(item="M6-2O", days=7), users["tom"])
    assert "M6-20" in err.value.suggestions


@pytest.mark.parametrize("days", [0, -3, 366])
def test_days_outside_1_to_365_are_refused(app, users, bus, days):
    import_history(app, "M6-20", daily(date(2026, 6, 10), 30))
    with pytest.raises(InvalidQuantity):
        bus.execute(Forecast(item="M6-20", days=days), users["tom"])


def test_an_item_with_no_history_is_an_error_that_says_so(app, users, bus):
    with pytest.raises(UnknownItem, match="no sales history"):
        bus.execute(Forecast(item="M6-20", days=7), users["tom"])
    import_history(app, "M8-30", daily(date(2026, 6, 10), 30))
    with pytest.raises(UnknownItem, match="no sales history"):
        bus.execute(Forecast(item="M6-20", days=7), users["tom"])


def test_a_history_with_gaps_is_filled_with_zero_days(app, users, bus, fitter):
    days = daily(date(2026, 6, 10), 100)
    kept = days[:40] + days[55:]  # 15 days without any sale
    import_history(app, "M6-20", kept)
    result = bus.execute(Forecast(item="M6-20", days=7), users["tom"])
    assert result.model == "prophet"
    series = fitter.series[-1]
    assert [d for d, _ in series] == days
    assert [q for _, q in series[40:55]] == [0.0] * 15


def test_short_history_falls_back_to_a_named_model_without_prophet(app, users, bus, fitter):
    import_history(app, "M6-20", daily(date(2026, 6, 10), 20))
    result = bus.execute(Forecast(item="M6-20", days=7), users["tom"])
    assert result.model == "seasonal_mean" and "20 days" in result.reason
    assert fitter.calls == 0


def test_reorder_points_read_a_fresh_stored_forecast(app, users):
    fitter = CountingFitter(half=3.5)
    bus = MessageBus(
        app.uow,
        {
            **app.bus.handlers,
            "forecast": partial(forecast_item, fitters=fitter, uow_factory=app.uow),
        },
    )
    import_history(app, "M6-20", daily(date(2026, 6, 10), 150))
    first = bus.execute(Forecast(item="M6-20", days=30), users["tom"]).points[0]
    with app.uow(write=False) as uow:
        item = lookup.item(uow, "M6-20")
        demand = fresh_forecast(uow, item.id)
    assert demand is not None and demand.days == item.lead_time_days
    assert demand.mean_daily > 0
    # σ is what the stored 80 % band implies (a flat band: the first day's).
    half = (first.yhat_upper - first.yhat_lower) / 2
    assert demand.sd_daily == pytest.approx(half / 1.2815515655, rel=1e-3)
    app.clock.advance(days=8)
    with app.uow(write=False) as uow:
        assert fresh_forecast(uow, item.id) is None


def test_a_too_narrow_band_is_widened_and_raises_the_reorder_point(app, users):
    """The model claims ± 0.5 around a flat mean, but a weekday pattern puts days up to 3 away:
    the stored band is widened, so σ — and safety stock — go up."""
    sds = {}
    for half in (0.5, 3.5):
        fitter = CountingFitter(half=half, version=str(half))
        bus = MessageBus(
            app.uow,
            {**app.bus.handlers,
             "forecast": partial(forecast_item, fitters=fitter, uow_factory=app.uow)},
        )  # fmt: skip
        sku = "M6-20" if half == 0.5 else "M8-30"
        import_history(app, sku, daily(date(2026, 6, 10), 150))
        result = bus.execute(Forecast(item=sku, days=30), users["tom"])
        with app.uow(write=False) as uow:
            item = lookup.item(uow, sku)
            sds[half] = fresh_forecast(uow, item.id).sd_daily
            inputs = reorder_inputs(uow, item)
        assert inputs.source == "forecast:prophet" and inputs.sd_daily == sds[half]
        if half == 0.5:
            assert "widened" in result.reason
    own = 0.5 / 1.2815515655
    assert sds[0.5] > 4 * own  # widened from the model's own ± 0.5
    assert sds[0.5] == pytest.approx(sds[3.5], rel=0.35)  # to about what holds 80 %


def test_the_catalogue_forecast_and_backtest_answer_typed_results(app, users, fitter):
    # Long enough for the backtest's four origins, and not exactly weekly (the naive scores).
    import_history(app, "M6-20", daily(date(2026, 6, 10), 300), qty=lambda d: 10 + d.day % 5)
    bus = MessageBus(
        app.uow,
        {
            **app.bus.handlers,
            "forecast.all": partial(forecast_catalogue, uow_factory=app.uow, fitters=fitter),
            "forecast.backtest": partial(backtest_catalogue, fitters=fitter, uow_factory=app.uow),
        },
    )
    done = bus.execute(ForecastCatalogue(days=14, jobs=1), users["zhao"])
    assert done == CatalogueForecast(
        items=1,
        days=14,
        last_day_of_history="2026-06-10",
        fitted=1,
        cached=0,
        chosen=1,
        stored=1,
        failed={},
        models={"prophet": 1},
    )
    calls = fitter.calls
    again = bus.execute(ForecastCatalogue(days=14, jobs=1), users["zhao"])
    assert (again.fitted, again.cached, fitter.calls) == (0, 1, calls)  # unchanged: reused
    scored = bus.execute(BacktestForecasts(horizon=7, jobs=1), users["tom"])
    assert isinstance(scored, CatalogueBacktest)
    (row,) = scored.items
    assert isinstance(row, BacktestRow) and (row.sku, row.model) == ("M6-20", "prophet")
    assert row.mase > 0 and row.mase_naive > 0
    assert (scored.mean_mase, scored.mean_mase_naive) == (row.mase, row.mase_naive)
    (family,) = scored.families
    assert (family.model, family.items, family.mean_mase) == ("prophet", 1, row.mase)


def test_an_intermittent_item_shows_a_typical_day_and_plans_with_its_rate(app, users):
    """An item sold on one day in five: the absolute error is least near a typical day (no
    sale), so the daily point is scaled below the rate, but the rate stays as each day's
    `mean` and the reorder point's demand is the rate."""
    rate = CountingFitter(half=0)
    bus = MessageBus(
        app.uow,
        {**app.bus.handlers,
         "forecast": partial(forecast_item, fitters={"croston_sba": rate}, uow_factory=app.uow)},
    )  # fmt: skip
    days = [d for d in daily(date(2026, 6, 10), 200) if d.toordinal() % 5 == 0]
    import_history(app, "DRILL-18V", days, qty=lambda d: 5)
    result = bus.execute(Forecast(item="DRILL-18V", days=30), users["tom"])
    assert result.model == "croston_sba" and "daily figure is ×0.50 of its rate" in result.reason
    first = result.points[0]
    assert first.mean == pytest.approx(1.0, abs=0.2)  # 5 every fifth day
    assert first.yhat == pytest.approx(first.mean * 0.5, abs=1e-3)  # 3 places in JSON
    assert first.yhat_lower <= first.yhat <= first.yhat_upper
    assert "mean" in result.to_json()["points"][0]
    with app.uow(write=False) as uow:
        item = lookup.item(uow, "DRILL-18V")
        demand = fresh_forecast(uow, item.id)
    assert demand.mean_daily == pytest.approx(first.mean, abs=1e-3)


def test_a_regular_item_has_no_separate_mean(app, users, bus):
    import_history(app, "M6-20", daily(date(2026, 6, 10), 150))
    result = bus.execute(Forecast(item="M6-20", days=7), users["tom"])
    assert all(p.mean is None for p in result.points)
    assert "mean" not in result.to_json()["points"][0]
