from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0008_texts_stopped'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalpatient',
            name='sex',
            field=models.CharField(blank=True, choices=[('female', 'Female'), ('male', 'Male'), ('other', 'Other')], max_length=10, verbose_name='sex'),
        ),
        migrations.AddField(
            model_name='patient',
            name='sex',
            field=models.CharField(blank=True, choices=[('female', 'Female'), ('male', 'Male'), ('other', 'Other')], max_length=10, verbose_name='sex'),
        ),
    ]
