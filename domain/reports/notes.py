"""The notes reports attach to their figures, kept as one table of kinds.

A report's JSON carries its notes as English strings (scripts rely on them); `note` makes such a
string from a kind and its fields, and `read_note` finds the kind and fields back from the
string, so the text for people can say the same thing in Chinese (`bot.report_text`). A note
is therefore written once, here, in both languages.
"""

from __future__ import annotations

import re
from functools import cache

# kind → (English, Chinese); `{field}` placeholders. The English text is what JSON shows.
NOTES: dict[str, tuple[str, str]] = {
    "no_stock": ("no stock on hand or on order", "没有在库或在途的库存"),
    "no_history": ("no sales history yet", "还没有销售历史"),
    "demand_window": (
        "demand over {days} days ending {last_day} (the last day of history); z = {z}",
        "需求按截至 {last_day}（历史最后一天）的 {days} 天计；z = {z}",
    ),
    "no_demand": (
        "no demand in the window, so no reorder point (not listed): {skus}",
        "窗口内没有需求，因此没有再订货点（未列出）：{skus}",
    ),
    "no_eoq": (
        "no unit cost, so no EOQ (MOQ suggested): {skus}",
        "没有单位成本，无法计算经济订货量（按起订量建议）：{skus}",
    ),
    "young_ledger": (
        "the ledger starts on {first}: {known} days, fewer than the {days} days asked",
        "账簿从 {first} 开始，只有 {known} 天，不足所问的 {days} 天",
    ),
    "idle_since": (
        "no outgoing move and no sales since {since}",
        "自 {since} 起没有出库，也没有销售",
    ),
    "abc_rule": (
        "A while the cumulative share before the item is < 80 %, B < 95 %, C the rest; "
        "count A 12×, B 4×, C 1× a year",
        "此前累计占比 < 80 % 为 A 类，< 95 % 为 B 类，其余为 C 类；"
        "盘点频率：A 类每年 12 次，B 类 4 次，C 类 1 次",
    ),
    "turnover_formula": (
        "turnover = COGS of the period ÷ average of the month-end stock values; annualised × "
        "365 ÷ {days} days; days of inventory = 365 ÷ annualised turnover",
        "周转率 = 期间销售成本 ÷ 各月末库存金额的平均值；年化 × 365 ÷ {days} 天；"
        "周转天数 = 365 ÷ 年周转率",
    ),
    "no_stock_value": (
        "no stock value in the period: turnover is undefined",
        "期间没有库存金额：周转率无法计算",
    ),
    "ledger_starts": (
        "the ledger starts on {first}: only month-ends from then on are averaged and sales "
        "history from an earlier system carries no cost of goods, so turnover covers only the "
        "{days} days since then",
        "账簿始于 {first}：只平均此后的月末库存；旧系统导入的销售历史没有销售成本，"
        "因此周转率只涵盖此后的 {days} 天",
    ),
    "no_sales": ("no sales in the period", "期间没有销售"),
    "no_receipts": ("no purchase receipts in the period", "期间没有采购到货"),
    "scorecard_weights": (
        "scorecard weights (course): quality 30, cost 25, delivery 20, service 15, innovation "
        "10; only dimensions with data are weighted, the rest are n/a",
        "评分权重（课程）：质量 30、成本 25、交付 20、服务 15、创新 10；"
        "只对有数据的维度加权，其余记为无数据",
    ),
    "scorecard_formulas": (
        "delivery = on-time rate; cost = standard cost ÷ price paid (capped at 1); lead-time "
        "accuracy = 1 − mean days late ÷ promised lead time (a receipt on or before its due "
        "date, order date + lead time, is on time and counts no days late)",
        "交付 = 准时率；成本 = 标准成本 ÷ 实付价格（最高为 1）；交期准确度 = 1 − 平均延迟天数 ÷ "
        "承诺交期（在到期日，即下单日 + 交期，当天或之前到货算准时，不计延迟）",
    ),
    "no_quality": (
        "quality n/a: no returns to suppliers recorded",
        "质量无数据：没有退货给供应商的记录",
    ),
    "no_service": (
        "service and innovation n/a: the ledger holds no data on them",
        "服务和创新无数据：账簿中没有这方面的数据",
    ),
    "kpi_targets": (
        "targets from the course: turnover 24 a year, fill rate 98.5 %, supplier on-time 95 %, "
        "count discrepancy at most 0.5 %",
        "课程目标：年周转率 24，订单满足率 98.5 %，供应商准时率 95 %，库存差异率不超过 0.5 %",
    ),
    "kpi_no_data": ("no data in the period for: {kpis}", "期间没有数据的指标：{kpis}"),
    "no_approvals": ("no approval requests are waiting", "没有等待审批的请求"),
    "nothing_owed": ("no open balances", "没有未结余额"),
    "gross_profit_basis": (
        "gross profit = revenue − cost of goods of the period's shipments, net of returns; "
        "margin = gross profit ÷ revenue; sales history from an earlier system carries no cost "
        "and is not counted",
        "毛利 = 期间发货的销售额 − 销售成本（已扣除退货）；毛利率 = 毛利 ÷ 销售额；"
        "旧系统导入的销售历史没有成本，不计入",
    ),
    "snapshot": (
        "{report} is a snapshot; the period {period} was not used",
        "{report}是当前快照，未使用所给的期间（{period}）",
    ),
    # The basis of each KPI (a column of the KPI report).
    "basis_turnover": ("COGS {cogs}, avg {avg}", "销售成本 {cogs}，平均库存 {avg}"),
    "basis_fill_rate": ("{done}/{of} lines", "{done}/{of} 行"),
    "basis_on_time": ("{done}/{of} receipts", "{done}/{of} 次到货"),
    "basis_discrepancy": (
        "|adjustments| {adjusted} / counted {counted} ({counts} counts)",
        "|调整金额| {adjusted} / 盘点金额 {counted}（{counts} 次盘点）",
    ),
}


def note(kind: str, **fields) -> str:
    """The note of `kind` with its fields, as JSON carries it (English)."""
    return NOTES[kind][0].format(**{k: str(v) for k, v in fields.items()})


@cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    out = []
    for kind, (en, _) in NOTES.items():
        parts = re.split(r"\{(\w+)\}", en)
        rx = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        out.append((kind, re.compile(f"^{rx}$", re.DOTALL)))
    return out


def read_note(text: str) -> tuple[str, dict[str, str]] | None:
    """The kind and fields of a note made by `note`, or None for any other text."""
    for kind, rx in _patterns():
        m = rx.match(text)
        if m:
            return kind, m.groupdict()
    return None
