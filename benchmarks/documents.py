"""PDF documents: `python benchmarks/documents.py [--quick]`.

Prints one `name=value` line per figure: the time to draw a statement of 1,000 lines (and of
5,000, to show how it grows) into a PDF, the first document of a process (the CJK font read and
registered), a delivery note of 100 lines, and a delivery note end to end (the bus's query on a
SQLite database with the demo's master data, then the PDF) for an order of every demo item.
Medians of several runs. Target: a 1,000-line statement < 2 s.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.documents.company import Company  # noqa: E402
from adapters.documents.port import render_document  # noqa: E402

STATEMENT_TARGET_S = 2.0
COMPANY = Company("Shanghai Fastener Trading Co., Ltd.", "上海紧固件贸易有限公司")


def statement(lines: int) -> dict:
    """A customer's statement in the design's shape: two invoices, then a payment, and again."""
    balance = Decimal("1520.00")
    rows = []
    for n in range(lines):
        paid = n % 3 == 2
        debit = Decimal(0) if paid else Decimal("800.50") + n % 11
        credit = Decimal("500.25") if paid else Decimal(0)
        balance += debit - credit
        rows.append(
            {
                "date": f"2026-{1 + n * 12 // lines:02d}-{1 + n % 28:02d}",
                "doc": f"PAY-{n:05d}" if paid else f"INV-{n:05d}",
                "debit": str(debit),
                "credit": str(credit),
                "balance": str(balance),
            }
        )
    return {"partner": "ACME", "partner_name": "ACME Corp", "partner_name_zh": "艾克米",
            "period": {"start": "2026-01-01", "end": "2026-12-31"}, "opening": "1520.00",
            "lines": rows, "closing": str(balance)}  # fmt: skip


def delivery_note(lines: int) -> dict:
    return {"order": "SO-0007", "shipment": 1, "shipments": 1, "date": "2026-10-13",
            "shipped_at": "2026-10-13T09:30:00+08:00", "customer": "ACME",
            "partner_name": "ACME Corp", "partner_name_zh": "艾克米", "warehouse": "MAIN",
            "lines": [{"item": f"SKU-{n:04d}", "name": f"hex bolt M{n % 20 + 3}",
                       "name_zh": f"六角螺栓 M{n % 20 + 3}", "uom": "pcs", "qty": str(n * 7 + 1)}
                      for n in range(lines)]}  # fmt: skip


def median_seconds(make, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        make()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def end_to_end(folder: Path, runs: int) -> tuple[int, float]:
    """The delivery note of an order of every demo item: the bus's query, then the PDF."""
    from adapters.bootstrap import bootstrap
    from adapters.config import Settings
    from domain import settings
    from domain.ledger import imports
    from domain.messages.commands import (
        CreateSalesOrder,
        Line,
        QueryDeliveryNote,
        ReceiveStock,
        ShipSalesOrder,
    )

    app = bootstrap(Settings(database_url=f"sqlite:///{folder / 'bench.db'}"), migrate_schema=True)
    demo = ROOT / "adapters" / "demo_data"
    with app.uow() as uow:
        for kind in ("warehouses", "items", "partners", "users"):
            with (demo / f"{kind}.csv").open(newline="", encoding="utf-8") as f:
                rows = list(enumerate(csv.DictReader(f), start=2))
            imports.import_rows(uow, kind, rows, today=date(2026, 6, 15))
        settings.set_value(uow, "approval.credit_check", "off")  # the order ships at once
        uow.commit()
    with (demo / "items.csv").open(newline="", encoding="utf-8") as f:
        skus = [row["sku"] for row in csv.DictReader(f)]
    admin = app.bus.user("admin")
    for sku in skus:
        app.bus.execute(ReceiveStock(item=sku, qty=Decimal(1000)), admin)  # at standard cost
    lines = tuple(Line(sku, Decimal(3)) for sku in skus)
    app.bus.execute(CreateSalesOrder(customer="ACME", lines=lines, warehouse="MAIN"), admin)
    app.bus.execute(ShipSalesOrder(order="SO-0001"), admin)
    pdf = folder / "note.pdf"

    def once():
        note = app.bus.execute(QueryDeliveryNote(order="SO-0001"), admin)
        render_document(note, pdf, COMPANY)

    took = median_seconds(once, runs)
    app.engine.dispose()
    return len(skus), took


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs, no 5,000-line statement")
    args = ap.parse_args(argv)
    runs = 3 if args.quick else 7
    with tempfile.TemporaryDirectory(prefix="jxc-bench-docs-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        render_document(statement(10), folder / "first.pdf", COMPANY)
        first = time.perf_counter() - t0
        big = statement(1000)
        took = median_seconds(lambda: render_document(big, folder / "s.pdf", COMPANY), runs)
        pages = (folder / "s.pdf").read_bytes().count(b"/Type /Page\n")
        print(f"documents_first_pdf_of_a_process_s={first:.3f}")
        print(f"documents_statement_1000_lines_s={took:.3f}")
        print(f"documents_statement_1000_lines_pages={pages}")
        met = took < STATEMENT_TARGET_S
        print(f"documents_statement_target_{STATEMENT_TARGET_S:g}_s={'met' if met else 'NOT met'}")
        if not args.quick:
            huge = statement(5000)
            took5 = median_seconds(lambda: render_document(huge, folder / "h.pdf", COMPANY), 3)
            print(f"documents_statement_5000_lines_s={took5:.3f}")
        from domain.orders.delivery_notes import DeliveryNote

        typed = DeliveryNote.from_json(delivery_note(100))
        took_dn = median_seconds(lambda: render_document(typed, folder / "d.pdf", COMPANY), runs)
        print(f"documents_delivery_note_100_lines_s={took_dn:.3f}")
        items, took_e2e = end_to_end(folder, runs)
        print(f"documents_delivery_note_end_to_end_{items}_lines_s={took_e2e:.3f}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
