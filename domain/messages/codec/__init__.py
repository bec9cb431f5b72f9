"""One JSON codec for the declared types: commands, events, results and the records inside them.

Each of those types is a frozen dataclass. Its JSON layout is read from the declaration (once per
type) and both directions walk it:

- **keys**: a field's name; the `json` name its metadata gives (`renamed("from")`); for a Python
  keyword with a trailing underscore (`from_`), the keyword;
- **order**: the fields' order, a `derived` property where it says;
- **left out**: what the type's family leaves out (`JSON_LEAVES_OUT`): results only the fields
  marked `omitted()` (while None), events a field whose default is None while it is None,
  commands any field while it is None; `omitted(when=…)` names another value (a False flag);
- **values**: each field's *kind* (`kinds.py`), from its type hint: text, a decimal, a whole
  number, a flag, a tuple or an optional of a kind, a nested declared type, or raw JSON (`dict`,
  `list`, `float`).
  `Annotated[T, kind]` names a kind outright (a quantity, an amount, a long text:
  `domain.messages.commands.slots`). A kind writes a value, reads it back, vets the JSON a stranger wrote,
  and checks a built value: text for its length, NUL bytes and lone surrogates, numbers for
  their range (`checks.py`, run by every command as it is built).

How strictly a payload is read is the caller's `Reading`: results trust the answers they stored;
events refuse a value of the wrong JSON type (`MalformedEvent`); commands coerce what the parser,
a button or a stored state holds and, from a stranger's JSON (`jxc run`), vet every value first.
The layout and the walks are `core.py`.
"""

from __future__ import annotations

from domain.messages.codec.checks import (
    DECIMAL_DIGITS,
    DECIMAL_PLACES,
    ECHO_LIMIT,
    TEXT_LIMIT,
    check_decimal,
    check_text,
    check_value,
    echo,
    number_error,
)
from domain.messages.codec.core import (
    TRUST,
    Layout,
    Reading,
    Slot,
    check,
    decode,
    derived,
    encode,
    omitted,
    renamed,
    slots,
    vet,
)
from domain.messages.codec.kinds import (
    RAW,
    Flag,
    Kind,
    Nested,
    Number,
    Opt,
    Seq,
    Text,
    Whole,
    kind_of,
    register,
)

__all__ = [
    "DECIMAL_DIGITS", "DECIMAL_PLACES", "ECHO_LIMIT", "RAW", "TEXT_LIMIT", "TRUST", "Flag", "Kind",
    "Layout", "Nested", "Number", "Opt", "Reading", "Seq", "Slot", "Text", "Whole", "check",
    "check_decimal", "check_text", "check_value", "decode", "derived", "echo", "encode", "kind_of",
    "number_error", "omitted", "register", "renamed", "slots", "vet",
]  # fmt: skip
