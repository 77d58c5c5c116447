"""SQLite only: the FTS5 table reads its text from the index entries instead of keeping a copy.

modelsearch's FTS5 table (``wagtailsearch_indexentry_fts``) stores ``title``, ``body`` and
``autocomplete`` a second time beside the same columns of ``wagtailsearch_indexentry``. As an
*external content* table (``content=``) it keeps only the full-text index and reads the text from
the entries, which halves what each indexed object writes. External content needs the triggers to
pass the old text when a row is removed (FTS5's ``'delete'`` command), and only for a row the
index holds; the update trigger fires only when one of the three columns changes. Existing entries are indexed again (``'rebuild'``).
Other databases: nothing to do.
"""

from django.db import migrations

from search.migration_utils import statements_on

ENTRIES = "wagtailsearch_indexentry"
FTS = f"{ENTRIES}_fts"
COLUMNS = "title, body, autocomplete"
# Only for a row the index holds (its ``_docsize`` shadow row exists): removing a row that is not
# there (a table-wide delete of the FTS table ran first, as ``manage.py flush`` may do) would
# corrupt the index.
DELETE_OLD = (
    f"INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) "
    "SELECT 'delete', OLD.id, OLD.title, OLD.body, OLD.autocomplete "
    f"WHERE EXISTS (SELECT 1 FROM {FTS}_docsize WHERE id = OLD.id);"
)
INSERT_NEW = f"INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (NEW.id, NEW.title, NEW.body, NEW.autocomplete);"
TRIGGERS = (
    "insert_wagtailsearch_indexentry_fts",
    "update_wagtailsearch_indexentry_fts",
    "delete_wagtailsearch_indexentry_fts",
)

FORWARD = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    f"DROP TABLE IF EXISTS {FTS}",
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(autocomplete, body, title, "
    f"content='{ENTRIES}', content_rowid='id')",
    f"CREATE TRIGGER {TRIGGERS[0]} AFTER INSERT ON {ENTRIES} BEGIN {INSERT_NEW} END",
    f"CREATE TRIGGER {TRIGGERS[1]} AFTER UPDATE OF {COLUMNS} ON {ENTRIES} "
    f"BEGIN {DELETE_OLD} {INSERT_NEW} END",
    f"CREATE TRIGGER {TRIGGERS[2]} AFTER DELETE ON {ENTRIES} BEGIN {DELETE_OLD} END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    f"DROP TABLE IF EXISTS {FTS}",
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(autocomplete, body, title)",
    f"INSERT INTO {FTS}(rowid, {COLUMNS}) SELECT id, {COLUMNS} FROM {ENTRIES}",
    f"CREATE TRIGGER {TRIGGERS[0]} AFTER INSERT ON {ENTRIES} BEGIN {INSERT_NEW} END",
    f"CREATE TRIGGER {TRIGGERS[1]} AFTER UPDATE ON {ENTRIES} BEGIN UPDATE {FTS} "
    "SET title=NEW.title, body=NEW.body, autocomplete=NEW.autocomplete WHERE rowid=NEW.id; END",
    f"CREATE TRIGGER {TRIGGERS[2]} AFTER DELETE ON {ENTRIES} "
    f"BEGIN DELETE FROM {FTS} WHERE rowid=OLD.id; END",
]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_postgres_match_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        # SQLite without FTS5 has no such table: modelsearch then searches without it.
        migrations.RunPython(
            statements_on("sqlite", FORWARD, requires_table=FTS),
            statements_on("sqlite", BACKWARD, requires_table=FTS),
        )
    ]
