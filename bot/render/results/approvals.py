"""Results of approvals: a request, the pending list, a decision, a delegation."""

from __future__ import annotations

from bot.render.reply import Reply, t
from bot.render.results.base import listed, result_reply, said
from bot.render.words import (
    details_text,
    joined_reasons,
    status_words,
    subject_words,
)
from domain.messages.results import (
    ApprovalAnswer,
    ApprovalsAnswer,
    Decision,
    DelegationEnded,
    DelegationSet,
    PostedCount,
    RequestRow,
)
from domain.numbers import money_display


def _reasons(r: RequestRow, lang: str) -> str:
    return joined_reasons((r.reasons_zh if lang == "zh" else None) or r.reasons, lang)


def _posted(posted: PostedCount | None, lang: str) -> str:
    """What an approved count posted, and whether the book had moved since the count."""
    if posted is None:
        return ""
    moved = ""
    if posted.book_moved:
        moved = t(
            lang,
            f" (the book moved from {posted.book_qty_at_count} at the count to "
            f"{posted.book_qty_before}; the approved difference was posted, not the count)",
            f"（账面已从盘点时的 {posted.book_qty_at_count} 变为 {posted.book_qty_before}，"
            "按批准的差异过账，而不是按实盘数）",
        )
    return t(
        lang,
        f"; posted {posted.diff_qty} ({money_display(posted.diff_value)}), on hand now "
        f"{posted.on_hand}{moved}",
        f"；已过账 {posted.diff_qty}（{money_display(posted.diff_value)}），现在在库 "
        f"{posted.on_hand}{moved}",
    )


def _local_minute(iso: str | None) -> str:
    """`2026-05-14 17:00` from an ISO time (already in the shop's zone when it carries it)."""
    return (iso or "")[:16].replace("T", " ")


@result_reply.register(ApprovalAnswer)
def _approval(r: ApprovalAnswer, lang: str) -> Reply:
    """A request in words: what it is about, its state, who decided and when, and why."""
    what = details_text(None, r.details, lang)
    head = f"{r.request} ({r.subject}" + (f" — {what}" if what else "") + ")"
    if lang == "zh":
        head = f"{r.request}（{r.subject}" + (f"，{what}" if what else "") + "）"
    asked = joined_reasons((r.reasons_zh if lang == "zh" else r.reasons) or r.reasons, lang)
    by = r.decided_by or ""
    if r.on_behalf_of:
        by = t(lang, f"{by} for {r.on_behalf_of}", f"{by}（代 {r.on_behalf_of}）")
    when = _local_minute(r.decided_at)
    if r.status == "pending":
        text = t(
            lang,
            f"{head} is still waiting for an approver (asked by {r.requested_by}); nothing "
            "has been decided.",
            f"{head} 仍在等待审批（提交人 {r.requested_by}），尚未决定。",
        )
    else:
        state = {
            "approved": ("approved", "批准"),
            "rejected": ("rejected", "驳回"),
            "cancelled": ("cancelled", "取消"),
        }.get(r.status, (r.status, r.status))
        text = t(
            lang,
            f"{head} was {state[0]}"
            + (f" by {by}" if by else "")
            + (f" on {when}" if when else "")
            + ".",
            f"{head} 已"
            + (f"由 {by} " if by else "")
            + (f"于 {when} " if when else "")
            + f"{state[1]}。",
        )
    if asked:
        text += t(lang, f" Asked because: {asked}.", f"提交原因：{asked}。")
    if r.reason:
        text += t(lang, f" Reason given: {r.reason}", f"理由：{r.reason}")
    return Reply(text, lang, table=[r.to_json()])


@result_reply.register(ApprovalsAnswer)
def _approvals(r: ApprovalsAnswer, lang: str) -> Reply:
    return listed(r.requests, lang, ("No pending approvals.", "没有待审批事项。"), _approval_line)


def _approval_line(q, lang: str) -> str:
    what = details_text(None, q.details, lang)
    subject = subject_words(q.subject_kind, q.subject, lang)
    if lang == "zh":
        return (
            f"{q.request}：{subject}" + (f"，{what}" if what else "")
            + f"；原因：{_reasons(q, lang)}（提交人 {q.requested_by}）"
        )  # fmt: skip
    return (
        f"{q.request}: {subject}"
        + (f" — {what}" if what else "")
        + f" — {_reasons(q, lang)} (by {q.requested_by})"
    )


@result_reply.register(Decision)
def _decided(r: Decision, lang: str) -> Reply:
    what = details_text(None, r.details, lang)
    what = (f" ({what})" if lang != "zh" else f"（{what}）") if what else ""
    reason = r.reason or ""
    what += _posted(r.posted, lang)
    behalf = r.on_behalf_of
    subject = subject_words(r.subject_kind, r.subject, lang)
    return said(
        lang,
        f"{r.request} {status_words(lang, r.status)}: {subject}{what} is now "
        f"{status_words(lang, r.subject_status)}."
        + (f" Decided by {r.decided_by} for {behalf}." if behalf else "")
        + (f" Reason: {reason}." if reason else "")
        + (f" {r.requested_by} has been told." if r.requested_by else ""),
        f"{r.request} {status_words(lang, r.status)}：{subject}{what} 现为"
        f"{status_words(lang, r.subject_status)}。"
        + (f"由 {r.decided_by} 代 {behalf} 审批。" if behalf else "")
        + (f"理由：{reason}。" if reason else "")
        + (f"已通知 {r.requested_by}。" if r.requested_by else ""),
    )


@result_reply.register(DelegationSet)
def _delegated(r: DelegationSet, lang: str) -> Reply:
    return said(
        lang,
        f"{r.to} now decides approval requests for {r.from_} until {r.until} (inclusive), "
        f"and receives them too.",
        f"已委托 {r.to} 代 {r.from_} 审批，至 {r.until}（含当日），审批请求也会发给 {r.to}。",
    )


@result_reply.register(DelegationEnded)
def _undelegated(r: DelegationEnded, lang: str) -> Reply:
    who = f" ({r.to})" if r.to and lang != "zh" else (f"（{r.to}）" if r.to else "")
    return said(
        lang,
        f"{r.from_}'s delegation{who} has ended; their requests are theirs to decide again.",
        f"{r.from_} 的代批{who}已结束，审批请求恢复由本人处理。",
    )
