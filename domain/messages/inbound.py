"""Chat deliveries already taken in: a platform re-delivers (Telegram after a timeout, Slack with
`X-Slack-Retry-Num`), and the same delivery must have one effect."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from domain.model import Inbound
from domain.uow import Prepared

inbound_t = Inbound.__table__
_CLAIM = Prepared(
    lambda insert: insert(inbound_t).on_conflict_do_nothing().returning(inbound_t.c.delivery_id),
    ("platform", "delivery_id", "received_at"),
)


_SEEN = select(inbound_t.c.delivery_id).where(
    (inbound_t.c.platform == bindparam("p")) & (inbound_t.c.delivery_id == bindparam("d"))
)


def claim(uow, platform: str, delivery_id: str) -> bool:
    """Record a delivery as taken in; False when it was taken in before (a re-delivery).
    Commit with the work it causes, so a crash before the commit lets the re-delivery through."""
    rows = _CLAIM.run(
        uow, {"platform": platform, "delivery_id": str(delivery_id)[:128], "received_at": uow.now}
    )
    return bool(rows)


def seen(uow, platform: str, delivery_id: str) -> bool:
    """Whether a delivery was taken in before."""
    params = {"p": platform, "d": str(delivery_id)[:128]}
    return uow.execute(_SEEN, params).first() is not None
