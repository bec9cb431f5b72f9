"""`jxc run` fed lines of arbitrary bytes and JSON: one answer per line, never a traceback or an
`internal_error`, and books that `jxc verify` finds balanced afterwards."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import RUN_DIR, cli_env, jxc

INTENTS = [
    "stock.receive",
    "stock.issue",
    "stock.transfer",
    "stock.count",
    "stock.query",
    "purchase.create",
    "sales.create",
    "sales.ship",
    "order.query",
    "alert.snooze",
    "report",
]
TEXT = st.one_of(
    st.sampled_from(["M6-20", "M6", "螺栓", "ACME", "ECH", "MAIN", "SH", "SO-0001", "PO-0001"]),
    st.text(max_size=30),
    st.text(min_size=190, max_size=260),
)
NUMBER = st.one_of(
    st.sampled_from(["1", "5", "0", "-1", "0.001", "1e309", "1,5", "1,500", "2e3", "abc", ""]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
LINE = st.fixed_dictionaries({"item": TEXT, "qty": NUMBER}, optional={"price": NUMBER})
COMMAND = st.fixed_dictionaries(
    {"intent": st.sampled_from(INTENTS)},
    optional={
        "item": TEXT,
        "qty": NUMBER,
        "counted_qty": NUMBER,
        "unit_cost": NUMBER,
        "warehouse": TEXT,
        "from": TEXT,
        "to": TEXT,
        "reason": TEXT,
        "customer": TEXT,
        "supplier": TEXT,
        "order": TEXT,
        "lines": st.lists(LINE, max_size=3),
        "alert": st.one_of(st.integers(), TEXT),
        "days": st.one_of(st.integers(), TEXT),
        "name": st.sampled_from(["kpi", "stock_status", "nope"]),
        "period": st.sampled_from(["this_month", "0001-01", "9999-12", "2026-13", "x"]),
        "key": st.one_of(st.sampled_from(["k1", "k2", "k3"]), TEXT),
        "extra": JSON,
    },
)
RAW = st.one_of(
    st.binary(max_size=80),
    COMMAND.map(lambda c: json.dumps(c).encode()),
    COMMAND.map(lambda c: json.dumps(c, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    JSON.map(lambda v: json.dumps(v).encode()),
).map(lambda b: b.replace(b"\n", b" "))


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines=st.lists(RAW, min_size=1, max_size=15))
def test_any_batch_gets_one_answer_a_line_and_leaves_balanced_books(master_db, lines):
    proc = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "run", "-"],
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
        env=cli_env(master_db),
        cwd=RUN_DIR,
        timeout=120,
    )
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert "Traceback" not in out + err, err
    assert proc.returncode in (0, 1), err
    answers = [json.loads(line) for line in out.splitlines()]
    assert len(answers) == sum(1 for line in lines if line.strip())
    for answer in answers:
        assert isinstance(answer["ok"], bool)
        if not answer["ok"]:
            assert answer["error"]["code"] != "internal_error", answer
    verify = jxc(master_db, "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
