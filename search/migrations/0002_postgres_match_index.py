"""PostgreSQL only: the full-text index on the body vector becomes an index on
``portal_search_match(body)`` (see :mod:`search.backends.postgres`, "Matching").

``portal_search_match`` returns its argument unchanged; it is written in PL/pgSQL (so the planner
does not inline it) and declared expensive, so the planner counts a sequential scan that would
evaluate it on every row at its real cost (each body vector is read back from TOAST storage) and
answers through the GIN index instead. The index keeps modelsearch's name, so its own migrations
still find it. Other databases: nothing to do.
"""

from django.db import migrations

from search.migration_utils import statements_on

TABLE = "wagtailsearch_indexentry"
INDEX = "wagtailsear_body_90c85d_gin"

FORWARD = [
    "CREATE OR REPLACE FUNCTION portal_search_match(vector tsvector) RETURNS tsvector "
    "LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 "
    "AS $$ BEGIN RETURN vector; END $$",
    f"DROP INDEX IF EXISTS {INDEX}",
    f"CREATE INDEX {INDEX} ON {TABLE} USING gin (portal_search_match(body))",
]
BACKWARD = [
    f"DROP INDEX IF EXISTS {INDEX}",
    f"CREATE INDEX {INDEX} ON {TABLE} USING gin (body)",
    "DROP FUNCTION IF EXISTS portal_search_match(tsvector)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunPython(
            statements_on("postgresql", FORWARD), statements_on("postgresql", BACKWARD)
        )
    ]
