"""Amending an order, partial receipts and shipments in everyday words, and delegating
approvals parse to their commands; questions about an order stay questions."""

from __future__ import annotations

from datetime import date

import pytest

from bot.catalog import Catalog
from bot.parse import parse
from tests.unit.test_parse_corpus import demo_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return demo_catalog()


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("SO-0299 改成 50 个", {"order": "SO-0299", "lines": [{"qty": "50"}]}),
        (
            "actually make SO-0304 5 drills not 3",
            {"order": "SO-0304", "lines": [{"item": "DRILL-18V", "qty": "5"}]},
        ),
        (
            "add 20 tape to SO-0007",
            {"order": "SO-0007", "lines": [{"item": "TAPE-48", "qty": "20"}]},
        ),
        ("SO-0007 去掉胶带", {"order": "SO-0007", "lines": [{"item": "TAPE-48", "qty": "0"}]}),
        (
            "remove tape from SO-0007",
            {"order": "SO-0007", "lines": [{"item": "TAPE-48", "qty": "0"}]},
        ),
        ("SO-0007 加 20 卷胶带", {"order": "SO-0007", "lines": [{"item": "TAPE-48", "qty": "20"}]}),
        (
            "SO-0007 M6 改成 150 个，M8 改成 80 个",
            {
                "order": "SO-0007",
                "lines": [{"item": "M6-20", "qty": "150"}, {"item": "M8-30", "qty": "80"}],
            },
        ),
    ],
)
def test_amending_a_sales_order_names_the_lines_that_change(text, command, catalog):
    assert parse(text, catalog).command.to_dict() == {"intent": "sales.amend", **command}


@pytest.mark.parametrize("text", ["change PO-0012 M6 to 800", "PO-0012 M6 改成 800"])
def test_amending_a_purchase_order(text, catalog):
    assert parse(text, catalog).command.to_dict() == {
        "intent": "purchase.amend",
        "order": "PO-0012",
        "lines": [{"item": "M6-20", "qty": "800"}],
    }


@pytest.mark.parametrize("text", ["SO-0007 改了吗", "was SO-0007 changed?", "SO-0007"])
def test_a_question_about_an_order_is_not_an_amendment(text, catalog):
    assert parse(text, catalog).command.to_dict() == {"intent": "order.query", "order": "SO-0007"}


def test_an_amendment_without_a_quantity_asks_for_it(catalog):
    result = parse("SO-0007 改一下", catalog)
    assert result.command is None
    assert (result.intent, result.error.code) == ("sales.amend", "missing_slot")


@pytest.mark.parametrize(
    ("text", "command"),
    [
        (
            "PO-0031 先收 M6 2000 个",
            {
                "intent": "purchase.receive",
                "order": "PO-0031",
                "lines": [{"item": "M6-20", "qty": "2000"}],
            },
        ),
        (
            "SO-0296 发 口罩 5 盒",
            {
                "intent": "sales.ship",
                "order": "SO-0296",
                "lines": [{"item": "MASK-N95", "qty": "5"}],
            },
        ),
        (
            "PO-0036 到了 卷尺 50 个 老虎钳 20 个，扎带没到",
            {
                "intent": "purchase.receive",
                "order": "PO-0036",
                "lines": [{"item": "TAPE-M5", "qty": "50"}, {"item": "PLIERS", "qty": "20"}],
            },
        ),
        (
            "PO-0036 arrived: 50 tape measures, 20 pliers, cable ties didn't come",
            {
                "intent": "purchase.receive",
                "order": "PO-0036",
                "lines": [{"item": "TAPE-M5", "qty": "50"}, {"item": "PLIERS", "qty": "20"}],
            },
        ),
    ],
)
def test_partial_receipts_and_shipments_in_everyday_words(text, command, catalog):
    assert parse(text, catalog).command.to_dict() == command


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("我不在，让 li 代批到周五", {"to": "li", "until": "friday"}),
        ("let li approve for me until Friday", {"to": "li", "until": "friday"}),
        ("delegate my approvals to liu until 2026-06-30", {"to": "liu", "until": "2026-06-30"}),
        ("委托 liu 代批到6月30日", {"to": "liu", "until": "6-30"}),
    ],
)
def test_delegating_approvals_names_the_stand_in_and_the_last_day(text, command, catalog):
    assert parse(text, catalog).command.to_dict() == {"intent": "approval.delegate", **command}


@pytest.mark.parametrize("text", ["取消代批", "stop delegating my approvals"])
def test_ending_a_delegation(text, catalog):
    assert parse(text, catalog).command.to_dict() == {"intent": "approval.undelegate"}


def test_a_delegation_without_its_last_day_asks_for_it(catalog):
    result = parse("let li approve for me", catalog)
    assert (result.intent, result.error.code, result.error.slot) == (
        "approval.delegate",
        "missing_slot",
        "until",
    )


@pytest.mark.parametrize(
    ("text", "until"),
    [
        ("let li approve for me until Friday", "2026-06-19"),  # 2026-06-15 is a Monday
        ("我不在，让 li 代批到周五", "2026-06-19"),
        ("let li approve for me until today", "2026-06-15"),
        ("让 li 代批到6月30日", "2026-06-30"),
        ("让 li 代批到3月1日", "2027-03-01"),  # a month and day already past means next year
        ("让 li 代批到星期一", "2026-06-15"),  # a weekday is the next such day, today included
    ],
)
def test_with_a_clock_the_last_day_of_a_delegation_parses_to_its_date(catalog, text, until):
    command = parse(text, catalog, date(2026, 6, 15)).command.to_dict()
    assert command["intent"] == "approval.delegate" and command["until"] == until
