"""The choice of model by backtest and the band's calibration, with small fitters that know the
truth to a set degree (no Prophet, no statsforecast)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from domain.planning.bands import Band, calibrate, coverage
from domain.planning.candidates import PROPHET_MULTIPLICATIVE, swings_grow_with_level
from domain.planning.choice import Choice, choice_key, choose, forecast_with
from domain.planning.forecasting import (
    ADIDA,
    AUTO_ETS,
    CROSTON_SBA,
    ENSEMBLE,
    IMAPA,
    MSTL,
    PROPHET,
    SEASONAL_MEAN,
    ForecastPoint,
    future_dates,
)

LAST = date(2025, 6, 30)
PATTERN = (10, 12, 11, 13, 14, 4, 2)


def series_of(values, last: date = LAST):
    first = last - timedelta(days=len(values) - 1)
    return [(first + timedelta(days=i), float(v)) for i, v in enumerate(values)]


def truth(day: date) -> float:
    """A weekly pattern with a gentle wave: what every fitter below tries to know."""
    return PATTERN[day.weekday()] * (1 + 0.2 * math.sin(day.toordinal() / 20))


def wobble(day: date) -> float:
    return 1.5 * math.sin(day.toordinal() * 2.3)  # deterministic noise


REGULAR_SERIES = [(d, truth(d) + wobble(d)) for d, _ in series_of([0] * 200)]


@dataclass(frozen=True)
class Knower:
    """Forecasts `truth` times `bias`, with a band of ± `half`."""

    bias: float = 1.0
    half: float = 3.0
    name: str = "knower"

    def settings_key(self) -> str:
        return f"{self.name}-{self.bias}-{self.half}"

    def __call__(self, series, days):
        return [
            ForecastPoint(d, truth(d) * self.bias, truth(d) * self.bias - self.half,
                          truth(d) * self.bias + self.half)
            for d in future_dates(series, days)
        ]  # fmt: skip


@dataclass(frozen=True)
class Flat:
    """A flat forecast at the mean of the last four weeks, no band."""

    def settings_key(self) -> str:
        return "flat"

    def __call__(self, series, days):
        recent = [q for _, q in series[-28:]]
        mean = sum(recent) / len(recent)
        return [ForecastPoint(d, mean, mean, mean) for d in future_dates(series, days)]


def test_the_candidate_closest_to_the_truth_wins_and_the_reason_names_the_others():
    table = {PROPHET: Knower(1.3, name="p"), AUTO_ETS: Knower(1.0), MSTL: Knower(0.6, name="m")}
    choice = choose(REGULAR_SERIES, table, LAST.isoformat())
    assert (choice.model, choice.candidate) == (AUTO_ETS, AUTO_ETS)
    assert choice.origins == 3 and choice.score < choice.scores[PROPHET]
    assert "chosen by backtest on 3 origins" in choice.reason and "Prophet" in choice.reason
    assert choice.mase is not None and choice.mase < choice.mase_naive


def test_two_models_wrong_in_opposite_ways_make_an_ensemble():
    table = {PROPHET: Knower(1.4, name="p"), AUTO_ETS: Knower(0.6), MSTL: Knower(2.0, name="m")}
    choice = choose(REGULAR_SERIES, table)
    assert choice.model == ENSEMBLE
    assert choice.candidate == f"{ENSEMBLE}:{PROPHET}+{AUTO_ETS}"
    fc = forecast_with("X", REGULAR_SERIES, 14, choice, table)
    assert fc.model == ENSEMBLE
    assert [p.yhat for p in fc.points] == pytest.approx([truth(p.date) for p in fc.points])


def test_the_reported_mase_is_on_the_latest_origin_which_the_choice_never_saw():
    @dataclass(frozen=True)
    class GoodUntilRecently(Knower):
        def __call__(self, series, days):
            late = series[-1][0] >= LAST - timedelta(days=28)
            return Knower(3.0 if late else 1.0)(series, days)

    table = {PROPHET: GoodUntilRecently(), AUTO_ETS: Knower(1.2, name="e")}
    choice = choose(REGULAR_SERIES, table)
    assert choice.candidate == PROPHET  # the best on the three older origins
    assert choice.mase > choice.scores[AUTO_ETS] * 3  # and poor on the latest one


def test_too_little_history_for_an_older_origin_takes_the_kind_default_and_says_so():
    short_regular = REGULAR_SERIES[-70:]
    table = {PROPHET: Knower(name="p"), AUTO_ETS: Knower(1.1), MSTL: Knower(name="m")}
    choice = choose(short_regular, table)
    assert choice.candidate == AUTO_ETS and choice.origins == 0
    assert "too little history" in choice.reason and "default" in choice.reason
    assert choice.mase is not None  # the latest origin still scores it


def test_an_intermittent_item_chooses_among_the_intermittent_models():
    values = [6 if i % 9 == 0 else 0 for i in range(200)]
    table = {CROSTON_SBA: Flat(), ADIDA: Knower(0.1, name="a"), IMAPA: Knower(5, name="i"),
             PROPHET: Knower(name="p")}  # fmt: skip
    choice = choose(series_of(values), table)
    assert choice.kind == "intermittent" and choice.model in (CROSTON_SBA, ADIDA, IMAPA)
    assert PROPHET not in choice.scores


def test_short_history_gets_the_day_of_week_mean_and_says_why():
    choice = choose(REGULAR_SERIES[-45:], {PROPHET: Knower()})
    assert choice.model == SEASONAL_MEAN and "45 days" in choice.reason


def test_a_candidate_that_fails_loses_and_one_that_fails_later_falls_back_with_a_reason():
    class Broken:
        def __call__(self, series, days):
            raise RuntimeError("no convergence")

    table = {PROPHET: Broken(), AUTO_ETS: Knower()}
    choice = choose(REGULAR_SERIES, table)
    assert choice.candidate == AUTO_ETS and PROPHET not in choice.scores
    fc = forecast_with("X", REGULAR_SERIES, 7, Choice(PROPHET, PROPHET, "r", "regular"), table)
    assert fc.model == SEASONAL_MEAN and "could not fit" in fc.reason


def test_the_choice_key_changes_with_the_candidates_and_their_versions():
    a = choice_key({PROPHET: Knower(name="p"), AUTO_ETS: Knower()})
    assert a == choice_key({AUTO_ETS: Knower(), PROPHET: Knower(name="p")})
    assert a != choice_key({PROPHET: Knower(name="p2"), AUTO_ETS: Knower()})
    assert a != choice_key({PROPHET: Knower(name="p")})


def test_a_too_narrow_band_is_widened_until_it_holds_80_percent():
    table = {AUTO_ETS: Knower(half=0.3)}  # the errors are up to ± 1.5
    choice = choose(REGULAR_SERIES, table)
    assert choice.band.scale > 1 and choice.band.coverage < 0.75
    assert "widened" in choice.reason
    assert 0.7 <= choice.coverage <= 0.9  # on the latest origin, never seen by the choice


def test_a_too_wide_band_is_narrowed_and_a_fitting_one_is_kept():
    wide = choose(REGULAR_SERIES, {AUTO_ETS: Knower(half=10)})
    assert wide.band.scale < 1 and wide.band.coverage == 1.0 and "narrowed" in wide.reason
    assert 0.7 <= wide.coverage < 1
    pairs = [(10.0 + (i % 10) / 10 * 2 - 1, ForecastPoint(LAST, 10, 9.1, 10.7)) for i in range(50)]
    assert 0.75 <= coverage(pairs) <= 0.85
    assert calibrate(pairs) == Band(coverage=coverage(pairs))


def test_a_model_without_a_band_gets_the_percentiles_of_past_days():
    values = [6 if i % 5 == 0 else 0 for i in range(200)]
    choice = choose(series_of(values), {CROSTON_SBA: Flat()})
    assert choice.band.relative and choice.band.lo == 0
    fc = forecast_with("X", series_of(values), 10, choice, {CROSTON_SBA: Flat()})
    assert all(p.yhat_lower == 0 and p.yhat_upper > 4 * p.yhat for p in fc.points)
    assert choice.coverage >= 0.75


def test_a_choice_survives_storage_as_json():
    choice = choose(REGULAR_SERIES, {AUTO_ETS: Knower(half=0.3)}, LAST.isoformat())
    assert Choice.from_json(choice.to_json()) == choice


def test_swings_that_grow_with_the_level_ask_for_multiplicative_prophet():
    days = series_of([0] * 364)
    level = [20 + 80 * (i // 91) for i in range(364)]
    mult = [(d, lv * PATTERN[d.weekday()] / 10) for (d, _), lv in zip(days, level, strict=True)]
    add = [(d, lv + PATTERN[d.weekday()]) for (d, _), lv in zip(days, level, strict=True)]
    assert swings_grow_with_level(mult) and not swings_grow_with_level(add)
    table = {PROPHET: Knower(name="p"), PROPHET_MULTIPLICATIVE: Knower(1.0, name="pm")}
    choice = choose(mult, table)
    assert choice.candidate == PROPHET_MULTIPLICATIVE and choice.model == PROPHET
    assert "multiplicative" in choice.reason


def test_the_point_scale_is_the_factor_with_the_least_absolute_error():
    from domain.planning.bands import point_scale, scale_points

    day = date(2025, 1, 1)
    # Actual 0 on three days in four and 4 on the fourth, a rate of 1: the median day is 0,
    # so the factor goes to its floor of a half.
    pairs = [(4.0 if i % 4 == 0 else 0.0, ForecastPoint(day, 1.0, 0.0, 3.0)) for i in range(40)]
    assert point_scale(pairs) == 0.5
    # Actual days around 0.8 of the forecast: the factor is 0.8.
    pairs = [(0.8 * (1 + (i % 3 - 1) / 10), ForecastPoint(day, 1.0, 0.5, 1.5)) for i in range(30)]
    assert point_scale(pairs) == pytest.approx(0.8)
    # Never above 1: the model's rate is not raised.
    assert point_scale([(3.0, ForecastPoint(day, 1.0, 0.0, 2.0))]) == 1.0
    (scaled,) = scale_points([ForecastPoint(day, 2.0, 0.5, 5.0)], 0.5)
    assert (scaled.yhat, scaled.mean, scaled.yhat_lower, scaled.yhat_upper) == (1.0, 2.0, 0.5, 5.0)
    assert scale_points([ForecastPoint(day, 2.0, 0.5, 5.0)], 1.0)[0].mean is None


def test_a_regular_item_keeps_its_point_unscaled():
    table = {PROPHET: Knower(0.9, name="p"), AUTO_ETS: Knower(name="e")}
    choice = choose(REGULAR_SERIES, table)
    assert choice.point_scale == 1.0
    fc = forecast_with("X", REGULAR_SERIES, 7, choice, table)
    assert all(p.mean is None for p in fc.points)


@dataclass(frozen=True)
class SlowKnower(Knower):
    """A Knower that says it is slow, and counts its fits in a list it is given."""

    fits: list = None  # type: ignore[assignment]
    slow = True

    def __call__(self, series, days):
        self.fits.append(len(series))
        return super().__call__(series, days)


def test_a_slow_candidate_far_behind_on_the_first_origin_leaves_the_race():
    fits: list = []
    table = {PROPHET: SlowKnower(1.5, name="p", fits=fits), AUTO_ETS: Knower(name="e"),
             MSTL: Knower(1.02, name="m")}  # fmt: skip
    choice = choose(REGULAR_SERIES, table)
    assert len(fits) == 1  # one origin, then out
    assert PROPHET not in choice.scores and "Prophet left the race" in choice.reason
    assert choice.model in (AUTO_ETS, ENSEMBLE)


def test_a_slow_candidate_that_keeps_up_runs_every_origin_and_can_win():
    fits: list = []
    table = {PROPHET: SlowKnower(1.0, name="p", fits=fits), AUTO_ETS: Knower(1.03, name="e")}
    choice = choose(REGULAR_SERIES, table)
    assert len(fits) == 4  # three older origins and the latest
    assert choice.model == PROPHET and "left the race" not in choice.reason


def test_a_batch_choice_skips_the_latest_origin():
    fits: list = []
    table = {PROPHET: SlowKnower(1.0, name="p", fits=fits), AUTO_ETS: Knower(1.03, name="e")}
    choice = choose(REGULAR_SERIES, table, score_latest=False)
    assert len(fits) == 3 and choice.mase is None and choice.score is not None


def test_an_ensemble_has_a_band_only_when_both_members_have_one():
    """Half of one member's band would be too narrow for the ensemble: with a member that draws
    no interval the mean has none either, and calibration gives it the backtest's percentiles."""
    from datetime import date

    from domain.planning.candidates import average_points
    from domain.planning.forecasting import ForecastPoint

    day = date(2026, 1, 5)
    banded = [ForecastPoint(day, 10.0, 6.0, 14.0)]
    other = [ForecastPoint(day, 20.0, 12.0, 30.0)]
    bare = [ForecastPoint(day, 20.0, 20.0, 20.0)]
    both = average_points(banded, other)[0]
    assert (both.yhat, both.yhat_lower, both.yhat_upper) == (15.0, 9.0, 22.0)
    one = average_points(banded, bare)[0]
    assert (one.yhat, one.yhat_lower, one.yhat_upper) == (15.0, 15.0, 15.0)
