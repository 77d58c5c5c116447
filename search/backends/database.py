"""``search.backends.database``: the portal's database search backend for the current database.

Like ``modelsearch.backends.database``, :func:`SearchBackend` (also exported as
``DatabaseSearchBackend``) returns the backend for the vendor of the default connection:

- PostgreSQL: :class:`search.backends.postgres.PostgresSearchBackend`;
- SQLite with FTS5 and modelsearch's FTS table: :class:`search.backends.sqlite.SQLiteSearchBackend`;
- anything else (or SQLite without FTS5): modelsearch's own choice, without the portal's analysis.

Usage: ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}``, or
``get_search_backend("search.backends.database")`` for the database backend while another one is
the default.
"""

from django.db import connection

__all__ = ["DatabaseSearchBackend", "SearchBackend", "backend_class"]

_USE_SQLITE_FTS = None  # None until checked, then whether SQLite FTS5 and its table are there


def _sqlite_fts_usable() -> bool:
    global _USE_SQLITE_FTS
    if _USE_SQLITE_FTS is None:
        from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

        _USE_SQLITE_FTS = fts5_available() and fts_table_exists()
    return _USE_SQLITE_FTS


def backend_class(vendor: str | None = None):
    """The backend class for a database vendor (default: the default connection's)."""
    vendor = vendor or connection.vendor
    if vendor == "postgresql":
        from .postgres import PostgresSearchBackend

        return PostgresSearchBackend
    if vendor == "sqlite" and _sqlite_fts_usable():
        from .sqlite import SQLiteSearchBackend

        return SQLiteSearchBackend
    return None


def SearchBackend(params):  # the name modelsearch looks up in a backend module
    """The portal's database search backend for the default connection's vendor."""
    cls = backend_class()
    if cls is None:
        from modelsearch.backends.database import SearchBackend as modelsearch_backend

        return modelsearch_backend(params)
    return cls(params)


DatabaseSearchBackend = SearchBackend
