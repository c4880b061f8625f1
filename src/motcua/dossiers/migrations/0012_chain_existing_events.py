"""Events written before the hash chain existed get their hashes, in batches of dossiers, each batch its
own transaction (the migration is not atomic): a large database is neither locked for the whole run nor
left with a half-done batch. Running it again recomputes the same hashes."""

from itertools import groupby

from django.db import migrations, transaction

BATCH = 5000


def chain_existing_events(apps, schema_editor):
    from motcua.dossiers.audit import FIELDS, GENESIS, event_hash
    from motcua.dossiers.services import _write_many

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
