"""The company a document is from: its names in the settings (`company.name`,
`company.name_zh`), read when a document is drawn so a change shows on the next one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Company:
    """The company's names for the headings; empty: none is shown."""

    name: str = ""
    name_zh: str = ""


def company_names(uow_factory) -> Callable[[], Company]:
    """A reader of the company's names from the settings, on the application's database."""

    def read() -> Company:
        from domain import settings

        with uow_factory(write=False) as uow:
            return Company(settings.get(uow, "company.name"), settings.get(uow, "company.name_zh"))

    return read
