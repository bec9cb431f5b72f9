"""Money benchmark: a statement of a customer with 1,000 invoices, `partner.balance` among
100,000 invoices, and the chat's confirmed writes that make or settle invoices.

    python benchmarks/money.py [--quick]

Runs on a fresh SQLite file; also on PostgreSQL when JXC_DATABASE_URL points at one (the
database is emptied first: use a scratch database). The books are written in bulk (100
customers × 1,000 invoices over two years, nine in ten paid, with their payments); the
figures are measured through the message bus and the conversation, as a user meets them.
Targets: statement JSON well under a second, `partner.balance` p50 < 5 ms, a confirmed chat
write p50 < 5 ms.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.bootstrap import bootstrap  # noqa: E402
from adapters.config import Settings  # noqa: E402
from benchmarks.common import run_databases  # noqa: E402
from bot.conversation import Conversation  # noqa: E402
from domain.clock import FixedClock  # noqa: E402
from domain.ledger import imports
from domain.messages.commands import (  # noqa: E402
    CreateSalesOrder,
    Line,
    QueryBalance,
    ReceiveStock,
)
from domain.model import Partner, Sequence  # noqa: E402
from domain.model.money import Invoice, Payment  # noqa: E402
from domain.money.commands import QueryStatement  # noqa: E402

NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)
TODAY = date(2026, 6, 15)
SEED = 19


def fresh_app(url: str):
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine

        eng = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with eng.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        eng.dispose()
    app = bootstrap(Settings(database_url=url), clock=FixedClock(NOW), migrate_schema=True)
    rows = {
        "warehouses": [{"code": "MAIN", "name": "", "name_zh": ""}],
        "users": [
            {"name": "admin", "role": "admin", "slack_id": "", "telegram_id": "", "lang": "en"},
            {"name": "chen", "role": "accountant", "slack_id": "", "telegram_id": "", "lang": "zh"},
            {"name": "li", "role": "clerk", "slack_id": "", "telegram_id": "", "lang": "zh"},
        ],
        "items": [
            {"sku": "M6-20", "name": "M6 bolt", "name_zh": "M6螺栓", "uom": "pcs",
             "category": "", "unit_price": "0.25", "unit_cost": "0.12", "lead_time_days": "7",
             "moq": "0", "aliases": ""},
        ],
    }  # fmt: skip
    with app.uow() as uow:
        for kind, given in rows.items():
            imports.import_rows(uow, kind, list(enumerate(given, start=2)), today=TODAY)
        uow.execute(
            insert(Partner.__table__),
            [
                {"code": f"C{n:03d}", "name": f"Customer {n}", "name_zh": f"客户{n}",
                 "kind": "customer", "credit_limit": Decimal(10**7), "aliases": "",
                 "payment_days": 30}
                for n in range(100)
            ],
        )  # fmt: skip
        uow.commit()
    return app


def seed_books(app, customers: int, per_customer: int) -> int:
    """Invoices over the two years before today (customer C000's all in 2025, for the
    statement), nine in ten paid by a payment of their own; returns how many invoices."""
    rng = random.Random(SEED)
    partners = dict(
        app.engine.connect()
        .execute(text("SELECT code, id FROM partner WHERE code LIKE 'C%'"))
        .all()
    )
    invoices, payments, n_inv, n_pay = [], [], 0, 0
    for c in range(customers):
        pid = partners[f"C{c:03d}"]
        for _ in range(per_customer):
            n_inv += 1
            if c == 0:
                day = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
            else:
                day = TODAY - timedelta(days=rng.randrange(730))
            total = Decimal(rng.randrange(1000, 500000)) / 100
            paid = total if rng.random() < 0.9 or day < TODAY - timedelta(days=120) else Decimal(0)
            at = datetime(day.year, day.month, day.day, 2, tzinfo=UTC)
            invoices.append(
                {"number": f"INV-{n_inv:06d}", "kind": "sales", "partner_id": pid,
                 "order_ref": f"SO-{n_inv:06d}", "doc_no": 1, "at": at, "day": day,
                 "due": day + timedelta(days=30), "total": total, "paid": paid,
                 "status": "paid" if paid == total else "open"}
            )  # fmt: skip
            if paid:
                n_pay += 1
                pay_day = day + timedelta(days=rng.randrange(10, 40))
                payments.append(
                    {"number": f"PAY-{n_pay:06d}", "kind": "receive", "partner_id": pid,
                     "amount": paid, "unallocated": Decimal(0), "status": "allocated",
                     "at": datetime(pay_day.year, pay_day.month, pay_day.day, 3, tzinfo=UTC),
                     "day": pay_day, "user_name": "chen"}
                )  # fmt: skip
    with app.uow() as uow:
        for start in range(0, len(invoices), 20000):
            uow.execute(insert(Invoice.__table__), invoices[start : start + 20000])
        for start in range(0, len(payments), 20000):
            uow.execute(insert(Payment.__table__), payments[start : start + 20000])
        uow.execute(
            insert(Sequence.__table__),
            [{"name": "INV", "value": n_inv}, {"name": "PAY", "value": n_pay}],
        )
        uow.commit()
    if app.engine.dialect.name == "postgresql":
        with app.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return n_inv


def bench_statement(app, samples: int) -> tuple[float, int, int]:
    """The statement of C000 for 2025 (1,000 invoices and their payments) as JSON, p50 ms."""
    chen = app.bus.user("chen")
    times, size, lines = [], 0, 0
    for _ in range(samples):
        start = time.perf_counter()
        result = app.bus.execute(QueryStatement(partner="C000", period="last_year"), chen)
        doc = json.dumps(result.to_json(), ensure_ascii=False)
        times.append((time.perf_counter() - start) * 1000)
        size, lines = len(doc), len(result.lines)
    return statistics.median(times), lines, size


def bench_balance(app, samples: int, customers: int) -> tuple[float, float]:
    """`partner.balance` of random customers through the bus, p50 and p99 ms."""
    rng = random.Random(SEED)
    admin = app.bus.user("admin")
    times = []
    for _ in range(samples):
        code = f"C{rng.randrange(customers):03d}"
        start = time.perf_counter()
        app.bus.execute(QueryBalance(partner=code), admin)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def bench_chat_writes(app, rounds: int) -> dict[str, tuple[float, float]]:
    """The chat's confirmed writes that touch invoices: `是` after a payment (allocated to the
    oldest open invoices) and after a shipment (which makes an invoice): p50 ms of the `是`,
    wall and CPU (the CPU figure holds on a machine busy with other work)."""
    chat = Conversation(app.bus, app.uow, app.clock)
    app.bus.execute(ReceiveStock(item="M6-20", qty=Decimal(10**6), unit_cost=Decimal("0.12")),
                    app.bus.user("li"))  # fmt: skip
    admin = app.bus.user("admin")
    orders = [
        app.bus.execute(
            CreateSalesOrder(customer="C001", lines=(Line("M6-20", Decimal(10)),)), admin
        ).order
        for _ in range(rounds)
    ]
    out = {}
    for name, user, texts in (
        ("payment", "chen", ["收到 C001 货款 10"] * rounds),
        ("shipment", "li", [f"{order} 发货" for order in orders]),
    ):
        times, cpu = [], []
        for n, said in enumerate(texts):
            proposed = chat.handle(user, f"bench-{name}", said, delivery=("bench", f"{name}{n}a"))
            assert proposed is not None and "确认" in proposed.text, proposed and proposed.text
            start, start_cpu = time.perf_counter(), time.process_time()
            done = chat.handle(user, f"bench-{name}", "是", delivery=("bench", f"{name}{n}b"))
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert done is not None and done.ok, done and done.text
        out[name] = (statistics.median(times), statistics.median(cpu))
    return out


def run(url: str, label: str, quick: bool) -> None:
    app = fresh_app(url)
    customers, per = (20, 1000) if quick else (100, 1000)
    start = time.perf_counter()
    n = seed_books(app, customers, per)
    print(f"[{label}] seeded invoices={n} in {time.perf_counter() - start:.1f}s", flush=True)
    p50, lines, size = bench_statement(app, 5 if quick else 20)
    print(
        f"[{label}] statement json ms_p50={p50:.1f} lines={lines} bytes={size} "
        f"(customer with 1000 invoices)",
        flush=True,
    )
    p50, p99 = bench_balance(app, 300 if quick else 2000, customers)
    print(f"[{label}] partner.balance ms_p50={p50:.2f} ms_p99={p99:.2f} invoices={n}", flush=True)
    for name, (ms, cpu) in bench_chat_writes(app, 30 if quick else 200).items():
        print(
            f"[{label}] chat confirmed {name} write ms_p50={ms:.2f} cpu_ms_p50={cpu:.2f} "
            f"invoices={n} load={os.getloadavg()[0]:.1f}",
            flush=True,
        )
    app.engine.dispose()


def main() -> None:
    run_databases(__doc__, run, "a smoke run (20,000 invoices)")


if __name__ == "__main__":
    main()
