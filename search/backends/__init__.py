"""The portal's search backends.

``search.backends.database`` is the value for ``WAGTAILSEARCH_BACKENDS[...]["BACKEND"]``: it picks
:mod:`search.backends.sqlite` (SQLite FTS5) or :mod:`search.backends.postgres` (PostgreSQL full
text search) by the vendor of the default database connection. Both are subclasses of Wagtail's
(modelsearch) database backends that send every indexed text through
:func:`search.analysis.index_text` and every query through :func:`search.analysis.parse_query`;
what they share lives in :mod:`search.backends.common`.
"""
