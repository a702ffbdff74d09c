"""Models that moved out of the recovery app keep their tables and every row: a database migrated from
before the move finds each row after it."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from messaging.models import Heartbeat

BEFORE_THE_MOVE = ("recovery", "0028_notification_text_removed")


def model_before_the_move(model_name):
    return MigrationLoader(connection).project_state(BEFORE_THE_MOVE).apps.get_model("recovery", model_name)


@pytest.mark.django_db(transaction=True)
def test_the_heartbeats_written_before_the_move_are_read_after_it():
    call_command("migrate", *BEFORE_THE_MOVE, verbosity=0)
    beats = {
        "beat": datetime(2026, 12, 1, 10, 0, tzinfo=UTC),
        "mail-answered": datetime(2026, 12, 1, 10, 1, tzinfo=UTC),
    }
    for name, beat_at in beats.items():
        model_before_the_move("Heartbeat").objects.create(name=name, beat_at=beat_at)

    call_command("migrate", verbosity=0)

    assert dict(Heartbeat.objects.values_list("name", "beat_at")) == beats
