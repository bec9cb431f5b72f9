"""Typed results are read by attribute: not as mappings. Their JSON shape is `to_json()`, the
batch and digest services' included."""

from __future__ import annotations

import pytest

from domain.messages.batch_results import (
    BacktestRow,
    CatalogueBacktest,
    CatalogueForecast,
    DigestSchedule,
    DigestSchedules,
    DigestSent,
    FamilyRow,
)
from domain.messages.results import REPLAYED, Balance, StockTransfer, from_json


def balance(warehouse: str, on_hand: str) -> Balance:
    return Balance(
        sku="M6-20",
        name="M6x20 hex bolt",
        name_zh="M6螺栓",
        warehouse=warehouse,
        on_hand=on_hand,
        reserved="0",
        available=on_hand,
        value="1.20",
    )


def test_a_result_is_not_subscriptable_nor_a_mapping():
    moved = StockTransfer(
        sku="M6-20", qty="10", value="1.20", from_=balance("MAIN", "90"), to=balance("BJ", "10")
    )
    with pytest.raises(TypeError, match="not subscriptable"):
        moved["sku"]  # noqa: B018
    with pytest.raises(TypeError):
        "sku" in moved  # noqa: B015
    with pytest.raises(TypeError):
        dict(moved)
    with pytest.raises(TypeError):
        len(moved)
    assert not hasattr(moved, "get") and not hasattr(moved, "keys")
    # Its fields hold what the JSON shows; a key that is not a Python name is renamed.
    assert (moved.sku, moved.from_.on_hand, moved.to.on_hand) == ("M6-20", "90", "10")
    assert moved.to_json()["from"]["on_hand"] == "90"


def test_the_catalogue_forecast_keeps_its_json_shape():
    done = CatalogueForecast(
        items=3,
        days=30,
        last_day_of_history="2026-06-14",
        fitted=2,
        cached=1,
        chosen=1,
        stored=2,
        failed={"BOX-S": "BOX-S has no sales history to forecast from"},
        models={"croston_sba": 1, "prophet": 2},
    )
    assert done.to_json() == {
        "items": 3,
        "days": 30,
        "last_day_of_history": "2026-06-14",
        "fitted": 2,
        "cached": 1,
        "chosen": 1,
        "stored": 2,
        "failed": {"BOX-S": "BOX-S has no sales history to forecast from"},
        "models": {"croston_sba": 1, "prophet": 2},
    }
    assert list(done.to_json()) == [
        "items", "days", "last_day_of_history", "fitted", "cached", "chosen", "stored", "failed",
        "models"
    ]  # fmt: skip


def test_the_backtest_keeps_its_json_shape_unscored_items_included():
    out = CatalogueBacktest(
        items=(
            BacktestRow(sku="GLUE-AB", model="prophet", mase=0.8123, mase_naive=1.1),
            BacktestRow(sku="TAPE-48", model="seasonal_mean", mase=None, mase_naive=None),
        ),
        mean_mase=0.8123,
        mean_mase_naive=1.1,
        families=(FamilyRow(model="prophet", items=1, mean_mase=0.8123),
                  FamilyRow(model="seasonal_mean", items=1, mean_mase=None)),
    )  # fmt: skip
    assert out.to_json() == {
        "items": [
            {"sku": "GLUE-AB", "model": "prophet", "mase": 0.8123, "mase_naive": 1.1},
            {"sku": "TAPE-48", "model": "seasonal_mean", "mase": None, "mase_naive": None},
        ],
        "mean_mase": 0.8123,
        "mean_mase_naive": 1.1,
        "families": [
            {"model": "prophet", "items": 1, "mean_mase": 0.8123},
            {"model": "seasonal_mean", "items": 1, "mean_mase": None},
        ],
    }


def test_digest_results_keep_their_json_shape_and_a_schedules_replay_is_typed():
    assert DigestSent(kind="weekly", sent=3).to_json() == {"kind": "weekly", "sent": 3}
    stored = DigestSchedules(
        schedules=(
            DigestSchedule(kind="daily", at="08:30", to=("admin", "approver")),
            DigestSchedule(kind="weekly", at="mon 08:30", to=("mary",)),
        )
    )
    shape = {
        "schedules": [
            {"kind": "daily", "at": "08:30", "to": ["admin", "approver"]},
            {"kind": "weekly", "at": "mon 08:30", "to": ["mary"]},
        ]
    }
    assert stored.to_json() == shape
    assert REPLAYED["digest.schedules"] is DigestSchedules
    assert from_json("digest.schedules", shape) == stored


def test_batch_results_are_rendered_in_words_in_both_languages():
    from bot.render.results import result_reply

    done = CatalogueForecast(
        items=2,
        days=30,
        last_day_of_history="2026-06-14",
        fitted=1,
        cached=0,
        chosen=1,
        stored=1,
        failed={"BOX-S": "too little history"},
        models={"prophet": 1},
    )
    en = result_reply(done, "en")
    assert en.text.splitlines() == [
        "Forecast 2 items for 30 days after 2026-06-14: 1 fitted (1 with a model chosen anew), "
        "0 unchanged (stored forecast reused), 1 failed; models: prophet 1.",
        "BOX-S: too little history",
    ]
    assert en.ok is False  # an item failed
    assert result_reply(done, "zh").text.startswith("已预测 2 件商品 2026-06-14 之后 30 天")
    schedules = DigestSchedules(
        schedules=(DigestSchedule(kind="weekly", at="mon 08:30", to=("admin", "mary")),)
    )
    assert result_reply(schedules, "en").text == (
        "Digest schedules:\nweekly digest at mon 08:30 to admin, mary"
    )
    assert (
        result_reply(schedules, "zh").text
        == "摘要推送计划：\n每周摘要 mon 08:30 发送给 admin、mary"
    )
    assert result_reply(DigestSent(kind="daily", sent=3), "en").text == (
        "Daily digest sent to 3 recipient(s)."
    )
    scored = CatalogueBacktest(
        items=(BacktestRow(sku="GLUE-AB", model="prophet", mase=0.8, mase_naive=1.1),),
        mean_mase=0.8,
        mean_mase_naive=1.1,
    )
    reply = result_reply(scored, "en")
    assert (
        reply.text == "Backtest of 1 items: mean MASE 0.8 vs seasonal naive 1.1 (lower is better)."
    )
    assert reply.table == [{"sku": "GLUE-AB", "model": "prophet", "mase": 0.8, "mase_naive": 1.1}]
