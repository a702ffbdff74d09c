import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clinics', '0009_staff_language'),
    ]

    operations = [
        migrations.AddField(
            model_name='clinic',
            name='address',
            field=models.TextField(blank=True, help_text="The clinic's postal address, as the regulators' forms ask for the reporter's.", max_length=300, verbose_name='address'),
        ),
        migrations.AddField(
            model_name='clinic',
            name='report_within_days',
            field=models.PositiveSmallIntegerField(blank=True, help_text="Days after a serious complication is confirmed by which it is reported or judged not reportable. Empty: the country's rule, the next day in France (« sans délai »), elsewhere 15 days, 10 for a death or a life-threatening event.", null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(30)], verbose_name='days to report a serious event'),
        ),
    ]
