"""A discount said once after every line is the whole order's; a reason typed in Chinese after
`because` is kept as typed, without the word."""

from __future__ import annotations

import pytest

from bot.catalog import Catalog
from bot.parse import parse
from tests.unit.test_parse_corpus import demo_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return demo_catalog()


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        (
            "acme wants 2 doz hammers and 50 pliers, 5% off",
            [("HAMMER", "24", "5"), ("PLIERS", "50", "5")],
        ),
        ("ACME 要 20 个 M6 和 10 个 M8，九折", [("M6-20", "20", "10"), ("M8-30", "10", "10")]),
        # said inside one line's clause, it stays that line's
        ("sell 20 M6 at 5% off and 10 M8 to ACME", [("M6-20", "20", "5"), ("M8-30", "10", None)]),
    ],
)
def test_a_discount_after_every_line_is_the_whole_orders(catalog, text, lines):
    command = parse(text, catalog).command.to_dict()
    got = [(line["item"], line["qty"], line.get("discount")) for line in command["lines"]]
    assert got == lines


@pytest.mark.parametrize(
    "text", ["reject A-1 because 盘点数不对，重新盘", "驳回 A-1 因为 盘点数不对，重新盘"]
)
def test_a_rejection_reason_in_chinese_is_kept_as_typed(catalog, text):
    command = parse(text, catalog).command.to_dict()
    assert command["decision"] == "reject" and command["reason"] == "盘点数不对，重新盘"
