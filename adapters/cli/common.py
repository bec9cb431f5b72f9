"""What every CLI command shares: the application, JSON output, and the one error boundary
(refusals, unexpected errors, exit codes).

Imports stay light here: the application is built (and its modules imported) only when a command
first asks for `ctx.app`.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import tempfile
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from domain.errors import JxcError, NotPermitted

if TYPE_CHECKING:
    from adapters.bootstrap import App

log = logging.getLogger("jxc.cli")

LOG_NAME = "jxc.log"
JSON_ALWAYS = {"run": None, "parse": "-"}
"""Commands that speak JSON whatever their options (the scripting doors): name -> the first
argument that makes them do so (None: always)."""


class Ctx:
    """Lazily built application for one CLI invocation."""

    def __init__(self):
        self._app: App | None = None

    @property
    def app(self) -> App:
        if self._app is None:
            from adapters.bootstrap import bootstrap

            self._app = bootstrap()
        return self._app


pass_ctx = click.make_pass_decorator(Ctx, ensure=True)


def emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))


def _debug() -> bool:
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        return bool(ctx.meta.get("jxc.debug"))
    return "--debug" in sys.argv[1:]


def _wants_json() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.params.get("as_json"))


def fail(exc: JxcError, as_json: bool | None = None) -> None:
    """Print a refusal (one line, or a JSON error on stdout with `--json`) and exit 1."""
    if as_json is None:
        as_json = _wants_json()
    if _debug():
        traceback.print_exception(exc, file=sys.stderr)
    if as_json:
        emit_json({"ok": False, "error": exc.to_dict()})
    else:
        click.echo(f"error ({exc.code}): {exc.message}", err=True)
    sys.exit(1)


def unexpected(exc: BaseException, as_json: bool | None = None) -> None:
    """Keep an unexpected error's traceback in the log under a reference id; tell the user the
    id (an `internal_error`), never the traceback (unless `--debug`); exit 1."""
    as_json = _wants_json() if as_json is None else as_json
    report_unexpected(exc, as_json=as_json, debug=_debug())


def report_unexpected(exc: BaseException, *, as_json: bool, debug: bool) -> None:
    ref = uuid.uuid4().hex[:8]
    where = _keep_traceback(exc, ref)
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    kept = f"; the details are in {where}" if where else ""
    message = (
        f"Sorry, something went wrong (reference {ref}). Nothing was changed by the failed "
        f"command{kept}."
    )
    if as_json:
        emit_json({"ok": False, "error": {"code": "internal_error", "message": message}})
    else:
        click.echo(f"error (internal_error): {message}", err=True)
    sys.exit(1)


def log_file() -> Path:
    """`JXC_LOG_FILE`, else `jxc.log` beside a SQLite database file, else in the temp
    directory."""
    explicit = os.environ.get("JXC_LOG_FILE")
    url = os.environ.get("JXC_DATABASE_URL")
    try:
        from adapters.config import Settings

        settings = Settings()
        explicit, url = settings.log_file or explicit, settings.database_url
    except Exception:  # noqa: BLE001 - a bad setting must not hide the error being reported
        pass
    if explicit:
        return Path(explicit)
    try:
        from sqlalchemy import make_url

        parsed = make_url(url or "sqlite:///jxc.db")
        database = (parsed.database or "").removeprefix("file:")
        if parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:"):
            return Path(database).parent / LOG_NAME
    except Exception:  # noqa: BLE001 - an unreadable URL is reported elsewhere
        pass
    return Path(tempfile.gettempdir()) / LOG_NAME


def _keep_traceback(exc: BaseException, ref: str) -> Path | None:
    """Append the traceback to the log file (or the temp directory's); its path, or None."""
    for path in dict.fromkeys((log_file(), Path(tempfile.gettempdir()) / LOG_NAME)):
        try:
            handler = logging.FileHandler(path, encoding="utf-8")
        except OSError:
            continue
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        log.addHandler(handler)
        log.propagate = False  # the file only: stderr gets the one line (or --debug's copy)
        try:
            log.error(
                "unexpected error, reference %s, in: jxc %s",
                ref,
                " ".join(sys.argv[1:]),
                exc_info=exc,
            )
        finally:
            log.propagate = True
            log.removeHandler(handler)
            handler.close()
        return path.resolve()
    return None


def guard(command: click.Command, settings_for: Callable[[list[str]], dict]) -> click.Command:
    """Put a command (and a group's subcommands) inside the error boundary: a `JxcError` is one
    line or a JSON error and exit 1; anything unexpected is `internal_error` with a reference
    id. `settings_for(args)` adds context settings for the given arguments."""
    if command.callback is not None:
        command.callback = _guarded(command.callback, command.name)
    make_context = command.make_context

    def make_context_with(info_name, args, parent=None, **extra):
        return make_context(info_name, args, parent=parent, **{**settings_for(args), **extra})

    command.make_context = make_context_with
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            guard(sub, settings_for)
    return command


def _guarded(callback: Callable, name: str | None) -> Callable:
    @functools.wraps(callback)
    def run(*args, **kwargs):
        try:
            return _run(*args, **kwargs)
        finally:
            if name not in NO_INLINE_FEED:
                feed_inline()

    def _run(*args, **kwargs):
        as_json = bool(kwargs.get("as_json"))
        if name in JSON_ALWAYS:
            trigger = JSON_ALWAYS[name]
            as_json |= trigger is None or trigger in kwargs.values()
        try:
            return callback(*args, **kwargs)
        except JxcError as exc:
            fail(exc, as_json)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the boundary: no traceback reaches a user
            ours = _database_error(exc)
            if ours is not None:
                fail(ours, as_json)
            unexpected(exc, as_json)

    return run


NO_INLINE_FEED = {"serve", "chat"}
"""Commands after which the feed does not run inline (the server runs its own; the console
chat runs it after each message)."""


def feed_inline() -> None:
    """Run the rules feed after a command (its output printed, its transaction committed), so
    its alerts appear at once without a server. Only when the command built the application;
    nothing of it reaches the user: a failure here loses nothing (the outbox rows stay
    unprocessed for the next run) and is only logged."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_object(Ctx) if ctx is not None else None
    if obj is None or obj._app is None:
        return
    try:
        from adapters.bootstrap import run_feed_inline

        run_feed_inline(obj._app)
    except JxcError as exc:
        # The database the command could not reach is not reachable for the feed either: the
        # command already said so in one line; the outbox keeps its rows for the next run.
        log.debug("the inline rules feed did not run: %s", exc.code)
    except Exception as exc:  # noqa: BLE001 - the command is done; its alerts wait for the next run
        log.warning("the inline rules feed failed (%s); the outbox keeps its rows", exc)
        log.debug("inline rules feed", exc_info=True)


def _database_error(exc: Exception) -> JxcError | None:
    """A database error from an adapter that uses the engine directly (the scheduler's job
    store), in the unit of work's terms."""
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy.exc import SQLAlchemyError

    ctx = click.get_current_context(silent=True)
    obj = ctx.find_object(Ctx) if ctx is not None else None
    if not isinstance(exc, SQLAlchemyError) or obj is None or obj._app is None:
        return None
    from domain.uow import db_error

    ours = db_error(exc, obj._app.engine)
    if ours is not None:
        ours.__cause__ = exc
    return ours


def resolve_user(app: App, name: str | None):
    """The acting user: `--user NAME`, else the first admin."""
    from domain import lookup

    if name:
        return app.bus.user(name)
    with app.uow(write=False) as uow:
        admin = lookup.first_admin(uow)
    if admin is None:
        raise NotPermitted(
            "no admin user yet: import users first (`jxc import users FILE.csv`)",
            zh="还没有管理员：请先导入用户",
        )
    return admin
