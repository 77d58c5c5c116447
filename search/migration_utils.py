"""Helpers for the search app's migrations that change one database vendor's index tables."""


def statements_on(vendor: str, statements, *, requires_table: str | None = None):
    """A ``RunPython`` function that executes ``statements`` on databases of ``vendor`` only
    (and only where ``requires_table`` exists, when given); elsewhere it does nothing."""

    def run(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != vendor:
            return
        if requires_table and requires_table not in connection.introspection.table_names():
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run
