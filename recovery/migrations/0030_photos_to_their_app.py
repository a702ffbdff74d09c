"""The photos move to their own app: their tables stay where they are (photos.0001 takes them over)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('recovery', '0029_heartbeat_to_messaging'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='DiscardedFile',
                ),
                migrations.RemoveField(
                    model_name='photoupload',
                    name='photo',
                ),
                migrations.RemoveField(
                    model_name='photoupload',
                    name='added_by',
                ),
                migrations.RemoveField(
                    model_name='photoupload',
                    name='report',
                ),
                migrations.RemoveField(
                    model_name='photoupload',
                    name='session',
                ),
                migrations.DeleteModel(
                    name='Photo',
                ),
                migrations.DeleteModel(
                    name='PhotoUpload',
                ),
            ]
        ),
    ]
