"""The durable-rules engine in a child process, so that a crash of the native library (it
segfaults on some rule shapes) never takes the server down.

The parent sends each batch of facts down a pipe and gets back which fact fired which rule.
When the child dies during a call (or stops answering), the parent reaps it, starts a new one and
raises `EngineCrashed`: the caller posts the same batch again. The engine keeps no state between
calls (thresholds and open alerts travel in the facts), so a new child answers exactly as the old
one would have.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import traceback
from multiprocessing.connection import Connection

from rules.engine import EngineCrashed, EngineError, Fired
from rules.rulesets import fired_from

log = logging.getLogger(__name__)

# A call that gets no answer for this long kills the child (it is hung, or stopped).
DEFAULT_TIMEOUT_S = 60.0


def _child_main(conn: Connection, crash_on_type: str | None) -> None:
    """The child's loop: evaluate each batch it is sent until told to close."""
    # Ctrl-C reaches the whole process group; the parent decides when the child stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from rules.durable_engine import DurableEngine

    engine = DurableEngine()
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request[0] == "close":
            return
        facts = request[1]
        if crash_on_type is not None and any(
            isinstance(f, dict) and f.get("type") == crash_on_type for f in facts
        ):
            os.kill(os.getpid(), signal.SIGSEGV)
        try:
            reply = ("ok", engine.fire(facts))
        except Exception:
            reply = ("error", traceback.format_exc())
        conn.send(reply)


class ProcessEngine:
    """durable-rules in a child process (spawned), restarted when it dies.

    `crash_on_type` is for tests: a fact of that type makes the child kill itself with SIGSEGV
    in the middle of the call.
    """

    def __init__(
        self, *, timeout_s: float = DEFAULT_TIMEOUT_S, crash_on_type: str | None = None
    ) -> None:
        self._ctx = multiprocessing.get_context("spawn")
        self._timeout_s = timeout_s
        self._crash_on_type = crash_on_type
        self._lock = threading.Lock()
        self._proc: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._closed = False
        self._start()

    @property
    def pid(self) -> int | None:
        """The child's process id (None once closed)."""
        return self._proc.pid if self._proc is not None else None

    def _start(self) -> None:
        parent_end, child_end = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=_child_main,
            args=(child_end, self._crash_on_type),
            name="jxc-rules",
            daemon=True,
        )
        proc.start()
        child_end.close()
        self._proc, self._conn = proc, parent_end

    def _stop(self, *, graceful: bool) -> int | None:
        """Stop and reap the child; its exit code."""
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            if graceful:
                try:
                    conn.send(("close",))
                except OSError:
                    pass
            conn.close()
        if proc is None:
            return None
        proc.join(5 if graceful else 0.5)
        if proc.is_alive():
            proc.kill()
            proc.join()
        code = proc.exitcode
        proc.close()
        return code

    def evaluate(self, facts: list[dict]) -> list[Fired]:
        with self._lock:
            if self._closed or self._conn is None:
                raise EngineError("the rules engine is closed")
            try:
                self._conn.send(("evaluate", facts))
                if not self._conn.poll(self._timeout_s):
                    raise TimeoutError(f"no answer in {self._timeout_s:g} s")
                status, payload = self._conn.recv()
            except (EOFError, OSError, TimeoutError) as exc:
                pid = self.pid
                code = self._stop(graceful=False)
                log.warning(
                    "rules engine process died; restarting",
                    extra={"pid": pid, "exitcode": code, "facts": len(facts)},
                )
                self._start()
                raise EngineCrashed(
                    f"the rules engine process {pid} died (exit code {code}) and was restarted;"
                    " post the batch again"
                ) from exc
        if status == "error":
            raise EngineError(f"the rules engine failed on a batch:\n{payload}")
        return fired_from(facts, payload)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._stop(graceful=True)

    def __enter__(self) -> ProcessEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
