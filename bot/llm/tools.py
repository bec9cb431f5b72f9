"""The tools the model is offered: one per intent of the design's vocabulary that has a chat
meaning (not the batch jobs), named with `_` for `.` (`sales_create`), parameters named exactly
as the design's slots, plus the read-only lookups `find_item`, `find_partner` and
`purchase_history`. Only what the user's role holds and what has a service is offered.

Each parameter has a kind (`item`, `customer`, `decimal`, `lines`…) that says how its value is
read back (`bot.llm.arguments`): names resolved as the parser resolves them, decimals accepted
as strings or numbers and read as their decimal text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.llm.port import ToolSpec
from domain.roles import holds

REPORTS = (
    "stock_status", "below_reorder", "slow_moving", "abc", "turnover", "top_sellers",
    "sales_by_customer", "supplier_performance", "kpi", "pending_approvals",
    "receivables_aging", "payables_aging", "gross_profit",
)  # fmt: skip
PERIODS = (
    "today, this_week, last_week, this_month, last_month, this_quarter, last_quarter, "
    "this_year, last_year, last_7_days, last_30_days, or a month as YYYY-MM"
)
BATCH = ("forecast.all", "forecast.backtest", "digest.send", "digest.schedules", "help")
"""Intents with no chat meaning for the model (batch jobs; help is the parser's)."""


@dataclass(frozen=True)
class Slot:
    """One parameter: its kind (how it is read back), whether it is required, and for `lines`
    the parts of a line (and whether a line may leave its item out), for `choice` the values."""

    kind: str
    required: bool = False
    parts: tuple[str, ...] = ()  # lines: item, qty, price, discount
    choices: tuple[str, ...] = ()
    item_optional: bool = False  # an amendment of a one-line order may leave the item out

    def schema(self) -> dict:
        if self.kind == "lines":
            needed = ["qty"] if self.item_optional else ["item", "qty"]
            about = "order lines"
            if self.item_optional:
                about += "; a line may leave its item out when the order has one line"
            return {
                "type": "array",
                "description": about,
                "items": {
                    "type": "object",
                    "properties": {p: _SCHEMAS[p] for p in self.parts},
                    "required": needed,
                },
            }
        if self.kind == "choice":
            return {"type": "string", "enum": list(self.choices)}
        return dict(_SCHEMAS[self.kind])


_NUMBER = {"type": ["string", "number"]}
_SCHEMAS: dict[str, dict] = {
    "item": {"type": "string", "description": "an item: SKU, name or Chinese name"},
    "customer": {"type": "string", "description": "a customer: code or name"},
    "supplier": {"type": "string", "description": "a supplier: code or name"},
    "partner": {"type": "string", "description": "a customer or supplier: code or name"},
    "warehouse": {"type": "string", "description": "a warehouse: code or name"},
    "order": {"type": "string", "description": "an order number, e.g. SO-0007 or PO-0012"},
    "request": {"type": "string", "description": "an approval request, e.g. A-12"},
    "alert": {"type": ["integer", "string"], "description": "an alert number"},
    "invoice": {"type": "string", "description": "an invoice number, e.g. INV-0001"},
    "user": {"type": "string", "description": "a registered user's name"},
    "text": {"type": "string"},
    "qty": {**_NUMBER, "description": 'a quantity as a decimal string, e.g. "20" or "2.5"'},
    "price": {**_NUMBER, "description": 'a unit price as a decimal string, e.g. "0.12"'},
    "amount": {**_NUMBER, "description": 'an amount of money as a decimal string, e.g. "3000"'},
    "discount": {**_NUMBER, "description": 'percent off, e.g. "10" for 10 %'},
    "days": {"type": "integer", "description": "a number of days"},
    "number": {"type": "integer"},
    "bool": {"type": "boolean"},
    "date": {"type": "string", "description": "a date YYYY-MM-DD, or a weekday"},
    "period": {"type": "string", "description": f"a period: {PERIODS}"},
    "items": {"type": "array", "items": {"type": "string"}, "description": "items"},
}
DECIMAL_KINDS = frozenset({"qty", "price", "amount", "discount"})


@dataclass(frozen=True)
class Tool:
    """A tool: its name, the intent it stands for (None: a lookup), what it does, its slots."""

    name: str
    intent: str | None
    description: str
    slots: dict[str, Slot] = field(default_factory=dict)

    def spec(self) -> ToolSpec:
        return ToolSpec(
            self.name,
            self.description,
            {
                "type": "object",
                "properties": {name: slot.schema() for name, slot in self.slots.items()},
                "required": [name for name, slot in self.slots.items() if slot.required],
            },
        )


def _s(kind: str, **kw) -> Slot:
    return Slot(kind, **kw)


def _r(kind: str, **kw) -> Slot:
    return Slot(kind, required=True, **kw)


_SALE_LINE = ("item", "qty", "price", "discount")
_BUY_LINE = ("item", "qty", "price")
_MOVE_LINE = ("item", "qty")

# intent: (what it does, English example, Chinese example, slots)
_VOCABULARY: dict[str, tuple[str, str, str, dict[str, Slot]]] = {
    "stock.query": ("what is in stock, of one item or all (of a warehouse)",
                    "how many M6 do we have", "M6 还有多少",
                    {"item": _s("item"), "warehouse": _s("warehouse")}),
    "stock.receive": ("put goods into stock outside a purchase order",
                      "receive 100 M6 at 0.12", "入库 M6 100 个 单价 0.12",
                      {"item": _r("item"), "qty": _r("qty"), "unit_cost": _s("price"),
                       "warehouse": _s("warehouse")}),
    "stock.issue": ("take goods out of stock outside a sales order",
                    "issue 5 M6 for repairs", "出库 M6 5 个",
                    {"item": _r("item"), "qty": _r("qty"), "warehouse": _s("warehouse"),
                     "reason": _s("text")}),
    "stock.transfer": ("move goods between warehouses",
                       "move 30 M6 from SH to BJ", "调拨 M6 30 个 从上海到北京",
                       {"item": _r("item"), "qty": _r("qty"), "from": _r("warehouse"),
                        "to": _r("warehouse")}),
    "stock.count": ("record a stocktake: the counted quantity replaces the book",
                    "count M6 95", "盘点 M6 实际 95",
                    {"item": _r("item"), "counted_qty": _r("qty"), "warehouse": _s("warehouse")}),
    "purchase.create": ("order goods from a supplier",
                        "order 500 M6 from East China Hardware at 0.10", "向华东五金采购 M6 500 个",
                        {"supplier": _r("supplier"), "lines": _r("lines", parts=_BUY_LINE),
                         "warehouse": _s("warehouse")}),
    "purchase.receive": ("receive what arrived of a purchase order (all open lines, or those given)",
                         "PO-0012 arrived", "PO-0012 到货",
                         {"order": _r("order"), "lines": _s("lines", parts=_MOVE_LINE),
                          "warehouse": _s("warehouse")}),
    "purchase.cancel": ("cancel a purchase order", "cancel PO-0012", "取消 PO-0012",
                        {"order": _r("order"), "reason": _s("text")}),
    "purchase.amend": ("change a purchase order's lines", "change PO-0012 M6 to 800",
                       "PO-0012 M6 改成 800",
                       {"order": _r("order"),
                        "lines": _r("lines", parts=_BUY_LINE, item_optional=True)}),
    "purchase.return": ("return goods of a purchase order to its supplier",
                        "return 10 drills to Shenzhen Tools from PO-0012", "PO-0012 退回 电钻 10 台",
                        {"order": _r("order"), "lines": _r("lines", parts=_MOVE_LINE),
                         "reason": _s("text")}),
    "sales.create": ("sell goods to a customer", "sell 20 M6 to ACME", "ACME 要 20 个 M6",
                     {"customer": _r("customer"), "lines": _r("lines", parts=_SALE_LINE),
                      "warehouse": _s("warehouse")}),
    "sales.ship": ("ship a sales order (all open lines, or those given)",
                   "ship SO-0007 / ship 10 M6 of SO-0007", "SO-0007 发货",
                   {"order": _r("order"), "lines": _s("lines", parts=_MOVE_LINE),
                    "warehouse": _s("warehouse")}),
    "sales.cancel": ("cancel a sales order", "cancel SO-0007", "取消 SO-0007",
                     {"order": _r("order"), "reason": _s("text")}),
    "sales.amend": ("change a sales order's lines (qty 0 removes a line)",
                    "change SO-0007 to 150 / add 20 tape to SO-0007", "SO-0007 改成 150 个",
                    {"order": _r("order"),
                     "lines": _r("lines", parts=_SALE_LINE, item_optional=True)}),
    "sales.return": ("take back goods a customer returned from a sales order",
                     "ACME returned 5 M6 from SO-0007", "SO-0007 退货 M6 5 个",
                     {"order": _r("order"), "lines": _r("lines", parts=_MOVE_LINE),
                      "reason": _s("text")}),
    "order.query": ("look up orders: one by number, or by partner, status, or the user's own",
                    "status of SO-0007 / my open orders", "SO-0007 到哪了 / 我的订单",
                    {"order": _s("order"), "partner": _s("partner"), "status": _s("text"),
                     "mine": _s("bool")}),
    "approval.list": ("the pending approval requests", "pending approvals", "待审批", {}),
    "approval.decide": ("approve or reject a pending request",
                        "approve A-12 / reject A-12 too expensive", "批准 A-12 / 驳回 A-12",
                        {"request": _r("request"),
                         "decision": _r("choice", choices=("approve", "reject")),
                         "reason": _s("text")}),
    "approval.query": ("the state of one approval request", "has A-12 been approved?",
                       "A-12 批了吗", {"request": _r("request")}),
    "approval.delegate": ("let another user decide approvals until a date",
                          "let li approve for me until Friday", "我不在，让 li 代批到周五",
                          {"to": _r("user"), "until": _r("date")}),
    "approval.undelegate": ("stop delegating approvals", "stop delegating my approvals",
                            "取消代批", {"from": _s("user")}),
    "forecast": ("forecast an item's demand", "forecast M6 next 30 days", "预测 M6 未来30天",
                 {"item": _r("item"), "days": _s("days")}),
    "report": ("run a named report", "top sellers last month / what is below reorder point",
               "上月畅销 / 哪些要补货",
               {"name": _r("choice", choices=REPORTS), "period": _s("period")}),
    "price.query": ("an item's price and availability (with a customer: what they last paid)",
                    "price of M8 bolts / what does ACME pay for drills", "M8 多少钱",
                    {"item": _r("item"), "customer": _s("customer"),
                     "warehouse": _s("warehouse")}),
    "partner.balance": ("what a partner owes or is owed, and credit left",
                        "how much does ACME owe us", "ACME 欠多少钱", {"partner": _r("partner")}),
    "statement": ("a partner's statement for a period", "statement for ACME last month",
                  "艾克米 上月对账单", {"partner": _r("partner"), "period": _s("period")}),
    "digest": ("today's digest, or the weekly one", "today's digest / weekly report",
               "今天的日报 / 周报", {"kind": _s("choice", choices=("daily", "weekly"))}),
    "payment.receive": ("record money received from a customer", "ACME paid 3000",
                        "收到艾克米货款 3000",
                        {"customer": _r("customer"), "amount": _r("amount"),
                         "invoice": _s("invoice")}),
    "payment.pay": ("record money paid to a supplier", "paid East China Hardware 5000",
                    "付华东五金 5000",
                    {"supplier": _r("supplier"), "amount": _r("amount"),
                     "invoice": _s("invoice")}),
    "alert.list": ("the open alerts", "alerts / my alerts", "预警 / 我的预警",
                   {"kind": _s("text"), "mine": _s("bool")}),
    "alert.ack": ("acknowledge an alert", "ack alert 12", "确认预警 12", {"alert": _r("alert")}),
    "alert.snooze": ("put an alert aside for some days", "snooze alert 12 for 3 days",
                     "预警 12 推迟 3 天", {"alert": _r("alert"), "days": _s("days")}),
    "alert.order": ("turn a reorder alert into a purchase order", "order from alert 12",
                    "按预警 12 下采购单",
                    {"alert": _r("alert"), "qty": _s("qty"), "supplier": _s("supplier")}),
    "delivery_note": ("a delivery note of a sales order", "delivery note for SO-0007",
                      "SO-0007 送货单", {"order": _r("order"), "shipment": _s("number")}),
    "labels": ("print item labels", "print labels for M6 and M8", "打印 M6 标签",
               {"items": _r("items")}),
}  # fmt: skip

LOOKUPS: dict[str, Tool] = {
    "find_item": Tool(
        "find_item",
        None,
        "find_item: look items up by SKU, name, Chinese name or part of one; answers the "
        "matching items (sku, name, name_zh, uom). 查找商品。",
        {"query": _r("text")},
    ),
    "find_partner": Tool(
        "find_partner",
        None,
        "find_partner: look customers or suppliers up by code or name; answers the matching "
        "partners (code, name, name_zh, kind). 查找客户或供应商。",
        {"query": _r("text"), "kind": _s("choice", choices=("customer", "supplier"))},
    ),
    "purchase_history": Tool(
        "purchase_history",
        None,
        "purchase_history: an item's past purchase lines, newest first: supplier, price, "
        "quantity, date, order (of one supplier when given). 历史采购记录。",
        {"item": _r("item"), "supplier": _s("supplier")},
    ),
}


def _tool(intent: str) -> Tool:
    what, en, zh, slots = _VOCABULARY[intent]
    write = intent not in QUERIES
    tail = " Proposes the change; the user confirms it." if write else ""
    return Tool(
        intent.replace(".", "_"), intent, f"{intent}: {what}. e.g. “{en}” / “{zh}”.{tail}", slots
    )


QUERIES = frozenset(
    {"stock.query", "order.query", "approval.list", "approval.query", "forecast", "report",
     "price.query", "partner.balance", "statement", "digest", "alert.list", "delivery_note"}
)  # fmt: skip
VOCABULARY: dict[str, Tool] = {intent: _tool(intent) for intent in _VOCABULARY}
BY_NAME: dict[str, Tool] = {t.name: t for t in (*VOCABULARY.values(), *LOOKUPS.values())}


def offered(role: str, services) -> dict[str, Tool]:
    """The tools for a role, by name: the lookups, and each intent the role holds that has a
    service (`services`: the intents the bus can run)."""
    tools = dict(LOOKUPS)
    for intent, tool in VOCABULARY.items():
        if intent in services and intent not in BATCH and holds(role, intent):
            tools[tool.name] = tool
    return tools
