"""What the benchmark scripts share: their command line (`--quick`, sections to run) and
running a benchmark on SQLite and, when `JXC_DATABASE_URL` names one, on PostgreSQL."""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable


def run_sections(
    doc: str, sections: dict[str, Callable[[bool], dict]], quick: str, argv=None
) -> int:
    """Run the named sections (all by default), printing each figure as `key=value`."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=quick)
    parser.add_argument("sections", nargs="*", help=f"Some of: {', '.join(sections)}.")
    args = parser.parse_args(argv)
    for name in args.sections or sections:
        for key, value in sections[name](args.quick).items():
            print(f"{key}={value}", flush=True)
    return 0


def run_databases(doc: str, run: Callable[[str, str, bool], None], quick: str) -> None:
    """`run(url, label, quick)` on a fresh SQLite file, then on the PostgreSQL database of
    `JXC_DATABASE_URL` when it names one."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--quick", action="store_true", help=quick)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", "sqlite", args.quick)
    pg = os.environ.get("JXC_DATABASE_URL", "")
    if pg.startswith("postgresql"):
        run(pg, "postgresql", args.quick)
