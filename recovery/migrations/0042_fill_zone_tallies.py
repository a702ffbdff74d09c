# The zone tallies of the sessions already kept, counted once per clinic by the same rules as the
# writes keep them; a migration of its own, apart from the schema change.

from django.db import migrations

from recovery.zone_tallies import zone_counts


def fill(apps, schema_editor):
    Clinic = apps.get_model("clinics", "Clinic")
    Recovery = apps.get_model("recovery", "Recovery")
    ZoneTally = apps.get_model("recovery", "ZoneTally")
    for clinic_id in Clinic.objects.values_list("pk", flat=True):
        counts = zone_counts(Recovery.objects.filter(clinic_id=clinic_id), per_day=True)
        ZoneTally.objects.bulk_create(
            (ZoneTally(clinic_id=c, day=day, zone=zone, **counted) for (c, day, zone), counted in counts.items()),
            batch_size=5000,
        )


def empty(apps, schema_editor):
    apps.get_model("recovery", "ZoneTally").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0010_clinic_address_clinic_report_within_days"),
        ("recovery", "0041_zone_tallies"),
    ]

    operations = [migrations.RunPython(fill, empty)]
