from django.db import migrations

from recovery import defaults


def install(apps, schema_editor):
    Clinic = apps.get_model("clinics", "Clinic")
    ReactionType = apps.get_model("recovery", "ReactionType")
    RedFlagQuestion = apps.get_model("recovery", "RedFlagQuestion")
    Recovery = apps.get_model("recovery", "Recovery")
    TreatmentSession = apps.get_model("treatments", "TreatmentSession")
    for clinic in Clinic.objects.all():
        ReactionType.objects.bulk_create(
            ReactionType(clinic=clinic, position=position, **row) for position, row in enumerate(defaults.REACTION_TYPES)
        )
        RedFlagQuestion.objects.bulk_create(
            RedFlagQuestion(clinic=clinic, position=position, **row)
            for position, row in enumerate(defaults.RED_FLAG_QUESTIONS)
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
