"""The photos moved out of the recovery app keep their tables and every row: a database migrated from
before the move finds each photo, upload and discarded file after it, linked as they were."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from photos.models import DiscardedFile, Photo, PhotoSource, PhotoUpload, UploadState

BEFORE_THE_MOVE = ("recovery", "0029_heartbeat_to_messaging")
TAKEN = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)


def model_before_the_move(model_name):
    return MigrationLoader(connection).project_state(BEFORE_THE_MOVE).apps.get_model("recovery", model_name)


@pytest.mark.django_db(transaction=True)
def test_the_photos_written_before_the_move_are_read_after_it(session, report, alice):
    staff_report = report(48, redness=1)
    call_command("migrate", *BEFORE_THE_MOVE, verbosity=0)
    own = model_before_the_move("Photo").objects.create(
        session_id=session.pk,
        area="face",
        source="session",
        added_at=TAKEN,
        added_by_id=alice.pk,
        image_name="photos/own.jpg",
        thumbnail_name="photos/own-thumb.jpg",
        width=1600,
        height=1200,
    )
    sent = model_before_the_move("Photo").objects.create(
        session_id=session.pk,
        report_id=staff_report.pk,
        area="neck",
        source="staff",
        added_at=TAKEN,
        added_by_id=alice.pk,
        image_name="photos/sent.jpg",
        thumbnail_name="photos/sent-thumb.jpg",
        width=1200,
        height=1600,
    )
    model_before_the_move("PhotoUpload").objects.create(
        session_id=session.pk,
        report_id=staff_report.pk,
        source="staff",
        area="neck",
        added_by_id=alice.pk,
        name="IMG_4501.jpg",
        state="kept",
        photo_id=sent.pk,
        received_at=TAKEN,
    )
    model_before_the_move("PhotoUpload").objects.create(
        session_id=session.pk, source="patient", name="IMG_4502.jpg", raw_name="raw/4502", received_at=TAKEN
    )
    model_before_the_move("DiscardedFile").objects.create(name="photos/deleted.jpg", discarded_at=TAKEN)

    call_command("migrate", verbosity=0)

    assert {(p.pk, p.session_id, p.report_id, p.area, p.source, p.image_name) for p in Photo.objects.all()} == {
        (own.pk, session.pk, None, "face", PhotoSource.SESSION, "photos/own.jpg"),
        (sent.pk, session.pk, staff_report.pk, "neck", PhotoSource.STAFF, "photos/sent.jpg"),
    }
    uploads = {upload.name: upload for upload in PhotoUpload.objects.all()}
    assert uploads["IMG_4501.jpg"].photo == Photo.objects.get(pk=sent.pk)
    assert uploads["IMG_4501.jpg"].state == UploadState.KEPT
    assert uploads["IMG_4502.jpg"].state == UploadState.PENDING
    assert uploads["IMG_4502.jpg"].raw_name == "raw/4502"
    assert list(DiscardedFile.objects.values_list("storage", "name")) == [("photos", "photos/deleted.jpg")]
    assert [p.pk for p in staff_report.photos.all()] == [sent.pk]
