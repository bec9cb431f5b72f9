"""What a service answered, in words: one renderer per type of result, registered on
`result_reply` by the modules below (a result type with no renderer is a bug the tests catch,
never shown to people as its repr)."""

from bot.render.results import (  # noqa: F401  (registers)
    approvals,
    documents,
    orders,
    questions,
    stock,
)
from bot.render.results.base import result_reply

__all__ = ["result_reply"]
