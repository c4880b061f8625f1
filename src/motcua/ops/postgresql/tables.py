"""Storage settings of busy tables, set by migrations on PostgreSQL (other databases have no such settings)."""

from django.db.migrations.operations.base import Operation

# Autovacuum for a table that gains dead rows with every request: by default it waits for 20 % of the
# table (260,000 rows of a 1,300,000-dossier table), and until then every index scan walks the dead entries.
BUSY_TABLE = {"autovacuum_vacuum_scale_factor": "0.01", "autovacuum_vacuum_threshold": "1000",
              "autovacuum_analyze_scale_factor": "0.02"}


class SetStorage(Operation):
    """Sets storage parameters on a table (ALTER TABLE … SET), resets them when migrated backwards; does
    nothing on other databases. An operation class rather than RunPython so that the migration can be
    serialized (squashmigrations) and sqlmigrate shows what it does."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str, settings: dict[str, str]):
        self.table, self.settings = table, dict(settings)

    def deconstruct(self):
        return self.__class__.__qualname__, [self.table, self.settings], {}

    def state_forwards(self, app_label, state):
        pass  # storage parameters are not part of Django's model state

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            pairs = ", ".join(f"{name} = {value}" for name, value in self.settings.items())
            schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(self.table)} SET ({pairs})")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(self.table)} RESET ({', '.join(self.settings)})")

    def describe(self):
        return f"Set storage parameters of {self.table} ({', '.join(self.settings)}) on PostgreSQL"
