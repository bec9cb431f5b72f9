"""What can go wrong, as one tree: one exception per error code of the design.

Every refusal the service layer gives is a `JxcError` carrying a stable `code` (the design's closed
list), a message for people, optional `suggestions`, and the message's Chinese twin. Adapters
render them; nothing below the adapters formats them for a channel.
"""

from __future__ import annotations


class JxcError(Exception):
    """Base of every error the product reports to a user."""

    code = "jxc_error"

    def __init__(
        self, message: str, *, zh: str | None = None, suggestions: list[str] | None = None
    ):
        super().__init__(message)
        self.message = message
        self.zh = zh or message
        self.suggestions = list(suggestions or [])

    def to_dict(self, lang: str = "en") -> dict:
        out = {"code": self.code, "message": self.zh if lang == "zh" else self.message}
        if self.suggestions:
            out["suggestions"] = self.suggestions
        return out


class UnknownItem(JxcError):
    """No item has this SKU, name or alias."""

    code = "unknown_item"


class UnknownPartner(JxcError):
    """No customer or supplier has this code, name or alias."""

    code = "unknown_partner"


class UnknownWarehouse(JxcError):
    """No warehouse has this code or name."""

    code = "unknown_warehouse"


class UnknownOrder(JxcError):
    """No purchase or sales order has this number."""

    code = "unknown_order"


class UnknownRequest(JxcError):
    """No approval request has this number."""

    code = "unknown_request"


class AmbiguousName(JxcError):
    """A name matches several records; the user must pick one."""

    code = "ambiguous_name"


class MissingSlot(JxcError):
    """A command lacks a required value (customer, item, quantity…)."""

    code = "missing_slot"


class WrongPartnerKind(JxcError):
    """A supplier was named where a customer is needed, or the reverse."""

    code = "wrong_partner_kind"


class InvalidQuantity(JxcError):
    """A quantity is negative, zero where zero makes no sense, fractional for counted units,
    malformed, or absurdly large."""

    code = "invalid_quantity"


class InvalidAmount(JxcError):
    """A price, cost or payment amount is negative or malformed."""

    code = "invalid_amount"


class InsufficientStock(JxcError):
    """The command would take available stock below zero."""

    code = "insufficient_stock"


class InvalidState(JxcError):
    """The order or record is not in a state that allows the command (e.g. shipping a cancelled
    order), or the data given is inconsistent with it."""

    code = "invalid_state"


class ApprovalAlreadyDecided(JxcError):
    """The approval request was approved, rejected or cancelled already."""

    code = "approval_already_decided"


class OwnRequest(JxcError):
    """Nobody decides their own approval request."""

    code = "own_request"


class NotPermitted(JxcError):
    """The user's role does not allow the command (or the user is unknown)."""

    code = "not_permitted"


class DuplicateRequest(JxcError):
    """The idempotency key was used before for a different command."""

    code = "duplicate_request"


class NotAvailable(JxcError):
    """The intent is understood but its service does not exist yet."""

    code = "not_available"


ERROR_CODES = {
    cls.code: cls
    for cls in (
        UnknownItem,
        UnknownPartner,
        UnknownWarehouse,
        UnknownOrder,
        UnknownRequest,
        AmbiguousName,
        MissingSlot,
        WrongPartnerKind,
        InvalidQuantity,
        InvalidAmount,
        InsufficientStock,
        InvalidState,
        ApprovalAlreadyDecided,
        OwnRequest,
        NotPermitted,
        DuplicateRequest,
        NotAvailable,
    )
}


def error_from_dict(data: dict) -> JxcError:
    """Rebuild a stored refusal (idempotent replay) as the same exception type."""
    cls = ERROR_CODES.get(data.get("code", ""), JxcError)
    return cls(data.get("message", ""), zh=data.get("zh"), suggestions=data.get("suggestions"))


class BadRequest(JxcError):
    """Input that is not a command: not JSON, an unknown intent or field, a wrong type, a
    malformed value of an option or a setting of the environment."""

    code = "bad_request"


class UnknownReport(JxcError):
    """No report has this name."""

    code = "unknown_report"


class UnknownSetting(JxcError):
    """No named setting (threshold) has this name."""

    code = "unknown_setting"


class UnknownAlert(JxcError):
    """No alert has this id."""

    code = "unknown_alert"


class UnknownInvoice(JxcError):
    """No invoice, bill or credit note has this number."""

    code = "unknown_invoice"


class UnknownUser(JxcError):
    """No registered user has this name."""

    code = "unknown_user"


class DatabaseUnavailable(JxcError):
    """The database cannot be opened or reached (or cannot be written); nothing changed."""

    code = "database_unavailable"


class Busy(JxcError):
    """The database stayed locked by other writers past the retries; nothing changed, the
    same command can simply be tried again."""

    code = "busy"


class InternalError(JxcError):
    """Something unexpected went wrong; the message carries a reference id that is in the log
    with the traceback. Nothing changed."""

    code = "internal_error"


def apology(ref: str, lang: str = "en") -> str:
    """What someone hears when their message met an unexpected error (`ref`: the log's
    reference id)."""
    if lang == "zh":
        return f"抱歉，出错了（编号 {ref}）。没有做任何更改，请重试或联系管理员。"
    return f"{SORRY.format(ref=ref)} Nothing was changed; please try again or tell an admin."


SORRY = "Sorry, something went wrong (reference {ref})."
"""The first sentence of every apology for an unexpected error."""


ERROR_CODES.update(
    {
        cls.code: cls
        for cls in (
            BadRequest,
            UnknownReport,
            UnknownSetting,
            UnknownAlert,
            UnknownInvoice,
            UnknownUser,
            DatabaseUnavailable,
            Busy,
            InternalError,
        )
    }
)

NOT_REPLAYED = (DatabaseUnavailable, Busy, InternalError)
"""Refusals about the moment, not the command: never stored under an idempotency key, so the
same key can simply be sent again."""
