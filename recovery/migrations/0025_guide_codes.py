import messaging.channels
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('recovery', '0024_reaching_patients'),
    ]

    # Messages already written keep no code: their sessions' messages go on carrying the long link
    # they were first sent with. Messages written from now on draw a code each.
    operations = [
        migrations.AddField(
            model_name='guidemessage',
            name='code',
            field=models.CharField(editable=False, max_length=16, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name='guidemessage',
            name='code',
            field=models.CharField(default=messaging.channels.new_code, editable=False, max_length=16, null=True, unique=True),
        ),
    ]
