"""Numbers as people and files write them, read by `jxc run`, CSV imports and settings: a comma
only between groups of three digits, no exponent, never a guess and never a fragment kept."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain import settings
from domain.errors import InvalidAmount, InvalidQuantity, UnknownSetting
from domain.ledger.csv_rows import header_problems, parse_csv
from domain.numbers import amount, quantity, to_decimal


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,500", "1500"),
        ("12,345,678", "12345678"),
        ("1,500.25", "1500.25"),
        ("0.125", "0.125"),
        (".5", "0.5"),
        (" 7 ", "7"),
        ("１２", "12"),  # full-width digits
    ],
)
def test_a_number_written_plainly_is_read_exactly(text, value):
    assert to_decimal(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("1,5", "comma"),
        ("1,5000", "comma"),
        ("1,23,456", "comma"),
        ("2e3", "exponent"),
        ("1e309", "exponent"),
        ("NaN", "not a number"),
        ("Infinity", "not a number"),
        ("0x10", "not a number"),
        ("5 pcs", "not a number"),
    ],
)
def test_a_number_that_would_have_to_be_guessed_is_refused(text, hint):
    with pytest.raises(InvalidQuantity) as refused:
        quantity(text)
    assert hint in refused.value.message
    with pytest.raises(InvalidAmount):
        amount(text)


def test_a_refusal_does_not_echo_a_huge_value():
    with pytest.raises(InvalidAmount) as refused:
        amount("9" * 5000 + "x")
    assert len(refused.value.message) < 200
    with pytest.raises(InvalidAmount) as refused:
        amount("9" * 900)
    assert len(refused.value.message) < 200
    with pytest.raises(InvalidQuantity) as refused:
        quantity("9" * 900)
    assert len(refused.value.message) < 200


@pytest.mark.parametrize(
    ("name", "value", "stored"),
    [
        ("approval.purchase_total", "1,000,000,000,000", "1000000000000"),
        ("approval.purchase_total", "0", "0"),
        ("approval.count_pct", "100", "100"),
        ("approval.remind_hours", "1", "1"),
        ("approval.escalate_hours", "720", "720"),
        ("anomaly.sigma", "1", "1"),
        ("anomaly.sigma", "2.50", "2.5"),
        ("reorder.service_level", "0.5", "0.5"),
        ("reorder.history_days", "14", "14"),
        ("reorder.holding_pct", "0.1", "0.1"),
        ("stock.allow_negative", "yes", "on"),
    ],
)
def test_a_setting_inside_its_range_is_kept(name, value, stored):
    assert settings.validate(name, value) == stored


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("approval.purchase_total", "1000000000000.01"),
        ("approval.purchase_total", "1e309"),
        ("approval.count_value", "-1"),
        ("approval.count_pct", "100.5"),
        ("anomaly.price_pct", "1,5"),
        ("approval.remind_hours", "0"),
        ("approval.remind_hours", "1.5"),
        ("approval.escalate_hours", "721"),
        ("anomaly.sigma", "0.99"),
        ("anomaly.sigma", "10.01"),
        ("reorder.service_level", "0.4999"),
        ("reorder.service_level", "0.9991"),
        ("reorder.history_days", "13"),
        ("reorder.history_days", "1096"),
        ("reorder.holding_pct", "0.09"),
        ("reorder.holding_pct", "101"),
        ("approval.credit_check", "maybe"),
    ],
)
def test_a_setting_outside_its_range_is_invalid_amount(name, value):
    with pytest.raises(InvalidAmount):
        settings.validate(name, value)


def test_an_unknown_setting_is_named_with_close_ones():
    with pytest.raises(UnknownSetting) as refused:
        settings.validate("approval.purchase", "1")
    assert "approval.purchase_total" in refused.value.suggestions


def test_a_csv_file_is_read_into_rows_and_bad_lines():
    raw = ('\ufeffsku,unit_price\nA,1\n\nB,2,3\nC\nD,"1,500"\nE,"1"5\nF,"2\nG,3\n').encode()
    header, rows, problems = parse_csv(raw)
    assert header == ["sku", "unit_price"]
    assert rows == [(2, {"sku": "A", "unit_price": "1"}), (6, {"sku": "D", "unit_price": "1,500"})]
    assert [p.split(":")[0] for p in problems] == ["line 4", "line 5", "line 7", "line 8"]


def test_a_header_is_checked_for_its_key_duplicates_and_unknown_columns():
    assert header_problems("items", ["sku", "unit_price"]) == []
    assert header_problems("sales_history", ["date", "sku"])  # history names every column
    assert "missing column(s) sku" in header_problems("items", ["name", "unit_price"])[0]
    assert "appear more than once" in header_problems("items", ["sku", "name", "name"])[0]
    assert "unknown column(s) price" in header_problems("items", ["sku", "price"])[0]
