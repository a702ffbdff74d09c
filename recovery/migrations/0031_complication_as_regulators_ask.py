"""A confirmed complication as the regulators ask for it: its grade, seriousness, suspects, onset
moment and outcome apart from the treatment given, filled from what was recorded before."""

import django.db.models.deletion
from django.conf import settings
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from django.db import migrations, models

# What the old single field said, as the outcome the regulators ask for and the treatment given.
OLD_OUTCOMES = {
    "resolved_alone": ("recovered", []),
    "treated_in_clinic": (None, ["care_in_clinic"]),
    "antibiotics": (None, ["antibiotics"]),
    "hyaluronidase": (None, ["hyaluronidase"]),
    "referred": (None, ["referred"]),
    "reported_to_regulator": (None, []),
    "": (None, []),
}


def outcome_and_onset_from_before(apps, schema_editor):
    """The typed onset day becomes the onset's moment: the start of that day on the clinic's clock,
    never before the session; a resolved complication recovered, an open one still recovering."""
    Recovery = apps.get_model("recovery", "Recovery")
    sessions = {
        pk: (performed_at, ZoneInfo(time_zone or "UTC"))
        for pk, performed_at, time_zone in Recovery.objects.values_list(
            "pk", "session__performed_at", "session__clinic__time_zone"
        )
    }
    for name in ("Complication", "HistoricalComplication"):
        for complication in apps.get_model("recovery", name).objects.all():
            performed_at, zone = sessions.get(complication.recovery_id, (None, UTC))
            start = datetime.combine(complication.onset_on, time(0), tzinfo=zone)
            complication.onset_at = max(start, performed_at) if performed_at else start
            outcome, treatments = OLD_OUTCOMES.get(complication.outcome, (None, []))
            complication.outcome = outcome or ("recovered" if complication.resolved_on else "recovering")
            complication.treatments_given = treatments
            complication.save(update_fields=["onset_at", "outcome", "treatments_given"])


