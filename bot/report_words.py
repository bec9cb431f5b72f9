"""The words of the reports and of the identifiers people read, in English and Chinese:
report titles and column headings, KPI, period and summary names, scorecard dimensions,
forecast models and roles (each a pair: English, Chinese)."""

from __future__ import annotations

TITLES = {
    "stock_status": ("Stock status", "库存状况"),
    "below_reorder": ("Below reorder point", "低于再订货点"),
    "slow_moving": ("Slow-moving stock", "呆滞库存"),
    "abc": ("ABC analysis", "ABC 分类"),
    "turnover": ("Inventory turnover", "库存周转率"),
    "top_sellers": ("Top sellers", "畅销商品"),
    "sales_by_customer": ("Sales by customer", "客户销售额"),
    "supplier_performance": ("Supplier performance", "供应商绩效"),
    "kpi": ("KPIs", "关键绩效指标"),
    "pending_approvals": ("Pending approvals", "待审批"),
    "receivables_aging": ("Receivables aging", "应收账款账龄"),
    "payables_aging": ("Payables aging", "应付账款账龄"),
    "gross_profit": ("Gross profit", "毛利"),
}

# What an aging report shows of each partner, customers' and suppliers' alike.
AGING_COLUMNS = [
    ("balance", "Balance", "余额"),
    ("current", "Current", "未到期"),
    ("1-30", "1-30", "1-30天"),
    ("31-60", "31-60", "31-60天"),
    ("61-90", "61-90", "61-90天"),
    ("90+", "90+", "90天以上"),
    ("overdue", "Overdue", "逾期合计"),
]

