"""`jxc`, the one entry point (`python -m adapters.cli` works too)."""

from adapters.cli.main import main

__all__ = ["main"]
