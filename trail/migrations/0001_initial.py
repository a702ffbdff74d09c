# The record-view log moves here from `audits`, which reads every app: the trail is
# written by every app, so it must sit beneath them. The table and every row stay as
# they are; only Django's idea of which app owns the model changes.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("audits", "0002_export_started_and_protected_views"),
        ("patients", "0003_audit_trail_and_quarantine"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RecordView",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("viewed_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("path", models.CharField(max_length=300)),
                        (
                            "patient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="record_views",
                                to="patients.patient",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-viewed_at"],
                        "indexes": [models.Index(fields=["patient", "viewed_at"], name="record_view_patient_idx")],
                        "db_table": "audits_recordview",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
