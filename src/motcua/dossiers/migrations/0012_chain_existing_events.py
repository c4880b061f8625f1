"""Events written before the hash chain existed get their hashes, in batches of dossiers, each batch its
own transaction (the migration is not atomic): a large database is neither locked for the whole run nor
left with a half-done batch. Running it again recomputes the same hashes."""

from itertools import groupby

from django.db import migrations, transaction

BATCH = 5000


# A frozen copy of what the hash chain was when this migration was written (dossiers/audit.py then): later
# changes to the application code cannot change what migrating an old database computes.
GENESIS = "0" * 64
FIELDS = ("dossier_id", "seq", "action", "from_state", "to_state", "actor_id", "actor_name", "at", "reason", "data",
          "due_at")


def _moment(value):
    from datetime import UTC

    return value.astimezone(UTC).isoformat() if value is not None else ""


def event_hash(previous, dossier_id, seq, action, from_state, to_state, actor_id, actor_name, at, reason, data, due_at):
    import hashlib
    import json

    content = json.dumps(
        [dossier_id, seq, action, from_state, to_state, actor_id, actor_name, _moment(at), reason, data or {},
         _moment(due_at)],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


def _write_many(model, field_names, key, rows):
    """UPDATE many rows by key: each row is (values…, key). Plain batched UPDATEs, frozen with the rest."""
    from django.db import connection

    qn = connection.ops.quote_name
    columns = [model._meta.get_field(name).column for name in field_names]
    sql = (f"UPDATE {qn(model._meta.db_table)} SET {', '.join(qn(c) + ' = %s' for c in columns)} "
           f"WHERE {qn(key)} = %s")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            cursor.executemany(sql, [list(row) for row in rows[start:start + 1000]])


def chain_existing_events(apps, schema_editor):

    Dossier = apps.get_model("dossiers", "Dossier")
    DossierEvent = apps.get_model("dossiers", "DossierEvent")
    last = 0
    while True:
        ids = list(Dossier.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return
        with transaction.atomic():
            rows = (
                DossierEvent.objects.filter(dossier_id__gte=ids[0], dossier_id__lte=ids[-1])
                .order_by("dossier_id", "seq").values_list("pk", *FIELDS)
            )
            hashes, heads = [], []
            for dossier_id, events in groupby(rows.iterator(chunk_size=10_000), key=lambda row: row[1]):
                head = GENESIS
                for row in events:
                    head = event_hash(head, *row[1:])
                    hashes.append((head, row[0]))
                heads.append((head, dossier_id))
            _write_many(DossierEvent, ["hash"], "id", hashes)
            _write_many(Dossier, ["audit_head"], "id", heads)
        last = ids[-1]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("dossiers", "0011_audit_chain")]

    operations = [migrations.RunPython(chain_existing_events, migrations.RunPython.noop)]
