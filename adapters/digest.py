"""Scheduled digests: what they say (`build_digest`), who gets them and when (definitions stored
as data in the `setting` table), and getting them there: queued as deliveries by the scheduled
job (`queue`), or handed to a notifier at once when someone asks (`deliver`).

A digest gathers the design's reports — stock value, items below reorder point, top sellers,
pending approvals, KPIs — into one short text and one chart. A digest with nothing to report
says so, and has no chart.
"""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from bot.render.words import subject_words
from bot.report_text import KPI_NAMES, period_label
from domain import settings
from domain.errors import BadRequest, InvalidAmount, JxcError
from domain.messages.batch_results import DigestSchedule, DigestSchedules, DigestSent
from domain.messages.commands import Report
from domain.messages.commands_admin import SendDigest, SetDigestSchedules
from domain.messages.results import ReportAnswer
from domain.model import ROLES, Setting, User
from domain.numbers import money_display, pct_display, qty_display
from domain.reports.service import run_report

logger = logging.getLogger(__name__)

KINDS = ("daily", "weekly")
SETTING = "digest.schedules"
# Compact on purpose: `setting.value` holds at most 200 characters.
DEFAULT_SCHEDULES = (
    {"kind": "daily", "at": "08:30", "to": ["admin", "approver", "accountant"]},
    {"kind": "weekly", "at": "mon 08:30", "to": ["admin", "approver"]},
)
DAYS_OF_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Top sellers: a week for the daily digest, the previous calendar week for Monday's weekly one.
TOP_PERIOD = {"daily": "last_7_days", "weekly": "last_week"}
TOP_SHOWN = 5
REORDER_SHOWN = 10

setting_t = Setting.__table__
user_t = User.__table__


# -- definitions as data --------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """One digest definition: its kind, when (`HH:MM` daily, `ddd HH:MM` weekly, in
    `JXC_TIMEZONE`) and to whom (roles and/or user names)."""

    kind: str
    at: str
    to: tuple[str, ...]

    @property
    def day_of_week(self) -> str | None:
        parts = self.at.split()
        return parts[0] if len(parts) == 2 else None

    @property
    def hour_minute(self) -> tuple[int, int]:
        hh, mm = self.at.split()[-1].split(":")
        return int(hh), int(mm)

    @property
    def job_id(self) -> str:
        return f"digest.{self.kind}.{self.at.replace(' ', '-')}"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "at": self.at, "to": list(self.to)}


def _bad(message: str) -> InvalidAmount:
    return InvalidAmount(f"digest.schedules: {message}", zh=f"digest.schedules 无效：{message}")


def parse_schedules(data) -> list[Schedule]:
    """Validate digest definitions (a JSON text or a list of dicts)."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise _bad(f"not JSON ({exc.msg})") from None
    if not isinstance(data, list):
        raise _bad("expected a JSON list of {kind, at, to}")
    out = []
    for i, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            raise _bad(f"entry {i} is not an object")
        kind, at, to = entry.get("kind"), str(entry.get("at", "")).strip().lower(), entry.get("to")
        if kind not in KINDS:
            raise _bad(f"entry {i}: kind must be one of {', '.join(KINDS)}")
        parts = at.split()
        try:
            hh, mm = (int(x) for x in parts[-1].split(":"))
            ok = 0 <= hh < 24 and 0 <= mm < 60 and len(parts) in (1, 2)
        except (ValueError, IndexError):
            ok = False
        if not ok or (len(parts) == 2 and parts[0] not in DAYS_OF_WEEK):
            raise _bad(f"entry {i}: at must be HH:MM or 'mon HH:MM' (mon…sun), not {at!r}")
        if isinstance(to, str):
            to = [to]
        if not to or not all(isinstance(x, str) and x.strip() for x in to):
            raise _bad(f"entry {i}: to must list roles or user names")
        out.append(Schedule(kind, at, tuple(x.strip() for x in to)))
    return out


def load_schedules(uow) -> list[Schedule]:
    """The stored digest definitions, or the defaults when none were stored."""
    raw = uow.execute(select(setting_t.c.value).where(setting_t.c.name == SETTING)).scalar()
    return parse_schedules(raw if raw is not None else list(DEFAULT_SCHEDULES))


def save_schedules(uow, data) -> list[Schedule]:
    """Validate and store digest definitions (the caller commits)."""
    schedules = parse_schedules(data)
    text = json.dumps([s.to_dict() for s in schedules], separators=(",", ":"))
    if len(text) > 200:
        raise _bad("too long to store (at most 200 characters of JSON)")
    settings.store(uow, SETTING, text)
    return schedules