# report → columns (key, English heading, Chinese heading)
COLUMNS: dict[str, list[tuple[str, str, str]]] = {
    "stock_status": [
        ("sku", "SKU", "物品"),
        ("warehouse", "Warehouse", "仓库"),
        ("on_hand", "On hand", "在库"),
        ("reserved", "Reserved", "已预留"),
        ("available", "Available", "可用"),
        ("on_order", "On order", "在途"),
        ("avg_cost", "Avg cost", "平均成本"),
        ("value", "Value", "金额"),
    ],
    "below_reorder": [
        ("sku", "SKU", "物品"),
        ("projected", "Projected", "预计可用"),
        ("reorder_point", "ROP", "再订货点"),
        ("safety_stock", "Safety stock", "安全库存"),
        ("eoq", "EOQ", "经济订货量"),
        ("moq", "MOQ", "起订量"),
        ("suggested_qty", "Order", "建议订货"),
    ],
    "slow_moving": [
        ("sku", "SKU", "物品"),
        ("on_hand", "On hand", "在库"),
        ("value", "Value", "金额"),
        ("last_out", "Last out", "最后出库"),
        ("days_idle", "Days idle", "闲置天数"),
    ],
    "abc": [
        ("sku", "SKU", "物品"),
        ("class", "Class", "类别"),
        ("value", "Sales value", "销售额"),
        ("share", "Share", "占比"),
        ("cum_share", "Cumulative", "累计占比"),
    ],
    "turnover": [
        ("category", "Category", "品类"),
        ("cogs", "COGS", "销售成本"),
        ("avg_value", "Avg stock", "平均库存"),
        ("annualised_turnover", "Turnover/yr", "年周转率"),
        ("days_of_inventory", "Days", "周转天数"),
    ],
    "top_sellers": [
        ("rank", "#", "排名"),
        ("sku", "SKU", "物品"),
        ("qty", "Qty", "数量"),
        ("revenue", "Revenue", "销售额"),
        ("share", "Share", "占比"),
    ],
    "sales_by_customer": [
        ("customer", "Customer", "客户"),
        ("revenue", "Revenue", "销售额"),
        ("share", "Share", "占比"),
        ("items", "Items", "品种数"),
    ],
    "supplier_performance": [
        ("supplier", "Supplier", "供应商"),
        ("receipts", "Receipts", "到货次数"),
        ("on_time_rate", "On time", "准时率"),
        ("avg_lead_time_days", "Lead time", "实际交期"),
        ("lead_time_accuracy", "LT accuracy", "交期准确度"),
        ("score", "Score", "评分"),
        ("na", "n/a", "无数据"),
    ],
    "kpi": [
        ("kpi", "KPI", "指标"),
        ("value", "Value", "实际"),
        ("target", "Target", "目标"),
        ("met", "Met", "达标"),
        ("basis", "Basis", "依据"),
    ],
    "pending_approvals": [
        ("request", "Request", "审批单"),
        ("subject", "Subject", "对象"),
        ("requested_by", "By", "申请人"),
        ("age_hours", "Age (h)", "等待(小时)"),
        ("reasons", "Reasons", "原因"),
    ],
    "receivables_aging": [
        ("partner", "Customer", "客户"),
        *AGING_COLUMNS,
        ("credit_limit", "Limit", "信用额度"),
    ],
    "payables_aging": [("partner", "Supplier", "供应商"), *AGING_COLUMNS],
    "gross_profit": [
        ("sku", "SKU", "物品"),
        ("qty", "Qty", "数量"),
        ("revenue", "Revenue", "销售额"),
        ("cogs", "COGS", "销售成本"),
        ("gross_profit", "Gross profit", "毛利"),
        ("margin", "Margin", "毛利率"),
    ],
}
KPI_NAMES = {
    "turnover": ("inventory turnover", "库存周转率"),
    "fill_rate": ("order fill rate", "订单满足率"),
    "supplier_on_time": ("supplier on-time", "供应商准时率"),
    "count_discrepancy": ("count discrepancy", "库存差异率"),
}
WORDS = {
    "period": ("Period", "期间"),
    "summary": ("Summary", "汇总"),
    "notes": ("Notes", "说明"),
    "none": ("(nothing to show)", "（无数据）"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
}
PERIOD_NAMES = {
    "today": ("today", "今天"),
    "this_week": ("this week", "本周"),
    "last_week": ("last week", "上周"),
    "this_month": ("this month", "本月"),
    "last_month": ("last month", "上月"),
    "this_quarter": ("this quarter", "本季度"),
    "last_quarter": ("last quarter", "上季度"),
    "this_year": ("this year", "今年"),
    "last_year": ("last year", "去年"),
    "last_7_days": ("last 7 days", "近 7 天"),
    "last_30_days": ("last 30 days", "近 30 天"),
    "last_12_months": ("last 12 months", "近 12 个月"),
}
# Summary keys as people read them; (report, key) first, then the key alone.
SUMMARY_LABELS: dict[str | tuple[str, str], tuple[str, str]] = {
    "lines": ("Lines", "行数"),
    "items": ("Items", "物品数"),
    "total_value": ("Total stock value", "库存总金额"),
    ("abc", "total_value"): ("Total sales value", "销售总额"),
    "by_category": ("By category", "按品类"),
    "by_warehouse": ("By warehouse", "按仓库"),
    "last_day_of_history": ("Last day of history", "历史最后一天"),
    "value_tied_up": ("Value tied up", "占用金额"),
    ("slow_moving", "days"): ("Idle for at least (days)", "闲置天数下限"),
    "window": ("Window", "统计区间"),
    "classes": ("Classes", "分类"),
    "cogs": ("Cost of goods sold", "销售成本"),
    "avg_value": ("Average stock value", "平均库存金额"),
    "turnover": ("Turnover in the period", "期间周转率"),
    "annualised_turnover": ("Turnover a year", "年周转率"),
    "days_of_inventory": ("Days of inventory", "周转天数"),
    "days_covered": ("Days covered", "覆盖天数"),
    "items_sold": ("Items sold", "售出品种数"),
    "revenue": ("Revenue", "销售额"),
    "top_share": ("Share of the top 10", "前十名占比"),
    "customers": ("Customers", "客户数"),
    "suppliers": ("Suppliers", "供应商数"),
    "receipts": ("Receipts", "到货次数"),
    "on_time_rate": ("On-time rate", "准时率"),
    "met": ("Targets met", "达标指标数"),
    "measured": ("KPIs with data", "有数据的指标数"),
    "pending": ("Waiting", "待审批数"),
    "oldest_hours": ("Oldest (hours)", "最久等待（小时）"),
    "balance": ("Balance", "余额"),
    "current": ("Not yet due", "未到期"),
    "overdue": ("Overdue", "逾期合计"),
    "as_of": ("As of", "截至"),
    "gross_profit": ("Gross profit", "毛利"),
    "margin": ("Margin", "毛利率"),
    "by_customer": ("By customer", "按客户"),
    # inside ABC's classes
    ("abc", "items"): ("items", "物品数"),
    ("abc", "value"): ("sales value", "销售额"),
    ("abc", "share"): ("share", "占比"),
    ("abc", "count_per_year"): ("counts a year", "每年盘点次数"),
}
# The supplier scorecard's dimensions (the `na` column).
DIMENSIONS = {
    "quality": ("quality", "质量"),
    "cost": ("cost", "成本"),
    "delivery": ("delivery", "交付"),
    "service": ("service", "服务"),
    "innovation": ("innovation", "创新"),
}


def period_label(name: str, lang: str = "en") -> str:
    """A period's name as people say it (`last_30_days` → "last 30 days" / "近 30 天"); a month
    (`YYYY-MM`) stays as it is."""
    return PERIOD_NAMES.get(name, (name, name))[lang == "zh"]


def summary_label(report: str, key: str, lang: str = "en") -> str:
    """A summary key as people read it, in English or Chinese."""
    zh = lang == "zh"
    found = SUMMARY_LABELS.get((report, key)) or SUMMARY_LABELS.get(key)
    return found[zh] if found else key.replace("_", " ")


MODEL_NAMES = {
    "croston_sba": ("sparse-demand model", "间歇需求模型"),
    "adida": ("sparse-demand model", "间歇需求模型"),
    "imapa": ("sparse-demand model", "间歇需求模型"),
    "prophet": ("seasonal trend model", "季节趋势模型"),
    "auto_ets": ("exponential smoothing model", "指数平滑模型"),
    "mstl": ("seasonal decomposition model", "季节分解模型"),
    "ensemble": ("combined model", "组合模型"),
    "seasonal_mean": ("weekly average model", "周均值模型"),
}
# The English role names are English words already; Chinese readers get theirs.
ROLE_NAMES = {
    "viewer": ("viewer", "查看者"),
    "sales": ("sales", "销售"),
    "clerk": ("clerk", "仓管员"),
    "buyer": ("buyer", "采购员"),
    "accountant": ("accountant", "会计"),
    "approver": ("approver", "审批人"),
    "admin": ("admin", "管理员"),
}


def model_label(model: str, lang: str = "en") -> str:
    """A forecast model as people say it (`croston_sba` → "sparse-demand model" / 间歇需求模型)."""
    return MODEL_NAMES.get(model, (model, model))[lang == "zh"]


def role_label(role: str, lang: str = "en") -> str:
    """A role as people say it (`accountant` → 会计 in Chinese)."""
    return ROLE_NAMES.get(role, (role, role))[lang == "zh"]
