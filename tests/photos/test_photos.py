"""Photos: taken at the session, sent with a check-in or a staff report, kept private, compared, deleted."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.test import RequestFactory
from django.urls import reverse

from checkins import services as check_ins
from clinic.uploads import OversizedUpload
from photos import images
from photos import services as photo_services
from photos import tasks as photo_tasks
from photos import uploads as photo_uploads
from photos.models import DiscardedFile, Photo, PhotoSource, PhotoUpload, UploadState
from recovery.models import ReactionReport
from recovery.rules import Severity
from trail.models import RecordView, Removal

from .. import images as pictures
from ..conftest import SESSION_AT
from ..factories import PatientFactory, TreatmentSessionFactory
from ..recovery.test_recovery_pages import report_post


def at(days=0, hours=0):
    return SESSION_AT + timedelta(days=days, hours=hours)


def stored_files() -> list[str]:
    storage = storages["photos"]
    folders, _files = storage.listdir("")
    return sorted(name for folder in folders for name in storage.listdir(folder)[1])


def read(name: str) -> bytes:
    with storages["photos"].open(name, "rb") as stored:
        return stored.read()


@pytest.fixture
def session(photo_session):
    return photo_session


def answer_post(check_in, **fields):
    data = {f"reaction_{t.code}": "0" for t in check_in.session.clinic.reaction_types.all()}
    data.update({f"flag_{q.code}": "no" for q in check_in.session.clinic.red_flag_questions.all()})
    data.update(fields)
    return data


@pytest.fixture
def patient_sends(client, django_capture_on_commit_callbacks):
    """The patient answers the check-in, then sends these photos from the answered page."""

    def sends(check_in, **files):
        client.post(check_ins.link_path(check_in), answer_post(check_in))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(check_ins.link_path(check_in) + "photos/", files)

    return sends


def page_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Safe images


def test_the_upload_handler_passes_on_no_more_of_a_file_than_the_limit(settings):
    settings.PHOTO_MAX_BYTES = 100_000
    # Parsed with the handlers the app is configured with, as every request is.
    request = RequestFactory().post("/", {"photos-photo_1": pictures.noise_jpeg(), "note": "kept"})

    upload = request.FILES["photos-photo_1"]

    assert isinstance(upload, OversizedUpload)
    assert upload.size > settings.PHOTO_MAX_BYTES
    assert upload.read() == b""
    assert request.POST["note"] == "kept"


def test_a_picture_of_more_pixels_than_the_limit_is_refused_before_it_is_decoded(settings):
    settings.PHOTO_MAX_PIXELS = 100_000

    with pytest.raises(ValidationError) as refused:
        images.safe_image(pictures.png(size=(400, 300)))

    assert refused.value.messages == [str(images.TOO_MANY_PIXELS)]
    assert images.safe_image(pictures.png(size=(320, 240))).width == 320


# Consent


def test_a_staff_report_is_kept_when_its_photo_is_refused(client_for, alice, session, time_machine):
    time_machine.move_to(at(days=2), tick=False)

    response = client_for(alice).post(
        reverse("photos:report_create", args=[session.pk]),
        {**report_post(session, 47, note="Patient e-mailed a screenshot."), "photos-photo_1": pictures.renamed_text()},
        follow=True,
    )

    assert ReactionReport.objects.get().note == "Patient e-mailed a screenshot."
    assert not Photo.objects.exists()
    assert page_messages(response) == [
        "Report recorded.",
        f"Photo 1 (IMG_0003.jpg) was not kept: {images.NOT_A_PHOTO}",
    ]


def test_staff_cannot_add_photos_for_a_patient_without_consent(client_for, alice, session):
    patient = session.patient
    patient.consents_to_photos, patient.photo_consent_on = False, None
    patient.save()

    response = client_for(alice).post(
        reverse("photos:photo_add", args=[session.pk]), {"photos-photo_1": pictures.png()}
    )

    assert response.status_code == 200
    assert "has not consented to photos" in response.content.decode()
    assert not Photo.objects.exists()
    assert stored_files() == []


def test_ticking_consent_to_photos_dates_it_and_unticking_clears_it(client_for, alice, harbour, time_machine):
    time_machine.move_to(at(days=3), tick=False)
    patient = PatientFactory(clinic=harbour, first_name="Ines", last_name="Moreau")
    client = client_for(alice)
    form = {
        "clinic": harbour.pk,
        "first_name": "Ines",
        "last_name": "Moreau",
        "date_of_birth": "1990-04-01",
        "email": patient.email,
        "phone": "+447400123456",
        "consents_to_check_ins": "on",
    }

    client.post(reverse("patients:edit", args=[patient.pk]), {**form, "consents_to_photos": "on"})
    patient.refresh_from_db()
    assert (patient.consents_to_photos, patient.photo_consent_on) == (True, at(days=3).date())
    page = client.get(patient.get_absolute_url()).content.decode()
    assert "Consented on 5 March 2026" in page

    client.post(reverse("patients:edit", args=[patient.pk]), form)
    patient.refresh_from_db()
    assert (patient.consents_to_photos, patient.photo_consent_on) == (False, None)


# The session's own photos and staff reports


def test_the_practitioner_adds_the_session_photos_by_area_from_the_session_page(client_for, alice, session):
    client = client_for(alice)
    page = client.get(reverse("photos:photo_add", args=[session.pk])).content.decode()
    assert 'capture="environment"' in page
    assert 'accept="image/*,.heic,.heif"' in page

    response = client.post(
        reverse("photos:photo_add", args=[session.pk]),
        {
            "photos-photo_1": pictures.jpeg_with_gps(),
            "photos-area_1": "face",
            "photos-photo_2": pictures.heic(),
            "photos-area_2": "neck",
        },
    )

    assert response.status_code == 302
    assert sorted(Photo.objects.values_list("area", "source", "added_by")) == [
        ("face", "session", alice.pk),
        ("neck", "session", alice.pk),
    ]
    page = client.get(session.get_absolute_url()).content.decode()
    assert page.count('data-testid="session-photos"') == 1
    for photo in Photo.objects.all():
        assert reverse("photos:photo_thumbnail", args=[photo.pk]) in page


def test_a_photo_of_an_area_the_session_did_not_treat_is_kept(client_for, alice, session):
    client = client_for(alice)
    form = client.get(reverse("photos:photo_add", args=[session.pk])).content.decode()
    assert 'value="scalp"' in form

    response = client.post(
        reverse("photos:photo_add", args=[session.pk]), {"photos-photo_1": pictures.png(), "photos-area_1": "scalp"}
    )

    assert response.status_code == 302
    assert list(Photo.objects.values_list("area", flat=True)) == ["scalp"]


def test_a_photo_of_an_area_not_in_the_list_is_refused(client_for, alice, session):
    response = client_for(alice).post(
        reverse("photos:photo_add", args=[session.pk]), {"photos-photo_1": pictures.png(), "photos-area_1": "elbow"}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Photo.objects.exists()
    assert stored_files() == []


def test_a_photo_refused_once_for_an_area_not_treated_still_says_why(session):
    refused = PhotoUpload(session=session, state=UploadState.REFUSED, refusal="area_not_treated")

    assert photo_uploads.refusal_text(refused) == "Choose one of the areas treated in this session."


def test_staff_attach_photos_to_a_report_they_log(client_for, alice, session, time_machine):
    time_machine.move_to(at(days=2), tick=False)

    response = client_for(alice).post(
        reverse("photos:report_create", args=[session.pk]),
        {
            **report_post(session, 47, redness=(Severity.MILD, None, ["face"])),
            "photos-photo_1": pictures.jpeg_with_gps(),
            "photos-area_1": "face",
        },
    )

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.source, photo.added_by, photo.report) == (PhotoSource.STAFF, alice, ReactionReport.objects.get())
    page = client_for(alice).get(session.get_absolute_url()).content.decode()
    assert 'data-testid="report-photos"' in page


def test_a_report_refused_by_the_rules_leaves_no_photo_file_behind(alice, session, time_machine):
    time_machine.move_to(at(days=1), tick=False)

    with pytest.raises(ValidationError, match="future"):
        photo_uploads.staff_report_create(
            session=session,
            reported_at=at(days=5),
            reactions=[],
            red_flags_present=[],
            red_flags_asked=[],
            wants_call=False,
            received=[photo_uploads.Received(number=1, file=pictures.png(), area="face")],
            recorded_by=alice,
        )

    assert not ReactionReport.objects.exists()
    assert not PhotoUpload.objects.exists()
    assert stored_files() == []


def test_a_staff_report_is_stored_before_its_photos_are_decoded_and_a_request_killed_decoding_loses_neither(
    client_for, alice, session, monkeypatch, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(at(days=2), tick=False)

    def killed(upload):
        raise SystemExit("the web worker timed out")

    monkeypatch.setattr(images, "safe_image", killed)
    with pytest.raises(SystemExit):
        client_for(alice).post(
            reverse("photos:report_create", args=[session.pk]),
            {**report_post(session, 47, wants_call=True), "photos-photo_1": pictures.jpeg_with_gps()},
        )

    report = ReactionReport.objects.get()
    assert report.wants_call
    assert PhotoUpload.objects.get().state == UploadState.PENDING
    page = client_for(alice).get(session.get_absolute_url()).content.decode()
    assert "1 photo is being processed: it appears here in a moment." in page

    monkeypatch.undo()
    time_machine.shift(timedelta(minutes=6))
    with django_capture_on_commit_callbacks(execute=True):
        assert photo_tasks.relay_photo_uploads() == 1

    assert Photo.objects.get().report == report
    assert len(stored_files()) == 2


# Private storage


def test_a_photo_is_served_to_its_clinic_privately_and_each_opening_is_in_the_trail(client_for, alice, session):
    photo_services.session_photos_add(
        session=session,
        entries=[photo_services.PhotoEntry(image=images.safe_image(pictures.png()), area="face")],
        added_by=alice,
    )
    photo = Photo.objects.get()
    client = client_for(alice)

    full = client.get(reverse("photos:photo", args=[photo.pk]))
    thumbnail = client.get(reverse("photos:photo_thumbnail", args=[photo.pk]))

    for response in (full, thumbnail):
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(full.streaming_content) == read(photo.image_name)
    assert b"".join(thumbnail.streaming_content) == read(photo.thumbnail_name)
    # Opening the photo is in the trail; its thumbnail only ever shows on a page that is.
    assert list(RecordView.objects.filter(user=alice).values_list("path", "patient")) == [
        (reverse("photos:photo", args=[photo.pk]), session.patient_id)
    ]


def test_another_clinic_gets_404_and_a_visitor_is_sent_to_log_in(client, client_for, alice, bob, session):
    photo_services.session_photos_add(
        session=session,
        entries=[photo_services.PhotoEntry(image=images.safe_image(pictures.png()), area="face")],
        added_by=alice,
    )
    photo = Photo.objects.get()
    urls = [
        reverse("photos:photo", args=[photo.pk]),
        reverse("photos:photo_thumbnail", args=[photo.pk]),
        reverse("photos:photo_delete", args=[photo.pk]),
        reverse("photos:photo_compare", args=[session.pk]),
        reverse("photos:photo_add", args=[session.pk]),
    ]

    for url in urls:
        assert client.get(url).status_code == 302
        assert client.get(url)["Location"].startswith(reverse("login"))
    bob_client = client_for(bob)
    for url in urls:
        assert bob_client.get(url).status_code == 404
    assert bob_client.post(urls[2], {"reason": "mine now"}).status_code == 404
    assert Photo.objects.count() == 1
    assert not RecordView.objects.filter(user=bob).exists()


def test_photos_are_written_to_a_folder_of_their_own_that_no_url_reaches():
    from clinic import settings as configured

    folder = Path(str(configured.STORAGES["photos"]["OPTIONS"]["location"]))
    assert configured.STORAGES["photos"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert folder == configured.BASE_DIR / "var" / "photos"
    for served in (configured.STATIC_ROOT, *configured.STATICFILES_DIRS, configured.MEDIA_ROOT):
        assert not folder.is_relative_to(Path(str(served)))
    assert configured.STORAGES["photos"]["OPTIONS"]["file_permissions_mode"] == 0o600


# Compare


def test_compare_lays_the_session_photo_beside_each_later_day_for_one_area(
    client_for, alice, session, due_check_in, patient_sends, time_machine
):
    time_machine.move_to(at(hours=1), tick=False)
    photo_services.session_photos_add(
        session=session,
        entries=[
            photo_services.PhotoEntry(image=images.safe_image(pictures.png()), area="face"),
            photo_services.PhotoEntry(image=images.safe_image(pictures.png()), area="neck"),
        ],
        added_by=alice,
    )
    time_machine.move_to(at(days=1, hours=2), tick=False)
    patient_sends(due_check_in, **{"photos-photo_1": pictures.heic(), "photos-area_1": "face"})
    time_machine.move_to(at(days=7), tick=False)
    client_for(alice).post(
        reverse("photos:report_create", args=[session.pk]),
        {**report_post(session, 24 * 6), "photos-photo_1": pictures.png(), "photos-area_1": "face"},
    )

    with_queries = client_for(alice)
    response = with_queries.get(reverse("photos:photo_compare", args=[session.pk]), {"area": "face"})

    days = response.context["days"]
    assert [(day.day, len(day.photos)) for day in days] == [(0, 1), (1, 1), (6, 1)]
    assert [day.photos[0].source for day in days] == ["session", "patient", "staff"]
    page = response.content.decode()
    for label in ("Day of the session", "Day 1", "Day 6"):
        assert label in page
    assert [code for code, _label in response.context["areas"]] == ["face", "neck"]
    neck = with_queries.get(reverse("photos:photo_compare", args=[session.pk]), {"area": "neck"}).context["days"]
    assert [(day.day, len(day.photos)) for day in neck] == [(0, 1)]
    assert with_queries.get(reverse("photos:photo_compare", args=[session.pk]), {"area": "scalp"}).status_code == 404


def test_the_session_page_reads_its_photos_in_a_bounded_number_of_queries(
    client_for, alice, session, due_check_in, patient_sends, django_assert_max_num_queries
):
    entries = [photo_services.PhotoEntry(image=images.safe_image(pictures.png()), area="face") for _ in range(3)]
    photo_services.session_photos_add(session=session, entries=entries, added_by=alice)
    patient_sends(due_check_in, **{"photos-photo_1": pictures.png(), "photos-photo_2": pictures.png()})
    staff = client_for(alice)
    staff.get(session.get_absolute_url())

    # One more than a session without photos (test_recovery_pages), the photos still being processed
    # counted, whatever the number of photos.
    with django_assert_max_num_queries(21):
        page = staff.get(session.get_absolute_url())

    # Each in the gallery, and again beside its area's part of the chart.
    assert page.content.decode().count('class="photo-thumb"') == 2 * 5


# Retention


def test_a_manager_deletes_a_photo_with_a_reason_and_its_files_leave_storage(
    client_for, mary, alice, session, django_capture_on_commit_callbacks
):
    photo_services.session_photos_add(
        session=session,
        entries=[photo_services.PhotoEntry(image=images.safe_image(pictures.png()), area="face")],
        added_by=alice,
    )
    photo = Photo.objects.get()
    client = client_for(mary)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("photos:photo_delete", args=[photo.pk]), {"reason": "Taken of the wrong side."})

    assert response.status_code == 302
    assert not Photo.objects.exists()
    assert stored_files() == []
    assert not DiscardedFile.objects.exists()
    removal = Removal.objects.get()
    assert (removal.removed_by, removal.clinic, removal.session_id, removal.reason) == (
        mary,
        session.clinic,
        session.pk,
        "Taken of the wrong side.",
    )
    assert removal.what.startswith("Photo of the face added 2 March 2026")
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Taken of the wrong side." in page


def test_a_photo_is_not_deleted_without_a_reason_nor_by_a_practitioner(client_for, alice, mary, session):
    photo_services.session_photos_add(
        session=session,
        entries=[photo_services.PhotoEntry(image=images.safe_image(pictures.png()), area="face")],
        added_by=alice,
    )
    photo = Photo.objects.get()
    files = stored_files()

    assert client_for(alice).post(reverse("photos:photo_delete", args=[photo.pk]), {"reason": "x"}).status_code == 403
    response = client_for(mary).post(reverse("photos:photo_delete", args=[photo.pk]), {"reason": "  "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Photo.objects.count() == 1
    assert stored_files() == files
    assert not Removal.objects.exists()


def test_a_file_the_storage_could_not_remove_is_removed_by_a_later_relay(
    alice, mary, session, monkeypatch, time_machine, django_capture_on_commit_callbacks
):
    photo_services.session_photos_add(
        session=session,
        entries=[photo_services.PhotoEntry(image=images.safe_image(pictures.png()), area="face")],
        added_by=alice,
    )
    storage_class = type(storages["photos"])
    real_delete = storage_class.delete

    def storage_down(self, name):
        raise OSError("storage unavailable")

    monkeypatch.setattr(storage_class, "delete", storage_down)
    with django_capture_on_commit_callbacks(execute=True):
        photo_services.photo_delete(photo=Photo.objects.get(), deleted_by=mary, reason="Duplicate.")

    assert DiscardedFile.objects.count() == 2
    assert len(stored_files()) == 2

    monkeypatch.setattr(storage_class, "delete", real_delete)
    time_machine.move_to(at(hours=1), tick=False)
    assert photo_tasks.relay_discarded_files() == 2

    assert not DiscardedFile.objects.exists()
    assert stored_files() == []


def test_a_photo_deleted_twice_is_in_the_trail_once(alice, mary, grace, session):
    photo_services.session_photos_add(
        session=session,
        entries=[photo_services.PhotoEntry(image=images.safe_image(pictures.png()), area="face")],
        added_by=alice,
    )
    seen_by_both = Photo.objects.select_related("session").get()
    photo_services.photo_delete(photo=seen_by_both, deleted_by=mary, reason="Wrong patient.")

    with pytest.raises(ValidationError, match="already been deleted"):
        photo_services.photo_delete(photo=seen_by_both, deleted_by=grace, reason="Blurred.")

    assert list(Removal.objects.values_list("reason", flat=True)) == ["Wrong patient."]


def test_a_manager_sees_in_the_admin_what_became_of_her_clinics_photos_and_no_other_clinics(
    client_for, mary, photo_session, riverside_patient
):
    PhotoUpload.objects.create(
        session=photo_session,
        source=PhotoSource.PATIENT,
        name="IMG_4501.jpg",
        state=UploadState.REFUSED,
        refusal="not_a_photo",
    )
    elsewhere = TreatmentSessionFactory(patient=riverside_patient)
    PhotoUpload.objects.create(session=elsewhere, source=PhotoSource.PATIENT, name="IMG_9999.jpg", raw_name="raw/9999")

    page = client_for(mary).get(reverse("admin:photos_photoupload_changelist")).content.decode()

    assert "IMG_4501.jpg" in page
    assert "IMG_9999.jpg" not in page
