"""Answers to questions: prices, credit, the digest, forecasts, reports, alerts."""

from __future__ import annotations

from bot.render.alerts import alert_state
from bot.render.reply import Reply, t
from bot.render.results.base import listed, result_reply, said
from bot.render.words import (
    money_text,
)
from domain.messages.results import (
    AlertAction,
    AlertsAnswer,
    CreditAnswer,
    DigestAnswer,
    ForecastAnswer,
    PriceAnswer,
    ReportAnswer,
)
from domain.numbers import qty_display


@result_reply.register(PriceAnswer)
def _price(r: PriceAnswer, lang: str) -> Reply:
    """List price, what is available where, and the customer's last price."""
    name = (r.name_zh if lang == "zh" else r.name) or r.name
    places = [w for w in r.by_warehouse if w.warehouse != r.warehouse and w.available != "0"]
    where = ""
    if r.warehouse:
        where = t(lang, f" in {r.warehouse}", f"（{r.warehouse}）")
    if not r.warehouse and len(places) < 2:
        places = []  # all of it in one warehouse: the total says it
    others = ", ".join(f"{w.warehouse} {qty_display(w.available)}" for w in places)
    if lang == "zh":
        text = f"{name}（{r.sku}）：标价 {r.list_price}/{r.uom}，可用{where} {qty_display(r.available)}"
        text += f"（{others.replace(', ', '，')}）" if others and not r.warehouse else ""
        text += (
            f"；其他仓库：{others.replace(', ', '，')}" if others and r.warehouse else ""
        ) + "。"
    else:
        text = f"{name} ({r.sku}): list price {r.list_price} per {r.uom}; available{where} "
        text += qty_display(r.available)
        text += f" ({others})" if others and not r.warehouse else ""
        text += f"; elsewhere: {others}" if others and r.warehouse else ""
        text += "."
    if r.customer:
        if r.last_price:
            text += t(
                lang,
                f" {r.customer} last paid {r.last_price} on {r.last_date} ({r.last_order}).",
                f"{r.customer} 上次成交价 {r.last_price}（{r.last_date}，{r.last_order}）。",
            )
        else:
            text += t(
                lang,
                f" {r.customer} has no confirmed or shipped order of it yet.",
                f"{r.customer} 还没有这件商品的已确认或已发货订单。",
            )
    return Reply(text, lang, table=[r.to_json()])


@result_reply.register(CreditAnswer)
def _credit(r: CreditAnswer, lang: str) -> Reply:
    """A partner's credit line in words."""
    name = (r.partner_name_zh if lang == "zh" else r.partner_name) or r.partner
    who = f"{name} ({r.partner})" if name != r.partner else r.partner
    if lang == "zh":
        who = f"{name}（{r.partner}）" if name != r.partner else r.partner
    text = t(
        lang,
        f"{who}: credit limit {money_text(r.credit_limit)}, in use "
        f"{money_text(r.exposure)} (confirmed orders not yet shipped and shipped ones not yet "
        f"paid), credit left {money_text(r.credit_left)}.",
        f"{who}：信用额度 {money_text(r.credit_limit)}，已占用 {money_text(r.exposure)}"
        f"（已确认未发货及已发货未收款），剩余额度 {money_text(r.credit_left)}。",
    )
    return Reply(text, lang, table=[r.to_json()])


@result_reply.register(DigestAnswer)
def _digest(r: DigestAnswer, lang: str) -> Reply:
    """The digest's text, with its chart for channels that show pictures."""
    return Reply(r.text, lang, image=r.chart)


@result_reply.register(ForecastAnswer)
def _forecast(r: ForecastAnswer, lang: str) -> Reply:
    from bot.forecast_text import total_range
    from bot.report_text import chance_of_a_sale, chance_text, is_sparse, model_label

    pts = r.points
    total = sum(p.expected for p in pts)
    lo, hi = total_range(pts)
    model = model_label(r.model, lang)
    text = t(
        lang,
        f"Forecast for {r.sku}, next {len(pts)} days: about {total:,.0f} "
        f"(range {lo:,.0f}–{hi:,.0f}), {model}.",
        f"{r.sku} 未来 {len(pts)} 天预计销量约 {total:,.0f}（区间 {lo:,.0f}–{hi:,.0f}），{model}。",
    )
    if is_sparse(pts):  # most days sell nothing: a week's average and the chance of a sale
        week = total / len(pts) * 7
        chance = chance_text(chance_of_a_sale(week))
        text += t(
            lang,
            f" Most days sell nothing: about {week:.1f} a week, a {chance} chance of any sale "
            "in a week.",
            f"多数日子没有销量：平均每周约 {week:.1f}，一周内有销量的可能性 {chance}。",
        )
    return Reply(text, lang)


@result_reply.register(ReportAnswer)
def _report(r: ReportAnswer, lang: str) -> Reply:
    from bot.report_text import render_text

    return Reply(render_text(r, lang), lang, table=r.rows)


@result_reply.register(AlertsAnswer)
def _alerts(r: AlertsAnswer, lang: str) -> Reply:
    """The user's alerts."""
    return listed(r.alerts, lang, ("No open alerts.", "没有未处理的预警。"), _alert_line)


def _alert_line(a, lang: str) -> str:
    state = "" if a.status == "open" else f" [{alert_state(a.status, lang)}]"
    return f"#{a.id}{state} {a.message}"


@result_reply.register(AlertAction)
def _alert_acted(r: AlertAction, lang: str) -> Reply:
    """What became of an alert: acknowledged, or snoozed for some days."""
    if r.status != "snoozed":
        return Reply(t(lang, f"Alert {r.alert} acknowledged.", f"预警 {r.alert} 已确认。"), lang)
    days = 1 if r.days is None else r.days
    return said(
        lang,
        f"Alert {r.alert} snoozed for {days} day{'s' if days != 1 else ''}.",
        f"预警 {r.alert} 已推迟 {days} 天。",
    )
