"""Questions that never write: an item's price, a partner's credit line, one approval request,
and the digest now. Each reads in the caller's unit of work and returns a typed result."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from sqlalchemy import select

from domain.approvals import policy as approvals
from domain.errors import BadRequest, UnknownRequest
from domain.ledger import lookup
from domain.ledger.moves import balance_t, wh_t
from domain.messages.commands import QueryApproval, QueryBalance, QueryDigest, QueryPrice
from domain.messages.results import (
    ApprovalAnswer,
    CreditAnswer,
    DigestAnswer,
    PriceAnswer,
    WarehouseAvailable,
)
from domain.model import ApprovalRequest
from domain.numbers import money_str, price_str, qty_str
from domain.orders.sales import exposure, sl_t, so_t

req_t = ApprovalRequest.__table__
ZERO = Decimal(0)
# What a customer has really bought: a pending or cancelled order was never a price they paid.
BOUGHT = ("confirmed", "partially_shipped", "shipped")
DIGEST_KINDS = ("daily", "weekly")


def _by_warehouse(uow, item_id: int) -> list[tuple[str, Decimal]]:
    """Every warehouse with what is available of the item there (0 where it has none)."""
    rows = uow.execute(
        select(wh_t.c.code, balance_t.c.on_hand, balance_t.c.reserved)
        .select_from(
            wh_t.outerjoin(
                balance_t,
                (balance_t.c.warehouse_id == wh_t.c.id) & (balance_t.c.item_id == item_id),
            )
        )
        .order_by(wh_t.c.id)
    ).all()
    return [(r.code, (r.on_hand or ZERO) - (r.reserved or ZERO)) for r in rows]


def _last_sale(uow, customer_id: int, item_id: int):
    """The customer's latest bought line of the item: net price, when, which order."""
    return uow.execute(
        select(sl_t.c.price, so_t.c.created_at, so_t.c.number)
        .select_from(sl_t.join(so_t, so_t.c.id == sl_t.c.order_id))
        .where(
            (so_t.c.partner_id == customer_id)
            & (sl_t.c.item_id == item_id)
            & so_t.c.status.in_(BOUGHT)
        )
        .order_by(so_t.c.created_at.desc(), so_t.c.id.desc(), sl_t.c.line_no)
        .limit(1)
    ).first()


def query_price(cmd: QueryPrice, uow, user) -> PriceAnswer:
    """An item's list price and what is available (in the warehouse named, else in all of
    them), and with a customer the net price of their latest confirmed or shipped line."""
    item = lookup.item(uow, cmd.item)
    wh = lookup.warehouse(uow, cmd.warehouse) if cmd.warehouse else None
    customer = lookup.partner(uow, cmd.customer, "customer") if cmd.customer else None
    places = _by_warehouse(uow, item.id)
    if wh is not None:
        available = next((q for code, q in places if code == wh.code), ZERO)
    else:
        available = sum((q for _code, q in places), ZERO)
    last = _last_sale(uow, customer.id, item.id) if customer is not None else None
    return PriceAnswer(
        sku=item.sku,
        name=item.name,
        name_zh=item.name_zh or None,
        uom=item.uom,
        list_price=price_str(item.unit_price),
        available=qty_str(available),
        by_warehouse=tuple(
            WarehouseAvailable(warehouse=code, available=qty_str(q)) for code, q in places
        ),
        warehouse=wh.code if wh is not None else None,
        customer=customer.code if customer is not None else None,
        last_price=price_str(last.price) if last is not None else None,
        last_date=uow.clock.local(last.created_at).date().isoformat() if last is not None else None,
        last_order=last.number if last is not None else None,
    )


def partner_balance(cmd: QueryBalance, uow, user) -> CreditAnswer:
    """A partner's credit line: the limit, the exposure the sales approval check counts
    (confirmed orders not yet shipped + shipped and unpaid) and what is left of it."""
    partner = lookup.partner(uow, cmd.partner)
    exposed = exposure(uow, partner.id) if partner.kind == "customer" else ZERO
    limit = partner.credit_limit or ZERO
    return CreditAnswer(
        partner=partner.code,
        partner_name=partner.name or None,
        partner_name_zh=partner.name_zh or None,
        credit_limit=money_str(limit),
        exposure=money_str(exposed),
        credit_left=money_str(limit - exposed),
    )


def query_approval(
    cmd: QueryApproval, uow, user, *, subjects: Mapping[str, approvals.Subject]
) -> ApprovalAnswer:
    """One request in any state, for anyone: what it is about, why it was asked, who decided
    it and when (for whom, under a delegation), and the reason given. Never decides."""
    number = cmd.request.strip().upper()
    r = uow.execute(select(req_t).where(req_t.c.number == number)).first()
    if r is None:
        raise UnknownRequest(f"no approval request {number}", zh=f"没有审批单 {number}")
    subject = subjects.get(r.subject_kind)
    details = subject.details(uow, r.subject) if subject is not None else {}
    decided_at = getattr(r, "decided_at", None)
    return ApprovalAnswer(
        **approvals.row_fields(r, details),
        decided_at=uow.clock.local(decided_at).isoformat() if decided_at is not None else None,
        # Recorded by delegated decisions (a column of later schemas); None before.
        on_behalf_of=r._mapping.get("on_behalf_of"),
    )


DigestPort = Callable[..., tuple[str, str | None]]
"""`digest(uow, kind, lang, role=…) -> (text, chart path or None)`: the scheduled digest's text and
chart, built at the edges (charts need matplotlib) and handed in by the bootstrap."""


def query_digest(cmd: QueryDigest, uow, user, *, digest: DigestPort) -> DigestAnswer:
    """The digest of `cmd.kind` (daily by default) now, in the user's language: the same text
    and chart the scheduled one sends."""
    kind = (cmd.kind or "daily").strip().lower()
    if kind not in DIGEST_KINDS:
        raise BadRequest(
            f"digest kind must be one of {', '.join(DIGEST_KINDS)}, not {cmd.kind!r}",
            zh=f"摘要类型只能是 {'、'.join(DIGEST_KINDS)}",
        )
    lang = "zh" if (getattr(user, "lang", None) or "en") == "zh" else "en"
    # The copy the user's role receives (accountants and admins: with overdue receivables).
    text, chart = digest(uow, kind, lang, role=getattr(user, "role", None))
    return DigestAnswer(kind=kind, text=text, chart=str(chart) if chart else None)
