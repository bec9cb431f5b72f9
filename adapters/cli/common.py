"""What every CLI command shares: the application, JSON output, error rendering, exit codes."""

from __future__ import annotations

import json
import logging
import sys
import uuid

import click

from adapters.bootstrap import App, bootstrap
from domain import lookup
from domain.errors import JxcError, NotPermitted

log = logging.getLogger("jxc.cli")


class Ctx:
    """Lazily built application for one CLI invocation."""

    def __init__(self):
        self._app: App | None = None

    @property
    def app(self) -> App:
        if self._app is None:
            self._app = bootstrap()
        return self._app


pass_ctx = click.make_pass_decorator(Ctx, ensure=True)


def emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))


def fail(exc: JxcError, as_json: bool = False) -> None:
    """Print a refusal and exit 1."""
    if as_json:
        emit_json({"ok": False, "error": exc.to_dict()})
    else:
        click.echo(f"error ({exc.code}): {exc.message}", err=True)
    sys.exit(1)


def unexpected(exc: BaseException) -> None:
    """Log an unexpected error with its traceback; tell the user a reference id."""
    ref = uuid.uuid4().hex[:8]
    log.exception("unexpected error, reference %s", ref, exc_info=exc)
    click.echo(
        f"Sorry, something went wrong (reference {ref}). Nothing was changed by the "
        "failed command; the log has the details.",
        err=True,
    )
    sys.exit(1)


def resolve_user(app: App, name: str | None):
    """The acting user: `--user NAME`, else the first admin."""
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
