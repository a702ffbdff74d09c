"""Every complication has its onset's moment, filled by 0031: it is required from now on."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('recovery', '0031_complication_as_regulators_ask'),
    ]

    operations = [
        migrations.AlterField(
            model_name='complication',
            name='onset_at',
            field=models.DateTimeField(verbose_name='onset'),
        ),
        migrations.AlterField(
            model_name='historicalcomplication',
            name='onset_at',
            field=models.DateTimeField(verbose_name='onset'),
        ),
    ]
