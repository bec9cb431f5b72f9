"""The tools of one message, for one user: what is offered, and running the read-only ones.
Every call reads in a short transaction of its own, so nothing is held open while the model
thinks; writes are only read back into commands here (the conversation proposes them)."""

from __future__ import annotations

import functools

from bot.llm.arguments import command_of, slots_of
from bot.llm.lookups import find_item, find_partner, item_purchases
from bot.llm.port import ToolSpec
from bot.llm.tools import Tool, offered
from domain.errors import JxcError
from domain.messages.commands import Command


@functools.cache
def _specs(role: str, services: frozenset[str]) -> tuple[dict[str, Tool], tuple[ToolSpec, ...]]:
    tools = offered(role, services)
    return tools, tuple(t.spec() for t in tools.values())


class Toolbox:
    """The tools offered to one user (by role, among the intents that have a service)."""

    def __init__(self, bus, uow_factory, catalogs, user):
        self.bus = bus
        self.uow_factory = uow_factory
        self.catalogs = catalogs
        self.user = user
        self.tools, self.specs = _specs(user.role, frozenset(bus.handlers))

    def lookup(self, tool: Tool, args) -> dict:
        """Run `find_item`, `find_partner` or `purchase_history` (`BadArguments` when the
        arguments do not fit)."""
        with self.uow_factory(write=False) as uow:
            catalog = self.catalogs.get(uow)
            try:
                slots = slots_of(tool, args, catalog)
            except JxcError as err:  # a name that resolves to nothing: data for the model
                return {"error": err.message, "suggestions": err.suggestions}
            if tool.name == "find_item":
                return find_item(catalog, slots["query"])
            if tool.name == "find_partner":
                return find_partner(catalog, slots["query"], slots.get("kind"))
            return item_purchases(uow, slots["item"], slots.get("supplier"))

    def command(self, tool: Tool, args) -> Command:
        """The command an intent's tool call stands for (`BadArguments`, or the refusal of a
        name or value)."""
        with self.uow_factory(write=False) as uow:
            return command_of(tool, args, self.catalogs.get(uow))

    def ask(self, cmd: Command):
        """Answer a question (a read-only command) as this user: the role is checked again."""
        with self.uow_factory(write=False) as uow:
            return self.bus.ask(cmd, self.user, uow)
