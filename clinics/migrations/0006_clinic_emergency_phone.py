from django.db import migrations, models

import clinics.models

# The table as it stood when this migration was written: later edits to it must not change history.
NATIONAL = {
    "AU": ("000", "112"), "BR": ("192", ""), "CA": ("911", ""), "CH": ("144", "112"), "CN": ("120", ""),
    "FR": ("15", "112"), "GB": ("999", "112"), "GF": ("15", "112"), "GP": ("15", "112"), "HK": ("999", "112"),
    "IE": ("112", "999"), "IL": ("101", "112"), "IN": ("112", "108"), "JP": ("119", ""), "KR": ("119", "112"),
    "MC": ("15", "112"), "MQ": ("15", "112"), "MX": ("911", ""), "NC": ("15", "112"), "NO": ("113", "112"),
    "NZ": ("111", ""), "PF": ("15", "112"), "RE": ("15", "112"), "SG": ("995", ""), "US": ("911", ""),
    "YT": ("15", "112"), "AE": ("998", "112"), "SA": ("997", "112"), "ZA": ("10177", "112"),
}


def emergency_number_from_the_country(apps, schema_editor):
    """Every clinic's patients are shown their own country's number, never a blank or a foreign one."""
    Clinic = apps.get_model("clinics", "Clinic")
    for clinic in Clinic.objects.all():
        number, other = NATIONAL.get(clinic.country, ("112", ""))
        Clinic.objects.filter(pk=clinic.pk).update(emergency_phone=number, emergency_phone_other=other)


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0005_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="clinic",
            name="emergency_phone",
            field=models.CharField(
                default="",
                help_text="What patients with a sign that cannot wait (swelling of the lips or throat, trouble breathing, a change in eyesight) are told to call: the emergency services where the clinic is, e.g. 15 in France, 999 in the UK.",
                max_length=15,
                validators=[clinics.models.validate_emergency_number],
                verbose_name="emergency number",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="clinic",
            name="emergency_phone_other",
            field=models.CharField(
                blank=True,
                help_text="Another number that also answers, shown beside it (e.g. 112).",
                max_length=15,
                validators=[clinics.models.validate_emergency_number],
                verbose_name="other emergency number",
            ),
        ),
        migrations.RunPython(emergency_number_from_the_country, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="clinic",
            constraint=models.CheckConstraint(
                condition=models.Q(("emergency_phone", ""), _negated=True), name="clinic_has_an_emergency_number"
            ),
        ),
    ]
