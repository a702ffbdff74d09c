"""Each report carries its session's clinic, so that the batch alert reads a clinic's recent reports
from an index of its own rather than every clinic's on the host.

The column is added empty, filled from the sessions in one statement and then required. On
PostgreSQL its foreign key is set aside while it is filled and checked once over the table after:
kept, it would queue a check for every row of a table of millions.
"""

import django.db.models.deletion
from django.db import migrations, models

FILL = """UPDATE recovery_reactionreport SET clinic_id = (
    SELECT s.clinic_id FROM treatments_treatmentsession s WHERE s.id = recovery_reactionreport.session_id)"""
FILL_ON_POSTGRESQL = """UPDATE recovery_reactionreport r SET clinic_id = s.clinic_id
    FROM treatments_treatmentsession s WHERE s.id = r.session_id"""
FILL_HISTORY = """UPDATE recovery_historicalreactionreport SET clinic_id = (
    SELECT s.clinic_id FROM treatments_treatmentsession s WHERE s.id = recovery_historicalreactionreport.session_id)"""


def reports_take_their_sessions_clinic(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        schema_editor.execute(FILL)
    else:
        with connection.cursor() as cursor:
            [key] = [
                name
                for name, about in connection.introspection.get_constraints(cursor, "recovery_reactionreport").items()
                if about["foreign_key"] and about["columns"] == ["clinic_id"]
            ]
        schema_editor.execute(f"ALTER TABLE recovery_reactionreport DROP CONSTRAINT {key}")
        schema_editor.execute(FILL_ON_POSTGRESQL)
        schema_editor.execute(
            f"""ALTER TABLE recovery_reactionreport ADD CONSTRAINT {key} FOREIGN KEY (clinic_id)
            REFERENCES clinics_clinic (id) DEFERRABLE INITIALLY DEFERRED NOT VALID"""
        )
        schema_editor.execute(f"ALTER TABLE recovery_reactionreport VALIDATE CONSTRAINT {key}")
    schema_editor.execute(FILL_HISTORY)


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0010_clinic_address_clinic_report_within_days"),
        ("recovery", "0042_fill_zone_tallies"),
        ("treatments", "0015_batch_sessions_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="reactionreport",
            name="report_time_idx",
        ),
        migrations.AddField(
            model_name="historicalreactionreport",
            name="clinic",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="clinics.clinic",
            ),
        ),
        migrations.AddField(
            model_name="reactionreport",
            name="clinic",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clinics.clinic",
            ),
        ),
        migrations.RunPython(reports_take_their_sessions_clinic, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reactionreport",
            name="clinic",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clinics.clinic",
            ),
        ),
        migrations.AddIndex(
            model_name="reactionreport",
            index=models.Index(
                fields=["clinic", "reported_at"], include=("session", "id"), name="report_clinic_time_idx"
            ),
        ),
    ]
