import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('treatments', '0011_product_catalogue_reference_product_common_name_and_more'),
    ]

    operations = [
        migrations.CreateModel(
            name='InjectionPoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('diagram', models.CharField(max_length=30, verbose_name='diagram')),
                ('zone', models.CharField(max_length=30, verbose_name='zone')),
                ('x', models.DecimalField(decimal_places=4, max_digits=5)),
                ('y', models.DecimalField(decimal_places=4, max_digits=5)),
                ('volume_ml', models.DecimalField(decimal_places=2, max_digits=6, verbose_name='volume (mL)')),
                ('product_use', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='points', to='treatments.sessionproduct')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='injection_points', to='treatments.treatmentsession')),
            ],
            options={
                'ordering': ['pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('x__gte', 0), ('x__lte', 1), ('y__gte', 0), ('y__lte', 1)), name='point_on_the_diagram'), models.CheckConstraint(condition=models.Q(('volume_ml__gt', 0)), name='point_volume_is_positive')],
            },
        ),
        migrations.CreateModel(
            name='SessionZone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('zone', models.CharField(max_length=30, verbose_name='zone')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='zones', to='treatments.treatmentsession')),
            ],
            options={
                'ordering': ['pk'],
                'constraints': [models.UniqueConstraint(fields=('session', 'zone'), name='zone_charted_once_per_session')],
            },
        ),
    ]
