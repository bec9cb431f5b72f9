"""`jxc init`, `jxc import`, `jxc run`, `jxc stock`."""

from __future__ import annotations

import json
import shutil
import sys
import unicodedata
import uuid
from collections.abc import Sequence
from pathlib import Path

import click

from adapters.cli.common import (
    Ctx,
    emit_json,
    fail,
    keep_traceback,
    pass_ctx,
    resolve_user,
    unexpected,
)
from adapters.db import migrate
from domain.errors import BadRequest, JxcError
from domain.ledger import csv_rows, imports
from domain.messages.command_json import read_command
from domain.messages.commands import QueryStock, echo
from domain.messages.results import StockRow, as_json
from domain.model import User
from domain.numbers import cost_display, money_display, qty_display
from domain.roles import require_admin


@click.command()
@click.option(
    "--demo",
    is_flag=True,
    help="Seed a demo wholesaler (items, partners, users, "
    "two years of sales history, opening stock).",
)
@click.option("--force", is_flag=True, help="With --demo: seed even if the database has data.")
@pass_ctx
def init(ctx: Ctx, demo: bool, force: bool) -> None:
    """Create (or upgrade) the database; the warehouse MAIN is made."""
    app = ctx.app
    migrate(app.engine, app.settings.timezone)
    with app.uow() as uow:
        imports.import_rows(
            uow,
            "warehouses",
            [(2, {"code": "MAIN", "name": "Main warehouse", "name_zh": "总仓"})],
            today=app.clock.today(),
        )
        uow.commit()
    click.echo(f"database ready: {app.settings.database_url}")
    if demo:
        from adapters.demo import seed_demo

        try:
            summary = seed_demo(app, force=force)
        except JxcError as exc:
            fail(exc)
        click.echo(summary)


@click.command("import")
@click.argument("kind", type=click.Choice(csv_rows.KINDS))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--replace", is_flag=True, help="sales_history: first delete history in the file's date range."
)
@click.option("--user", "user_name", default=None, help="Acting user (an admin).")
@pass_ctx
def import_cmd(ctx: Ctx, kind: str, file: Path, replace: bool, user_name: str | None) -> None:
    """Import warehouses, items, partners, users or sales_history from CSV (all or nothing)."""
    app = ctx.app
    try:
        _check_admin(app, user_name)
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise BadRequest(
                f"cannot read {file}: {exc.strerror}", zh=f"无法读取 {file}：{exc.strerror}"
            ) from None
        with app.uow() as uow:
            count = imports.import_csv(uow, kind, raw, today=app.clock.today(), replace=replace)
            uow.audit(user_name or "cli", f"import.{kind}", "", {"file": str(file), "rows": count})
            uow.commit()
    except imports.ImportRejected as exc:
        click.echo(f"{file}: nothing imported; fix these lines:", err=True)
        click.echo(exc.message, err=True)
        sys.exit(1)
    except JxcError as exc:
        fail(exc)
    click.echo(f"imported {count} {kind} row(s) from {file}")


def _check_admin(app, user_name: str | None) -> None:
    """Only an admin imports; before any user exists, the operator bootstraps freely."""
    from sqlalchemy import func, select

    with app.uow(write=False) as uow:
        users = uow.execute(select(func.count()).select_from(User.__table__)).scalar()
    if not users and not user_name:
        return
    user = resolve_user(app, user_name)
    require_admin(user.name, user.role, "import")


@click.command()
@click.argument("file", required=False, default="-")
@click.option("--user", "user_name", default=None, help="Acting user (default: the first admin).")
@pass_ctx
def run(ctx: Ctx, file: str, user_name: str | None) -> None:
    """Run typed commands given as JSON, one object a line; print one JSON result a line."""
    stream = _open_batch(file)
    app = ctx.app
    failed = False
    try:
        user = resolve_user(app, user_name)
    except JxcError as exc:
        emit_json({"ok": False, "intent": None, "error": exc.to_dict()})
        sys.exit(1)
    with stream:
        # Bytes, decoded line by line: a line that is not UTF-8 is that line's error, and the
        # batch goes on.
        for n, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            out = run_line(app, user, raw, n)
            failed |= not out["ok"]
            click.echo(json.dumps(out, ensure_ascii=False))
            sys.stdout.flush()
    sys.exit(1 if failed else 0)


def _open_batch(file: str):
    """The batch's lines as bytes: standard input for `-`, else the file (`BadRequest` when it
    cannot be read)."""
    if file == "-":
        return sys.stdin.buffer
    try:
        return open(file, "rb")  # noqa: SIM115 - closed by the caller's `with`
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise BadRequest(
            f"cannot read {echo(file)}: {why}; give a file of JSON lines, or - for standard input",
            zh=f"无法读取 {echo(file)}：{why}",
        ) from None


def run_line(app, user, raw: bytes | str, n: int) -> dict:
    """Run one JSON command line; never raises for a user error, and never stops the batch."""
    intent = None
    try:
        data = _decode_line(raw, n)
        if isinstance(data, dict) and isinstance(data.get("intent"), str):
            intent = data["intent"] if data["intent"].isprintable() else None
        cmd = read_command(data)
        key = str(data.get("key") or f"cli:{uuid.uuid4()}")
        result = app.bus.execute(cmd, user, key)
        return {"ok": True, "intent": intent, "result": as_json(result)}
    except JxcError as exc:
        return {"ok": False, "intent": _shown(intent), "error": exc.to_dict(user.lang)}
    except Exception as exc:  # noqa: BLE001 - an unexpected failure must not stop the batch
        ref, where = keep_traceback(exc, f"line {n}")
        kept = f"; the details are in {where}" if where else ""
        return {
            "ok": False,
            "intent": _shown(intent),
            "error": {
                "code": "internal_error",
                "message": f"line {n}: unexpected error (reference {ref}); this line changed "
                f"nothing{kept}",
            },
        }


