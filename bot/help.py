"""`help` / `帮助`: what the user's role may do, with examples in their language."""

from __future__ import annotations

from domain.roles import allowed_intents

EXAMPLES = {
    "stock.query": ("how many M6 do we have", "M6 还有多少"),
    "stock.receive": ("receive 100 M6 at 0.12", "入库 M6 100 个 单价 0.12"),
    "stock.issue": ("issue 5 M6 for repairs", "出库 M6 5 个"),
    "stock.transfer": ("move 30 M6 from SH to BJ", "调拨 M6 30 个 从上海到北京"),
    "stock.count": ("count M6 95", "盘点 M6 实际 95"),
    "purchase.create": (
        "order 500 M6 from East China Hardware at 0.10",
        "向华东五金采购 M6 500 个",
    ),
    "purchase.receive": ("PO-0012 arrived", "PO-0012 到货 / PO-0031 先收 M6 2000 个"),
    "purchase.cancel": ("cancel PO-0012", "取消 PO-0012"),
    "sales.create": ("sell 20 M6 to ACME", "ACME 要 20 个 M6"),
    "sales.ship": ("ship SO-0007 / ship 10 M6 of SO-0007", "SO-0007 发货 / SO-0296 发 口罩 5 盒"),
    "sales.cancel": ("cancel SO-0007", "取消 SO-0007"),
    "sales.amend": (
        "add 20 tape to SO-0007 / make SO-0007 50 M6",
        "SO-0007 改成 50 个 / SO-0007 去掉胶带",
    ),
    "purchase.amend": ("change PO-0012 M6 to 800", "PO-0012 M6 改成 800"),
    "order.query": (
        "status of SO-0007 / my orders / why is SO-0007 waiting?",
        "SO-0007 到哪了 / 我的订单 / SO-0007 为什么还没批",
    ),
    "price.query": (
        "price of M8 bolts / how much is a drill for ACME",
        "M8 多少钱 / 艾克米拿电钻什么价",
    ),
    "approval.query": ("has A-12 been approved?", "A-12 批了吗"),
    "digest": ("daily digest / weekly report", "今天的日报 / 周报"),
    "approval.list": ("pending approvals", "待审批"),
    "approval.decide": ("approve A-12 / reject A-12 too expensive", "批准 A-12 / 驳回 A-12"),
    "approval.delegate": ("let li approve for me until Friday", "我不在，让 li 代批到周五"),
    "approval.undelegate": ("stop delegating my approvals", "取消代批"),
    "forecast": ("forecast M6 next 30 days", "预测 M6 未来30天"),
    "report": ("what is below reorder point / top sellers last month", "哪些要补货 / 上月畅销"),
    "partner.balance": ("ACME's credit left", "艾克米额度还剩多少"),
    "sales.return": ("ACME returned 5 M6 from SO-0007", "SO-0007 退货 M6 5 个"),
    "purchase.return": (
        "return 10 drills to Shenzhen Tools from PO-0012",
        "PO-0012 退回 电钻 10 台",
    ),
    "payment.receive": ("ACME paid 3000", "收到艾克米货款 3000"),
    "payment.pay": ("paid East China Hardware 5000", "付华东五金 5000"),
    "statement": ("statement for ACME last month", "艾克米 上月对账单"),
    "delivery_note": ("delivery note for SO-0007", "SO-0007 送货单"),
    "alert.list": ("alerts / my alerts", "预警 / 我的预警"),
    "alert.ack": ("ack alert 12", "确认预警 12"),
    "alert.snooze": ("snooze alert 12 for 3 days", "预警 12 推迟 3 天"),
    "alert.order": ("order from alert 12", "按预警 12 下采购单"),
}


def help_text(role: str, lang: str, available: set[str]) -> str:
    """The intents a role may run, with one example each; those not available yet are marked."""
    zh = lang == "zh"
    from bot.report_text import role_label

    said = role_label(role, lang)
    lines = [f"您的角色是{said}，可以这样说：" if zh else f"You are {said}. You can say:"]
    allowed = set(allowed_intents(role))
    for intent in EXAMPLES:
        if intent not in allowed:
            continue
        example = EXAMPLES[intent][1 if zh else 0]
        soon = "" if intent in available else ("（即将开放）" if zh else " (coming soon)")
        lines.append(f"• {example}{soon}")
    lines.append("写操作会先请您确认（是/否）。" if zh else "Writes are confirmed first (yes/no).")
    return "\n".join(lines)
