"""Import of the register of certified coordinators (CSV or XLSX), shared by the admin view and
``manage.py import_register``."""

from .importer import ImportReport, RowError, RowOutcome, import_register
from .invitations import send_invitations
from .reading import COLUMNS, RegisterFileError, parse_date

__all__ = [
    "COLUMNS",
    "ImportReport",
    "RegisterFileError",
    "RowError",
    "RowOutcome",
    "import_register",
    "parse_date",
    "send_invitations",
]
