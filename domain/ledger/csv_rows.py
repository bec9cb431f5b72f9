"""An import's CSV file read: the columns of each kind of file, its header checked, its rows
read with every problem reported as `line N: …` (the header is line 1).
"""

from __future__ import annotations

import csv
import io
import re

from domain.errors import InvalidState

KINDS = ("warehouses", "items", "partners", "users", "sales_history")
COLUMNS = {
    "warehouses": ["code", "name", "name_zh"],
    "items": [
        "sku",
        "name",
        "name_zh",
        "uom",
        "category",
        "unit_price",
        "unit_cost",
        "lead_time_days",
        "moq",
        "aliases",
    ],
    "partners": ["code", "name", "name_zh", "kind", "credit_limit", "aliases"],
    "users": ["name", "role", "slack_id", "telegram_id", "lang"],
    "sales_history": ["date", "sku", "qty", "customer", "unit_price"],
}
OPTIONAL = {"items": ["costing", "barcode"], "partners": ["payment_days"]}


class ImportRejected(InvalidState):
    """A CSV file has bad lines; `lines` lists them as `line N: …`."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        text = "\n".join(lines[:50]) + (
            f"\n… and {len(lines) - 50} more" if len(lines) > 50 else ""
        )
        super().__init__(text, zh=text)


KEYS = {"warehouses": "code", "items": "sku", "partners": "code", "users": "name"}
"""The column each kind of master data is found by; a header must always name it."""
MAX_FIELD = 1000
"""No column holds more characters than this (aliases); a longer value is a bad line."""


def check_header(kind: str, header: list[str]) -> None:
    """The header must name each column once, only the kind's columns, and always its key
    (master data may name only some columns; sales history names them all)."""
    problems = header_problems(kind, header)
    if problems:
        raise ImportRejected(problems)


def header_problems(kind: str, header: list[str]) -> list[str]:
    """What is wrong with a header, as `line 1: …` (empty when nothing is)."""
    need = COLUMNS[kind]
    known = need + OPTIONAL.get(kind, [])
    expected = f" (expected {','.join(known)})"
    if not any(header):
        return [f"line 1: the file has no header{expected}"]
    problems = []
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        problems.append(f"line 1: column(s) {', '.join(twice)} appear more than once")
    if "" in header:
        problems.append("line 1: a column has no name")
    required = [KEYS[kind]] if kind in KEYS else need
    missing = [c for c in required if c not in header]
    unknown = [c for c in dict.fromkeys(header) if c and c not in known]
    if missing or unknown:
        msg = "line 1: "
        if missing:
            msg += f"missing column(s) {', '.join(missing)}"
        if unknown:
            msg += (
                "; " if missing else ""
            ) + f"unknown column(s) {', '.join(cut(u) for u in unknown)}"
        problems.append(msg + expected)
    return problems


def cut(text: str, limit: int = 40) -> str:
    """A value echoed in a message, cut to a readable length."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_csv(raw: bytes) -> tuple[list[str], list[tuple[int, dict]], list[str]]:
    """Read CSV bytes (UTF-8, BOM tolerated) into the header, the numbered rows and the lines
    that cannot be read as rows: not UTF-8, a broken or unclosed quote, more or fewer values
    than the header, a value over `MAX_FIELD` characters. Blank lines are skipped."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
        undecodable = False
    except UnicodeDecodeError:
        # Read on, to name every bad line: bytes that are not UTF-8 become lone surrogates.
        text = raw.decode("utf-8", errors="surrogateescape")
        undecodable = True
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[str] = []
    header: list[str] | None = None
    rows: list[tuple[int, dict]] = []
    line = 0
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            spans = reader.line_num > start
            line = reader.line_num
            problems.append(f"line {start}: {_csv_problem(str(exc), spans)}")
            if header is None:
                header = []
            continue
        line = reader.line_num
        if undecodable and any(_SURROGATE.search(v) for v in values):
            problems.append(f"line {start}: not UTF-8 text (save the file as UTF-8)")
            if header is None:
                header = []
            continue
        if header is None:
            header = [h.strip() for h in values]
            continue
        if not any(v.strip() for v in values) or not header:
            continue  # a blank line; or no header to check the rows against
        if line != start:
            problems.append(
                f"line {start}: a quoted value runs past the end of its line "
                "(a quote that is not closed?)"
            )
            continue
        if len(values) != len(header):
            problems.append(
                f"line {start}: {len(values)} value(s) where the header has {len(header)} column(s)"
            )
            continue
        if max(map(len, values)) > MAX_FIELD:
            longest = max(range(len(values)), key=lambda i: len(values[i]))
            problems.append(
                f"line {start}: {header[longest] or 'a value'} is longer than "
                f"{MAX_FIELD} characters"
            )
            continue
        rows.append((start, dict(zip(header, values, strict=True))))
    return header or [], rows, problems


_SURROGATE = re.compile("[\ud800-\udfff]")


def _csv_problem(text: str, spans: bool) -> str:
    if spans and "field larger" not in text:
        return "a quote opened on this line is not closed on it"
    if "field larger than field limit" in text:
        return f"a value is longer than {MAX_FIELD} characters"
    if "NUL" in text:
        return "a NUL byte: this is not a text file"
    if "unexpected end of data" in text:
        return "a quote is not closed before the end of the file"
    if "expected after" in text:
        return 'a quote closes in the middle of a value (write "" for a quote inside quotes)'
    return f"cannot be read as CSV ({text})"


def in_line_order(problems: list[str], bad: list[tuple[int, str]]) -> list[str]:
    """The problems `parse_csv` found and those of the rows' values (line, text), as one list
    in line order."""
    found = [(int(p.split(":")[0].split()[1]), p) for p in problems]
    found += [(n, f"line {n}: {text}") for n, text in bad]
    return [p for _, p in sorted(found, key=lambda x: x[0])]
