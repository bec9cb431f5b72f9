"""What the LLM path adds to a message, model time excluded: `python benchmarks/llm.py [--quick]`.

Prints one `name=value` line per figure. A fresh SQLite database with the demo master data and
some stock; the local fake OpenAI-compatible server of the tests answering scripted tool calls at
once; the real `ChatOpenAI` client and the real conversation. Each message is one the parser
cannot read, arriving with a chat delivery id (as from Telegram or Slack), in three kinds:

- propose: one request → `stock_receive`, proposed from its dry run;
- lookup+propose: `find_item` (answered to the model as quoted data), then `purchase_create`;
- question: `stock_query` (rendered by JXC, its data quoted back), then the model's words.

`overhead` is the message's wall time less the time spent inside the chat-model port (the
LangChain client, loopback HTTP and the fake): what JXC itself adds — the parse that fails, the
delivery claimed, tools offered, arguments read, lookups and questions run, the dry run and the
proposal stored. `request` is one call of the port, for scale; `parser` the same kind of
proposal typed as a command the parser reads, for comparison. Target: overhead p50 < 10 ms.
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

from adapters.bootstrap import bootstrap  # noqa: E402
from adapters.config import Settings  # noqa: E402
from domain.ledger import imports  # noqa: E402
from domain.messages.commands import ReceiveStock  # noqa: E402
from tests.e2e.fake_llm import FakeLLM, call, say  # noqa: E402

DEMO = ROOT / "adapters" / "demo_data"
FREE = "sort out the shelf thing for the guys"


class Timed:
    """The chat-model port, with the time spent in it added up."""

    def __init__(self, model):
        self.model = model
        self.seconds = 0.0
        self.requests: list[float] = []

    def complete(self, messages, tools, timeout):
        began = time.perf_counter()
        try:
            return self.model.complete(messages, tools, timeout)
        finally:
            took = time.perf_counter() - began
            self.seconds += took
            self.requests.append(took)


def demo_app(folder: Path, fake: FakeLLM):
    settings = Settings(
        database_url=f"sqlite:///{folder / 'jxc.db'}",
        llm_provider="openai",
        llm_model="fake-model",
        llm_base_url=fake.openai_url,
        llm_api_key="bench",
    )
    app = bootstrap(settings, migrate_schema=True)
    with app.uow() as uow:
        for kind in ("warehouses", "items", "partners", "users"):
            with (DEMO / f"{kind}.csv").open(newline="", encoding="utf-8") as f:
                rows = list(enumerate(csv.DictReader(f), start=2))
            imports.import_rows(uow, kind, rows, today=date(2026, 6, 15))
        uow.commit()
    app.bus.execute(
        ReceiveStock(item="M6-20", qty=Decimal(100000), unit_cost=Decimal("0.12")),
        app.bus.user("li"),
    )
    return app


KINDS = {
    "propose": ("li", [call("stock_receive", item="M6螺栓", qty="100", unit_cost=0.12)]),
    "lookup+propose": (
        "zhao",
        [
            call("find_item", query="gloves"),
            call("purchase_create", supplier="SAFE", lines=[{"item": "GLOVE-L", "qty": 200}]),
        ],
    ),
    "question": ("tom", [call("stock_query", item="M6"), say("There are 100,000 M6 bolts.")]),
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer messages")
    args = ap.parse_args(argv)
    rounds = 30 if args.quick else 150
    fake = FakeLLM().start()
    try:
        with tempfile.TemporaryDirectory(prefix="jxc-bench-llm-") as tmp:
            app = demo_app(Path(tmp), fake)
            assistant = app.assistant()
            timed = assistant.model = Timed(assistant.model)
            chat = app.conversation()
            n = 0

            def message(user: str, steps: list, text: str = FREE) -> tuple[float, float]:
                nonlocal n
                n += 1
                fake.script(*steps)
                before = timed.seconds
                began = time.perf_counter()
                reply = chat.handle(user, f"bench{n}", text, delivery=("telegram", f"u{n}"))
                took = time.perf_counter() - began
                assert reply is not None and reply.ok, reply
                return took, timed.seconds - before

            for user, steps in KINDS.values():  # warm-up: LangChain imported, tools bound
                for _ in range(3):
                    message(user, steps)
            timed.requests.clear()
            overhead: dict[str, list[float]] = {kind: [] for kind in KINDS}
            for _ in range(rounds):
                for kind, (user, steps) in KINDS.items():
                    took, model = message(user, steps)
                    overhead[kind].append(took - model)
            parser = []
            for _ in range(rounds):
                began = time.perf_counter()
                message("li", [], "入库 M6 100 个 单价 0.12")
                parser.append(time.perf_counter() - began)
            every = [v for values in overhead.values() for v in values]
            print(f"messages={len(every)}")
            for kind, values in overhead.items():
                print(f"overhead_{kind}_p50_ms={pct(values, 0.5) * 1000:.2f}")
            print(f"overhead_p50_ms={statistics.median(every) * 1000:.2f}")
            print(f"overhead_p99_ms={pct(every, 0.99) * 1000:.2f}")
            print(f"request_p50_ms={statistics.median(timed.requests) * 1000:.2f}")
            print(f"parser_proposal_p50_ms={statistics.median(parser) * 1000:.2f}")
            app.engine.dispose()
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
