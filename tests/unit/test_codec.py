"""The one codec (`domain.messages.codec`): every declared command, event and result goes to JSON and back
unchanged, and a malformed payload of each kind is refused with the typed error it always got.

The types are found by walking the subclasses of `Command`, `Record` and `Result` after importing
every module of `domain`, so a type declared later is covered without being named here; its
sample values come from its fields' kinds, so a field of a new kind fails here until the sampler
below knows it."""

from __future__ import annotations

import dataclasses
import importlib
import itertools
import json
import pkgutil
import typing
from decimal import Decimal

import pytest

import domain
from domain.errors import BadRequest, InvalidAmount, InvalidQuantity, MissingSlot, UnknownAlert
from domain.messages import codec
from domain.messages.command_json import read_command
from domain.messages.commands import (
    COMMANDS,
    PENDING_INTENTS,
    Command,
    Line,
    Pending,
    command_from_dict,
)
from domain.messages.commands.base import decode_command
from domain.messages.events import EVENTS, Event, MalformedEvent, Record, event_from_row
from domain.messages.results import REPLAYED, Result, from_json

for _module in pkgutil.walk_packages(domain.__path__, "domain."):
    importlib.import_module(_module.name)


def _declared(base: type) -> list[type]:
    found, stack = set(), [base]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                stack.append(sub)
    # Only the product's types (a test may declare one of its own).
    found = {c for c in found if c.__module__.split(".")[0] in ("domain", "bot", "rules")}
    return sorted(found, key=lambda c: (c.__module__, c.__qualname__))


COMMAND_TYPES = [c for c in _declared(Command) if c is not Pending]
RECORD_TYPES = [c for c in _declared(Record) if c is not Event]
RESULT_TYPES = _declared(Result)
ids = [c.__qualname__ for c in COMMAND_TYPES], [c.__qualname__ for c in RECORD_TYPES]


def test_the_declared_types_are_found():
    assert set(COMMANDS.values()) <= set(COMMAND_TYPES)
    assert set(EVENTS.values()) <= set(RECORD_TYPES)
    assert set(REPLAYED.values()) <= set(RESULT_TYPES)
    assert {"BacktestForecasts", "ReceivedLine", "OrderLineRow"} <= {
        c.__name__ for c in COMMAND_TYPES + RECORD_TYPES + RESULT_TYPES
    }


# -- samples -----------------------------------------------------------------------------------


def sample(cls: type, counter=None, full: bool = True):
    """A value of a declared type with every field set, each value distinct (`full=False`: the
    optional fields None, so what is left out while None is left out)."""
    counter = counter if counter is not None else itertools.count(1)
    hints = typing.get_type_hints(cls, include_extras=True)
    values = {}
    for slot in codec.slots(cls):
        kind = codec.kind_of(hints[slot.name])
        if isinstance(kind, codec.Opt) and not full:
            values[slot.name] = None
            continue
        values[slot.name] = _value(kind, _bare(hints[slot.name]), counter, full)
    return cls(**values)


def _bare(hint):
    """A hint without `Annotated` and `None` (what a raw field holds: dict, list, float…)."""
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if len(args) == 1 and type(None) in typing.get_args(hint):
        return _bare(args[0])
    return hint


def _value(kind, hint, counter, full):
    n = next(counter)
    if isinstance(kind, codec.Opt):
        return _value(kind.inner, hint, counter, full)
    if isinstance(kind, codec.Seq):
        inner = typing.get_args(hint)[0]
        return tuple(_value(kind.inner, _bare(inner), counter, full) for _ in range(2))
    if isinstance(kind, codec.Nested):
        return sample(kind.cls, counter, full)
    if isinstance(kind, codec.Text):
        return f"{n}.5"  # quantities and money are strings of digits
    if isinstance(kind, codec.Number):
        return Decimal(f"{n}.46")
    if isinstance(kind, codec.Flag):
        return True
    if isinstance(kind, codec.Whole):
        return n
    if hint is dict:
        return {"a": f"{n}", "from": [1, {"b": "c"}]}
    if typing.get_origin(hint) is dict:  # dict[str, str], dict[str, int]: names to values
        value = typing.get_args(hint)[1]
        return {f"k{n}": n if value is int else f"{n}"}
    if hint is list:
        return [{"row": f"{n}"}, n]
    if hint is float:
        return n + 0.25
    raise AssertionError(f"no sample for a field of {hint!r} ({type(kind).__name__})")


