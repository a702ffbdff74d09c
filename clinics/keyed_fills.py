"""Filling a new foreign-key column of a large table from another table, for a migration.

On PostgreSQL the column's foreign key is set aside while it is filled and checked once over the
table after: kept, it would queue a check for every row of a table of millions. Elsewhere the
column is filled in one statement with its key in place.
"""


def fill_with_key_set_aside(
    schema_editor, *, table: str, column: str, references: str, fill: str, fill_on_postgresql: str
):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        schema_editor.execute(fill)
        return
    with connection.cursor() as cursor:
        [key] = [
            name
            for name, about in connection.introspection.get_constraints(cursor, table).items()
            if about["foreign_key"] and about["columns"] == [column]
        ]
    schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {key}")
    schema_editor.execute(fill_on_postgresql)
    schema_editor.execute(
        f"""ALTER TABLE {table} ADD CONSTRAINT {key} FOREIGN KEY ({column})
        REFERENCES {references} (id) DEFERRABLE INITIALLY DEFERRED NOT VALID"""
    )
    schema_editor.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {key}")
