"""The parse corpus: real phrasings, English, Chinese and mixed, each with its exact command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.catalog import Catalog, CatalogWarehouse
from bot.parse import parse, recognised_intent
from domain.language import has_cjk

HERE = Path(__file__).resolve().parent
DEMO = HERE.parents[1] / "adapters" / "demo_data"
CORPUS = [
    json.loads(line) for line in (HERE / "parse_corpus.jsonl").read_text("utf-8").splitlines()
]
INTENTS = {
    "stock.query", "stock.receive", "stock.issue", "stock.transfer", "stock.count",
    "purchase.create", "purchase.receive", "purchase.cancel", "sales.create", "sales.ship",
    "sales.cancel", "approval.list", "approval.decide", "forecast", "report", "order.query",
    "sales.return", "purchase.return", "payment.receive", "payment.pay", "partner.balance",
    "statement", "help", "approval.query", "price.query", "digest",
}  # fmt: skip
REPORTS = {"stock_status", "below_reorder", "slow_moving", "abc", "turnover", "top_sellers",
           "sales_by_customer", "supplier_performance", "kpi", "pending_approvals"}  # fmt: skip


def demo_catalog() -> Catalog:
    catalog = Catalog.from_csv_dir(DEMO)
    if not any(w.code == "SH" for w in catalog.warehouses):
        extra = CatalogWarehouse("SH", "Shanghai", "上海")
        catalog = Catalog(catalog.items, catalog.partners, [*catalog.warehouses, extra])
    return catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return demo_catalog()


@pytest.mark.parametrize("case", CORPUS, ids=[c["text"][:40] for c in CORPUS])
def test_corpus_text_parses_to_its_command(case, catalog):
    got = parse(case["text"], catalog).to_json()
    expect = case["expect"]
    if expect.get("intent") is None:
        assert got["intent"] is None
        assert isinstance(got["error"], str) and got["error"]
        for key, value in expect.items():
            assert got.get(key) == value, key
    else:
        assert got == expect


def test_corpus_is_big_half_chinese_and_covers_every_intent_and_slot():
    assert len(CORPUS) >= 300
    chinese = sum(has_cjk(c["text"]) for c in CORPUS)
    assert chinese * 2 >= len(CORPUS)
    commands = [c["expect"] for c in CORPUS if c["expect"].get("intent")]
    assert {c["intent"] for c in commands} == INTENTS
    assert {c["name"] for c in commands if c["intent"] == "report"} == REPORTS
    slots = {(c["intent"], k) for c in commands for k in c}
    for line in (ln for c in commands for ln in c.get("lines", [])):
        slots |= {("line", k) for k in line}
    wanted = {
        ("stock.receive", "unit_cost"), ("stock.issue", "reason"), ("stock.transfer", "from"),
        ("stock.count", "counted_qty"), ("purchase.receive", "lines"), ("sales.create", "warehouse"),
        ("approval.decide", "reason"), ("forecast", "days"), ("report", "period"),
        ("order.query", "mine"), ("order.query", "status"), ("order.query", "partner"),
        ("sales.return", "reason"), ("payment.receive", "invoice"), ("payment.pay", "invoice"),
        ("statement", "period"), ("line", "price"), ("line", "discount"),
        ("purchase.create", "warehouse"), ("stock.query", "warehouse"),
    }  # fmt: skip
    assert wanted <= slots
    codes = {c["expect"].get("code") for c in CORPUS if c["expect"].get("intent") is None}
    assert {"missing_slot", "unknown_item", "ambiguous_name", "wrong_partner_kind",
            "invalid_quantity", "invalid_amount", "unknown_partner", "unknown_warehouse",
            None} <= codes  # fmt: skip


def test_recognised_intent_matches_the_corpus_commands(catalog):
    for case in CORPUS:
        intent = case["expect"].get("intent")
        if intent:
            assert recognised_intent(case["text"], catalog) == intent, case["text"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_no_text_makes_the_parser_raise(text):
    result = parse(text, FUZZ_CATALOG)
    json.dumps(result.to_json())
    assert (result.command is None) != (result.error is None)


_WORDS = ["sell", "ACME", "要", "个", "M6", "20", "二十", "-", "0", "from", "to", "SH", "北京",
          "SO-0007", "a-3", "approve", "驳回", "九折", "@", "0.12", "，", " ", "and", "盘点",
          "ECH", "report", "上月", "next", "days", "%", "1e9", "１２", "箱", "元"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12).map(" ".join))
def test_no_jumble_of_command_words_makes_the_parser_raise(text):
    result = parse(text, FUZZ_CATALOG)
    json.dumps(result.to_json())
    if result.command is None:
        assert result.to_json()["intent"] is None


FUZZ_CATALOG = demo_catalog()
