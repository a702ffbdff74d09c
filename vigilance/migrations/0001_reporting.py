import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('recovery', '0032_complication_onset_required'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EventDetails',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('weight_kg', models.DecimalField(blank=True, decimal_places=1, max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(20), django.core.validators.MaxValueValidator(400)], verbose_name='weight (kg)')),
                ('height_cm', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(50), django.core.validators.MaxValueValidator(250)], verbose_name='height (cm)')),
                ('ethnicity', models.CharField(blank=True, max_length=100, verbose_name='ethnicity')),
                ('concomitant_medicines', models.TextField(blank=True, help_text='With their doses and dates.', max_length=2000, verbose_name='other medicines taken')),
                ('relevant_history', models.TextField(blank=True, help_text='Conditions, earlier treatments of the area, pregnancy.', max_length=2000, verbose_name='relevant medical history')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('complication', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='report_details', to='recovery.complication')),
                ('updated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='ReportReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('complication', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='report_reminder', to='recovery.complication')),
            ],
        ),
        migrations.CreateModel(
            name='NotReportable',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField(max_length=2000, verbose_name='reason')),
                ('judged_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('complication', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='not_reportable', to='recovery.complication')),
                ('judged_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='not_reportable_says_why')],
            },
        ),
        migrations.CreateModel(
            name='Submission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('recipient', models.CharField(choices=[('mhra', 'MHRA Yellow Card (United Kingdom)'), ('fda', 'FDA MedWatch 3500 (United States)'), ('ansm', 'ANSM matériovigilance (France)'), ('manufacturer', 'The manufacturer')], max_length=20, verbose_name='sent to')),
                ('reference', models.CharField(blank=True, help_text='The number the regulator or manufacturer gave back.', max_length=100, verbose_name='reference')),
                ('sent_on', models.DateField(verbose_name='sent on')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('complication', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='recovery.complication')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['sent_on', 'recorded_at'],
                'constraints': [models.CheckConstraint(condition=models.Q(('recipient__in', ['mhra', 'fda', 'ansm', 'manufacturer'])), name='submission_recipient_is_known')],
            },
        ),
    ]
