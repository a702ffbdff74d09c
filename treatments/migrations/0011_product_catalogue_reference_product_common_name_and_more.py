from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clinics', '0010_clinic_address_clinic_report_within_days'),
        ('treatments', '0010_product_hibc'),
    ]

    operations = [
        migrations.AddField(
            model_name='product',
            name='catalogue_reference',
            field=models.CharField(blank=True, help_text="The manufacturer's reference (REF) on the box.", max_length=60, verbose_name='catalogue reference'),
        ),
        migrations.AddField(
            model_name='product',
            name='common_name',
            field=models.CharField(blank=True, help_text='The generic name, e.g. non-cross-linked hyaluronic acid.', max_length=120, verbose_name='common name'),
        ),
        migrations.AddField(
            model_name='product',
            name='manufacturer_address',
            field=models.TextField(blank=True, max_length=300, verbose_name="manufacturer's address"),
        ),
        migrations.AddField(
            model_name='product',
            name='regulatory_status',
            field=models.CharField(choices=[('medical_device', 'Medical device'), ('medicine', 'Medicine'), ('other', 'Other (cosmetic or unclassified)')], default='medical_device', max_length=20, verbose_name='regulatory status'),
        ),
        migrations.AddField(
            model_name='product',
            name='route',
            field=models.CharField(choices=[('intradermal', 'Intradermal'), ('subcutaneous', 'Subcutaneous'), ('topical', 'Topical'), ('other', 'Other')], default='intradermal', max_length=20, verbose_name='route'),
        ),
        migrations.AddConstraint(
            model_name='product',
            constraint=models.CheckConstraint(condition=models.Q(('regulatory_status__in', ['medical_device', 'medicine', 'other'])), name='product_regulatory_status_is_known'),
        ),
        migrations.AddConstraint(
            model_name='product',
            constraint=models.CheckConstraint(condition=models.Q(('route__in', ['intradermal', 'subcutaneous', 'topical', 'other'])), name='product_route_is_known'),
        ),
    ]
