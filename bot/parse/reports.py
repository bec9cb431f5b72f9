"""Report names from the many ways people ask for them (`哪些要补货` -> below_reorder)."""

from __future__ import annotations

import re

_REPORTS: list[tuple[str, str]] = [
    # Money: asked without a partner (with one, "ACME 欠多少钱" is that partner's balance).
    ("receivables_aging",
     r"\b(?:receivables?|a/?r)(?: aging| ageing| age)\b|\bag(?:e?ing) (?:of )?(?:the |our )?receivables\b|"
     r"\bwho owes (?:us|money)\b|\boverdue (?:customers|invoices|receivables)\b|\bunpaid invoices\b|"
     r"\boutstanding receivables\b|\baccounts receivable\b|"
     r"应收(?:账款|帐款|款)?(?:的)?账龄|应收账款|应收帐款|应收款|谁欠(?:我们|咱们)?(?:的)?钱|哪些客户(?:还)?欠|"
     r"客户欠款|逾期(?:应收|账款|欠款|未收)|欠款(?:客户|明细|报表)|^\W*账龄(?:分析|报表)?\W*$"),
    ("payables_aging",
     r"\b(?:payables?|a/?p)(?: aging| ageing| age)\b|\bag(?:e?ing) (?:of )?(?:the |our )?payables\b|"
     r"\bwho (?:do )?we owe\b|\bwhat (?:do )?we owe\b|\baccounts payable\b|\bbills to pay\b|"
     r"应付(?:账款|帐款|款)?(?:的)?账龄|应付账款|应付帐款|应付款|我们欠谁|欠(?:哪些)?供应商(?:的)?(?:钱|款)"),
    ("gross_profit",
     r"\bgross (?:profits?|margins?)\b|\bprofit margins?\b|\bmargins? (?:report|by)\b|"
     r"\bprofitability\b|\bhow much (?:did|do) we (?:make|earn)\b|\bprofits?\b|"
     r"毛利(?:率|润|额)?|利润(?:率)?|赚了多少|挣了多少"),
    ("pending_approvals",
     r"\b(?:pending )?approvals? report\b|\breport (?:of|on )?(?:the )?pending approvals\b|"
     r"审批报表|待审批报表|审批报告"),
    ("supplier_performance",
     r"\bsupplier(?:s'?|'s)? (?:performance|scorecard|score card|rating|ranking|on-? ?time|"
     r"delivery|reliability)\b|\bon-? ?time (?:delivery|rate)\b|\bvendor performance\b|"
     r"\bhow (?:are|do) (?:our )?suppliers\b|\bsupplier scores?\b|"
     r"供应商(?:的)?(?:准时率|绩效|表现|评分|评估|考核|排名|交货|到货率|准时)|准时交货率|准时率|到货及时率"),
    ("sales_by_customer",
     r"\bwho (?:bought|buys|ordered|orders|spent|spends|purchased)(?: from us)? (?:the )?most\b|"
     r"\bwho (?:is|are|was|were) (?:our )?(?:best|top|biggest) (?:customers?|buyers?|clients?)\b|"
     r"\bbiggest (?:buyers?|clients?)\b|谁买得?(?:的)?最多|哪(?:个|些|家)客户.{0,6}最多|"
     r"\bsales by customers?\b|\bsales per customer\b|\bcustomer sales\b|\brevenue by customer\b|"
     r"\bwho (?:are our|is our) (?:best|top|biggest) customers?\b|\btop customers?\b|"
     r"\b(?:best|biggest) customers?\b|\bwhich customers? (?:bought|buy|ordered|spent)\b|"
     r"客户销售|按客户|各客户|客户排名|客户排行|大客户|哪个客户买得?最多|哪些客户买得?最多|"
     r"客户.{0,4}销售额|销售额.{0,4}客户|(?:最好|最大|最重要)的客户|\bmost valuable customers?\b"),
    ("top_sellers",
     r"\btop[- ]?sell(?:ers?|ing)\b|\bbest[- ]?sell(?:ers?|ing)\b|\bbest sold\b|"
     r"\b(?:what|which items?|which products?) sold (?:the )?(?:best|most)\b|\btop (?:\d+ )?(?:items|products)\b|"
     r"\bfast[- ]?movers?\b|\bfast[- ]?moving\b|\bhot items?\b|"
     r"畅销|热销|卖得(?:最)?好|卖得最多|销量(?:排行|排名|前十|最高|top)|销售排行|销售排名|爆款|卖得最快"),
    ("slow_moving",
     r"\bslow[- ]?mov(?:ing|ers?)\b|\bdead stock\b|\bnon[- ]?moving\b|\bobsolete stock\b|"
     r"\bnot sold\b|\bnothing sold\b|\bstale stock\b|\bidle stock\b|"
     r"\b(?:aren'?t|are not|isn'?t|is not|not|never|stopped) (?:selling|moving|sold)\b|"
     r"\b(?:nobody|no one) (?:buys|is buying|bought)\b|\bdon'?t sell\b|\bdoesn'?t sell\b|"
     r"没人买|卖不掉|不好卖|"
     r"呆滞|滞销|不动销|积压|卖不动|没动过|长期没卖|死库存|库存积压|压仓|压货|卖不出去"),
    ("below_reorder",
     r"\bbelow (?:the )?(?:reorder|rop|min(?:imum)?)\b|\breorder (?:point|list|report|level)s?\b|"
     r"\bneeds? (?:re-?ordering|restocking|to be re-?ordered)\b|\bwhat (?:should|do) (?:we|i) "
     r"(?:re-?order|restock|buy)\b|\brunning low\b|\blow stock\b|\bshort(?:age)? list\b|"
     r"\bwhat to re-?order\b|\bre-?order suggestions?\b|\bout of stock soon\b|"
     r"\b(?:about to|going to|will) run out\b|\brunning out\b|\brun(?:ning)? short\b|"
     r"快(?:要)?(?:用完|卖完|没了|断货|缺货)|要断货|快见底"
     r"哪些要补货|需要补货|该补货|要补货|补货(?:清单|提醒|建议|列表)|什么要补|低于(?:再)?订货点|"
     r"再订货点|订货点以下|库存不足|缺货预警|快没货|快缺货|库存预警|低库存|补货|"
     r"(?:建议|应该|该|需要|要)(?:(?:采购|进货|订货|买)(?:些|点)?(?:什么|啥|哪些)|进(?:些|点)?(?:什么|啥|哪些)货)|采购建议|进货建议"),
    ("abc", r"\babc\b|abc(?:分类|分析|分级)"),
    ("turnover",
     r"\bturnover\b|\bstock turns?\b|\binventory turns?\b|\bturn rate\b|\bdays of inventory\b|"
     r"\bhow fast (?:does |do |is |are )?(?:our )?(?:stock|inventory|it)\b.*\bturn|"
     r"\bturn(?:s|ing)? over\b|周转率|周转天数|周转|动销率"),
    ("kpi",
     r"(?<![a-z])kpis?(?![a-z])|\bkey (?:figures|metrics|indicators)\b|\bfill rate\b|\bperformance indicators\b|"
     r"\bcount discrepancy\b|\bdashboard\b|看板|仪表盘|驾驶舱|关键指标|经营指标|绩效指标|满足率|订单满足率|核心指标|kpi指标"),
    ("stock_status",
     r"\bstock (?:status|report|summary|overview|position|valuation|value)\b|"
     r"\binventory (?:status|report|summary|overview|position|valuation|value)\b|"
     r"\bstock levels? report\b|\bvalue of (?:the )?(?:stock|inventory)\b|"
     r"\b(?:stock|inventory)\b.{0,12}\bworth\b|\bworth of (?:our |the )?(?:stock|inventory)\b|"
     r"库存(?:状况|状态|报表|报告|汇总|总览|概况|明细表|价值|金额|总额|情况表|总值|值多少|总价|总金额)|"
     r"库存表|存货报表|盘存表|货值多少"),
]  # fmt: skip
REPORT_RES = [(name, re.compile(rx)) for name, rx in _REPORTS]
MONEY_REPORTS = ("receivables_aging", "payables_aging", "gross_profit")
WEAK_REORDER = re.compile(r"补货|\bre-?order\b")
REPORT_WORD = re.compile(r"\breports?\b|报表|报告|分析|统计")


def find_report(text: str) -> tuple[str, tuple[int, int]] | None:
    """The report a folded text asks for, and the span of the phrase."""
    for name, rx in REPORT_RES:
        m = rx.search(text)
        if m:
            return name, m.span()
    return None
