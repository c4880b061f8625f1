"""Dossiers: every submission leaves a dead row version and one dead entry in each of the table's 17 indexes
(its day number is written after the row, see services.create_dossier), so autovacuum runs after 1 % of the
table rather than 20 %. Found when inbox and tracking times doubled after 90,000 load-test submissions."""

from django.db import migrations

from motcua.ops.postgresql.tables import BUSY_TABLE, SetStorage


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0012_chain_existing_events")]

    operations = [SetStorage("dossiers_dossier", BUSY_TABLE)]
