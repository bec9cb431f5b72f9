"""Refusals in words: an error of the domain, a role that may not do something, an intent not
available yet, a stranger, a tap on something decided already."""

from __future__ import annotations

from bot.render.alerts import alert_state
from bot.render.reply import Reply, t
from domain.errors import JxcError
from domain.orders.status_words import DECIDED_ZH

# What each intent lets a person do, in words (refusals never show an intent name).
INTENT_WORDS = {
    "stock.query": ("look up stock", "查询库存"),
    "stock.receive": ("receive stock", "入库"),
    "stock.issue": ("issue stock", "出库"),
    "stock.transfer": ("transfer stock", "调拨库存"),
    "stock.count": ("record stock counts", "盘点"),
    "purchase.create": ("create purchase orders", "创建采购单"),
    "purchase.receive": ("receive purchase orders", "采购收货"),
    "purchase.cancel": ("cancel purchase orders", "取消采购单"),
    "purchase.return": ("return goods to suppliers", "办理采购退货"),
    "sales.create": ("create sales orders", "创建销售单"),
    "sales.ship": ("ship sales orders", "销售发货"),
    "sales.cancel": ("cancel sales orders", "取消销售单"),
    "sales.return": ("record customer returns", "办理销售退货"),
    "approval.list": ("list approval requests", "查看审批"),
    "approval.decide": ("decide approval requests", "审批"),
    "forecast": ("forecast demand", "预测销量"),
    "report": ("run reports", "查看报表"),
    "order.query": ("look up orders", "查询订单"),
    "price.query": ("ask prices", "查询价格"),
    "approval.query": ("ask about approval requests", "查询审批进度"),
    "digest": ("read the digest", "查看日报/周报"),
    "payment.receive": ("record customer payments", "登记收款"),
    "payment.pay": ("record supplier payments", "登记付款"),
    "partner.balance": ("look up partner balances and credit", "查询往来余额和信用额度"),
    "statement": ("make statements", "生成对账单"),
    "delivery_note": ("print delivery notes", "打印送货单"),
    "labels": ("print labels", "打印标签"),
    "alert.list": ("list alerts", "查看预警"),
    "alert.ack": ("acknowledge alerts", "确认预警"),
    "alert.snooze": ("snooze alerts", "推迟预警"),
    "alert.order": ("order from alerts", "按预警下采购单"),
    "help": ("get help", "查看帮助"),
    "sales.amend": ("change sales orders", "修改销售单"),
    "purchase.amend": ("change purchase orders", "修改采购单"),
    "approval.delegate": ("delegate approvals", "委托他人代批"),
    "approval.undelegate": ("end a delegation of approvals", "结束代批"),
}


def intent_words(intent: str, lang: str) -> str:
    """What an intent does, in words of the language."""
    en, zh = INTENT_WORDS.get(intent, (intent, intent))
    return t(lang, en, zh)


def not_permitted_reply(user_name: str, role: str, intent: str, lang: str) -> Reply:
    """A role refusal that says in words what the user may not do, and what to do next."""
    return Reply(
        t(
            lang,
            f"{user_name} ({role}) may not {intent_words(intent, lang)}. "
            "Type `help` to see what you may do, or ask an admin for the right role.",
            f"{user_name}（{role}）不能{intent_words(intent, lang)}。"
            "发送“帮助”查看您可以做什么，或请管理员分配角色。",
        ),
        lang,
        ok=False,
    )


def unregistered_reply(platform: str, platform_id, lang: str) -> Reply:
    """The polite refusal of someone not in the users table, with their own id on the platform
    so an admin can register them (`Slack` U0…, `Telegram` 12345)."""
    return Reply(
        t(
            lang,
            f"Sorry, you are not registered with JXC. Your {platform} id is {platform_id}; an "
            "admin can add you with `jxc import users FILE.csv` (name, role, slack_id, "
            "telegram_id, lang).",
            f"抱歉，您还没有在 JXC 登记。您的 {platform} 编号是 {platform_id}，请管理员用 "
            "`jxc import users` 导入您的账号（姓名、角色、Slack/Telegram 编号、语言）。",
        ),
        lang,
        ok=False,
    )


def not_available_reply(intent: str, lang: str) -> Reply:
    """An intent understood whose service does not exist yet."""
    return Reply(
        t(
            lang,
            f"I understood that you want to {intent_words(intent, lang)}, but that is not "
            "available yet.",
            f"已理解您要{intent_words(intent, lang)}，但该功能尚未开放。",
        ),
        lang,
        ok=False,
    )


def error_reply(exc: JxcError, lang: str) -> Reply:
    """One rendering of any refusal: what went wrong and what to do next."""
    msg = exc.zh if lang == "zh" else exc.message
    if exc.suggestions and not any(s in msg for s in exc.suggestions):
        msg += t(lang, " Did you mean: ", " 您是不是指：") + ", ".join(exc.suggestions) + "?"
    hint = _HINTS.get(exc.code)
    if hint and hint[0]:
        if lang == "zh" and not msg.endswith(("。", "？", "！")):
            msg += "。"
        elif lang != "zh" and not msg.rstrip().endswith((".", "?", "!")):
            msg = msg.rstrip() + "."  # the hint is a sentence of its own
        msg += ("" if lang == "zh" else " ") + t(lang, *hint)
    return Reply(msg, lang, ok=False)


_HINTS = {
    "insufficient_stock": (
        "Ask `how many <item>` to see what is available.",
        "可发“库存 <物品>”查看可用数量。",
    ),
    "not_permitted": ("Type `help` to see what you may do.", "发送“帮助”查看您可以做什么。"),
    "missing_slot": ("", ""),
}


def already_decided_reply(request: str, status: str, by: str, lang: str) -> Reply:
    """A tap on a request that is no longer pending: nothing changes."""
    zh_status = DECIDED_ZH.get(status, status)
    return Reply(
        t(
            lang,
            f"{request} was already decided by {by} ({status}); nothing was changed.",
            f"{request} 已由 {by} 处理（{zh_status}），没有做任何更改。",
        ),
        lang,
        ok=False,
    )


def own_request_reply(request: str, lang: str) -> Reply:
    """A requester's tap on their own request."""
    return Reply(
        t(
            lang,
            f"{request} is your own request; another approver must decide it. Nothing was changed.",
            f"{request} 是您本人提交的，需由其他审批人处理，没有做任何更改。",
        ),
        lang,
        ok=False,
    )


def stale_alert_reply(alert: int, status: str, lang: str) -> Reply:
    """A tap on an alert that is not open any more."""
    return Reply(
        t(
            lang,
            f"Alert {alert} is {status} already; nothing was changed.",
            f"预警 {alert} 已{alert_state(status, 'zh')}，没有做任何更改。",
        ),
        lang,
        ok=False,
    )
