"""`jxc report` as a real process on the demo database."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import _fresh_pg, jxc

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    """One demo database for the module: seeding it takes a few seconds."""
    pg = os.environ.get("JXC_TEST_DATABASE_URL")
    url = _fresh_pg(pg) if pg else f"sqlite:///{tmp_path_factory.mktemp('demo') / 'jxc.db'}"
    jxc(url, "init", "--demo", check=True)
    return url


def test_abc_as_json_on_the_demo(demo_db):
    result = json.loads(jxc(demo_db, "report", "abc", "--json", check=True).stdout)
    assert result["report"] == "abc"
    rows = result["rows"]
    assert len(rows) == 30
    assert set(rows[0]) == {"sku", "class", "value", "share", "cum_share"}
    assert [r["class"] for r in rows] == sorted(r["class"] for r in rows)
    assert rows[0]["class"] == "A" and rows[-1]["class"] == "C"
    assert abs(rows[-1]["cum_share"] - 1.0) < 1e-6
    assert abs(sum(r["share"] for r in rows) - 1.0) < 1e-4
    assert result["summary"]["window"]["end"] == "2026-06-14"  # history ends yesterday
    assert {k: v["count_per_year"] for k, v in result["summary"]["classes"].items()} == {
        "A": 12,
        "B": 4,
        "C": 1,
    }


def test_kpi_with_a_chart_and_the_misuses(demo_db, tmp_path):
    png = tmp_path / "kpi.png"
    proc = jxc(demo_db, "report", "kpi", "--png", str(png), "--lang", "zh", check=True)
    assert proc.stdout.startswith("关键绩效指标")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    unknown = jxc(demo_db, "report", "best_customers", "--json")
    assert unknown.returncode == 1
    assert json.loads(unknown.stdout)["error"]["code"] == "unknown_report"
    assert jxc(demo_db, "report", "kpi", "--lang", "fr").returncode == 2


def test_turnover_on_the_demo_averages_only_month_ends_since_the_ledger_began(demo_db):
    # The demo's ledger begins with the played weeks, on 2026-04-20: three month-ends, not
    # nine empty ones beside them; today's is today's stock value.
    stock = json.loads(jxc(demo_db, "report", "stock_status", "--json", check=True).stdout)
    result = json.loads(jxc(demo_db, "report", "turnover", "--json", check=True).stdout)
    ends = result["summary"]["month_ends"]
    assert [m["date"] for m in ends] == ["2026-04-30", "2026-05-31", "2026-06-15"]
    assert ends[-1]["value"] == stock["summary"]["total_value"]
    assert result["summary"]["days_covered"] == 57


def test_reports_speak_the_language_asked_and_json_keeps_english_notes(demo_db):
    zh = jxc(demo_db, "report", "kpi", "--lang", "zh", check=True).stdout.splitlines()
    assert zh[1].startswith("期间：") and zh[1].endswith("（近 12 个月）")
    assert "汇总：" in zh and "说明：" in zh
    assert (
        "  - 课程目标：年周转率 24，订单满足率 98.5 %，供应商准时率 95 %，库存差异率不超过 0.5 %"
        in zh
    )
    assert not any("targets from the course" in line for line in zh)
    en = jxc(demo_db, "report", "kpi", "--lang", "en", check=True).stdout
    assert "Summary:\n  Targets met: " in en and "  - targets from the course:" in en
    data = json.loads(jxc(demo_db, "report", "kpi", "--json", "--lang", "zh", check=True).stdout)
    assert set(data["summary"]) == {"met", "measured", "days_of_inventory"}
    assert data["notes"][0].startswith("targets from the course")


def test_the_chat_answers_a_chinese_user_with_a_chinese_report(demo_db):
    out = jxc(demo_db, "chat", "--user", "li", input="哪些要补货\n", check=True).stdout
    lines = out.splitlines()
    assert lines[0] == "低于再订货点"
    assert "  历史最后一天：2026-06-14" in lines
    assert any(
        line.startswith("  - 需求按截至 2026-06-14（历史最后一天）的 90 天计") for line in lines
    )
