"""Fixtures of the forecasting tests: the demo's generated sales history."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from adapters.demo_history import generate_history

DEMO_LAST_DAY = date(2025, 11, 30)


@pytest.fixture(scope="session")
def history():
    """The demo's two years of daily sales up to 30 November 2025, by SKU: [(date, qty)]."""
    by_sku = defaultdict(list)
    for row in generate_history(DEMO_LAST_DAY):
        by_sku[row.sku].append((row.date, row.qty))
    return dict(by_sku)
