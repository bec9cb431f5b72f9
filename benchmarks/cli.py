"""Start-up of the `jxc` CLI: `python benchmarks/cli.py [--runs N]`.

Makes a demo database in a temporary directory, then prints the median wall time of
`jxc --help`, `jxc stock M6-20 --json` and, as the references of the same run, `python -c pass`
and the import of the stack every database command loads (SQLAlchemy with its SQLite dialect,
pydantic-settings and click): `stock` less that floor is what the product itself costs (targets: --help
< 0.3 s, stock < 0.7 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JXC = [sys.executable, "-m", "adapters.cli"]


def median_seconds(argv: list[str], runs: int, env: dict, cwd: Path) -> float:
    """The median wall time of `runs` runs of `argv` (after one warm-up run)."""
    times = []
    for n in range(runs + 1):
        t0 = time.perf_counter()
        subprocess.run(argv, env=env, cwd=cwd, check=True, capture_output=True)
        if n:
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9, help="runs per command (median)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jxc-bench-") as tmp:
        env = dict(os.environ)
        env.pop("JXC_NOW", None)
        env["JXC_DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'jxc.db'}"
        env["PYTHONPATH"] = str(ROOT)
        subprocess.run([*JXC, "init", "--demo"], env=env, cwd=ROOT, check=True, capture_output=True)
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            # The floor of any command that reads the database: the stack's own import.
            "import the stack": [
                sys.executable,
                "-c",
                "import click, pydantic_settings, sqlalchemy.dialects.sqlite",
            ],
            "jxc --help": [*JXC, "--help"],
            "jxc stock M6-20 --json": [*JXC, "stock", "M6-20", "--json"],
        }
        figures = {name: median_seconds(cmd, args.runs, env, ROOT) for name, cmd in cases.items()}
    base = figures["python -c pass"]
    for name, secs in figures.items():
        print(f"{name:<24} median_s={secs:.3f}  over_python={secs - base:.3f}")
    floor = figures["import the stack"]
    stock = figures["jxc stock M6-20 --json"]
    print(f"jxc stock over the stack's import: {stock - floor:.3f} s (ratio {stock / floor:.2f})")
    ok = figures["jxc --help"] < 0.3 and figures["jxc stock M6-20 --json"] < 0.7
    print(f"targets (--help < 0.3 s, stock < 0.7 s): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
