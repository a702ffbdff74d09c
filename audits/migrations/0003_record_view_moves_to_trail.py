# The record-view log now belongs to `trail` (its 0001 takes over the same table).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0002_export_started_and_protected_views"),
        ("trail", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RecordView")],
            database_operations=[],
        ),
    ]
