"""The LLM path's tools without I/O: what each role is offered, how a call's arguments are read
back (names resolved, numbers as decimal text, nothing that is not a slot), and the prompts
found by name."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bot.catalog import Catalog
from bot.llm.arguments import BadArguments, command_of, decimal_text, slots_of
from bot.llm.prompts import load, system_prompt
from bot.llm.tools import BY_NAME, LOOKUPS, VOCABULARY, offered
from domain.errors import AmbiguousName, InvalidQuantity, UnknownItem, WrongPartnerKind
from domain.messages.commands import INTENTS, Line
from domain.roles import RIGHTS

CATALOG = Catalog.from_csv_dir(Path(__file__).resolve().parents[2] / "adapters" / "demo_data")
SERVICES = frozenset(INTENTS)


def read(tool: str, **args):
    return command_of(BY_NAME[tool], args, CATALOG)


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.1, "0.1"), (1.005, "1.005"), (20, "20"), (2.5, "2.5"), (1e-7, "0.0000001"),
     (1e16, "10000000000000000"), ("1,500", "1,500"), (" 12.50 ", "12.50")],
)  # fmt: skip
def test_numbers_are_read_as_their_decimal_text(value, text):
    assert decimal_text("qty", value) == text


@pytest.mark.parametrize("value", [True, float("nan"), float("inf"), "twenty", "2e3", [1], None])
def test_what_is_not_a_number_is_sent_back_to_the_model(value):
    with pytest.raises(BadArguments):
        decimal_text("qty", value)


def test_a_sale_is_read_with_names_resolved_and_exact_decimals():
    cmd = read(
        "sales_create",
        customer="艾克米",
        lines=[{"item": "m6 bolts", "qty": 20, "price": 0.1, "discount": "5"}],
        warehouse="Beijing",
    )
    assert (cmd.customer, cmd.warehouse) == ("ACME", "BJ")
    assert cmd.lines == (Line("M6-20", Decimal("20"), Decimal("0.1"), Decimal("5")),)


def test_slots_are_named_as_the_design_names_them():
    cmd = read("stock_transfer", item="M6-20", qty="30", **{"from": "SH", "to": "北京"})
    assert cmd.to_dict() == {
        "intent": "stock.transfer", "item": "M6-20", "qty": "30", "from": "SH", "to": "BJ"
    }  # fmt: skip
    with pytest.raises(BadArguments, match="unknown parameter 'from_'"):
        read("stock_transfer", item="M6-20", qty="30", from_="SH", to="BJ")


@pytest.mark.parametrize(
    "args",
    [{"item": "M6-20"}, {"item": "M6-20", "qty": "5", "confirmed": True}, ["M6-20", "5"],
     {"item": ["M6-20"], "qty": "5"}, {"item": "M6-20", "qty": "5", "warehouse": 7.5}],
)  # fmt: skip
def test_arguments_that_do_not_fit_the_tool_are_sent_back(args):
    with pytest.raises(BadArguments):
        command_of(BY_NAME["stock_receive"], args, CATALOG)


def test_names_are_never_guessed():
    with pytest.raises(UnknownItem) as unknown:
        read("stock_receive", item="M7 bolt", qty="5")
    assert unknown.value.suggestions and "Did you mean" in unknown.value.message
    with pytest.raises(AmbiguousName):
        read("stock_receive", item="bolt", qty="5")
    with pytest.raises(WrongPartnerKind):
        read("sales_create", customer="ECH", lines=[{"item": "M6-20", "qty": "1"}])


def test_document_numbers_are_written_as_the_parser_writes_them():
    assert read("sales_ship", order="so-7").order == "SO-0007"
    assert read("purchase_cancel", order="PO 12").order == "PO-0012"
    assert read("approval_decide", request="a12", decision="Approve").request == "A-12"
    with pytest.raises(BadArguments):
        read("approval_decide", request="A-12", decision="maybe")


def test_a_counted_item_in_fractions_is_the_service_refusal_not_a_float():
    cmd = read("stock_issue", item="M6-20", qty=0.5)
    assert cmd.qty == Decimal("0.5")  # whole units are the service's check, with its message
    with pytest.raises(InvalidQuantity):
        read("stock_issue", item="M6-20", qty="1" + "0" * 20)


def test_each_role_is_offered_what_it_holds_and_nothing_more():
    for role in (*RIGHTS, "admin"):
        tools = offered(role, SERVICES)
        assert set(LOOKUPS) <= set(tools)
        for name, tool in tools.items():
            assert name == (tool.intent or name).replace(".", "_")
            assert tool.spec().description.startswith(tool.intent or name)
    assert "purchase_create" not in offered("sales", SERVICES)
    assert "approval_decide" not in offered("clerk", SERVICES)
    assert "stock_receive" not in offered("viewer", SERVICES)
    assert "forecast_all" not in offered("admin", SERVICES)
    assert "sales_return" not in offered("sales", SERVICES - {"sales.return"})  # no service


def test_every_tool_of_the_vocabulary_reads_its_own_example_slots():
    assert set(VOCABULARY) <= set(INTENTS) | {"delivery_note", "labels", "alert.order"}
    for tool in VOCABULARY.values():
        required = {n for n, s in tool.slots.items() if s.required}
        assert set(tool.spec().parameters["required"]) == required
        with pytest.raises(BadArguments):
            slots_of(tool, {"no_such_slot": 1}, CATALOG)


def test_prompts_are_found_by_name_in_both_languages():
    english = system_prompt("en", user="sam", role="sales", today="2026-06-15")
    chinese = system_prompt("zh", user="王", role="sales", today="2026-06-15")
    assert "sam, whose role is sales" in english and "Today is 2026-06-15" in english
    assert "王" in chinese and "今天是 2026-06-15" in chinese
    assert "quoted_data" in english and "quoted_data" in chinese
    assert "purchase_history" in load("examples_en") and "purchase_history" in load("examples_zh")
    with pytest.raises(ValueError):
        load("../secrets")
