"""Storage settings of busy tables, set by migrations on PostgreSQL (other databases have no such settings)."""

from django.db import migrations

# Autovacuum for a table that gains dead rows with every request: by default it waits for 20 % of the
# table (260,000 rows of a 1,300,000-dossier table), and until then every index scan walks the dead entries.
BUSY_TABLE = {"autovacuum_vacuum_scale_factor": "0.01", "autovacuum_vacuum_threshold": "1000",
              "autovacuum_analyze_scale_factor": "0.02"}


def set_storage(table: str, settings: dict[str, str]) -> migrations.RunPython:
    """A migration operation that sets `settings` on `table` (and resets them when migrated backwards)."""

    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            quoted = schema_editor.quote_name(table)
            schema_editor.execute(f"ALTER TABLE {quoted} SET ({', '.join(f'{k} = {v}' for k, v in settings.items())})")

    def revert(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} RESET ({', '.join(settings)})")

    return migrations.RunPython(apply, revert)
