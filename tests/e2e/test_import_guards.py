"""Imports, numbers and settings under careless or hostile input, through the real `jxc` CLI:
every bad line named, nothing of the file imported, master data never wiped by a short row,
numbers never guessed, settings kept in their ranges."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select

from domain.model import Item, Partner, User
from tests.conftest import jxc, run_json

pytestmark = pytest.mark.db

ITEMS = "sku,name,name_zh,uom,category,unit_price,unit_cost,lead_time_days,moq,aliases"


def row(db_url: str, table, key: str, value: str) -> dict:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            t = table.__table__
            found = conn.execute(select(t).where(t.c[key] == value)).mappings().first()
            return dict(found) if found else {}
    finally:
        engine.dispose()


def import_file(db_url, tmp_path, kind: str, body: str | bytes, name: str = "data.csv"):
    f = tmp_path / name
    if isinstance(body, str):
        f.write_text(body, encoding="utf-8")
    else:
        f.write_bytes(body)
    return jxc(db_url, "import", kind, str(f))


def refused_lines(proc) -> list[str]:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "internal_error" not in proc.stderr
    return [ln.split(":")[0] for ln in proc.stderr.splitlines() if ln.startswith("line ")]


def test_a_short_row_is_refused_and_wipes_nothing(master_db, tmp_path):
    before = row(master_db, Item, "sku", "M6-20")
    proc = import_file(master_db, tmp_path, "items", f"{ITEMS}\nM6-20,M6x20 hex bolt\n")
    assert refused_lines(proc) == ["line 2"]
    assert "2 value(s) where the header has 10" in proc.stderr
    assert row(master_db, Item, "sku", "M6-20") == before
    assert before["name_zh"] == "M6螺栓" and before["unit_price"] > 0


def test_every_bad_line_is_named_and_nothing_is_imported(master_db, tmp_path):
    body = (
        f"{ITEMS}\n"
        "NEW-1,New one,新一,pcs,misc,1.00,0.50,7,10,\n"  # good
        "NEW-2,New two,新二,pcs,misc,1.00,0.50,7,10,,extra\n"  # one value too many
        'NEW-3,"New "three",新三,pcs,misc,1.00,0.50,7,10,\n'  # a quote closing mid-value
        "NEW-4,New four,新四,pcs,misc,1,5,0.50,7,10\n"  # 1,5 unquoted: a value too many
        'NEW-5,New five,新五,pcs,misc,"1,5",0.50,7,10,\n'  # a comma that is not thousands
        "NEW-6,New six,新六,pcs,misc,2e3,0.50,7,10,\n"  # an exponent
        'NEW-7,"New seven,新七,pcs,misc,1.00,0.50,7,10,\n'  # a quote never closed
    )
    proc = import_file(master_db, tmp_path, "items", body)
    assert refused_lines(proc) == [f"line {n}" for n in range(3, 9)]
    assert "comma separates thousands only" in proc.stderr
    assert "exponent" in proc.stderr
    assert "not closed" in proc.stderr
    assert row(master_db, Item, "sku", "NEW-1") == {}


def test_a_duplicate_column_is_refused(master_db, tmp_path):
    proc = import_file(master_db, tmp_path, "items", "sku,unit_price,unit_price\nM6-20,1,2\n")
    assert refused_lines(proc) == ["line 1"]
    assert "unit_price appear more than once" in proc.stderr
    assert row(master_db, Item, "sku", "M6-20")["unit_price"] == pytest.approx(0.25)


def test_a_header_naming_some_columns_updates_only_those(master_db, tmp_path):
    before = row(master_db, Item, "sku", "M6-20")
    proc = import_file(master_db, tmp_path, "items", "sku,unit_price\nM6-20,0.30\nm8-30,1,500\n")
    assert refused_lines(proc) == ["line 3"]  # "1,500" unquoted is two values
    proc = import_file(master_db, tmp_path, "items", 'sku,unit_price\nM6-20,0.30\nm8-30,"1,500"\n')
    assert proc.returncode == 0, proc.stderr
    after = row(master_db, Item, "sku", "M6-20")
    assert str(after["unit_price"]) == "0.300000"
    assert {k: v for k, v in after.items() if k != "unit_price"} == {
        k: v for k, v in before.items() if k != "unit_price"
    }
    assert str(row(master_db, Item, "sku", "M8-30")["unit_price"]) == "1500.000000"
    # the chat still finds the item by its Chinese name
    out = jxc(master_db, "parse", "M6螺栓 库存", "--json")
    assert '"M6-20"' in out.stdout


def test_a_new_row_must_carry_the_required_columns(master_db, tmp_path):
    proc = import_file(master_db, tmp_path, "items", "sku,unit_price\nM6-20,0.30\nBRAND-NEW,9\n")
    assert refused_lines(proc) == ["line 3"]
    assert "BRAND-NEW is new" in proc.stderr and "name_zh" in proc.stderr
    assert str(row(master_db, Item, "sku", "M6-20")["unit_price"]) == "0.250000"


def test_a_short_partner_or_user_row_changes_nothing(master_db, tmp_path):
    acme = row(master_db, Partner, "code", "ACME")
    proc = import_file(
        master_db,
        tmp_path,
        "partners",
        "code,name,name_zh,kind,credit_limit,aliases\nACME,ACME Trading,艾克米,customer\n",
    )
    assert refused_lines(proc) == ["line 2"]
    assert row(master_db, Partner, "code", "ACME") == acme
    mary = row(master_db, User, "name", "mary")
    proc = import_file(
        master_db, tmp_path, "users", "name,role,slack_id,telegram_id,lang\nmary,approver\n"
    )
    assert refused_lines(proc) == ["line 2"]
    assert row(master_db, User, "name", "mary") == mary and mary["slack_id"]
    # naming only the role keeps her chat ids
    proc = import_file(master_db, tmp_path, "users", "name,role\nmary,clerk\n")
    assert proc.returncode == 0, proc.stderr
    assert row(master_db, User, "name", "mary") == {**mary, "role": "clerk"}


def test_a_duplicate_chat_id_or_barcode_is_a_line_error(master_db, tmp_path):
    wang = row(master_db, User, "name", "wang")
    proc = import_file(master_db, tmp_path, "users", f"name,slack_id\nmary,{wang['slack_id']}\n")
    assert refused_lines(proc) == ["line 2"]
    assert "also belongs to wang" in proc.stderr
    proc = import_file(master_db, tmp_path, "users", "name,telegram_id\nmary,777\nli,777\n")
    assert refused_lines(proc) == ["line 2", "line 3"]
    m6 = row(master_db, Item, "sku", "M6-20")
    proc = import_file(master_db, tmp_path, "items", f"sku,barcode\nM8-30,{m6['barcode']}\n")
    assert refused_lines(proc) == ["line 2"]
    assert "already belongs to M6-20" in proc.stderr


def test_payment_days_out_of_range_is_a_line_error(master_db, tmp_path):
    proc = import_file(
        master_db, tmp_path, "partners", "code,payment_days\nACME,99999999999999999999\nBETA,x\n"
    )
    assert refused_lines(proc) == ["line 2", "line 3"]
    assert row(master_db, Partner, "code", "ACME")["payment_days"] == 30


def test_a_file_that_is_not_utf8_text_is_refused_by_line(master_db, tmp_path):
    gbk = "sku,name_zh\nM6-20,六角螺栓\nM8-30,ok\nM10,螺母\n".encode("gbk")
    proc = import_file(master_db, tmp_path, "items", gbk)
    assert refused_lines(proc) == ["line 2", "line 4"]
    assert "not UTF-8" in proc.stderr
    binary = bytes(range(256)) * 20
    proc = import_file(master_db, tmp_path, "items", binary, "binary.csv")
    assert refused_lines(proc)
    assert row(master_db, Item, "sku", "M6-20")["name_zh"] == "M6螺栓"


def test_an_over_long_field_is_a_line_error(master_db, tmp_path):
    big = "x" * 128 * 1024
    body = f"sku,name\nM6-20,{big}\nM8-30,ok\nM10,{'y' * 1500}\n"
    proc = import_file(master_db, tmp_path, "items", body)
    assert refused_lines(proc) == ["line 2", "line 4"]
    assert len(proc.stderr) < 2000  # the value is not echoed back
    hist = f"date,sku,qty,customer,unit_price\n2026-06-01,M6-20,{'9' * 2000},ACME,1\n"
    proc = import_file(master_db, tmp_path, "sales_history", hist, "hist.csv")
    assert refused_lines(proc) == ["line 2"] and len(proc.stderr) < 2000


def test_no_import_may_leave_the_users_without_an_admin(master_db, tmp_path):
    proc = import_file(master_db, tmp_path, "users", "name,role\nadmin,clerk\n")
    assert proc.returncode == 1
    assert "error (invalid_state)" in proc.stderr and "admin" in proc.stderr
    assert row(master_db, User, "name", "admin")["role"] == "admin"
    # another admin first, then the old one may step down
    proc = import_file(master_db, tmp_path, "users", "name,role\nmary,admin\nadmin,clerk\n")
    assert proc.returncode == 0, proc.stderr


def test_jxc_run_refuses_a_comma_or_exponent_it_would_have_to_guess(master_db):
    out = run_json(
        master_db,
        {"intent": "stock.receive", "item": "M6-20", "qty": "1,5"},
        {"intent": "stock.receive", "item": "M6-20", "qty": "2e3"},
        {"intent": "stock.receive", "item": "M6-20", "qty": "1e309"},
        {"intent": "stock.receive", "item": "M6-20", "qty": "10", "unit_cost": "1,5"},
        {
            "intent": "purchase.create",
            "supplier": "ECH",
            "lines": [{"item": "M6-20", "qty": "10", "price": "0,12"}],
        },
        {"intent": "stock.receive", "item": "M6-20", "qty": "1,500", "unit_cost": "0.10"},
    )
    codes = [o["error"]["code"] if not o["ok"] else "ok" for o in out]
    assert codes == [
        "invalid_quantity",
        "invalid_quantity",
        "invalid_quantity",
        "invalid_amount",
        "invalid_amount",
        "ok",
    ]
    assert out[-1]["result"]["qty"] == "1500"


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("approval.purchase_total", "1e309", "invalid_amount"),
        ("approval.purchase_total", "1000000000001", "invalid_amount"),
        ("approval.purchase_total", "-5", "invalid_amount"),
        ("approval.purchase_total", "1,5", "invalid_amount"),
        ("reorder.history_days", "0", "invalid_amount"),
        ("reorder.history_days", "99999999999", "invalid_amount"),
        ("reorder.history_days", "13", "invalid_amount"),
        ("anomaly.sigma", "1e309", "invalid_amount"),
        ("anomaly.sigma", "0.5", "invalid_amount"),
        ("anomaly.sigma", "11", "invalid_amount"),
        ("reorder.service_level", "1", "invalid_amount"),
        ("reorder.service_level", "0.4", "invalid_amount"),
        ("reorder.holding_pct", "0.05", "invalid_amount"),
        ("approval.sales_discount_pct", "101", "invalid_amount"),
        ("approval.remind_hours", "0", "invalid_amount"),
        ("approval.escalate_hours", "721", "invalid_amount"),
        ("stock.allow_negative.NOPE", "on", "unknown_warehouse"),
        ("approval.nope", "1", "unknown_setting"),
    ],
)
def test_a_setting_outside_its_range_is_refused(master_db, name, value, code):
    proc = jxc(master_db, "rules", "set", name, value)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"error ({code}):"), proc.stderr
    shown = jxc(master_db, "rules", "show", "--json").stdout
    assert "1e309" not in shown and '"NOPE' not in shown


def test_settings_at_the_edges_of_their_ranges_are_kept(master_db):
    for name, value in [
        ("approval.purchase_total", "1000000000000"),
        ("reorder.history_days", "1095"),
        ("anomaly.sigma", "10"),
        ("reorder.service_level", "0.999"),
        ("reorder.holding_pct", "0.1"),
        ("approval.remind_hours", "720"),
        ("stock.allow_negative.bj", "on"),
    ]:
        proc = jxc(master_db, "rules", "set", name, value)
        assert proc.returncode == 0, proc.stderr
    shown = jxc(master_db, "rules", "show").stdout
    assert "stock.allow_negative.BJ = on" in shown
    assert "approval.purchase_total = 1000000000000" in shown


def test_the_chat_reads_half_a_dozen_and_asks_about_a_number_it_cannot_read(master_db):
    assert run_json(master_db, {"intent": "stock.receive", "item": "HAMMER", "qty": "100"})[0]["ok"]
    proc = jxc(
        master_db,
        "chat",
        "--user",
        "wang",
        "--lang",
        "en",
        input="美林 要 半打 锤子\nyes\nsell 1,5 hammers to acme\nsell 2m hammers to acme\n",
    )
    answers = [a for a in proc.stdout.split("\n\n") if a.strip()]
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "MEILIN: 6 × claw hammer" in answers[0]
    assert "1,5" in answers[2] and "Confirm" not in answers[2]
    assert "2m" in answers[3] and "Confirm" not in answers[3]
    stock = run_json(master_db, {"intent": "stock.query", "item": "HAMMER"})[0]["result"]
    assert stock["rows"][0]["reserved"] == "6"
