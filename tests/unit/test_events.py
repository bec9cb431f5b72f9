"""Domain events: every declared event goes to JSON and back unchanged, payloads written before
the events were typed still read, and a row that is not a declared event is refused by name."""

from __future__ import annotations

import dataclasses
import json
import typing
from decimal import Decimal

import pytest

from domain.messages import events
from domain.messages.events import (
    EVENTS,
    ApprovalDecided,
    Event,
    MalformedEvent,
    Record,
    SalesPriceFlagged,
    StockShort,
    event_from_row,
)
from domain.money import events as money_events


def sample(cls: type[Record], counter=None):
    """An instance of a record with every field set (optional ones too), each value distinct;
    strings are numbers, as quantities and money are."""
    counter = counter if counter is not None else iter(range(1, 1000))
    hints = typing.get_type_hints(cls)
    return cls(**{f.name: _value(hints[f.name], counter) for f in dataclasses.fields(cls)})


def _value(tp, counter):
    origin = typing.get_origin(tp)
    if origin is not None and type(None) in typing.get_args(tp):
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return _value(inner, counter)
    if origin is tuple:
        inner = typing.get_args(tp)[0]
        return (_value(inner, counter), _value(inner, counter))
    if tp is Decimal:
        return Decimal(f"{next(counter)}.46")
    if tp is int:
        return next(counter)
    if tp is str:
        return f"{next(counter)}.5"
    return sample(tp, counter)


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_every_declared_event_goes_to_json_and_back_unchanged(name):
    cls = EVENTS[name]
    event = sample(cls)
    payload = json.dumps(event.data(), ensure_ascii=False)
    back = event_from_row(event.name, payload)
    assert back == event and type(back) is cls
    assert json.dumps(back.data(), ensure_ascii=False) == payload
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.user = "someone else"  # type: ignore[misc]


def test_every_event_is_declared_under_its_class_name_with_a_docstring_of_its_own():
    declared = {
        cls
        for module in (events, money_events)
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, Event) and cls is not Event
    }
    assert declared == set(EVENTS.values())
    for name, cls in EVENTS.items():
        assert cls.name == name == cls.__name__
        assert not cls.__doc__.startswith(f"{name}(")  # not the one dataclass writes


# Payloads as the services wrote them before events were typed: they still read, and the typed
# event writes them back byte for byte.
OLD_ROWS = [
    (
        "StockReceived",
        '{"sku": "GLOVE-L", "warehouse": "MAIN", "qty": "50", "unit_cost": "1.30", '
        '"value": "65.00", "user": "li"}',
    ),
    (
        "StockShort",
        '{"sku": "HAMMER", "warehouse": "MAIN", "on_hand": "30", "reserved": "80", '
        '"short": "50", "orders": ["SO-0001"]}',
    ),
    (
        "SalesOrderShipped",
        '{"order": "SO-0001", "status": "shipped", "warehouse": "MAIN", "lines": [{"item": '
        '"HAMMER", "name": "Claw hammer", "name_zh": "羊角锤", "qty": "2", "amount": "50.00", '
        '"cost": "24.00"}], "cogs": "24.00", "total": "50.00", "user": "wang"}',
    ),
    (
        "ApprovalRequested",
        '{"request": "A-1", "subject_kind": "sales_order", "subject": "SO-0002", "reasons": '
        '["over the credit limit"], "reasons_zh": ["超过信用额度"], "requested_by": "wang"}',
    ),
    ("ApprovalDecided", '{"request": "A-1", "decision": "cancelled", "by": "wang"}'),
    (
        "ApprovalDecided",
        '{"request": "A-1", "decision": "rejected", "by": "mary", "subject": "SO-0002", '
        '"requested_by": "wang", "reason": "too cheap"}',
    ),
]


@pytest.mark.parametrize(("name", "payload"), OLD_ROWS)
def test_payloads_written_before_events_were_typed_still_read(name, payload):
    event = event_from_row(name, payload)
    assert event.name == name
    assert json.dumps(event.data(), ensure_ascii=False) == payload


def test_a_price_anomaly_written_under_its_old_name_reads_as_the_flagged_price():
    payload = (
        '{"order": "SO-0012", "customer": "ACME", "sku": "TAPE-48", "price": "4.00", '
        '"list_price": "6.50", "discount_pct": 38.46}'
    )
    event = event_from_row("SalesPriceAnomaly", payload)
    assert isinstance(event, SalesPriceFlagged)
    assert (event.price, event.discount_pct) == ("4.00", Decimal("38.46"))
    assert event.name == "SalesPriceFlagged"
    assert json.dumps(event.data()) == payload


def test_a_cancelled_request_leaves_out_what_only_a_decision_has():
    event = ApprovalDecided(request="A-3", decision="cancelled", by="wang")
    assert event.data() == {"request": "A-3", "decision": "cancelled", "by": "wang"}


def test_a_short_stock_event_says_how_short():
    event = StockShort(sku="HAMMER", warehouse="MAIN", on_hand="30", reserved="80.5")
    assert event.data()["short"] == "50.5"
    assert event.data()["orders"] == []


@pytest.mark.parametrize(
    ("name", "payload", "error"),
    [
        ("StockVanished", '{"sku": "X"}', "unknown event 'StockVanished'"),
        ("StockReceived", "{not json", "StockReceived: payload is not JSON"),
        ("StockReceived", '["GLOVE-L"]', "StockReceived: payload is not a JSON object"),
        ("StockIssued", '{"warehouse": "MAIN"}', "StockIssued: missing sku"),
        (
            "StockWentNegative",
            '{"sku": "HAMMER", "warehouse": "MAIN", "on_hand": -2}',
            "StockWentNegative.on_hand is not a string",
        ),
        (
            "StockWentNegative",
            '{"sku": null, "warehouse": "MAIN", "on_hand": "-2"}',
            "StockWentNegative.sku is not a string",
        ),
        (
            "StockShort",
            '{"sku": "H", "warehouse": "MAIN", "on_hand": "1", "reserved": "2", "orders": "SO-1"}',
            "StockShort.orders is not a list",
        ),
        (
            "SalesOrderShipped",
            '{"order": "SO-1", "status": "shipped", "warehouse": "MAIN", "lines": [{"item": '
            '"HAMMER"}], "cogs": "1.00", "total": "2.00", "user": "wang"}',
            "SalesOrderShipped.lines[0]: missing name",
        ),
        (
            "SalesPriceFlagged",
            '{"order": "SO-1", "customer": "ACME", "sku": "T", "price": "4.00", '
            '"list_price": "6.50", "discount_pct": "NaN"}',
            "SalesPriceFlagged.discount_pct is not a number",
        ),
        (
            "SalesPriceFlagged",
            '{"order": "SO-1", "customer": "ACME", "sku": "T", "price": "4.00", '
            '"list_price": "6.50", "discount_pct": true}',
            "SalesPriceFlagged.discount_pct is not a number",
        ),
    ],
)
def test_a_row_that_is_not_a_declared_event_is_refused_saying_why(name, payload, error):
    with pytest.raises(MalformedEvent) as exc:
        event_from_row(name, payload)
    assert str(exc.value).startswith(error)
