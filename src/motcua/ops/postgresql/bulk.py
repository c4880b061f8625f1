"""Writing many rows in one statement, for the few bulk jobs (the due-time recompute after a holiday change):
PostgreSQL COPYs them in (through a temporary table for an UPDATE), SQLite runs executemany."""

import json

from django.db import connection

# Columns a bulk UPDATE may carry, by name: their type in the temporary table.
PG_TYPES = {"due_at": "timestamptz", "last_event_seq": "integer", "id": "bigint", "audit_head": "varchar(64)", "hash": "varchar(64)"}


def _copy_many_postgres(model, fields, key: str | None, rows: list[tuple], guard: str | None) -> list:
    """PostgreSQL: COPY the rows in (no per-row statements, no parameter quoting); an UPDATE goes through
    a temporary table joined on the key, guarded as described in write_many."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    is_json = [f.get_internal_type() == "JSONField" for f in fields]

    def values(row):
        out = [json.dumps(v, ensure_ascii=False) if j else v for j, v in zip(is_json, row, strict=False)]
        return out + list(row[len(fields):])

    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor, for COPY
        if not key:
            columns = ", ".join(qn(f.column) for f in fields)
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
            return []
        names = [f.column for f in fields] + [key] + ([model._meta.get_field(guard).column] if guard else [])
        temp = qn(f"tmp_{model._meta.db_table}")
        columns = ", ".join(f"c{i} {PG_TYPES[n]}" for i, n in enumerate(names))
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {temp} ({columns}) ON COMMIT DELETE ROWS")
        with cursor.copy(f"COPY {temp} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(values(row))
        sets = ", ".join(f"{qn(f.column)} = v.c{i}" for i, f in enumerate(fields))
        sql = f"UPDATE {table} AS t SET {sets} FROM {temp} AS v WHERE t.{qn(key)} = v.c{len(fields)}"
        if guard:
            sql += f" AND t.{qn(names[-1])} = v.c{len(fields) + 1}"
        cursor.execute(sql + f" RETURNING t.{qn(key)}")
        done = [r[0] for r in cursor.fetchall()]
        cursor.execute(f"DELETE FROM {temp}")  # the next batch of this transaction starts empty
        return done


def write_many(model, field_names: list[str], key: str | None, rows: list[tuple], guard: str | None = None) -> list:
    """UPDATE (when `key` is given: each row ends with the key value, then the guard value) or INSERT many
    rows at once. Returns the keys of the rows updated.

    PostgreSQL gets one statement over unnest()ed arrays; an UPDATE with a `guard` column changes only rows
    whose guard still has the value read (optimistic locking instead of locking every row read). SQLite
    gets executemany with values prepared by each field's get_db_prep_save; its IMMEDIATE transaction
    already keeps other writers out, so the guard is not needed there.
    """
    fields = [model._meta.get_field(name) for name in field_names]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = [f.column for f in fields]
    if connection.vendor == "postgresql":
        return _copy_many_postgres(model, fields, key, rows, guard)
    # Only dates and JSON need the field's preparation; ints, text and None go as they are.
    prep = [f.get_internal_type() in ("DateTimeField", "JSONField") for f in fields]
    prepared = [
        [f.get_db_prep_save(v, connection) if p else v for f, p, v in zip(fields, prep, row, strict=False)]
        + ([row[len(fields)]] if key else [])
        for row in rows
    ]
    if key:
        sql = f"UPDATE {table} SET {', '.join(qn(c) + ' = %s' for c in columns)} WHERE {qn(key)} = %s"
    else:
        sql = f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)
    return [row[len(fields)] for row in rows] if key else []
