"""`jxc stock` as text for people, on an 80-column terminal or a pipe: every value whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from domain.numbers import money_display, qty_display
from tests.conftest import RUN_DIR, _fresh_pg, cli_env, jxc

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    pg = os.environ.get("JXC_TEST_DATABASE_URL")
    url = _fresh_pg(pg) if pg else f"sqlite:///{tmp_path_factory.mktemp('demo') / 'jxc.db'}"
    jxc(url, "init", "--demo", check=True)
    return url


def stock_text(db_url: str, columns: str | None) -> list[str]:
    env = cli_env(db_url)
    env.pop("COLUMNS", None)
    if columns:
        env["COLUMNS"] = columns
    proc = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "stock"],
        capture_output=True,
        text=True,
        env=env,
        cwd=RUN_DIR,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


@pytest.mark.parametrize("columns", ["80", None])  # COLUMNS=80, or a pipe with no COLUMNS
def test_stock_on_80_columns_shows_every_value_whole(demo_db, columns):
    rows = json.loads(jxc(demo_db, "stock", "--json", check=True).stdout)
    lines = stock_text(demo_db, columns)
    assert all(len(line) <= 80 for line in lines)
    assert not any("…" in line for line in lines)
    for r in rows:
        (line,) = [x for x in lines if x.split()[:2] == [r["sku"], r["warehouse"]]]
        cells = line.split()[2:]
        # Quantities and money as people read them, never cut: 1,398.40.
        assert qty_display(r["on_hand"]) in cells and qty_display(r["available"]) in cells
        assert money_display(r["value"]) == cells[-1]
    box = next(x for x in lines if x.split()[:2] == ["BOX-M", "MAIN"])
    assert "1,398.40" in box.split()
    assert lines[-1].startswith("(left out to fit 80 columns: avg cost")


def test_stock_on_a_wide_terminal_shows_every_column(demo_db):
    lines = stock_text(demo_db, "120")
    assert lines[1].split() == [
        "SKU",
        "Warehouse",
        "On",
        "hand",
        "Reserved",
        "Available",
        "On",
        "order",
        "Avg",
        "cost",
        "Value",
    ]
    assert not lines[-1].startswith("(left out")


def test_stock_on_a_very_narrow_terminal_wraps_rows_instead_of_cutting(demo_db):
    lines = stock_text(demo_db, "30")
    assert all(len(line) <= 30 for line in lines)
    start = lines.index("BOX-M  MAIN") + 1
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith(" "))
    assert "value 1,398.40" in " ".join(lines[start:end])