# -- round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize("full", [True, False], ids=["all fields", "optional ones None"])
@pytest.mark.parametrize("cls", COMMAND_TYPES, ids=ids[0])
def test_every_command_goes_to_json_and_back_unchanged(cls, full):
    cmd = sample(cls, full=full)
    text = json.dumps(cmd.to_dict(), ensure_ascii=False)
    data = json.loads(text)
    assert data["intent"] == cls.intent
    if COMMANDS.get(cls.intent) is cls:
        back = [command_from_dict(data), read_command(data)]
    else:  # the CLI's batch and admin doors: read by type, not by the chat's vocabulary
        back = [decode_command(cls, data), decode_command(cls, data, vetting=True)]
    for b in back:
        assert b == cmd and type(b) is cls
        assert json.dumps(b.to_dict(), ensure_ascii=False) == text
        assert b.fingerprint() == cmd.fingerprint()


@pytest.mark.parametrize("intent", sorted(PENDING_INTENTS))
def test_an_intent_still_to_come_goes_to_json_and_back_unchanged(intent):
    cmd = Pending(intent_name=intent, slots={"order": "SO-0001", "qty": "2"})
    data = json.loads(json.dumps(cmd.to_dict()))
    assert data == {"intent": intent, "order": "SO-0001", "qty": "2"}
    assert command_from_dict(data) == cmd == read_command(data)


@pytest.mark.parametrize("full", [True, False], ids=["all fields", "optional ones None"])
@pytest.mark.parametrize("cls", RECORD_TYPES, ids=ids[1])
def test_every_event_and_record_goes_to_json_and_back_unchanged(cls, full):
    record = sample(cls, full=full)
    payload = json.dumps(record.data(), ensure_ascii=False)
    if EVENTS.get(cls.__name__) is cls:
        back = event_from_row(cls.__name__, payload)
    else:
        back = cls.from_data(json.loads(payload))
    assert back == record and type(back) is cls
    assert json.dumps(back.data(), ensure_ascii=False) == payload


@pytest.mark.parametrize("full", [True, False], ids=["all fields", "optional ones None"])
@pytest.mark.parametrize("cls", RESULT_TYPES, ids=lambda c: c.__qualname__)
def test_every_result_goes_to_json_and_back_unchanged(cls, full):
    result = sample(cls, full=full)
    text = json.dumps(result.to_json(), ensure_ascii=False)
    back = cls.from_json(json.loads(text))
    assert back == result and type(back) is cls
    assert json.dumps(back.to_json(), ensure_ascii=False) == text
    for intent in [i for i, c in REPLAYED.items() if c is cls]:
        assert from_json(intent, json.loads(text)) == result  # an idempotency replay


def test_what_each_family_leaves_out_while_none():
    # Results: only fields marked omitted(); events: fields whose default is None; commands: all.
    r = sample(REPLAYED["stock.count"], full=False).to_json()
    assert "approval" not in r and "name_zh" in r and r["name_zh"] is None
    e = sample(EVENTS["ApprovalDecided"], full=False).data()
    assert set(e) == {"request", "decision", "by"}
    c = sample(COMMANDS["stock.receive"], full=False).to_dict()
    assert set(c) == {"intent", "item", "qty"}


