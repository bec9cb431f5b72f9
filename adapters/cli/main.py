"""The `jxc` command group."""

from __future__ import annotations

import logging
import os

import click

from adapters.cli import analytics, conversation, digest, forecasting, ledger, orders, serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log to stderr.")
def cli(verbose: bool) -> None:
    """JXC (进销存): purchase, stock and sales, from chat or the command line."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )


for module in (ledger, orders, analytics, conversation, forecasting, digest, serve):
    module.register(cli)


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    cli(prog_name="jxc")
