"""A shipment of part of an order names the items and quantities to ship; without them the
whole order ships."""

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
        ("SO-0007 先发 M6 10 个", [{"item": "M6-20", "qty": "10"}]),
        ("ship 10 M6 of SO-0007", [{"item": "M6-20", "qty": "10"}]),
        ("SO-0007 分批发 M6 10个", [{"item": "M6-20", "qty": "10"}]),
        (
            "SO-0007 先发 M6 10 个 M8 5个",
            [{"item": "M6-20", "qty": "10"}, {"item": "M8-30", "qty": "5"}],
        ),
    ],
)
def test_shipping_part_of_an_order_names_its_lines(text, lines, catalog):
    result = parse(text, catalog)
    assert result.command.to_dict() == {"intent": "sales.ship", "order": "SO-0007", "lines": lines}


@pytest.mark.parametrize("text", ["SO-0007 发货", "ship SO-0007", "SO-0007 先发"])
def test_shipping_an_order_without_lines_ships_all_of_it(text, catalog):
    assert parse(text, catalog).command.to_dict() == {"intent": "sales.ship", "order": "SO-0007"}
