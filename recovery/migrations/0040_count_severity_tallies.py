# The audit's split by grade and seriousness reads tallies kept per clinic day from now on: those of
# existing complications are counted once, by one grouped query over the recoveries that have any
# (a few per cent of sessions), written in batches; a migration of its own, apart from the schema.

from django.db import migrations

from recovery.tallies import severity_counted


def fill(apps, schema_editor):
    Recovery = apps.get_model("recovery", "Recovery")
    AuditTally = apps.get_model("recovery", "AuditTally")
    AuditTally.objects.filter(dimension="severity").delete()
    AuditTally.objects.bulk_create(
        (AuditTally(**row) for row in severity_counted(Recovery.objects.all())), batch_size=5000
    )


def empty(apps, schema_editor):
    apps.get_model("recovery", "AuditTally").objects.filter(dimension="severity").delete()


class Migration(migrations.Migration):
    dependencies = [("recovery", "0039_audit_severity_and_recent_reports")]

    operations = [migrations.RunPython(fill, empty)]
