"""Delegation: an approver names a stand-in until a local date (inclusive). Meanwhile the
delegate, whatever their role, lists and decides pending requests (never their own), receives
the approval alerts, and a decision reads "li for mary". The clock stands at Monday 2026-06-15
10:00 in Shanghai."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from adapters.bootstrap import run_feed_inline
from bot.conversation import Conversation
from domain.errors import BadRequest, InvalidState, NotPermitted, OwnRequest, UnknownUser
from domain.messages.commands import (
    CreateSalesOrder,
    DecideApproval,
    DelegateApprovals,
    EndDelegation,
    Line,
    ListApprovals,
    ReceiveStock,
)
from domain.model import Delivery
from tests.conftest import jxc, run_json

pytestmark = pytest.mark.db
D = Decimal


def pending_order(app, users, discount="20"):
    """wang sells tape at a discount over the limit: SO-n waits for approval A-n."""
    app.bus.execute(ReceiveStock(item="TAPE-48", qty=D(100), unit_cost=D("3.20")), users["li"])
    return app.bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("TAPE-48", D(10), discount=D(discount)),)),
        users["wang"],
    )


def test_a_delegate_lists_and_decides_for_the_approver_until_the_day_ends(app, users, clock):
    mary, li = users["mary"], users["li"]
    so = pending_order(app, users)
    assert app.bus.execute(ListApprovals(), li).requests == ()  # a clerk sees only their own
    with pytest.raises(NotPermitted):
        app.bus.execute(DecideApproval(request=so.approval, decision="approve"), li)
    got = app.bus.execute(DelegateApprovals(to="li", until="friday"), mary)
    assert got.to_json() == {"from": "mary", "to": "li", "until": "2026-06-19"}
    listed = app.bus.execute(ListApprovals(), li).requests
    assert [r.request for r in listed] == [so.approval]  # already pending ones included
    decided = app.bus.execute(DecideApproval(request=so.approval, decision="approve"), li)
    assert (decided.decided_by, decided.on_behalf_of, decided.subject_status) == (
        "li",
        "mary",
        "confirmed",
    )
    # the last day is Friday, inclusive: Friday evening still, Saturday no more
    second = pending_order(app, users)
    clock.advance(days=4, hours=13)  # Friday 23:00
    assert [r.request for r in app.bus.execute(ListApprovals(), li).requests] == [second.approval]
    clock.advance(hours=2)  # Saturday 01:00
    assert app.bus.execute(ListApprovals(), li).requests == ()
    with pytest.raises(NotPermitted):
        app.bus.execute(DecideApproval(request=second.approval, decision="approve"), li)


def test_a_delegate_never_decides_their_own_request_nor_one_of_the_approver(app, users):
    mary, liu, wang = users["mary"], app.bus.user("liu"), users["wang"]
    so = pending_order(app, users)
    app.bus.execute(DelegateApprovals(to="wang", until="2026-06-20"), mary)
    with pytest.raises(OwnRequest):
        app.bus.execute(DecideApproval(request=so.approval, decision="approve"), wang)
    # liu is an approver in his own right: he decides in his own name
    app.bus.execute(DelegateApprovals(to="mary", until="today"), liu)
    done = app.bus.execute(DecideApproval(request=so.approval, decision="reject"), liu)
    assert done.on_behalf_of is None and done.decided_by == "liu"


def test_bad_delegations_are_refused_and_change_nothing(app, users):
    mary, wang, admin = users["mary"], users["wang"], users["admin"]
    with pytest.raises(UnknownUser):
        app.bus.execute(DelegateApprovals(to="nobody", until="friday"), mary)
    with pytest.raises(NotPermitted):
        app.bus.execute(DelegateApprovals(to="li", until="friday"), wang)  # a salesperson
    with pytest.raises(BadRequest):
        app.bus.execute(DelegateApprovals(to="li", until="2026-06-01"), mary)  # past
    with pytest.raises(BadRequest):
        app.bus.execute(DelegateApprovals(to="li", until="someday"), mary)
    with pytest.raises(InvalidState):
        app.bus.execute(DelegateApprovals(to="mary", until="friday"), mary)
    with pytest.raises(InvalidState):
        app.bus.execute(EndDelegation(), mary)  # nothing to end
    app.bus.execute(DelegateApprovals(to="li", until="friday"), mary)
    with pytest.raises(NotPermitted):
        app.bus.execute(EndDelegation(from_="mary"), app.bus.user("liu"))
    ended = app.bus.execute(EndDelegation(from_="mary"), admin)
    assert ended.to_json() == {"from": "mary", "ended": True, "to": "li"}
    with pytest.raises(NotPermitted):
        so = pending_order(app, users)
        app.bus.execute(DecideApproval(request=so.approval, decision="approve"), users["li"])


def test_delegation_through_jxc_run_and_a_new_one_replaces_the_old(master_db):
    results = run_json(
        master_db,
        {"intent": "approval.delegate", "to": "li", "until": "friday"},
        {"intent": "approval.delegate", "to": "tom", "until": "2026-06-30"},
        {"intent": "approval.undelegate"},
        {"intent": "approval.undelegate"},
        {"intent": "approval.delegate", "to": "ghost", "until": "friday"},
        user="mary",
    )
    assert [r["ok"] for r in results] == [True, True, True, False, False]
    assert results[0]["result"] == {"from": "mary", "to": "li", "until": "2026-06-19"}
    assert results[1]["result"] == {"from": "mary", "to": "tom", "until": "2026-06-30"}
    assert results[2]["result"] == {"from": "mary", "ended": True, "to": "tom"}
    assert results[3]["error"]["code"] == "invalid_state"
    assert results[4]["error"]["code"] == "unknown_user"
    parsed = jxc(master_db, "parse", "--json", "我不在，让 li 代批到周五")
    assert '"approval.delegate"' in parsed.stdout and '"li"' in parsed.stdout


def test_the_delegate_receives_the_request_and_the_requester_reads_li_for_mary(app, users):
    app.bus.execute(DelegateApprovals(to="li", until="friday"), users["mary"])
    so = pending_order(app, users)
    run_feed_inline(app, "reference")
    alerts = jxc(app.settings.database_url, "alerts", "--json", "--user", "li")
    assert so.approval in alerts.stdout, alerts.stdout + alerts.stderr
    app.bus.execute(DecideApproval(request=so.approval, decision="approve"), users["li"])
    run_feed_inline(app, "reference")
    d = Delivery.__table__
    with app.uow(write=False) as uow:
        told = (
            uow.execute(
                select(d.c.text).where((d.c.recipient == "wang") & (d.c.purpose == "decision"))
            )
            .scalars()
            .all()
        )
        to_li = uow.execute(select(d.c.id).where(d.c.recipient == "li")).all()
    assert to_li  # the approval request reached the stand-in
    assert any("li for mary" in text for text in told), told


def test_delegating_and_deciding_in_the_chat(app, users):
    app.bus.execute(ReceiveStock(item="TAPE-48", qty=D(100), unit_cost=D("3.20")), users["li"])
    chat = Conversation(app.bus, app.uow, app.clock)
    reply = chat.handle("mary", "m", "let li approve for me until Friday")
    assert "li" in reply.text and "2026-06-19" in reply.text and "Confirm?" in reply.text
    reply = chat.handle("mary", "m", "yes")
    assert "until 2026-06-19" in reply.text, reply.text
    so = app.bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("TAPE-48", D(10), discount=D(20)),)),
        users["wang"],
    )
    reply = chat.handle("li", "l", "待审批")
    assert so.approval in reply.text
    reply = chat.handle("li", "l", f"批准 {so.approval}")
    assert "确认" in reply.text, reply.text
    reply = chat.handle("li", "l", "是")
    assert "li" in reply.text and "mary" in reply.text, reply.text
    reply = chat.handle("mary", "m", "stop delegating my approvals")
    reply = chat.handle("mary", "m", "yes")
    assert "ended" in reply.text, reply.text
