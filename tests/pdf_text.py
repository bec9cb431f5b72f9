"""Reading a PDF back as people see it: its text per page (poppler-utils' `pdftotext`, which
`make install` installs as root), and what its bytes say about its fonts."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def pages(path: str | Path) -> list[str]:
    """The text of each page, laid out as on the page."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8")
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def fonts(path: str | Path) -> tuple[list[str], int]:
    """The fonts a PDF names (reportlab writes font dictionaries uncompressed), and how many
    TrueType font programs it embeds (`/FontFile2`)."""
    data = Path(path).read_bytes()
    names = sorted({n.decode() for n in re.findall(rb"/BaseFont\s*/([A-Za-z0-9+\-_]+)", data)})
    return names, data.count(b"/FontFile2")
