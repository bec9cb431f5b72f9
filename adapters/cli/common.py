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

from domain.errors import SORRY, JxcError, NotPermitted

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
    ref, where = keep_traceback(exc)
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    kept = f"; the details are in {where}" if where else ""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.info_name == "run":
        # A batch commits line by line: the lines answered before this stand.
        done = "The lines answered before this stand; the rest did not run"
    else:
        done = "Nothing was changed by the failed command"
    message = f"{SORRY.format(ref=ref)} {done}{kept}."
    if as_json:
        emit_json({"ok": False, "error": {"code": "internal_error", "message": message}})
    else:
        click.echo(f"error (internal_error): {message}", err=True)
    sys.exit(1)


def state_dir() -> Path:
    """The user's private state directory for JXC: `$XDG_STATE_HOME/jxc`, else
    `~/.local/state/jxc`."""
    base = os.environ.get("XDG_STATE_HOME") or ""
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "jxc"


def log_file() -> Path:
    """`JXC_LOG_FILE`, else `jxc.log` in the user's private state directory (`state_dir()`)."""
    explicit = os.environ.get("JXC_LOG_FILE")
    try:
        from adapters.config import Settings

        explicit = Settings().log_file or explicit
    except Exception:  # noqa: BLE001 - a bad setting must not hide the error being reported
        pass
    if explicit:
        return Path(explicit)
    return state_dir() / LOG_NAME


def _private_fallback() -> Path:
    """Where the log goes when the state directory cannot be written: a directory of this user's
    own in the temp directory."""
    uid = os.getuid() if hasattr(os, "getuid") else os.getpid()
    return Path(tempfile.gettempdir()) / f"jxc-{uid}" / LOG_NAME


def _private_dir(path: Path) -> None:
    """Make the log's directory (mode 0700 for the ones made); refuse one of another user's."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = path.lstat()
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or not path.is_dir()):
        raise PermissionError(f"{path} is not a directory of this user's")


def open_log(path: Path, *, default: bool) -> int:
    """Open the log for appending without following a link or waiting on a FIFO (a planted one
    must not hang a failing command): the descriptor, or OSError. A file made here is 0600."""
    if default:
        _private_dir(path.parent)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags, 0o600)
    try:
        import stat

        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd


def keep_traceback(exc: BaseException, where: str = "") -> tuple[str, Path | None]:
    """Append the traceback to the log under a new reference id: the id, and the log's path (or
    None when no log could be written)."""
    ref = uuid.uuid4().hex[:8]
    default = state_dir() / LOG_NAME
    chosen = log_file()
    candidates = dict.fromkeys([chosen, default, _private_fallback()])
    for path in candidates:
        try:
            fd = open_log(path, default=path != chosen or chosen == default)
        except OSError:
            continue
        stream = open(fd, "a", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115
        handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        log.addHandler(handler)
        log.propagate = False  # the file only: stderr gets the one line (or --debug's copy)
        try:
            log.error(
                "unexpected error, reference %s, in: jxc %s%s",
                ref,
                " ".join(_argv_shown()),
                f" ({where})" if where else "",
                exc_info=exc,
            )
        finally:
            log.propagate = True
            log.removeHandler(handler)
            handler.close()
            stream.close()
        return ref, path.absolute()
    return ref, None


def _argv_shown() -> list[str]:
    """The command line as the log shows it: each argument cut to a readable length, bytes that
    are not UTF-8 escaped."""
    from domain.messages.commands import echo

    return [echo(a, 80) for a in sys.argv[1:]]


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
    from adapters.db import db_error

    ours = db_error(exc, obj._app.engine)
    if ours is not None:
        ours.__cause__ = exc
    return ours


def png_path(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """A `--png FILE` option's check: the file's directory must exist (misuse, exit 2, before
    any work is done)."""
    if value is None:
        return None
    from domain.messages.commands import echo

    parent = Path(value).parent
    if not parent.is_dir():
        raise click.BadParameter(f"the directory {echo(parent)!r} does not exist")
    if Path(value).is_dir():
        raise click.BadParameter(f"{echo(value)!r} is a directory; name a .png file")
    return value


def jobs_count(_ctx: click.Context, _param: click.Parameter, value: int) -> int:
    """A `--jobs N` option's check: -1 (all cores) or 1 to 256 workers."""
    if value != -1 and not 1 <= value <= 256:
        raise click.BadParameter(f"{value} is not -1 (all cores) or 1 to 256")
    return value


def resolve_user(app: App, name: str | None):
    """The acting user: `--user NAME`, else the first admin."""
    from domain.ledger import lookup

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
