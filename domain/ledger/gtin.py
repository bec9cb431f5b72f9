"""GTINs as scanners and people write them: EAN-13, EAN-8, UPC-A and GTIN-14, and their GS1
check digit. One GTIN is written several ways: a UPC-A (12 digits) is the EAN-13 with a leading
0, and either is the GTIN-14 with more leading zeros; `gtin14` is the form they all share. A
GTIN-14 whose first digit (the indicator) is 1–8 is a carton of the item whose EAN-13 is inside
it (`inner_gtin`). Plain functions: the parser's catalogue uses them without a database.
"""

from __future__ import annotations

GTIN_LENGTHS = (8, 12, 13, 14)


def check_digit(body: str) -> str:
    """The GS1 check digit of a GTIN's digits before it."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def valid_gtin(code: str) -> bool:
    """Whether `code` is an EAN-13, EAN-8, UPC-A or GTIN-14 with a right check digit."""
    if not code.isascii() or not code.isdigit() or len(code) not in GTIN_LENGTHS:
        return False
    return check_digit(code[:-1]) == code[-1]


def gtin14(code: str) -> str | None:
    """The GTIN-14 form of a valid GTIN (zeros in front), or None for anything else."""
    code = code.strip()
    return code.zfill(14) if valid_gtin(code) else None


def forms(code: str) -> list[str]:
    """Every way the GTIN `code` can be written (GTIN-14, EAN-13, UPC-A, EAN-8: as many as its
    leading zeros allow), longest first; empty for a code that is no valid GTIN."""
    full = gtin14(code)
    if full is None:
        return []
    return [full[14 - n :] for n in (14, 13, 12, 8) if full[: 14 - n].strip("0") == ""]


def inner_gtin(code: str) -> str | None:
    """The EAN-13 inside a carton's GTIN-14 (indicator digit 1–8), or None."""
    full = gtin14(code)
    if full is None or full[0] not in "12345678":
        return None
    body = full[1:13]
    return body + check_digit(body)
