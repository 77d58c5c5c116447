"""CSV and XLSX files handed out of the portal: one way to write them.

- CSV is UTF-8 with a byte-order mark (so that Excel reads it), several tables one after the
  other, each under its own heading row and followed by an empty row.
- XLSX holds one sheet per table (names cut to Excel's 31 characters), written in streaming mode.
- Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
  tab or a carriage return) is written with a leading apostrophe, and control characters that
  XLSX cannot hold are dropped (:func:`safe`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """A value a spreadsheet shows as written: strings that look like a formula are quoted, and
    control characters that XLSX cannot hold are dropped."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_document(tables: Sequence[tuple[str | None, Sequence[Sequence]]]) -> bytes:
    """``tables`` of (title, rows) as one CSV file; a table without a title has no heading row
    and no empty row after it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for title, rows in tables:
        if title is not None:
            writer.writerow([title])
        writer.writerows([safe(value) for value in row] for row in rows)
        if title is not None:
            writer.writerow([])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_document(sheets: Sequence[tuple[str, Sequence[Sequence]]]) -> bytes:
    """``sheets`` of (name, rows) as one workbook."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(str(title)[:31])
        for row in rows:
            sheet.append([safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(content: bytes, content_type: str, name: str) -> HttpResponse:
    """A file to save (never shown inline, never cached)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
