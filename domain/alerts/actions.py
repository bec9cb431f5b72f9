"""The `alert.*` services: list the alerts a user may see, acknowledge or snooze one, and
order from a reorder alert (a normal `purchase.create`)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from sqlalchemy import select, update

from domain.alerts.records import alert_facts, alert_t, may_see, users_by_role
from domain.errors import InvalidQuantity, InvalidState, MissingSlot, NotPermitted, UnknownAlert
from domain.messages.commands import (
    AckAlert,
    CreatePurchaseOrder,
    Line,
    ListAlerts,
    OrderFromAlert,
    SnoozeAlert,
)
from domain.messages.results import AlertAction, AlertOrderResult, AlertRow, AlertsAnswer
from domain.model import Item, Partner, PurchaseLine, PurchaseOrder
from domain.roles import is_admin


def _status(alert, now: datetime) -> str:
    if alert.status == "snoozed" and alert.snoozed_until is not None and alert.snoozed_until <= now:
        return "open"
    return alert.status


def alert_row(alert, lang: str, now: datetime) -> AlertRow:
    """An alert as `jxc alerts --json` shows it, its message in `lang`."""
    status = _status(alert, now)
    snoozed = status == "snoozed" and alert.snoozed_until is not None
    return AlertRow(
        id=alert.id,
        kind=alert.kind,
        subject=alert.subject,
        message=alert.message_zh if lang == "zh" and alert.message_zh else alert.message,
        status=status,
        until=alert.snoozed_until.isoformat() if snoozed else None,
    )


def list_alerts(cmd: ListAlerts, uow, user) -> AlertsAnswer:
    """Open alerts sent to the user (admins: all of them, unless `mine`); with `all`, alerts in
    every state. A snoozed alert whose time is up is open."""
    q = select(alert_t).order_by(alert_t.c.id)
    if cmd.kind:
        q = q.where(alert_t.c.kind == cmd.kind)
    if not cmd.all:
        q = q.where(alert_t.c.status.in_(("open", "snoozed")))
    by_role = users_by_role(uow)
    lang = getattr(user, "lang", "en") or "en"
    rows = []
    for alert in uow.execute(q):
        if (cmd.mine or not is_admin(user.role)) and not may_see(uow, alert, _plain(user), by_role):
            continue
        row = alert_row(alert, lang, uow.now)
        if not cmd.all and row.status != "open":
            continue
        rows.append(row)
    return AlertsAnswer(alerts=tuple(rows))


class _plain:
    """A user seen as a non-admin (an admin asking for "my alerts")."""

    def __init__(self, user):
        self.name, self.role = user.name, "viewer" if is_admin(user.role) else user.role


def _acted_on(uow, alert_id: int, user, verb: str):
    alert = uow.execute(select(alert_t).where(alert_t.c.id == alert_id)).first()
    if alert is None:
        raise UnknownAlert(f"there is no alert {alert_id}", zh=f"没有预警 {alert_id}")
    if not may_see(uow, alert, user):
        raise NotPermitted(
            f"alert {alert_id} was not sent to {user.name}; only its recipients or an admin may "
            f"{verb} it",
            zh=f"预警 {alert_id} 不是发给 {user.name} 的，只有接收人或管理员可以处理",
        )
    if alert.status == "resolved":
        raise InvalidState(f"alert {alert_id} is resolved already", zh=f"预警 {alert_id} 已解决")
    if alert.kind == "approval" and verb != "order from":
        request = alert.subject
        raise InvalidState(
            f"alert {alert_id} closes only by the decision on {request}: approve or reject it",
            zh=f"预警 {alert_id} 只能通过审批 {request} 关闭：请批准或驳回",
        )
    return alert


def ack_alert(cmd: AckAlert, uow, user) -> AlertAction:
    """Acknowledge an alert sent to the user (admins: any); an approval alert closes only by
    its decision, a resolved one is `invalid_state`."""
    alert = _acted_on(uow, cmd.alert, user, "acknowledge")
    uow.execute(
        update(alert_t)
        .where(alert_t.c.id == alert.id)
        .values(status="acknowledged", snoozed_until=None, acted_by=user.name, updated_at=uow.now)
    )
    return AlertAction(
        alert=alert.id, kind=alert.kind, subject=alert.subject, status="acknowledged"
    )


def snooze_alert(cmd: SnoozeAlert, uow, user) -> AlertAction:
    """Put an alert aside for `days` (default 1, more than 0); it is open again after that."""
    days = 1 if cmd.days is None else cmd.days
    if days <= 0:
        raise InvalidQuantity(
            f"snooze for a number of days above 0, not {days}",
            zh=f"推迟天数必须大于 0，不能是 {days}",
        )
    alert = _acted_on(uow, cmd.alert, user, "snooze")
    until = uow.now + timedelta(days=days)
    uow.execute(
        update(alert_t)
        .where(alert_t.c.id == alert.id)
        .values(status="snoozed", snoozed_until=until, acted_by=user.name, updated_at=uow.now)
    )
    return AlertAction(
        alert=alert.id,
        kind=alert.kind,
        subject=alert.subject,
        status="snoozed",
        until=until.isoformat(),
        days=days,
    )


def latest_supplier(uow, sku: str) -> str | None:
    """The supplier code of the newest purchase order with a line of the item, or None."""
    po, pl, item, partner = (
        PurchaseOrder.__table__,
        PurchaseLine.__table__,
        Item.__table__,
        Partner.__table__,
    )
    return uow.execute(
        select(partner.c.code)
        .select_from(
            po.join(pl, pl.c.order_id == po.c.id)
            .join(item, item.c.id == pl.c.item_id)
            .join(partner, partner.c.id == po.c.partner_id)
        )
        .where(item.c.sku == sku)
        .order_by(po.c.id.desc())
        .limit(1)
    ).scalar()


def order_from_alert(
    cmd: OrderFromAlert, uow, user, *, create_purchase_order=None
) -> AlertOrderResult:
    """A purchase order for a reorder alert: the suggested quantity (or `qty`) from the
    supplier of the item's latest purchase order (or `supplier`; asked for when there is
    none). It is a normal `purchase.create`, with its approval policy."""
    alert = _acted_on(uow, cmd.alert, user, "order from")
    if alert.kind != "reorder":
        raise InvalidState(
            f"alert {alert.id} is not a reorder alert; only those suggest an order",
            zh=f"预警 {alert.id} 不是补货预警，无法据此下采购单",
        )
    facts = alert_facts(alert)
    sku = facts.get("sku") or alert.subject
    supplier = cmd.supplier or latest_supplier(uow, sku)
    if not supplier:
        raise MissingSlot(
            f"{sku} was never ordered: which supplier should alert {alert.id} order from?",
            zh=f"{sku} 从未采购过：预警 {alert.id} 向哪个供应商下单？",
        )
    from domain.numbers import to_decimal

    qty = cmd.qty if cmd.qty is not None else to_decimal(str(facts.get("suggested_qty", 0)))
    if create_purchase_order is None:
        from domain.orders.purchasing import create_purchase_order
    po = CreatePurchaseOrder(supplier=supplier, lines=(Line(item=sku, qty=qty),))
    result = create_purchase_order(po, uow, user)
    head = {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
    return AlertOrderResult(**{**head, "supplier": supplier}, alert=alert.id)
