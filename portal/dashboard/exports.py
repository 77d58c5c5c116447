"""Downloads of dashboard tables (CSV and XLSX): every count under the portal's small-count rule
(see :mod:`.tables` and :mod:`portal.questionnaires.results.suppression`), followed by notes that
give the filters, each table's note and the legend of the marks."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.questionnaires.results import suppression
from portal.spreadsheets import CSV_TYPE, XLSX_TYPE, csv_document, xlsx_document

from .filters import Filters
from .tables import Table

FORMATS = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}


def legend() -> list[list[str]]:
    return [
        [suppression.SMALL, _("A count of 1 or 2: the number is not shown.")],
        [suppression.HIDDEN, str(dict(suppression.LEGEND)[suppression.HIDDEN])],
        ["0", _("None: a zero is shown, as it says nothing about any one person.")],
        [
            _("Median"),
            _("Shown only when at least %(n)s cases stand behind it.")
            % {"n": suppression.THRESHOLD},
        ],
    ]


def notes(tables: list[Table], filters: Filters) -> list[list[str]]:
    rows = [[label, value] for label, value in filters.describe()]
    rows.append([_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    rows.extend([table.title, table.note] for table in tables if table.note)
    rows.extend(legend())
    return rows


def document(tables: list[Table], filters: Filters, file_format: str) -> bytes:
    if file_format == "xlsx":
        # Sheet names are the tables' keys (in English whatever the language), so that the files
        # handed on look alike.
        return xlsx_document(
            [(table.key, table.export_rows()) for table in tables]
            + [("notes", notes(tables, filters))]
        )
    return csv_document(
        [(table.title, table.export_rows()) for table in tables]
        + [(_("Notes"), notes(tables, filters))]
    )


def filename(key: str, file_format: str) -> str:
    """``dashboard-coordinator-status-20250401.csv``."""
    return f"dashboard-{key}-{timezone.localdate():%Y%m%d}.{file_format}"
