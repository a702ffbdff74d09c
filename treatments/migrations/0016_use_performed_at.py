"""Each product use carries its session's time, so that a batch's page lists its latest uses from an
index by batch and time rather than reading every session that ever used the batch to sort them.

The column is added empty, filled from the sessions in one statement and then required.
"""

from django.db import migrations, models

FILL = """UPDATE treatments_sessionproduct SET performed_at = (
    SELECT s.performed_at FROM treatments_treatmentsession s WHERE s.id = treatments_sessionproduct.session_id)"""
FILL_ON_POSTGRESQL = """UPDATE treatments_sessionproduct u SET performed_at = s.performed_at
    FROM treatments_treatmentsession s WHERE s.id = u.session_id"""


def uses_take_their_sessions_time(apps, schema_editor):
    schema_editor.execute(FILL_ON_POSTGRESQL if schema_editor.connection.vendor == "postgresql" else FILL)


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0015_batch_sessions_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="sessionproduct",
            name="product_use_batch_idx",
        ),
        migrations.AddField(
            model_name="sessionproduct",
            name="performed_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(uses_take_their_sessions_time, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="sessionproduct",
            name="performed_at",
            field=models.DateTimeField(editable=False),
        ),
        migrations.AddIndex(
            model_name="sessionproduct",
            index=models.Index(fields=["batch", "performed_at", "session"], name="product_use_batch_time_idx"),
        ),
    ]
