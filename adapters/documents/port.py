"""The documents port: a service's answer that is a document (a delivery note, a statement)
drawn as a PDF (a label sheet too), for the CLI's `--pdf FILE` and for chat replies.

For chat a document is written into a private directory of its own (`mkdtemp`, mode 700,
named `jxc-documents-…`), under its plain name (`delivery-note-SO-0007-2.pdf`), never in the
shared temp directory. The console prints its path and keeps it; Slack and Telegram send it and
then `release` it. reportlab is imported only when a document is drawn.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from adapters.documents.company import Company

log = logging.getLogger(__name__)

PREFIX = "jxc-documents-"
STATEMENT_KEYS = frozenset({"partner", "period", "opening", "lines", "closing"})


def _shape(result) -> dict | None:
    to_json = getattr(result, "to_json", None)
    data = to_json() if callable(to_json) else result
    return data if isinstance(data, dict) else None


def document_kind(result) -> str | None:
    """`delivery_note`, `statement`, `labels`, or None for an answer that is no document. A
    statement is a `StatementAnswer`, or a dict of the design's statement shape (a statement
    from elsewhere, `jxc statement --json`'s). Known by type: no answer is encoded to ask."""
    from domain.ledger.labels import LabelSheet
    from domain.money.results import StatementAnswer
    from domain.orders.delivery_notes import DeliveryNote

    if isinstance(result, DeliveryNote):
        return "delivery_note"
    if isinstance(result, LabelSheet):
        return "labels"
    if isinstance(result, StatementAnswer):
        return "statement"
    if (
        isinstance(result, dict)
        and STATEMENT_KEYS <= result.keys()
        and isinstance(result["lines"], list)
    ):
        return "statement"
    return None


def file_name(result) -> str:
    """The document's plain file name: `delivery-note-SO-0007-2.pdf`, `statement-ACME-2026-09.pdf`."""
    kind = document_kind(result)
    if kind == "labels":
        from adapters.documents.labels import file_name as labels_file

        return labels_file(result)
    data = _shape(result) or {}
    if kind == "delivery_note":
        stem = f"delivery-note-{data['order']}-{data['shipment']}"
    else:
        period = data.get("period")
        if isinstance(period, dict):
            period = "_".join(str(period[k]) for k in ("start", "end") if period.get(k))
        stem = (
            f"statement-{data.get('partner')}-{period}"
            if period
            else f"statement-{data.get('partner')}"
        )
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") + ".pdf"


def render_document(
    result,
    path: str | Path,
    company: Company,
    *,
    font: str | Path | None = None,
    currency: str | None = None,
) -> Path:
    """Draw a document into `path` (`jxc delivery-note --pdf`, `jxc statement --pdf`); a result
    that is no document is a `TypeError` (a bug, never a user's doing)."""
    kind = document_kind(result)
    data = _shape(result)
    if kind == "delivery_note":
        from adapters.documents.delivery_note import render_delivery_note

        return render_delivery_note(data, path, company, font)
    if kind == "labels":
        from adapters.documents.labels import render_labels

        return render_labels(result, path, font=font)
    if kind == "statement":
        from adapters.documents.statement import render_statement

        return render_statement(data, path, company, font, currency)
    raise TypeError(f"{type(result).__name__} is not a document")


class Documents:
    """The chat's documents port: `documents(result, lang)` draws a result that is a document
    into a private directory of its own and returns its path; None for any other answer.
    `company()` gives the names for the headings (read when a document is drawn)."""

    def __init__(
        self,
        company: Callable[[], Company] = Company,
        *,
        directory: str | Path | None = None,
        font: str | Path | None = None,
        currency: str | None = None,
    ):
        self.company = company
        self.directory = Path(directory) if directory else None
        self.font = font
        self.currency = currency

    def __call__(self, result, lang: str = "en") -> Path | None:
        if document_kind(result) is None:
            return None
        folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=self.directory))
        try:
            return render_document(
                result,
                folder / file_name(result),
                self.company(),
                font=self.font,
                currency=self.currency,
            )
        except BaseException:
            _remove(folder)
            raise


def release(path: str | Path | None) -> bool:
    """Remove a document made only for sending, with its private directory, once it is sent
    (or could not be): only a file in a `jxc-documents-…` directory, never a file a user named.
    True when it was removed."""
    if not path:
        return False
    file = Path(path)
    if not file.parent.name.startswith(PREFIX):
        return False
    return _remove(file.parent)


def _remove(folder: Path) -> bool:
    try:
        for child in folder.iterdir():
            child.unlink(missing_ok=True)
        folder.rmdir()
    except OSError as exc:  # gone already, or something else was put there: logged
        log.debug("removing %s: %s", folder, exc)
        return False
    return True
