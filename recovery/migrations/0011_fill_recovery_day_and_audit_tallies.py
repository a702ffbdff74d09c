# Existing recoveries take their session's day on the clinic's calendar, and the audit's tallies
# are counted once for every day; a migration of its own, apart from the schema changes.

import zoneinfo

from django.db import migrations
from django.db.models.functions import TruncDate
from django.utils import timezone

from recovery.tallies import counted


def fill(apps, schema_editor):
    Clinic = apps.get_model("clinics", "Clinic")
    Recovery = apps.get_model("recovery", "Recovery")
    AuditTally = apps.get_model("recovery", "AuditTally")
    TallyDay = apps.get_model("recovery", "TallyDay")
    for clinic in Clinic.objects.all():
        recoveries = Recovery.objects.filter(clinic_id=clinic.pk)
        if schema_editor.connection.vendor == "postgresql":
            recoveries.update(performed_on=TruncDate("performed_at", tzinfo=zoneinfo.ZoneInfo(clinic.time_zone)))
        else:
            zone = zoneinfo.ZoneInfo(clinic.time_zone)
            for pk, performed_at in recoveries.values_list("pk", "performed_at").iterator(chunk_size=2000):
                Recovery.objects.filter(pk=pk).update(performed_on=timezone.localtime(performed_at, zone).date())
    TallyDay.objects.bulk_create(
        (TallyDay(clinic_id=c, day=d) for c, d in Recovery.objects.values_list("clinic_id", "performed_on").distinct()),
        batch_size=5000,
    )
    # Complications had no grade yet: their tallies are counted by 0040.
    AuditTally.objects.bulk_create(
        (AuditTally(**row) for row in counted(Recovery.objects.all(), severity=False)), batch_size=5000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0002_clinic_check_in_days"),
        ("recovery", "0010_audit_tallies"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
