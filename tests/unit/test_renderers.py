"""Every result a service can return and every write command the chat can propose has its own
renderer: a new type without one fails here instead of reaching people as its repr."""

import inspect
import typing

import pytest

from bot.render.proposals import proposal
from bot.render.results import result_reply
from domain.ledger import labels
from domain.messages import batch_results, results
from domain.messages.commands import COMMANDS
from domain.money import results as money_results
from domain.orders import delivery_notes

# Every module that declares result types (a new one is added here with its first result).
RESULT_MODULES = (results, money_results, batch_results, delivery_notes, labels)


def _result_types() -> list[type]:
    return [
        cls
        for module in RESULT_MODULES
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, results.Result) and cls.__module__.startswith(module.__name__)
    ]


def _parts() -> set[type]:
    """Result types that only appear inside other results (a stock row, an order line)."""
    parts = set()
    for cls in _result_types():
        for hint in typing.get_type_hints(cls).values():
            stack = [hint]
            while stack:
                h = stack.pop()
                stack.extend(typing.get_args(h))
                if isinstance(h, type) and issubclass(h, results.Result):
                    parts.add(h)
    return parts


def _answers() -> list[type]:
    parts = _parts()
    return [
        cls
        for cls in _result_types()
        if cls is not results.Result and not cls.__name__.startswith("_") and cls not in parts
    ]


def test_the_result_types_are_found():
    names = {cls.__name__ for cls in _answers()}
    assert {"StockAnswer", "StockReceipt", "Decision", "Amendment", "DigestAnswer"} <= names
    assert {"ReturnResult", "PaymentResult", "BalanceAnswer", "StatementAnswer"} <= names
    assert {"CatalogueForecast", "CatalogueBacktest", "DigestSent", "DigestSchedules"} <= names
    assert "OrderLineRow" not in names and "StockRow" not in names
    assert "BacktestRow" not in names and "DigestSchedule" not in names


@pytest.mark.parametrize("cls", _answers(), ids=lambda c: c.__name__)
def test_every_result_type_has_its_own_renderer(cls):
    assert cls in result_reply.registry, f"{cls.__name__} has no renderer in bot/render/results"


def test_every_replayed_result_has_a_renderer():
    for intent, cls in results.REPLAYED.items():
        assert cls in result_reply.registry, f"{intent}: {cls.__name__} has no renderer"


WRITES = sorted(
    {cls for cls in COMMANDS.values() if cls.WRITE},
    key=lambda c: c.__name__,
)


@pytest.mark.parametrize("cls", WRITES, ids=lambda c: c.__name__)
def test_every_write_command_has_its_own_proposal(cls):
    assert cls in proposal.registry, f"{cls.__name__} has no proposal in bot/render/proposals"


def test_a_type_without_a_renderer_is_an_error_not_a_repr():
    with pytest.raises(TypeError):
        result_reply(object(), "en")