def recipients(uow, to) -> list:
    """The users a digest goes to: everyone with a listed role, and users listed by name."""
    roles = [x for x in to if x in ROLES]
    names = [x.lower() for x in to if x not in ROLES]
    rows = uow.execute(select(user_t).order_by(user_t.c.id)).all()
    return [u for u in rows if u.role in roles or u.name.lower() in names]


# -- the digest -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Digest:
    """A rendered digest: its text and chart (None when there is nothing to draw)."""

    kind: str
    text: str
    png: Path | None
    empty: bool = False


def _t(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def _kpi_line(row: dict, lang: str = "en") -> str:
    pct = row["kpi"] != "turnover"

    def show(x):
        return "–" if x is None else (pct_display(x) if pct else f"{x:.1f}")

    mark = {True: "✓", False: "✗", None: _t(lang, "n/a", "无数据")}[row["met"]]
    name = KPI_NAMES.get(row["kpi"], (row["kpi"], row["kpi"]))[lang == "zh"]
    value, target = show(row["value"]), show(row["target"])
    return _t(
        lang,
        f"  {name}: {value} (target {target}) {mark}",
        f"  {name}：{value}（目标 {target}）{mark}",
    )


def _run(uow, name: str, period: str | None = None) -> ReportAnswer | None:
    try:
        return run_report(Report(name=name, period=period), uow, None)
    except JxcError as exc:
        logger.warning("digest: report %s unavailable: %s", name, exc.message)
        return None


def gather(app, kind: str = "daily") -> dict:
    """The reports a digest is made of, read in one unit of work."""
    with app.uow(write=False) as uow:
        return gather_in(uow, kind)


def gather_in(uow, kind: str = "daily") -> dict:
    """The reports a digest is made of, read in the given unit of work."""
    return {
        "today": uow.clock.today(),
        "stock": _run(uow, "stock_status"),
        "reorder": _run(uow, "below_reorder"),
        "top": _run(uow, "top_sellers", TOP_PERIOD[kind]),
        "approvals": _run(uow, "pending_approvals"),
        "kpi": _run(uow, "kpi"),
        # Shown only in the copies that go to accountants and admins (`render_text(money=…)`).
        "receivables": _run(uow, "receivables_aging"),
    }


def _rows(part: ReportAnswer | None) -> list:
    return list(part.rows) if part is not None else []


MONEY_ROLES = ("accountant", "admin")
"""Who reads the overdue receivables in their copy of the digest."""
OVERDUE_SHOWN = 5


def render_text(
    data: dict, kind: str, currency: str, lang: str = "en", money: bool = False
) -> tuple[str, bool]:
    """The digest's text and whether it had anything to report; with `money` (the copies of
    accountants and admins), the overdue receivables too."""
    text, has_news = _render_text(data, kind, currency, lang)
    overdue = _overdue_lines(data, currency, lang) if money else []
    if not overdue:
        return text, has_news
    if not has_news:
        text = text.split("\n", 1)[0]
    return text + "\n" + "\n".join(overdue), True


def _overdue_lines(data: dict, currency: str, lang: str) -> list[str]:
    """Customers with overdue invoices, most overdue first: the amount and its buckets."""
    rows = [r for r in _rows(data.get("receivables")) if float(r["overdue"]) > 0]
    if not rows:
        return []
    total = sum(Decimal(r["overdue"]) for r in rows)
    lines = [
        _t(
            lang,
            f"Overdue receivables: {money_display(total)} {currency} ({len(rows)} customers)",
            f"逾期应收：{money_display(total)} {currency}（{len(rows)} 个客户）",
        )
    ]
    for r in rows[:OVERDUE_SHOWN]:
        name = (r.get("name_zh") if lang == "zh" else None) or r["partner"]
        late = [(b, r[b]) for b in ("1-30", "31-60", "61-90", "90+") if float(r[b]) > 0]
        parts = ", ".join(f"{b}{_t(lang, ' days', '天')} {money_display(v)}" for b, v in late)
        lines.append(
            f"  {name}: {money_display(r['overdue'])}" + _t(lang, f" ({parts})", f"（{parts}）")
        )
    if len(rows) > OVERDUE_SHOWN:
        lines.append(f"  … +{len(rows) - OVERDUE_SHOWN}")
    return lines


def _render_text(data: dict, kind: str, currency: str, lang: str = "en") -> tuple[str, bool]:
    title = _t(
        lang, f"JXC {kind} digest — {data['today']}", f"JXC {_zh_kind(kind)}摘要 — {data['today']}"
    )
    top_period = period_label(TOP_PERIOD[kind], lang)
    stock = data["stock"]
    total = stock.summary.get("total_value", "0") if stock is not None else "0"
    reorder, top = _rows(data["reorder"]), _rows(data["top"])
    approvals = _rows(data["approvals"])
    if float(total) == 0 and not (reorder or top or approvals):
        return title + "\n" + _t(
            lang,
            "Nothing to report: no stock on hand, nothing below its reorder point, no sales "
            f"in the period ({top_period}) and no approvals waiting.",
            f"今日无事可报：没有库存、没有低于再订货点的物品、期间（{top_period}）"
            "没有销售、没有待审批的请求。",
        ), False
    lines = [title, ""]
    lines.append(_t(lang, "Stock value: ", "库存价值：") + f"{money_display(total)} {currency}")
    lines.append(_t(lang, f"Below reorder point: {len(reorder)}", f"低于再订货点：{len(reorder)}"))
    for r in reorder[:REORDER_SHOWN]:
        uom = r.get("uom")
        rop = qty_display(r["reorder_point"], uom, up=True)
        order = qty_display(r["suggested_qty"], uom, up=True)
        projected = qty_display(r["projected"], uom)
        lines.append(
            f"  {r['sku']}: "
            + _t(
                lang,
                f"{projected} ≤ ROP {rop}, suggest {order}",
                f"预计可用 {projected} ≤ 再订货点 {rop}，建议订 {order}",
            )
        )
    if len(reorder) > REORDER_SHOWN:
        lines.append(f"  … +{len(reorder) - REORDER_SHOWN}")
    lines.append(_t(lang, f"Top sellers ({top_period}):", f"畅销（{top_period}）："))
    if not top:
        lines.append(_t(lang, "  no sales in the period", "  期间无销售"))
    for r in top[:TOP_SHOWN]:
        revenue, share = money_display(r["revenue"]), pct_display(r["share"])
        lines.append(
            f"  {r['rank']}. {r['sku']} {revenue}" + _t(lang, f" ({share})", f"（{share}）")
        )
    lines.append(_t(lang, f"Pending approvals: {len(approvals)}", f"待审批：{len(approvals)}"))
    for r in approvals[:REORDER_SHOWN]:
        who, age = r["requested_by"], f"{r['age_hours']:g}"
        lines.append(
            f"  {r['request']} {subject_words(r.get('subject_kind'), str(r['subject']), lang)} "
            + _t(lang, f"({who}, {age} h)", f"（{who}，{age} 小时）")
        )
    if data["kpi"] is not None:
        period = period_label((data["kpi"].period or {}).get("name", ""), lang)
        lines.append(_t(lang, f"KPIs ({period}):", f"关键指标（{period}）："))
        lines.extend(_kpi_line(r, lang) for r in data["kpi"].rows)
    return "\n".join(lines), True


def _zh_kind(kind: str) -> str:
    return {"daily": "每日", "weekly": "每周"}.get(kind, kind)


def render_png(data: dict, kind: str, path: Path) -> Path:
    """Top sellers by revenue beside stock value by category (matplotlib, Agg, CJK font)."""
    from adapters.charts import cjk_rc, pyplot

    plt = pyplot()
    rc = cjk_rc()
    top = _rows(data["top"])[: TOP_SHOWN * 2]
    by_cat = data["stock"].summary.get("by_category", {}) if data["stock"] is not None else {}
    with plt.rc_context(rc):
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), dpi=100)
        try:
            labels = [f"{r['sku']} {r.get('name_zh', '')}".strip() for r in top][::-1]
            left.barh(labels, [float(r["revenue"]) for r in top][::-1], color="#1f77b4")
            when, when_zh = period_label(TOP_PERIOD[kind]), period_label(TOP_PERIOD[kind], "zh")
            left.set_title(f"top sellers 畅销 ({when} {when_zh})")
            left.set_xlabel("revenue 销售额")
            cats = sorted(by_cat, key=lambda c: float(by_cat[c]))
            right.barh(cats, [float(by_cat[c]) for c in cats], color="#2ca02c")
            right.set_title("stock value by category 库存价值（按类别）")
            for ax in (left, right):
                ax.grid(axis="x", alpha=0.3)
                if not ax.has_data():
                    ax.text(0.5, 0.5, "no data 无数据", ha="center", transform=ax.transAxes)
            fig.suptitle(f"JXC {kind} digest {_zh_kind(kind)}摘要 — {data['today']}")
            fig.tight_layout()
            fig.savefig(path, format="png")
        finally:
            plt.close(fig)
    return path


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