def _shown(intent: str | None) -> str | None:
    return None if intent is None else echo(intent)


def _decode_line(raw: bytes | str, n: int):
    """A line's JSON value, or `BadRequest` (not UTF-8, not JSON, nested too deep)."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequest(
                f"line {n}: not UTF-8 text (byte {exc.start + 1})",
                zh=f"第 {n} 行不是 UTF-8 文本（第 {exc.start + 1} 个字节）",
            ) from None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"line {n}: not JSON ({exc.msg})", zh=f"第 {n} 行不是 JSON") from None
    except RecursionError:
        raise BadRequest(f"line {n}: JSON nested too deep", zh=f"第 {n} 行 JSON 嵌套太深") from None
    except ValueError as exc:  # a number of more digits than Python reads
        raise BadRequest(
            f"line {n}: not JSON we can read ({echo(exc)})", zh=f"第 {n} 行无法读取"
        ) from None


@click.command()
@click.argument("sku", required=False)
@click.option("--warehouse", "-w", default=None)
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def stock(ctx: Ctx, sku: str | None, warehouse: str | None, as_json: bool) -> None:
    """Stock per item × warehouse: on hand, reserved, available, on order, cost, value."""
    app = ctx.app
    try:
        user = resolve_user(app, None)
        rows = app.bus.execute(QueryStock(item=sku, warehouse=warehouse), user).rows
    except JxcError as exc:
        fail(exc, as_json)
    except Exception as exc:  # noqa: BLE001
        unexpected(exc)
    if as_json:
        emit_json([row.to_json() for row in rows])
        return
    print_stock(rows)


STOCK_COLUMNS = (
    "sku",
    "warehouse",
    "on_hand",
    "reserved",
    "available",
    "on_order",
    "avg_cost",
    "value",
)


STOCK_HEADINGS = {
    "sku": "SKU",
    "warehouse": "Warehouse",
    "on_hand": "On hand",
    "reserved": "Reserved",
    "available": "Available",
    "on_order": "On order",
    "avg_cost": "Avg cost",
    "value": "Value",
}
# Left out first, in this order, when the table is wider than the terminal.
STOCK_OPTIONAL = ("avg_cost", "on_order", "reserved")


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _stock_cell(col: str, value) -> str:
    if value is None:
        return "–"
    if col in ("sku", "warehouse"):
        return str(value)
    if col == "value":
        return money_display(value)
    if col == "avg_cost":
        return cost_display(value)
    return qty_display(value)


def stock_text(rows: Sequence[StockRow], width: int) -> list[str]:
    """The stock table as lines of at most `width` columns. Every value is shown whole: columns
    are left out (and named) before anything would be cut, and when even SKU, warehouse, on
    hand, available and value do not fit, each row becomes a short block of its own."""
    if not rows:
        return ["Stock", "no stock"]
    cells = [{c: _stock_cell(c, getattr(r, c)) for c in STOCK_COLUMNS} for r in rows]
    widths = {
        c: max(_text_width(STOCK_HEADINGS[c]), *(_text_width(x[c]) for x in cells))
        for c in STOCK_COLUMNS
    }
    cols = list(STOCK_COLUMNS)
    for optional in STOCK_OPTIONAL:
        if sum(widths[c] for c in cols) + 2 * (len(cols) - 1) <= width:
            break
        cols.remove(optional)
    dropped = [STOCK_HEADINGS[c].lower() for c in STOCK_COLUMNS if c not in cols]
    if sum(widths[c] for c in cols) + 2 * (len(cols) - 1) > width:
        return ["Stock", *_stock_blocks(cells, width)]

    def line(values: dict) -> str:
        parts = []
        for c in cols:
            fill = " " * (widths[c] - _text_width(values[c]))
            parts.append(values[c] + fill if c in ("sku", "warehouse") else fill + values[c])
        return "  ".join(parts).rstrip()

    out = ["Stock", line(STOCK_HEADINGS), *(line(x) for x in cells)]
    if dropped:
        out.append(f"(left out to fit {width} columns: {', '.join(dropped)}; --json has them all)")
    return out


def _stock_blocks(cells: list[dict], width: int) -> list[str]:
    out = []
    for x in cells:
        out.append(f"{x['sku']}  {x['warehouse']}")
        line = " "
        for c in STOCK_COLUMNS[2:]:
            part = f" {STOCK_HEADINGS[c].lower()} {x[c]}"
            if _text_width(line + part) > width and line.strip():
                out.append(line)
                line = " "
            line += part
        out.append(line)
    return out


def print_stock(rows: Sequence[StockRow]) -> None:
    """The stock table for people, fitted to the terminal (80 columns when not a terminal)."""
    width = shutil.get_terminal_size((80, 24)).columns
    click.echo("\n".join(stock_text(rows, width)))


def register(group: click.Group) -> None:
    for command in (init, import_cmd, run, stock):
        group.add_command(command)
