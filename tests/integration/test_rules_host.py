"""The durable-rules engine in its child process: it answers like the reference, and when it
dies (SIGSEGV between calls or in the middle of one, or it hangs) the caller gets
`EngineCrashed`, a fresh child answers the retried batch, and no zombie is left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.bootstrap import make_rules_engine as make_engine
from rules.engine import EngineCrashed, EngineError
from rules.host import ProcessEngine
from tests.unit.test_rules_durable import facts

BELOW = {
    "type": "stock_level",
    "sku": "GLOVE-L",
    "projected": 50,
    "reorder_point": 128,
    "alert_open": 0,
    "suggested_qty": 412,
}
BATCH = [
    BELOW,
    {
        "type": "sale_price",
        "order": "SO-0012",
        "sku": "TAPE-48",
        "price": 4.0,
        "list_price": 6.45,
        "discount_pct": 38,
        "threshold_pct": 20,
    },
    {
        "type": "approval",
        "request": "A-7",
        "status": "approved",
        "subject": "SO-0012",
        "requested_by": "tom",
        "alert_open": 1,
    },
    {"type": "negative", "sku": "M6-20", "warehouse": "WH1", "on_hand": 5, "reserved": 5},
    {"type": "stock_level", "sku": "GLOVE-L", "projected": "50"},
]


def reaped(pid: int) -> bool:
    """The process is gone and was waited for (not a zombie child of ours)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.fixture
def engine():
    eng = ProcessEngine(crash_on_type="test.crash", timeout_s=10)
    yield eng
    eng.close()


def test_process_engine_fires_what_the_reference_fires(engine):
    expected = make_engine("reference").evaluate(BATCH)
    assert [f.kind for f in expected] == ["reorder", "anomaly.price", "approval"]
    assert engine.evaluate(BATCH) == expected
    assert engine.evaluate([]) == []


def test_child_killed_between_calls_is_restarted_and_the_batch_retried(engine):
    assert engine.evaluate([BELOW])
    old = engine.pid
    os.kill(old, signal.SIGSEGV)
    os.waitid(os.P_PID, old, os.WEXITED | os.WNOWAIT)  # dead, left for the engine to reap
    with pytest.raises(EngineCrashed):
        engine.evaluate(BATCH)
    assert engine.pid not in (None, old)
    assert reaped(old)
    assert engine.evaluate(BATCH) == make_engine("reference").evaluate(BATCH)


def test_child_crashing_in_the_middle_of_a_call_is_restarted(engine):
    old = engine.pid
    with pytest.raises(EngineCrashed, match="exit code -11"):
        engine.evaluate([BELOW, {"type": "test.crash"}, BELOW])
    assert reaped(old)
    assert [f.subject for f in engine.evaluate([BELOW, BELOW])] == ["GLOVE-L", "GLOVE-L"]


def test_child_crashing_again_and_again_never_takes_the_caller_down(engine):
    pids = {engine.pid}
    for _ in range(3):
        with pytest.raises(EngineCrashed):
            engine.evaluate([{"type": "test.crash"}])
        pids.add(engine.pid)
    assert len(pids) == 4
    assert all(reaped(pid) for pid in pids - {engine.pid})
    assert engine.evaluate([BELOW])[0].action == "open"


def test_child_that_stops_answering_is_killed_and_replaced():
    with ProcessEngine(timeout_s=1) as eng:
        assert eng.evaluate([BELOW])
        old = eng.pid
        os.kill(old, signal.SIGSTOP)
        started = time.monotonic()
        with pytest.raises(EngineCrashed):
            eng.evaluate([BELOW])
        assert time.monotonic() - started < 5
        assert reaped(old)
        assert eng.evaluate([BELOW])


def test_close_stops_the_child_and_leaves_no_zombie():
    eng = make_engine("process")
    assert eng.evaluate([BELOW])
    pid = eng.pid
    eng.close()
    assert eng.pid is None
    assert reaped(pid)
    with pytest.raises(EngineError, match="closed"):
        eng.evaluate([BELOW])
    eng.close()  # a second close is harmless


def test_the_engine_port_loads_durable_rules_only_where_it_runs():
    code = (
        "import sys; import rules.engine, rules.reference, rules.rulesets, rules.host;"
        "from adapters.bootstrap import make_rules_engine as make_engine;"
        "e = make_engine('process'); e.evaluate([]); e.close();"
        "print('durable' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


@pytest.fixture(scope="module")
def shared_engine():
    eng = ProcessEngine(timeout_s=30)
    yield eng
    eng.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream=st.lists(facts(), max_size=40))
def test_process_engine_fires_what_the_reference_fires_on_random_streams(shared_engine, stream):
    assert shared_engine.evaluate(stream) == make_engine("reference").evaluate(stream)