def test_the_json_shapes_the_design_prints():
    from domain.messages.commands import ListAlerts, QueryOrders, TransferStock
    from domain.messages.events import StockShort
    from domain.messages.results import StockTransfer

    D = Decimal
    assert TransferStock(item="M6-20", qty=D("30.0"), from_="SH", to="BJ").to_dict() == {
        "intent": "stock.transfer", "item": "M6-20", "qty": "30", "to": "BJ", "from": "SH"
    }  # fmt: skip
    assert list(TransferStock(item="A", qty=D(1), from_="X", to="Y").to_dict()) == [
        "intent", "item", "qty", "to", "from"
    ]  # fmt: skip
    line = Line("M6-20", D("2.0"), D("2.50"), D("5.0"))
    assert codec.encode(line) == {"item": "M6-20", "qty": "2", "price": "2.50", "discount": "5"}
    assert codec.encode(Line("", D(3))) == {"qty": "3"}  # an amendment may leave the item out
    assert QueryOrders().to_dict() == {"intent": "order.query"}  # `mine` left out while False
    assert QueryOrders(mine=True).to_dict() == {"intent": "order.query", "mine": True}
    assert ListAlerts(all=False).to_dict() == {"intent": "alert.list", "all": False}
    short = StockShort(sku="H", warehouse="MAIN", on_hand="30", reserved="80.5", orders=("S",))
    assert list(short.data()) == ["sku", "warehouse", "on_hand", "reserved", "short", "orders"]
    assert short.data()["short"] == "50.5"
    balance = sample(REPLAYED["stock.receive"])
    moved = StockTransfer(sku="A", qty="1", value="2", from_=balance, to=balance).to_json()
    assert list(moved) == ["sku", "qty", "value", "from", "to"]


# -- malformed payloads ----------------------------------------------------------------------------


def _wrong_json(kind):
    """A JSON value of the wrong type for a slot of `kind` (None: any JSON will do)."""
    kind = kind.inner if isinstance(kind, codec.Opt) else kind
    if isinstance(kind, codec.Seq):
        return {"not": "a list"}
    if type(kind) is codec.Kind:
        return None
    return ["not", "a", "value"]


CHAT_COMMANDS = sorted(set(COMMANDS.values()), key=lambda c: c.intent)


@pytest.mark.parametrize("cls", CHAT_COMMANDS, ids=lambda c: c.intent)
def test_a_malformed_command_is_refused_as_before(cls):
    good = sample(cls).to_dict()
    assert read_command(good) == command_from_dict(good)
    with pytest.raises(BadRequest, match="a command is a JSON object"):
        read_command([good])
    with pytest.raises(BadRequest, match=f"{cls.intent} has no field 'colour'"):
        read_command({**good, "colour": "red"})
    for slot in codec.slots(cls):
        wrong = _wrong_json(slot.kind)
        if wrong is not None:
            with pytest.raises(BadRequest, match=f"{cls.intent}: {slot.key} must be"):
                read_command({**good, slot.key: wrong})
    kinds = {s.key: s.kind for s in codec.slots(cls)}
    for key in cls.REQUIRED:
        for empty in (None, "", []):
            # From a stranger, "" for lines or [] for text is of the wrong type before missing.
            vetted = empty is None or (empty == []) == isinstance(kinds[key], codec.Seq)
            for read in (read_command, command_from_dict) if vetted else (command_from_dict,):
                with pytest.raises(MissingSlot, match=f"{cls.intent} needs {key}"):
                    read({**good, key: empty})


