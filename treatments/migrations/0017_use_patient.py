"""Each product use carries its session's patient, so that a batch's page counts the patients to
contact from the index of its uses rather than reading every session that used the batch.

The column is added empty, filled from the sessions in one statement and then required. On
PostgreSQL its foreign key is set aside while it is filled and checked once over the table after:
kept, it would queue a check for every row of a table of millions.
"""

import django.db.models.deletion
from django.db import migrations, models

FILL = """UPDATE treatments_sessionproduct SET patient_id = (
    SELECT s.patient_id FROM treatments_treatmentsession s WHERE s.id = treatments_sessionproduct.session_id)"""
FILL_ON_POSTGRESQL = """UPDATE treatments_sessionproduct u SET patient_id = s.patient_id
    FROM treatments_treatmentsession s WHERE s.id = u.session_id"""


def uses_take_their_sessions_patient(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        schema_editor.execute(FILL)
        return
    with connection.cursor() as cursor:
        [key] = [
            name
            for name, about in connection.introspection.get_constraints(cursor, "treatments_sessionproduct").items()
            if about["foreign_key"] and about["columns"] == ["patient_id"]
        ]
    schema_editor.execute(f"ALTER TABLE treatments_sessionproduct DROP CONSTRAINT {key}")
    schema_editor.execute(FILL_ON_POSTGRESQL)
    schema_editor.execute(
        f"""ALTER TABLE treatments_sessionproduct ADD CONSTRAINT {key} FOREIGN KEY (patient_id)
        REFERENCES patients_patient (id) DEFERRABLE INITIALLY DEFERRED NOT VALID"""
    )
    schema_editor.execute(f"ALTER TABLE treatments_sessionproduct VALIDATE CONSTRAINT {key}")


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
