"""Document numbers (PO-0001, SO-0001, A-1), drawn inside the command's transaction so a
rolled-back command leaves no gap."""

from __future__ import annotations

from sqlalchemy import bindparam, literal_column

from domain.model import Sequence
from domain.uow import Prepared

seq_t = Sequence.__table__
FORMATS = {
    "PO": "PO-{:04d}",
    "SO": "SO-{:04d}",
    "A": "A-{}",
    # Money: invoices, supplier bills, credit notes, payments.
    "INV": "INV-{:04d}",
    "BILL": "BILL-{:04d}",
    "CN": "CN-{:04d}",
    "PAY": "PAY-{:04d}",
}

# One statement draws a number: the counter row is created at 1 or incremented, and the new
# value returned. On PostgreSQL the conflicting update locks the row until the transaction
# ends, so two writers never draw the same number; on SQLite the write transaction already
# holds the database.
_DRAW = Prepared(
    lambda insert: (
        insert(seq_t)
        .values(name=bindparam("name"), value=literal_column("1"))
        .on_conflict_do_update(
            index_elements=[seq_t.c.name], set_={"value": seq_t.c.value + literal_column("1")}
        )
        .returning(seq_t.c.value)
    )
)


def next_number(uow, name: str) -> str:
    """The next number of a series, e.g. `next_number(uow, "SO")` → `SO-0007`."""
    (row,) = _DRAW.run(uow, {"name": name})
    return FORMATS[name].format(row.value)