@pytest.mark.parametrize(
    ("payload", "error", "message"),
    [
        ({"qty": "1,5"}, InvalidQuantity, "qty '1,5' is not a number: a comma separates"),
        ({"qty": "2e3"}, InvalidQuantity, "qty '2e3' is not a number: write it in plain digits"),
        ({"qty": 1.5}, BadRequest, r'qty must be a decimal string such as "12.50"'),
        ({"qty": "1" * 16}, InvalidQuantity, "qty 1111111111111111 is out of range"),
        ({"qty": "0." + "0" * 13 + "1"}, InvalidQuantity, "is out of range"),
        ({"unit_cost": "abc"}, InvalidAmount, "unit_cost 'abc' is not a number"),
        ({"unit_cost": "1e20"}, InvalidAmount, "unit_cost '1e20' is not a number"),
        ({"item": "x" * 201}, BadRequest, "item is 201 characters long; at most 200"),
        ({"item": "M6\x00"}, BadRequest, "item contains a NUL byte"),
        ({"item": "M6\ud800"}, BadRequest, "item is not valid text"),
        ({"item": True}, BadRequest, "stock.receive: item must be a string, not a boolean"),
        ({"warehouse": ["MAIN"]}, BadRequest, "warehouse must be a string, not a list"),
        ({"key": "k\x01"}, BadRequest, "key must be printable text"),
    ],
)
def test_a_bad_slot_of_a_receipt_gives_the_error_it_always_gave(payload, error, message):
    data = {"intent": "stock.receive", "item": "M6-20", "qty": "5", "unit_cost": "0.1", **payload}
    with pytest.raises(error, match=message):
        read_command(data)


@pytest.mark.parametrize(
    ("payload", "error", "message"),
    [
        ({"intent": "sales.create", "customer": "ACME", "lines": "M6"}, BadRequest,
         r"sales.create: lines must be a list of \{item, qty, price\?, discount\?\}, not the "),
        ({"intent": "sales.create", "customer": "ACME", "lines": ["M6"]}, BadRequest,
         r"lines\[1\] must be an object \{item, qty, price\?, discount\?\}"),
        ({"intent": "sales.create", "customer": "ACME", "lines": [{"item": "M6", "n": 1}]},
         BadRequest, r"sales.create lines\[1\] has no field 'n'; a line has item, qty, price"),
        ({"intent": "sales.create", "customer": "ACME", "lines": [{"item": "M6"}]}, MissingSlot,
         "each line needs an item and a qty"),
        ({"intent": "sales.amend", "order": "SO-1", "lines": [{"qty": "2"}]}, None, None),
        ({"intent": "sales.create", "customer": "ACME", "lines": [{"item": "M6", "qty": "2",
          "price": "1,5"}]}, InvalidAmount, r"lines\[1\].price '1,5' is not a number"),
        ({"intent": "sales.create", "customer": "ACME", "lines": [{"item": "M6", "qty": "1e20"}]},
         InvalidQuantity, r"lines\[1\].qty '1e20' is not a number"),
        ({"intent": "sales.create", "customer": "ACME", "lines": [{"item": "M6", "qty": "2",
          "discount": "1" * 16}]}, InvalidAmount, "lines.discount 1111111111111111 is out of"),
        ({"intent": "alert.ack", "alert": "#x"}, UnknownAlert, "there is no alert '#x'"),
        ({"intent": "alert.ack", "alert": 2**31}, UnknownAlert, "there is no alert"),
        ({"intent": "alert.snooze", "alert": "#3", "days": 0}, InvalidQuantity,
         "an alert is snoozed for 1 to 365 days, not 0"),
        ({"intent": "alert.snooze", "alert": "#3", "days": "x"}, BadRequest,
         "days must be a whole number of days"),
        ({"intent": "order.query", "mine": "yes"}, BadRequest, "mine must be true or false"),
        ({"intent": "report", "name": "kpi", "period": "1800-01"}, BadRequest,
         "period 1800-01: a month from 1900 to 2999"),
        ({"intent": "approval.decide", "request": "A-1", "decision": "reject",
          "reason": "x" * 501}, BadRequest, "reason is 501 characters long; at most 500"),
        ({"intent": "stock.recieve"}, BadRequest, "unknown intent 'stock.recieve'; did you mean"),
        ({"intent": ""}, BadRequest, 'a command needs an "intent"'),
    ],
)  # fmt: skip
def test_a_bad_command_gives_the_error_it_always_gave(payload, error, message):
    if error is None:
        assert read_command(payload).lines == (Line("", Decimal(2)),)
        return
    with pytest.raises(error, match=message):
        read_command(payload)


