"""Each product use carries its session's patient, so that a batch's page counts the patients to
contact from the index of its uses rather than reading every session that used the batch.

The column is added empty, filled from the sessions in one statement (its foreign key set aside on
PostgreSQL: `clinics.keyed_fills`) and then required.
"""

import django.db.models.deletion
from django.db import migrations, models

from clinics.keyed_fills import fill_with_key_set_aside

FILL = """UPDATE treatments_sessionproduct SET patient_id = (
    SELECT s.patient_id FROM treatments_treatmentsession s WHERE s.id = treatments_sessionproduct.session_id)"""
FILL_ON_POSTGRESQL = """UPDATE treatments_sessionproduct u SET patient_id = s.patient_id
    FROM treatments_treatmentsession s WHERE s.id = u.session_id"""


def uses_take_their_sessions_patient(apps, schema_editor):
    fill_with_key_set_aside(
        schema_editor,
        table="treatments_sessionproduct",
        column="patient_id",
        references="patients_patient",
        fill=FILL,
        fill_on_postgresql=FILL_ON_POSTGRESQL,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0010_patient_external_id"),
        ("treatments", "0016_use_performed_at"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="sessionproduct",
            name="product_use_batch_time_idx",
        ),
        migrations.AddField(
            model_name="sessionproduct",
            name="patient",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="patients.patient",
            ),
        ),
        migrations.RunPython(uses_take_their_sessions_patient, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="sessionproduct",
            name="patient",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="patients.patient",
            ),
        ),
        migrations.AddIndex(
            model_name="sessionproduct",
            index=models.Index(
                fields=["batch", "performed_at", "session"], include=("patient",), name="product_use_batch_time_idx"
            ),
        ),
    ]
