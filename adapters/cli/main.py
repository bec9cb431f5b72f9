"""The `jxc` command group.

Start-up is paid by every script that calls `jxc` once a line, so the group imports a command's
module only when that command runs: `COMMANDS` names each command's module and its one-line help
(a new command adds its line here). Every command runs inside one error boundary
(`adapters.cli.common.guard`): a refusal is one line (or a JSON error with `--json`) and exit 1, an
unexpected error an apology with a reference id, never a traceback (unless `--debug`).
"""

from __future__ import annotations

import gc
import importlib
import os
import re
import sys

import click

COMMANDS: dict[str, tuple[str, str]] = {
    "alerts": ("alerts", "Alerts sent to a user; acknowledge or snooze one."),
    "chat": ("conversation", "The console chat: type what you would type in Slack or Telegram."),
    "delivery-note": ("documents", "A sales order shipment's delivery note as a PDF."),
    "digest": ("digest", "The digest (stock value, below reorder point, top sellers, …)."),
    "forecast": ("forecasting", "Forecast daily demand of one item, backtest, or forecast all."),
    "import": ("ledger", "Import warehouses, items, partners, users or sales_history (CSV)."),
    "init": ("ledger", "Create (or upgrade) the database; the warehouse MAIN is made."),
    "labels": ("labels", "QR labels for items (SKU, names, barcode) on A4 sheets, as a PDF."),
    "invoices": ("money", "Invoices, supplier bills and credit notes, with what is still open."),
    "orders": ("orders", "Purchase and sales orders, one or all, as a table or JSON."),
    "parse": ("conversation", "Print the command a text becomes, without running it."),
    "report": ("analytics", "Run a report (stock_status, below_reorder, abc, kpi, …)."),
    "rules": ("orders", "Show or change the named thresholds (approval, reorder, …)."),
    "run": ("ledger", "Run typed commands given as JSON, one object a line."),
    "serve": ("serve", "Run the scheduler and the chat adapters until stopped."),
    "statement": ("money", "A partner's statement (对账单) for a period."),
    "stock": ("ledger", "Stock per item × warehouse: on hand, reserved, available, value."),
    "verify": ("verify", "Rebuild balances, FIFO layers and orders from the moves; compare."),
}

# "-5" and "-0.5" are values (a threshold, a quantity), not options.
NEGATIVE_NUMBER = re.compile(r"^-(\d+([.,]\d*)?|[.,]\d+)$")


class LazyGroup(click.Group):
    """A group whose commands are imported when they run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            # Importing builds tens of thousands of long-lived objects (tables, models); the
            # cyclic collector would only walk them again and again.
            gc.disable()
            try:
                module = importlib.import_module(f"adapters.cli.{COMMANDS[name][0]}")
            finally:
                gc.freeze()
                gc.enable()
            from adapters.cli.common import guard

            loaded = click.Group()
            module.register(loaded)
            for command in loaded.commands.values():
                self.add_command(guard(command, values_may_be_negative))
        return self.commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from `COMMANDS`, without importing any command."""
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx) if name in COMMANDS]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def values_may_be_negative(args: list[str]) -> dict:
    """Context settings for a command's arguments: a negative number stays a value."""
    if any(NEGATIVE_NUMBER.match(a) for a in args):
        return {"ignore_unknown_options": True}
    return {}


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log to stderr.")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool, debug: bool) -> None:
    """JXC (进销存): purchase, stock and sales, from chat or the command line.

    Errors are one line (a JSON error with --json) and exit status 1; an unexpected one names a
    reference id kept with its traceback in JXC_LOG_FILE (default: jxc.log in the user's
    private state directory, $XDG_STATE_HOME/jxc or ~/.local/state/jxc)."""
    import logging

    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    ctx.meta["jxc.debug"] = debug


def undecodable_argument(args: list[str]) -> str | None:
    """The first argument that is not valid UTF-8 (Python keeps its bytes as lone surrogates),
    shown with those bytes escaped; None when all are text."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return None


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    bad = undecodable_argument(sys.argv[1:])
    if bad is not None:
        from adapters.cli.common import fail
        from domain.errors import BadRequest
        from domain.messages.commands import echo

        shown = echo(bad)
        fail(
            BadRequest(
                f"the argument {shown!r} is not valid UTF-8 text",
                zh=f"参数 {shown!r} 不是有效的 UTF-8 文本",
            ),
            as_json="--json" in sys.argv[1:] or sys.argv[1:2] == ["run"],
        )
    try:
        cli.main(prog_name="jxc", standalone_mode=True)
    except Exception as exc:  # noqa: BLE001 - the last resort of the boundary
        from adapters.cli.common import report_unexpected

        report_unexpected(exc, as_json=False, debug="--debug" in sys.argv[1:])