@pytest.mark.parametrize(
    "cls", [c for c in RECORD_TYPES if c in EVENTS.values()], ids=lambda c: c.__name__
)
def test_a_malformed_event_row_is_refused_saying_why(cls):
    name = cls.__name__
    good = sample(cls).data()
    with pytest.raises(MalformedEvent, match=f"{name}: payload is not a JSON object"):
        event_from_row(name, json.dumps([good]))
    for slot in codec.slots(cls):
        if slot.required:
            rest = {k: v for k, v in good.items() if k != slot.key}
            with pytest.raises(MalformedEvent, match=f"^{name}: missing {slot.key}$"):
                event_from_row(name, json.dumps(rest))
        wrong = _wrong_json(slot.kind) or ["not", "a", "value"]
        with pytest.raises(MalformedEvent, match=rf"^{name}\.{slot.key}\b"):
            event_from_row(name, json.dumps({**good, slot.key: wrong}))


@pytest.mark.parametrize("cls", RESULT_TYPES, ids=lambda c: c.__qualname__)
def test_a_stored_answer_missing_a_required_key_is_refused(cls):
    data = sample(cls).to_json()
    for slot in codec.slots(cls):
        if slot.required:
            with pytest.raises(TypeError, match=slot.name):
                cls.from_json({k: v for k, v in data.items() if k != slot.key})


def test_types_declared_the_usual_way_elsewhere_get_the_codec_and_the_checks():
    @dataclasses.dataclass(frozen=True)
    class Refund(Command):
        intent: typing.ClassVar[str] = "x.refund"
        REQUIRED: typing.ClassVar[tuple[str, ...]] = ("order",)
        TEXT_LIMITS: typing.ClassVar[dict[str, int]] = {"note": 300}
        order: str = ""
        qty: Decimal = Decimal(0)
        unit_cost: Decimal | None = None
        note: str | None = None
        from_: str | None = None

    refund = Refund(order="SO-1", qty=Decimal("2.50"), note="n" * 300, from_="MAIN")
    data = refund.to_dict()
    assert data == {"intent": "x.refund", "order": "SO-1", "qty": "2.5", "note": "n" * 300,
                    "from": "MAIN"}  # fmt: skip
    assert decode_command(Refund, data, vetting=True) == refund
    with pytest.raises(MissingSlot, match="x.refund needs order"):
        decode_command(Refund, {"qty": "1"})
    with pytest.raises(BadRequest, match="note is 301 characters long; at most 300"):
        Refund(note="n" * 301)
    with pytest.raises(InvalidQuantity, match="qty 1E[+]20 is out of range"):
        Refund(qty=Decimal("1e20"))
    with pytest.raises(InvalidAmount, match="unit_cost 1E[+]20 is out of range"):
        Refund(unit_cost=Decimal("1e20"))

    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Refunded(Result):
        order: str
        from_: str = codec.renamed("from")
        note: str | None = codec.omitted()
        reasons: tuple[str, ...] = ()

    done = Refunded(order="SO-1", from_="MAIN", reasons=("late",))
    assert done.to_json() == {"order": "SO-1", "from": "MAIN", "reasons": ["late"]}
    assert Refunded.from_json(done.to_json()) == done

    @dataclasses.dataclass(frozen=True)
    class RefundPaid(Event):
        order: str
        pct: Decimal = dataclasses.field(metadata={"json": float})
        note: str | None = None

    paid = RefundPaid(order="SO-1", pct=Decimal("12.5"))
    assert paid.data() == {"order": "SO-1", "pct": 12.5}
    assert RefundPaid.from_data(paid.data()) == paid
    with pytest.raises(MalformedEvent, match="RefundPaid.pct is not a number"):
        RefundPaid.from_data({"order": "SO-1", "pct": "lots"})


def test_a_declared_field_of_an_unknown_type_is_raw_json():
    @dataclasses.dataclass(frozen=True)
    class Odd(Command):
        blob: object = None

    assert Odd(blob={"a": [1]}).to_dict() == {"intent": "", "blob": {"a": [1]}}
    assert decode_command(Odd, {"blob": {"a": [1]}}) == Odd(blob={"a": [1]})
