"""Money on the command line: `jxc run` with the money intents (and their bad input),
`jxc invoices`, `jxc statement`, the money reports, and the sentences `jxc parse` reads."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import jxc, run_json
from tests.pdf_text import needs_pdftotext, pages

pytestmark = pytest.mark.db


def _sold(db, qty="100", parts=("40",)):
    cmds = [
        {"intent": "stock.receive", "item": "M6-20", "qty": "1000", "unit_cost": "0.12"},
        {"intent": "sales.create", "customer": "ACME", "lines": [{"item": "M6-20", "qty": qty}]},
    ]
    cmds += [
        {"intent": "sales.ship", "order": "SO-0001", "lines": [{"item": "M6-20", "qty": p}]}
        for p in parts
    ]
    cmds.append({"intent": "sales.ship", "order": "SO-0001"})
    out = run_json(db, *cmds)
    assert all(r["ok"] for r in out), out
    return out


def test_money_through_jxc_run_in_the_designs_shapes(master_db):
    shipped = _sold(master_db)
    assert (shipped[2]["result"]["shipment"], shipped[2]["result"]["invoice"]) == (1, "INV-0001")
    out = run_json(
        master_db,
        {"intent": "payment.receive", "customer": "ACME", "amount": "12", "key": "bank-1"},
        {"intent": "sales.return", "order": "SO-0001", "lines": [{"item": "M6-20", "qty": "4"}]},
        {"intent": "partner.balance", "partner": "ACME"},
        user="chen",
    )
    paid, returned, balance = out
    assert paid["result"]["payment"] == "PAY-0001"
    assert paid["result"]["allocated"] == [
        {"invoice": "INV-0001", "amount": "10.00"},
        {"invoice": "INV-0002", "amount": "2.00"},
    ]
    assert paid["result"]["unallocated"] == "0.00"
    assert (returned["ok"], returned["error"]["code"]) == (False, "not_permitted")
    assert (
        returned["error"]["message"]
        == "chen（accountant）无权执行 sales.return，请联系管理员分配角色"
    )
    got = balance["result"]
    assert {
        k: got[k] for k in ("partner", "balance", "overdue", "credit_limit", "credit_left")
    } == {
        "partner": "ACME",
        "balance": "13.00",
        "overdue": "0.00",
        "credit_limit": "50000.00",
        "credit_left": "49987.00",
    }
    assert set(got["aging"]) == {"current", "1-30", "31-60", "61-90", "90+"}
    assert got["exposure"] == "13.00"  # the keys partner.balance had before money stay
    again = run_json(
        master_db,
        {"intent": "payment.receive", "customer": "ACME", "amount": "12", "key": "bank-1"},
        user="chen",
    )
    assert again[0]["result"]["payment"] == "PAY-0001"  # the same key: the same payment


@pytest.mark.parametrize(
    ("amount", "code"),
    [(12.5, "bad_request"), ("abc", "invalid_amount"), ("0", "invalid_amount"),
     ("-3", "invalid_amount"), ("1,5", "invalid_amount"), (True, "bad_request")],
)  # fmt: skip
def test_a_payments_amount_must_be_a_positive_decimal_string(master_db, amount, code):
    (out,) = run_json(
        master_db, {"intent": "payment.pay", "supplier": "ECH", "amount": amount}, user="chen"
    )
    assert (out["ok"], out["error"]["code"]) == (False, code)


def test_invoices_lists_every_document_and_the_open_ones(master_db):
    _sold(master_db)
    run_json(
        master_db, {"intent": "payment.receive", "customer": "ACME", "amount": "10"}, user="chen"
    )
    rows = json.loads(jxc(master_db, "invoices", "--json", check=True).stdout)
    assert [(r["invoice"], r["kind"], r["total"], r["paid"], r["open"]) for r in rows] == [
        ("INV-0001", "sales", "10.00", "10.00", "0.00"),
        ("INV-0002", "sales", "15.00", "0.00", "15.00"),
    ]
    assert set(rows[0]) == {
        "invoice", "kind", "partner", "order", "date", "due", "total", "paid", "open"
    }  # fmt: skip
    open_ = json.loads(jxc(master_db, "invoices", "ACME", "--open", "--json").stdout)
    assert [r["invoice"] for r in open_] == ["INV-0002"]
    text = jxc(master_db, "invoices", "--open").stdout
    assert "INV-0002" in text and "INV-0001" not in text
    unknown = jxc(master_db, "invoices", "NOPE")
    assert unknown.returncode == 1 and "unknown_partner" in unknown.stderr


def test_statement_prints_the_designs_json_and_text(master_db):
    _sold(master_db)
    proc = jxc(master_db, "statement", "ACME", "--period", "this_month", "--json")
    assert proc.returncode == 0
    got = json.loads(proc.stdout)
    assert set(got) >= {"partner", "period", "opening", "lines", "closing"}
    assert [set(ln) >= {"date", "doc", "debit", "credit", "balance"} for ln in got["lines"]] == [
        True,
        True,
    ]
    assert (got["opening"], got["closing"]) == ("0.00", "25.00")
    text = jxc(master_db, "statement", "ACME", "--period", "this_month").stdout
    assert "INV-0002" in text and "Closing balance: 25.00" in text
    quiet = jxc(master_db, "statement", "ACME").stdout  # last month: nothing happened
    assert "No activity in this period" in quiet
    viewer = jxc(master_db, "statement", "ACME", "--user", "tom")
    assert viewer.returncode == 1 and "not_permitted" in viewer.stderr
    bad = jxc(master_db, "statement", "ACME", "--period", "someday", "--json")
    assert bad.returncode == 1 and json.loads(bad.stdout)["ok"] is False


@pytest.mark.parametrize("name", ["receivables_aging", "payables_aging", "gross_profit"])
def test_the_money_reports_print_text_json_and_a_chart(master_db, tmp_path, name):
    _sold(master_db)
    got = json.loads(jxc(master_db, "report", name, "--json", check=True).stdout)
    assert got["report"] == name and "rows" in got and "summary" in got
    png = tmp_path / f"{name}.png"
    proc = jxc(master_db, "report", name, "--png", str(png), "--lang", "zh")
    assert proc.returncode == 0 and png.stat().st_size > 5000


def test_the_receivables_and_gross_profit_reports_add_up(master_db):
    _sold(master_db)
    run_json(
        master_db,
        {"intent": "sales.return", "order": "SO-0001", "lines": [{"item": "M6-20", "qty": "10"}]},
    )
    aging = json.loads(jxc(master_db, "report", "receivables_aging", "--json").stdout)
    assert [(r["partner"], r["balance"], r["current"]) for r in aging["rows"]] == [
        ("ACME", "22.50", "22.50")
    ]
    profit = json.loads(jxc(master_db, "report", "gross_profit", "--json").stdout)
    (row,) = profit["rows"]
    # 90 net sold: revenue 22.50, cost 90 × 0.12 = 10.80
    assert (row["qty"], row["revenue"], row["cogs"], row["gross_profit"]) == (
        "90",
        "22.50",
        "10.80",
        "11.70",
    )
    assert row["margin"] == 0.52


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("艾克米付了3000块", {"intent": "payment.receive", "customer": "ACME", "amount": "3000"}),
        ("付华东五金 5000", {"intent": "payment.pay", "supplier": "ECH", "amount": "5000"}),
        ("ACME 欠多少钱", {"intent": "partner.balance", "partner": "ACME"}),
        ("艾克米 上月对账单", {"intent": "statement", "partner": "ACME", "period": "last_month"}),
        ("应收账款账龄", {"intent": "report", "name": "receivables_aging"}),
        ("who owes us money", {"intent": "report", "name": "receivables_aging"}),
        ("应付账款账龄", {"intent": "report", "name": "payables_aging"}),
        ("毛利", {"intent": "report", "name": "gross_profit"}),
        ("gross profit last month", {"intent": "report", "name": "gross_profit",
                                     "period": "last_month"}),
        ("PO-0015 有50个M8螺栓质量不合格，退给华东五金",
         {"intent": "purchase.return", "order": "PO-0015",
          "lines": [{"item": "M8-30", "qty": "50"}], "reason": "质量不合格"}),
    ],
)  # fmt: skip
def test_parse_reads_the_money_sentences(master_db, text, expected):
    proc = jxc(master_db, "parse", text, "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout) == expected


def test_the_console_chat_answers_balances_and_takes_payments(master_db):
    _sold(master_db)
    proc = jxc(
        master_db,
        "chat",
        "--user",
        "chen",
        input="ACME 欠多少钱\n收到艾克米货款 3000\n是\n艾克米额度还剩多少\n帮助\n",
    )
    out = [a.strip() for a in proc.stdout.split("\n\n") if a.strip()]
    assert out[0].startswith("艾克米（ACME）尚欠 25.00。没有逾期。信用额度 50,000.00")
    assert out[1].startswith(
        "登记收到艾克米（ACME）货款 3,000.00，冲抵 INV-0001 10.00，INV-0002 15.00"
    )
    assert "2,975.00 暂不核销" in out[1]
    assert out[2].startswith("PAY-0001：收到艾克米（ACME）货款 3,000.00")
    assert "在我方有余额 2,975.00" in out[2]
    assert "剩余额度 50,000.00" in out[3]
    assert "即将开放" not in out[4] and "收到艾克米货款 3000" in out[4]


@needs_pdftotext
def test_statement_pdf_from_the_cli_and_the_console_chat(master_db, tmp_path):
    _sold(master_db)
    jxc(master_db, "rules", "set", "company.name_zh", "上海紧固件贸易有限公司", check=True)
    pdf = tmp_path / "acme.pdf"
    proc = jxc(master_db, "statement", "ACME", "--period", "this_month", "--pdf", str(pdf))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith(f"pdf: {pdf}")
    text = "\n".join(pages(pdf))
    assert "上海紧固件贸易有限公司" in text and "对账单" in text
    assert "INV-0001" in text and "INV-0002" in text and "25.00" in text
    # The JSON stays the design's shape with the PDF written beside it.
    both = tmp_path / "both.pdf"
    got = json.loads(
        jxc(
            master_db,
            "statement",
            "ACME",
            "--period",
            "this_month",
            "--json",
            "--pdf",
            str(both),
            check=True,
        ).stdout  # fmt: skip
    )
    assert got["closing"] == "25.00" and both.stat().st_size > 0
    # The console chat hands the accountant the statement with its PDF's path.
    chat = jxc(master_db, "chat", "--user", "chen", input="艾克米 本月对账单\n")
    path = re.search(r"\(document: (\S+\.pdf)\)", chat.stdout)
    assert path, chat.stdout
    assert "INV-0002" in "\n".join(pages(path.group(1)))


def test_statement_pdf_to_a_missing_directory_is_misuse(master_db, tmp_path):
    proc = jxc(master_db, "statement", "ACME", "--pdf", str(tmp_path / "nope" / "x.pdf"))
    assert proc.returncode == 2 and "does not exist" in proc.stderr
