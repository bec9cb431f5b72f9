"""Getting scheduled digests to their readers: queued as deliveries by the scheduled job
(`queue`), or handed to a notifier at once when someone asks (`deliver`); `build_digest` renders
one now. What a digest says is in `adapters.digest_text`, who gets it and when in
`adapters.digest_schedules`.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from adapters.digest_schedules import KINDS, load_schedules, recipients, save_schedules
from adapters.digest_text import MONEY_ROLES, gather, gather_in, render_png, render_text
from domain.errors import BadRequest
from domain.messages.batch_results import DigestSchedule, DigestSchedules, DigestSent
from domain.messages.commands_admin import SendDigest, SetDigestSchedules

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Digest:
    """A rendered digest: its text and chart (None when there is nothing to draw)."""

    kind: str
    text: str
    png: Path | None
    empty: bool = False


def _png_path(kind: str, today, png_path: str | Path | None) -> Path:
    """Where the chart goes: `png_path`, else a private directory (mode 700) of its own, never
    a predictable name in the shared temporary directory (another local user could take it)."""
    if png_path:
        return Path(png_path)
    return Path(tempfile.mkdtemp(prefix="jxc-digest-")) / f"jxc-digest-{kind}-{today}.png"


def build_digest(
    app, kind: str = "daily", *, lang: str = "en", png_path: str | Path | None = None
) -> Digest:
    """Render the digest now: text, and a chart written to `png_path` (default: a file in a
    private temporary directory, named after the kind and date). Nothing to report → no
    chart."""
    if kind not in KINDS:
        raise ValueError(f"digest kind must be one of {KINDS}, got {kind!r}")
    data = gather(app, kind)
    text, has_news = render_text(data, kind, app.settings.currency, lang)
    if not has_news:
        return Digest(kind, text, None, empty=True)
    return Digest(kind, text, render_png(data, kind, _png_path(kind, data["today"], png_path)))


def messages(uow, kind: str, to, currency: str) -> list[tuple[object, str, Path | None]]:
    """The digest for each recipient: `(user, text in their language, chart or None)`, one
    chart for all (none when there is nothing to report)."""
    users = recipients(uow, to)
    if not users:
        logger.warning("digest %s has no recipients (to %s)", kind, list(to))
        return []
    data = gather_in(uow, kind)
    texts: dict[tuple[str, bool], tuple[str, bool]] = {}
    png, out = None, []
    for user in users:
        lang = "zh" if user.lang == "zh" else "en"
        copy = (lang, user.role in MONEY_ROLES)
        if copy not in texts:
            texts[copy] = render_text(data, kind, currency, lang, money=copy[1])
        text, has_news = texts[copy]
        if has_news and png is None:
            png = render_png(data, kind, _png_path(kind, data["today"], None))
        out.append((user, text, png if has_news else None))
    return out


def deliver(uow, notifier, kind: str, to, currency: str) -> int:
    """Hand the digest to the notifier for each recipient at once, in a unit of work the
    caller holds; how many were sent. The scheduled digests are queued instead (`queue`)."""
    sent = messages(uow, kind, to, currency)
    for user, text, png in sent:
        notifier.send(user, text, png)
    logger.info("digest sent", extra={"kind": kind, "recipients": len(sent)})
    return len(sent)


def queue(uow, kind: str, to, currency: str, channels: tuple[str, ...]) -> int:
    """Queue the digest for each recipient as deliveries, in the caller's transaction:
    committed with the claim of the day's run, it goes out through the delivery loop, retried
    while a chat platform is down, and a crash after the commit loses nothing. Returns how
    many messages were queued."""
    from domain.alerts.records import queue_message

    queued = 0
    for user, text, png in messages(uow, kind, to, currency):
        queued += queue_message(
            uow, user, text, purpose="digest", channels=channels, attachment=png and str(png)
        )
    logger.info("digest queued", extra={"kind": kind, "messages": queued})
    return queued


# -- the services of digest.send and digest.schedules ----------------------------------------


def send_digest_now(cmd: SendDigest, uow, user, *, notifier, currency: str) -> DigestSent:
    """Send the digest of `cmd.kind` to the recipients of that kind's schedules (admins when
    none is stored)."""
    if cmd.kind not in KINDS:
        raise BadRequest(
            f"digest kind must be one of {', '.join(KINDS)}, not {cmd.kind!r}",
            zh=f"摘要类型只能是 {'、'.join(KINDS)}",
        )
    to = sorted({x for s in load_schedules(uow) if s.kind == cmd.kind for x in s.to})
    sent = deliver(uow, notifier, cmd.kind, to or ["admin"], currency)
    return DigestSent(kind=cmd.kind, sent=sent)


def set_schedules(cmd: SetDigestSchedules, uow, user) -> DigestSchedules:
    """Replace the digest schedules (the bus commits and audits): the schedules stored."""
    stored = save_schedules(uow, cmd.schedules)
    return DigestSchedules(
        schedules=tuple(DigestSchedule(kind=s.kind, at=s.at, to=tuple(s.to)) for s in stored)
    )
