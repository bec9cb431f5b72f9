"""Answers of the batch and admin services: the catalogue forecast and backtest, a digest sent
now, the digest schedules."""

from __future__ import annotations

from bot.render.reply import Reply, t
from bot.render.results.base import result_reply
from domain.messages.batch_results import (
    CatalogueBacktest,
    CatalogueForecast,
    DigestSchedules,
    DigestSent,
)

_KIND_ZH = {"daily": "每日", "weekly": "每周"}


@result_reply.register(CatalogueForecast)
def _catalogue_forecast(r: CatalogueForecast, lang: str) -> Reply:
    """How many items were forecast, refitted, reused and failed, and by which models."""
    if not r.items:
        return Reply(
            t(
                lang,
                "No item has sales history: nothing to forecast.",
                "没有商品有销售历史，无需预测。",
            ),
            lang,
            ok=False,
        )
    models = ", ".join(f"{m} {n}" for m, n in r.models.items())
    text = t(
        lang,
        f"Forecast {r.items} items for {r.days} days after {r.last_day_of_history}: "
        f"{r.fitted} fitted ({r.chosen} with a model chosen anew), {r.cached} unchanged "
        "(stored forecast reused), "
        f"{len(r.failed)} failed; models: {models}.",
        f"已预测 {r.items} 件商品 {r.last_day_of_history} 之后 {r.days} 天：重新拟合 {r.fitted}"
        f"（其中 {r.chosen} 个重新选择模型），"
        f"沿用已存预测 {r.cached}，失败 {len(r.failed)}；模型：{models}。",
    )
    lines = [f"{sku}: {reason}" for sku, reason in r.failed.items()]
    return Reply("\n".join([text, *lines]), lang, ok=not r.failed)


@result_reply.register(CatalogueBacktest)
def _catalogue_backtest(r: CatalogueBacktest, lang: str) -> Reply:
    """The mean scores, and each item's (MASE: lower is better)."""
    text = t(
        lang,
        f"Backtest of {len(r.items)} items: mean MASE {r.mean_mase} vs seasonal naive "
        f"{r.mean_mase_naive} (lower is better).",
        f"{len(r.items)} 件商品回测：平均 MASE {r.mean_mase}，季节性朴素法 "
        f"{r.mean_mase_naive}（越低越好）。",
    )
    return Reply(text, lang, table=[x.to_json() for x in r.items])


@result_reply.register(DigestSent)
def _digest_sent(r: DigestSent, lang: str) -> Reply:
    return Reply(
        t(
            lang,
            f"{r.kind.capitalize()} digest sent to {r.sent} recipient(s).",
            f"{_KIND_ZH.get(r.kind, r.kind)}摘要已发送给 {r.sent} 位收件人。",
        ),
        lang,
    )


@result_reply.register(DigestSchedules)
def _digest_schedules(r: DigestSchedules, lang: str) -> Reply:
    """The schedules stored, one a line."""
    lines = [
        t(
            lang,
            f"{s.kind} digest at {s.at} to {', '.join(s.to)}",
            f"{_KIND_ZH.get(s.kind, s.kind)}摘要 {s.at} 发送给 {'、'.join(s.to)}",
        )
        for s in r.schedules
    ]
    head = t(lang, "Digest schedules:", "摘要推送计划：")
    return Reply("\n".join([head, *lines]), lang, table=[s.to_json() for s in r.schedules])
