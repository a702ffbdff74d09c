from django.db import migrations
from django.utils.timezone import now

from recovery import defaults


def install(apps, schema_editor):
    Clinic = apps.get_model("clinics", "Clinic")
    Recovery = apps.get_model("recovery", "Recovery")
    TreatmentSession = apps.get_model("treatments", "TreatmentSession")
    for clinic in Clinic.objects.all():
        for model_name, rows in (("ReactionType", defaults.REACTION_TYPES), ("RedFlagQuestion", defaults.RED_FLAG_QUESTIONS)):
            model = apps.get_model("recovery", model_name)
            history = apps.get_model("recovery", f"Historical{model_name}")
            created = model.objects.bulk_create(
                model(clinic=clinic, position=position, **row) for position, row in enumerate(rows)
            )
            # The change history starts with the defaults, so a manager's first edit shows as a change.
            history.objects.bulk_create(
                history(
                    id=item.pk,
                    clinic_id=clinic.pk,
                    position=item.position,
                    history_date=now(),
                    history_type="+",
                    **{key: getattr(item, key) for key in rows[0]},
                )
                for item in created
            )
    # Sessions recorded before the engine existed have no reports yet: open, on track.
    Recovery.objects.bulk_create(
        Recovery(session=session) for session in TreatmentSession.objects.filter(recovery__isnull=True)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("recovery", "0001_initial"),
        ("treatments", "0001_initial"),
        ("clinics", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
