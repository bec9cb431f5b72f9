"""`jxc init --demo` leaves a few open alerts from its past: the approvals still waiting, and
the anomalies the played weeks raised, readable by the users they concern in their language."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import _fresh_pg, jxc

pytestmark = [pytest.mark.db, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> str:
    pg = os.environ.get("JXC_TEST_DATABASE_URL")
    url = _fresh_pg(pg) if pg else f"sqlite:///{tmp_path_factory.mktemp('demo') / 'jxc.db'}"
    jxc(url, "init", "--demo", check=True, timeout=180)
    return url


def alerts(url: str, *args: str) -> list[dict]:
    return json.loads(jxc(url, "alerts", *args, "--json", check=True).stdout)


def test_the_demo_leaves_open_alerts_with_an_approval_waiting(demo):
    every = alerts(demo, "--all")
    assert every, "the demo's past raised no alert"
    assert len({a["id"] for a in every}) == len(every)
    open_ = [a for a in every if a["status"] == "open"]
    approvals = [a for a in open_ if a["kind"] == "approval"]
    assert approvals, f"no open approval alert among {[(a['kind'], a['status']) for a in every]}"
    for a in approvals:
        assert a["subject"].startswith("A-")
        assert a["message"].startswith(f"{a['subject']} for ")
        assert a["message"].endswith("waits for you")


def test_an_approver_sees_the_waiting_approvals_in_chinese_and_a_viewer_sees_none(demo):
    admin_view = {a["id"] for a in alerts(demo, "--all") if a["kind"] == "approval"}
    liu = [a for a in alerts(demo, "--user", "liu") if a["kind"] == "approval"]
    assert liu and {a["id"] for a in liu} <= admin_view
    assert all(a["message"].endswith("等待您审批") for a in liu), liu
    assert [a for a in alerts(demo, "--user", "tom") if a["kind"] == "approval"] == []
