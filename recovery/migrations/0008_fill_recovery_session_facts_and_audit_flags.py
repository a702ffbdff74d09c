# Existing recoveries take their session's facts and what the audit counts; a migration of
# its own, so the rows it updates do not share a transaction with the schema changes.

from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery


def fill(apps, schema_editor):
    """Carry each session's facts onto its recovery, and what the audit counts, for existing rows."""
    Recovery = apps.get_model("recovery", "Recovery")
    TreatmentSession = apps.get_model("treatments", "TreatmentSession")
    ReportedReaction = apps.get_model("recovery", "ReportedReaction")
    RedFlagAnswer = apps.get_model("recovery", "RedFlagAnswer")
    Complication = apps.get_model("recovery", "Complication")
    Notification = apps.get_model("recovery", "Notification")
    session = TreatmentSession.objects.filter(pk=OuterRef("session_id"))
    Recovery.objects.update(
        clinic_id=Subquery(session.values("clinic_id")[:1]),
        practitioner_id=Subquery(session.values("practitioner_id")[:1]),
        performed_at=Subquery(session.values("performed_at")[:1]),
    )
    Recovery.objects.filter(
        Exists(
            ReportedReaction.objects.filter(
                report__session_id=OuterRef("session_id"), severity__gt=0, reaction_type__kind="concerning"
            )
        )
        | Exists(RedFlagAnswer.objects.filter(report__session_id=OuterRef("session_id"), present=True))
    ).update(patient_reported=True)
    Recovery.objects.filter(Exists(Complication.objects.filter(recovery_id=OuterRef("session_id")))).update(
        clinician_confirmed=True
    )
    # Transitions the sweep already told of stay told; any it had not yet reached, it will.
    told = Notification.objects.filter(recovery_id=OuterRef("session_id"))
    Recovery.objects.filter(
        Exists(told.filter(kind__in=["needs_attention", "red_flag"], created_at__gte=OuterRef("unacknowledged_at")))
    ).update(notified_attention_at=models.F("unacknowledged_at"))
    Recovery.objects.filter(
        Exists(told.filter(kind="overdue", created_at__gte=OuterRef("overdue_at")))
    ).update(notified_overdue_at=models.F("overdue_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("recovery", "0007_recovery_session_facts_and_audit_flags"),
        ("treatments", "0005_session_series_number_and_time_index"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
