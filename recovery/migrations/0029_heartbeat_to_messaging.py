"""The heartbeat moves to the messaging app: its table stays where it is (messaging.0001 takes it over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("recovery", "0028_notification_text_removed")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Heartbeat")]),
    ]
