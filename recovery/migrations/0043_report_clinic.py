"""Each report carries its session's clinic, so that the batch alert reads a clinic's recent reports
from an index of its own rather than every clinic's on the host.

The column is added empty, filled from the sessions in one statement (its foreign key set aside on
PostgreSQL: `clinics.keyed_fills`) and then required.
"""

import django.db.models.deletion
from django.db import migrations, models

from clinics.keyed_fills import fill_with_key_set_aside

FILL = """UPDATE recovery_reactionreport SET clinic_id = (
    SELECT s.clinic_id FROM treatments_treatmentsession s WHERE s.id = recovery_reactionreport.session_id)"""
FILL_ON_POSTGRESQL = """UPDATE recovery_reactionreport r SET clinic_id = s.clinic_id
    FROM treatments_treatmentsession s WHERE s.id = r.session_id"""
FILL_HISTORY = """UPDATE recovery_historicalreactionreport SET clinic_id = (
    SELECT s.clinic_id FROM treatments_treatmentsession s WHERE s.id = recovery_historicalreactionreport.session_id)"""


def reports_take_their_sessions_clinic(apps, schema_editor):
    fill_with_key_set_aside(
        schema_editor,
        table="recovery_reactionreport",
        column="clinic_id",
        references="clinics_clinic",
        fill=FILL,
        fill_on_postgresql=FILL_ON_POSTGRESQL,
    )
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
