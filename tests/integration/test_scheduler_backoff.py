"""A database that goes away under a running `jxc serve`: the rules feed and deliveries wait with
a growing delay (0.5 s doubling up to 30 s) instead of asking ten times a second, and say so in
one line when the database goes and one when it is back.

The database is reached through a TCP relay of the test's own on 127.0.0.1, which can be cut
(every connection closed, new ones accepted and dropped at once) and restored."""

from __future__ import annotations

import logging
import socket
import threading
import time

import pytest
from sqlalchemy import make_url

from adapters.bootstrap import bootstrap
from adapters.config import Settings
from adapters.notify import RecordingNotifier
from adapters.scheduler import FeedLoop
from tests.conftest import ROOT, cli_env
from tests.e2e.fake_slack import ServeProcess


class Relay:
    """A TCP relay on 127.0.0.1 to `target` (host, port), or to nothing: `cut()` closes every
    connection and drops new ones as they come (counted in `refused`); `restore()` relays
    again."""

    def __init__(self, target: tuple[str, int] | None = None):
        self.target = target
        self.refused = 0
        self.refused_at: list[float] = []  # time.monotonic() of each
        self._up = target is not None
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(64)
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                if not self._up:
                    self.refused += 1
                    self.refused_at.append(time.monotonic())
                    conn.close()
                    continue
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
                self._open += [conn, upstream]
            for a, b in ((conn, upstream), (upstream, conn)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        with self._lock:
            self._up = False
            for s in self._open:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass
            self._open.clear()

    def restore(self) -> None:
        with self._lock:
            self._up = True

    def close(self) -> None:
        self.cut()
        self._server.close()


def _outage_lines(records) -> list:
    return [r for r in records if "database is unavailable" in r.getMessage()]


def _tried_for(relay: Relay, seconds: float, timeout: float = 20.0) -> None:
    """Wait for a try `seconds` after the first refused one (with a delay doubling from 0.5 s,
    the tries come at about 0, 0.5, 1.5, 3.5 s…)."""
    deadline = time.monotonic() + timeout
    while not (relay.refused_at and relay.refused_at[-1] - relay.refused_at[0] >= seconds):
        assert time.monotonic() < deadline, relay.refused_at
        time.sleep(0.02)


def test_the_feed_backs_off_while_the_database_cannot_be_reached(caplog):
    relay = Relay()  # a PostgreSQL server that is down: every connection dropped at once
    app = bootstrap(Settings(database_url=f"postgresql://jxc@127.0.0.1:{relay.port}/jxc"))
    caplog.set_level(logging.INFO)
    loop = FeedLoop(app, RecordingNotifier(), interval=0.05, kind="reference").start()
    try:
        _tried_for(relay, 3.3)
    finally:
        loop.stop()
        relay.close()
        app.engine.dispose()
    # Tries at about 0, 0.5, 1.5 and 3.5 s (a connection may be tried twice), not 80 times.
    assert 3 <= relay.refused <= 10, relay.refused
    said = [r for r in caplog.records if r.name.startswith("adapters")]
    assert len(_outage_lines(said)) == 1, [r.getMessage() for r in said]
    assert "cannot reach the database" in _outage_lines(said)[0].getMessage()
    assert not [r for r in said if r.exc_info], "no traceback for a database that is down"
    assert not [r for r in said if "is back" in r.getMessage()]


GONE = "adapters.scheduler the database is unavailable"
BACK = "adapters.scheduler the database is back"


def _wait_for_line(server: ServeProcess, part: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in list(server.lines):
            if part in line:
                return line
        time.sleep(0.05)
    raise AssertionError(f"no line with {part!r}; stderr: {server.lines}")


@pytest.mark.db
def test_serve_says_once_that_the_database_went_away_and_once_that_it_is_back(master_db):
    url = make_url(master_db)
    if url.get_backend_name() != "postgresql":
        pytest.skip("needs a PostgreSQL server (JXC_TEST_DATABASE_URL)")
    relay = Relay((url.host or "127.0.0.1", url.port or 5432))
    through = url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    env = cli_env(through)
    for name in ("JXC_SLACK_BOT_TOKEN", "JXC_TELEGRAM_TOKEN"):
        env.pop(name, None)
    server = ServeProcess(["scheduler"], env, ROOT)
    try:
        server.wait_line("ready")
        deadline = time.monotonic() + 20
        while not relay._open:  # the server reaches the database through the relay
            assert time.monotonic() < deadline, "nothing connected through the relay"
            time.sleep(0.02)
        relay.cut()
        _wait_for_line(server, GONE)
        _tried_for(relay, 3.3)  # about 35 tries and as many tracebacks before; now about 4
        during = list(server.lines)
        relay.restore()
        _wait_for_line(server, BACK, timeout=40)
    finally:
        code = server.stop()
        relay.close()
    assert code == 0, server.lines
    assert sum(GONE in line for line in during) == 1, during
    assert not [line for line in during if "Traceback" in line], during
    assert relay.refused <= 12, relay.refused
    assert sum(BACK in line for line in server.lines) == 1, server.lines
