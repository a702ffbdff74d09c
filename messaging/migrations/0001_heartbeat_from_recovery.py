"""The heartbeat, taken over from the recovery app with its table and its rows: no table is created."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("recovery", "0029_heartbeat_to_messaging")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Heartbeat",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=40, unique=True)),
                        ("beat_at", models.DateTimeField()),
                    ],
                    options={"db_table": "recovery_heartbeat"},
                ),
            ]
        ),
    ]