class Migration(migrations.Migration):

    dependencies = [
        ('recovery', '0030_photos_to_their_app'),
        ('treatments', '0011_product_catalogue_reference_product_common_name_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SuspectProduct',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('causality', models.CharField(choices=[('certain', 'Certain'), ('probable', 'Probable'), ('possible', 'Possible'), ('unlikely', 'Unlikely')], max_length=10, verbose_name='causality')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.AlterModelOptions(
            name='complication',
            options={'ordering': ['onset_at']},
        ),
        migrations.RemoveConstraint(
            model_name='complication',
            name='complication_resolves_after_onset',
        ),
        migrations.RemoveConstraint(
            model_name='complication',
            name='complication_outcome_is_known',
        ),
        migrations.AddField(
            model_name='complication',
            name='grade',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(1, 'Grade 1 – mild: no intervention needed, observation only'), (2, 'Grade 2 – moderate: minimal, local or non-invasive intervention'), (3, 'Grade 3 – severe or medically significant, not immediately life-threatening: hospitalisation'), (4, 'Grade 4 – life-threatening consequences: urgent intervention'), (5, 'Grade 5 – death related to the event')], null=True, verbose_name='grade (CTCAE v5)'),
        ),
        migrations.AddField(
            model_name='complication',
            name='ischaemic',
            field=models.BooleanField(default=False, verbose_name='ischaemic (vascular occlusion)'),
        ),
        migrations.AddField(
            model_name='complication',
            name='onset_at',
            field=models.DateTimeField(null=True, verbose_name='onset'),
        ),
        migrations.AddField(
            model_name='complication',
            name='serious_death',
            field=models.BooleanField(default=False, verbose_name='Death'),
        ),
        migrations.AddField(
            model_name='complication',
            name='serious_disability',
            field=models.BooleanField(default=False, verbose_name='Disability or permanent damage'),
        ),
        migrations.AddField(
            model_name='complication',
            name='serious_hospitalisation',
            field=models.BooleanField(default=False, verbose_name='Hospitalisation, or a longer stay'),
        ),
        migrations.AddField(
            model_name='complication',
            name='serious_intervention',
            field=models.BooleanField(default=False, verbose_name='Intervention needed to prevent permanent harm'),
        ),
        migrations.AddField(
            model_name='complication',
            name='serious_life_threatening',
            field=models.BooleanField(default=False, verbose_name='Life-threatening'),
        ),
        migrations.AddField(
            model_name='complication',
            name='serious_medically_significant',
            field=models.BooleanField(default=False, verbose_name='Other medically significant event'),
        ),
        migrations.AddField(
            model_name='complication',
            name='treatments_given',
            field=models.JSONField(blank=True, default=list, verbose_name='treatment given'),
        ),
        migrations.AddField(
            model_name='historicalcomplication',
            name='grade',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(1, 'Grade 1 – mild: no intervention needed, observation only'), (2, 'Grade 2 – moderate: minimal, local or non-invasive intervention'), (3, 'Grade 3 – severe or medically significant, not immediately life-threatening: hospitalisation'), (4, 'Grade 4 – life-threatening consequences: urgent intervention'), (5, 'Grade 5 – death related to the event')], null=True, verbose_name='grade (CTCAE v5)'),
        ),
        migrations.AddField(
            model_name='historicalcomplication',
            name='ischaemic',
            field=models.BooleanField(default=False, verbose_name='ischaemic (vascular occlusion)'),
        ),
        migrations.AddField(
            model_name='historicalcomplication',
            name='onset_at',
            field=models.DateTimeField(null=True, verbose_name='onset'),
        ),
        migrations.AddField(
            model_name='historicalcomplication',
            name='serious_death',
            field=models.BooleanField(default=False, verbose_name='Death'),
        ),
        migrations.AddField(
            model_name='historicalcomplication',
            name='serious_disability',
            field=models.BooleanField(default=False, verbose_name='Disability or permanent damage'),
        ),
        migrations.AddField(
            model_name='historicalcomplication',
            name='serious_hospitalisation',
            field=models.BooleanField(default=False, verbose_name='Hospitalisation, or a longer stay'),
        ),
        migrations.AddField(
            model_name='historicalcomplication',
            name='serious_intervention',
            field=models.BooleanField(default=False, verbose_name='Intervention needed to prevent permanent harm'),
        ),
        migrations.AddField(
            model_name='historicalcomplication',
            name='serious_life_threatening',
            field=models.BooleanField(default=False, verbose_name='Life-threatening'),
        ),
        migrations.AddField(
            model_name='historicalcomplication',
            name='serious_medically_significant',
            field=models.BooleanField(default=False, verbose_name='Other medically significant event'),
        ),
        migrations.AddField(
            model_name='historicalcomplication',
            name='treatments_given',
            field=models.JSONField(blank=True, default=list, verbose_name='treatment given'),
        ),
        migrations.AlterField(
            model_name='complication',
            name='outcome',
            field=models.CharField(choices=[('recovered', 'Recovered'), ('recovering', 'Recovering'), ('not_recovered', 'Not recovered'), ('recovered_with_sequelae', 'Recovered with sequelae'), ('fatal', 'Fatal'), ('unknown', 'Unknown')], default='unknown', max_length=30, verbose_name='outcome'),
        ),
        migrations.AlterField(
            model_name='historicalcomplication',
            name='outcome',
            field=models.CharField(choices=[('recovered', 'Recovered'), ('recovering', 'Recovering'), ('not_recovered', 'Not recovered'), ('recovered_with_sequelae', 'Recovered with sequelae'), ('fatal', 'Fatal'), ('unknown', 'Unknown')], default='unknown', max_length=30, verbose_name='outcome'),
        ),
        migrations.AddField(
            model_name='suspectproduct',
            name='complication',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='suspects', to='recovery.complication'),
        ),
        migrations.AddField(
            model_name='suspectproduct',
            name='session_product',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='treatments.sessionproduct'),
        ),
        migrations.AddConstraint(
            model_name='suspectproduct',
            constraint=models.UniqueConstraint(fields=('complication', 'session_product'), name='suspect_named_once'),
        ),
        migrations.AddConstraint(
            model_name='suspectproduct',
            constraint=models.CheckConstraint(condition=models.Q(('causality__in', ['certain', 'probable', 'possible', 'unlikely'])), name='suspect_causality_is_known'),
        ),
        migrations.RunPython(outcome_and_onset_from_before, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='complication',
            name='onset_on',
        ),
        migrations.RemoveField(
            model_name='historicalcomplication',
            name='onset_on',
        ),
        migrations.AddConstraint(
            model_name='complication',
            constraint=models.CheckConstraint(condition=models.Q(('outcome__in', ['recovered', 'recovering', 'not_recovered', 'recovered_with_sequelae', 'fatal', 'unknown'])), name='complication_outcome_is_known'),
        ),
        migrations.AddConstraint(
            model_name='complication',
            constraint=models.CheckConstraint(condition=models.Q(('grade__isnull', True), models.Q(('grade__gte', 1), ('grade__lte', 5)), _connector='OR'), name='complication_grade_is_known'),
        ),
        migrations.AddConstraint(
            model_name='complication',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('grade', 5), ('outcome', 'fatal'), ('serious_death', True)), models.Q(('serious_death', False), models.Q(('outcome', 'fatal'), _negated=True), models.Q(('grade__isnull', True), models.Q(('grade', 5), _negated=True), _connector='OR')), _connector='OR'), name='complication_death_is_grade_5_and_fatal'),
        ),
    ]
