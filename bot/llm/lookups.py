"""The read-only lookups the model may call while it works out a request: items and partners by
name (the catalogue is reached through these, never pasted into a prompt) and an item's past
purchase lines. Each answers data for the model; a name that matches nothing answers the
closest names rather than an error, so the model can pick one or ask the user."""

from __future__ import annotations

from dataclasses import asdict

from bot.catalog import Catalog, ResolveError
from domain.errors import JxcError
from domain.ledger.purchase_history import purchase_history

MATCHES = 5
"""Entities one lookup answers at most."""


def find_item(catalog: Catalog, query: str) -> dict:
    """The items a text names (exactly, else the closest), with their units."""
    try:
        found, exact = [catalog.resolve_item(query).sku], True
    except ResolveError as err:
        found, exact = err.suggestions, False
    by_sku = {i.sku: i for i in catalog.items}
    items = [
        {"sku": i.sku, "name": i.name, "name_zh": i.name_zh, "uom": i.uom}
        for i in (by_sku.get(code) for code in found[:MATCHES])
        if i is not None
    ]
    return {"query": query, "exact": exact and bool(items), "items": items}


def find_partner(catalog: Catalog, query: str, kind: str | None = None) -> dict:
    """The partners a text names (exactly, else the closest), of one kind when given."""
    try:
        found, exact = [catalog.resolve_partner(query).code], True
    except ResolveError as err:
        found, exact = err.suggestions, False
    by_code = {p.code: p for p in catalog.partners}
    partners = [
        {"code": p.code, "name": p.name, "name_zh": p.name_zh, "kind": p.kind}
        for p in (by_code.get(code) for code in found)
        if p is not None and (kind is None or p.kind == kind)
    ][:MATCHES]
    if kind and not partners:
        partners = [
            {"code": p.code, "name": p.name, "name_zh": p.name_zh, "kind": p.kind}
            for p in catalog.partners
            if p.kind == kind
        ][:MATCHES]
        exact = False
    return {"query": query, "exact": exact and bool(partners), "partners": partners}


def item_purchases(uow, sku: str, supplier: str | None = None) -> dict:
    """An item's past purchase lines, newest first (or why there are none)."""
    try:
        lines = purchase_history(uow, sku, supplier)
    except JxcError as err:
        return {"item": sku, "error": err.message, "suggestions": err.suggestions}
    return {"item": sku, "purchases": [asdict(line) for line in lines]}
