"""A patient's photos: sent after the answer, never at its cost, processed by a worker, and the
patient told which arrived and which to send again."""

from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.template.defaultfilters import filesizeformat
from django.test import RequestFactory
from django.test.client import ClientHandler
from PIL import ImageFile

from checkins import services as check_ins
from patients.models import Patient
from photos import images
from photos import tasks as photo_tasks
from photos import uploads as photo_uploads
from photos.models import Photo, PhotoSource, PhotoUpload, UploadState
from recovery.models import ReactionReport, Recovery
from recovery.rules import Status

from .. import images as pictures
from ..conftest import SESSION_AT

AIRWAY = "airway"


def photos_path(check_in) -> str:
    return check_ins.link_path(check_in) + "photos/"


def answer_post(check_in, **fields):
    data = {f"reaction_{t.code}": "0" for t in check_in.session.clinic.reaction_types.all()}
    data.update({f"flag_{q.code}": "no" for q in check_in.session.clinic.red_flag_questions.all()})
    data.update(fields)
    return data


def answer(client, check_in, **fields):
    return client.post(check_ins.link_path(check_in), answer_post(check_in, **fields))


def page(client, check_in) -> str:
    return client.get(check_ins.link_path(check_in)).content.decode()


def raw_uploads() -> list[str]:
    storage = storages["photos"]
    return storage.listdir("uploads")[1] if storage.exists("uploads") else []


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """Send photos from the answered page; the worker's task runs once the request has committed,
    unless `processed=False`, when it is left waiting (a worker busy, or down)."""

    def send(check_in, *, processed=True, **files):
        with django_capture_on_commit_callbacks(execute=processed):
            return client.post(photos_path(check_in), files)

    return send


@pytest.fixture
def answered(client, due_check_in):
    answer(client, due_check_in, reaction_redness="1")
    return due_check_in


# The answer first


def test_the_questions_carry_no_photo_so_the_answer_and_its_advice_come_at_once(client, due_check_in):
    questions = page(client, due_check_in)
    assert 'type="file"' not in questions
    assert "multipart/form-data" not in questions
    assert "Once your answers are sent you can add photos" in questions

    response = answer(client, due_check_in, **{f"flag_{AIRWAY}": "yes"})

    assert response.status_code == 302
    assert ReactionReport.objects.get().red_flag_answers.get(question__code=AIRWAY).present
    advice = page(client, due_check_in)
    # The advice leads the page; photos may be added after it.
    assert advice.index("Call 999 now") < advice.index('id="photos"') < advice.index('name="photos-photo_1"')


def test_photos_posted_with_an_invalid_answer_are_never_decoded(client, due_check_in, monkeypatch):
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda image: decoded.append(image.size))
    files = {f"photos-photo_{n}": pictures.large_png(f"IMG_{n}.png") for n in (1, 2, 3)}

    response = client.post(check_ins.link_path(due_check_in), {**answer_post(due_check_in, flag_fever=""), **files})

    assert response.status_code == 200
    assert "Please check 1 answer" in response.content.decode()
    assert decoded == []
    assert not ReactionReport.objects.exists()
    assert not PhotoUpload.objects.exists()
    assert raw_uploads() == []


def test_photos_sent_with_the_answer_from_an_old_page_are_not_kept_and_the_patient_is_asked_to_add_them(
    client, due_check_in
):
    response = client.post(
        check_ins.link_path(due_check_in),
        {**answer_post(due_check_in, wants_call="on"), "photos-photo_1": pictures.png()},
        follow=True,
    )

    assert ReactionReport.objects.get().wants_call
    assert str(check_ins.PHOTOS_NOT_KEPT) in response.content.decode()
    assert not PhotoUpload.objects.exists()


# Adding photos after the answer


def test_the_patient_adds_photos_after_answering_and_is_told_when_they_arrived(client, answered, send):
    response = send(
        answered,
        processed=False,
        **{"photos-photo_1": pictures.jpeg_with_gps(), "photos-photo_2": pictures.heic(), "photos-area_2": "neck"},
    )

    assert response.status_code == 302
    assert response["Location"] == check_ins.link_path(answered) + "#photos"
    waiting = page(client, answered)
    assert "2 photos are being processed." in waiting
    assert len(raw_uploads()) == 2
    assert not Photo.objects.exists()

    assert [photo_tasks.process_photo_upload(str(pk)) for pk in PhotoUpload.objects.values_list("pk", flat=True)] == [
        "kept",
        "kept",
    ]

    arrived = page(client, answered)
    assert "2 photos sent to the clinic." in arrived
    assert "being processed" not in arrived
    report = answered.session.reports.get()
    assert sorted(Photo.objects.values_list("area", "source", "report")) == [
        ("face", PhotoSource.PATIENT, report.pk),
        ("neck", PhotoSource.PATIENT, report.pk),
    ]
    assert not PhotoUpload.objects.exclude(raw_name="").exists()


def test_a_photo_kept_has_no_location_nor_any_other_metadata(answered, send):
    send(answered, **{"photos-photo_1": pictures.jpeg_with_gps()})

    photo = Photo.objects.get()
    with storages["photos"].open(photo.image_name, "rb") as stored:
        kept = stored.read()
    image = pictures.opened(kept)
    assert dict(image.getexif()) == {}
    assert b"Apple" not in kept
    assert b"Acacia" not in kept
    assert "icc_profile" not in image.info
    # Turned upright as the camera was held.
    assert image.size == (300, 400)
    assert raw_uploads() == []


def test_a_photo_the_worker_refuses_is_named_with_a_reason_and_can_be_sent_again(client, answered, send):
    send(answered, **{"photos-photo_1": pictures.truncated_jpeg(), "photos-photo_2": pictures.png()})

    told = page(client, answered)
    assert "1 photo sent to the clinic." in told
    assert f"Photo 1 (IMG_0005.jpg) was not kept: {images.UNREADABLE}" in told
    assert 'name="photos-photo_1"' in told

    send(answered, **{"photos-photo_1": pictures.jpeg_with_gps()})

    assert "2 photos sent to the clinic." in page(client, answered)
    assert Photo.objects.count() == 2
    assert raw_uploads() == []


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(
    ("upload", "reason_code", "reason"),
    [
        (pictures.renamed_text, "not_a_photo", images.NOT_A_PHOTO),
        (pictures.bomb, "too_many_pixels", images.TOO_MANY_PIXELS),
        (lambda: pictures.png("icon.png", size=(64, 64)), "too_small", images.TOO_SMALL),
    ],
    ids=["a text file named .jpg", "a decompression bomb", "an icon"],
)
def test_a_file_refused_from_its_header_is_named_at_once_and_the_others_are_kept(
    client, answered, send, upload, reason_code, reason
):
    send(answered, **{"photos-photo_1": upload(), "photos-photo_2": pictures.png()})

    told = page(client, answered)
    assert f"Photo 1 ({upload().name}) was not kept: {reason}" in told
    assert "1 photo sent to the clinic." in told
    assert list(PhotoUpload.objects.values_list("number", "state", "refusal")) == [
        (1, UploadState.REFUSED, reason_code),
        (2, UploadState.KEPT, ""),
    ]
    assert raw_uploads() == []
    assert answered.session.reports.get().reactions.get(reaction_type__code="redness").severity == 1


def test_a_file_over_the_size_limit_is_refused_without_being_kept_whole(client, answered, send, settings):
    settings.PHOTO_MAX_BYTES = 200_000
    # Larger than a photo may be, not than a form of photos: refused by name.
    large = pictures.noise_jpeg(size=(700, 700))
    assert 200_000 < large.size < 3 * 200_000

    send(answered, **{"photos-photo_1": large})

    refused = PhotoUpload.objects.get()
    assert (refused.state, refused.refusal, refused.raw_name) == (UploadState.REFUSED, "too_large", "")
    assert refused.size > settings.PHOTO_MAX_BYTES
    told = page(client, answered)
    assert f"Photo 1 (large.jpg) was not kept: This photo is {filesizeformat(refused.size)}, more than the " in told
    assert "195.3\xa0KB we accept: take it again with the camera button" in told
    assert raw_uploads() == []


def test_the_photos_of_one_send_may_decode_to_no_more_than_the_request_limit(client, answered, send, settings):
    # Each 320 x 240 (76,800 pixels): two are over the limit together.
    settings.PHOTO_MAX_PIXELS_PER_REQUEST = 150_000

    send(answered, **{"photos-photo_1": pictures.png("one.png"), "photos-photo_2": pictures.png("two.png")})

    told = page(client, answered)
    assert "1 photo sent to the clinic." in told
    assert "Photo 2 (two.png) was not kept: Together with the photos before it" in told
    assert list(PhotoUpload.objects.values_list("name", "state")) == [
        ("one.png", UploadState.KEPT),
        ("two.png", UploadState.REFUSED),
    ]


def test_a_body_larger_than_a_form_of_photos_is_refused_before_any_of_it_is_read(due_check_in, settings):
    class Unread:
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    # Any page, the check-in's own included: no form of ours takes more.
    request = RequestFactory().post(check_ins.link_path(due_check_in), {"photos-photo_1": pictures.png()})
    environ = {
        **request.environ,
        "wsgi.input": Unread(),
        "CONTENT_LENGTH": str(3 * settings.PHOTO_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
    }
    # As the test client serves a request, with the environ as a server would hand it over.
    response = ClientHandler()(environ)

    assert response.status_code == 413
    body = response.content
    assert "We take up to 3 photos at a time, each of up to 15.0\xa0MB." in body.decode()
    assert not ReactionReport.objects.exists()


# When photos may be sent


def test_photos_are_taken_only_once_the_check_in_is_answered(client, due_check_in, send):
    response = send(due_check_in, **{"photos-photo_1": pictures.png()})

    assert response["Location"] == check_ins.link_path(due_check_in)
    assert not PhotoUpload.objects.exists()


def test_photos_are_not_taken_after_the_link_has_closed(client, answered, send, time_machine):
    time_machine.move_to(SESSION_AT + timedelta(days=5), tick=False)

    response = send(answered, **{"photos-photo_1": pictures.png()})

    assert "This check-in has closed" in response.content.decode()
    assert not PhotoUpload.objects.exists()


def test_a_patient_who_withdrew_consent_is_offered_no_photo_and_none_sent_is_kept(client, answered, send):
    Patient.objects.filter(pk=answered.session.patient_id).update(consents_to_photos=False, photo_consent_on=None)
    assert 'name="photos-photo_1"' not in page(client, answered)

    send(answered, **{"photos-photo_1": pictures.png()})

    assert str(photo_uploads.NO_PHOTOS_FROM_THIS_LINK) in page(client, answered)
    assert not PhotoUpload.objects.exists()
    assert raw_uploads() == []


def test_a_photo_received_before_consent_was_withdrawn_is_not_kept(client, answered, send):
    send(answered, processed=False, **{"photos-photo_1": pictures.png()})
    Patient.objects.filter(pk=answered.session.patient_id).update(consents_to_photos=False, photo_consent_on=None)

    assert photo_tasks.process_photo_upload(str(PhotoUpload.objects.get().pk)) == UploadState.REFUSED

    assert f"Photo 1 (screenshot.png) was not kept: {photo_uploads.CONSENT_WITHDRAWN}" in page(client, answered)
    assert not Photo.objects.exists()


def test_a_report_takes_a_bounded_number_of_photos(client, answered, send, monkeypatch):
    monkeypatch.setattr(photo_uploads, "PHOTOS_PER_REPORT", 2)
    send(answered, **{"photos-photo_1": pictures.png(), "photos-photo_2": pictures.png()})

    send(answered, **{"photos-photo_1": pictures.png()})

    told = page(client, answered)
    assert "The clinic already has 2 photos with this answer" in told
    assert 'name="photos-photo_1"' not in told
    assert Photo.objects.count() == 2


# Posts to one link


def test_posts_to_one_link_are_limited_and_a_first_answer_is_stored_all_the_same(
    client, due_check_in, send, settings, time_machine
):
    settings.CHECK_IN_POST_RATE = "3/h"
    for _ in range(3):
        assert answer(client, due_check_in, flag_fever="").status_code == 200

    refused = answer(client, due_check_in, flag_fever="")
    assert refused.status_code == 429
    assert "Please wait a little" in refused.content.decode()

    stored = answer(client, due_check_in, **{f"flag_{AIRWAY}": "yes"}, wants_call="on")
    assert stored.status_code == 302
    report = ReactionReport.objects.get()
    assert report.wants_call
    assert report.red_flag_answers.get(question__code=AIRWAY).present

    refused = send(due_check_in, **{"photos-photo_1": pictures.png()})
    assert refused.status_code == 429
    assert "Your answers are with the clinic." in refused.content.decode()
    assert not PhotoUpload.objects.exists()

    time_machine.move_to(SESSION_AT + timedelta(days=1, hours=2, minutes=1), tick=False)
    assert send(due_check_in, **{"photos-photo_1": pictures.png()}).status_code == 302
    assert Photo.objects.count() == 1


def test_the_limit_is_per_link(client, due_check_in, settings):
    settings.CHECK_IN_POST_RATE = "1/h"
    other = due_check_in.session.check_ins.order_by("due_at")[1]
    answer(client, due_check_in, flag_fever="")

    assert answer(client, due_check_in, flag_fever="").status_code == 429
    assert answer(client, other, flag_fever="").status_code == 200


# A worker that dies


def test_a_worker_killed_while_decoding_loses_no_answer_and_the_photo_is_processed_again(
    client, due_check_in, send, monkeypatch, time_machine, django_capture_on_commit_callbacks
):
    answer(client, due_check_in, **{f"flag_{AIRWAY}": "yes"}, wants_call="on")
    send(due_check_in, processed=False, **{"photos-photo_1": pictures.jpeg_with_gps()})
    upload = PhotoUpload.objects.get()

    def killed(upload):
        raise SystemExit("the worker's memory ran out")

    monkeypatch.setattr(images, "safe_image", killed)
    with pytest.raises(SystemExit):
        photo_tasks.process_photo_upload(str(upload.pk))

    report = ReactionReport.objects.get()
    assert report.wants_call
    assert report.red_flag_answers.get(question__code=AIRWAY).present
    assert Recovery.objects.get(session=report.session).status_at() == Status.NEEDS_ATTENTION
    upload.refresh_from_db()
    assert (upload.state, upload.attempts) == (UploadState.PENDING, 1)
    assert raw_uploads() == [upload.raw_name.split("/")[1]]
    assert "Call 999 now" in page(client, due_check_in)
    assert "1 photo is being processed." in page(client, due_check_in)

    monkeypatch.undo()
    # Before the lease lapses the photo is the dead worker's; after it, the relay takes it again.
    assert photo_tasks.relay_photo_uploads() == 0
    time_machine.shift(timedelta(minutes=6))
    with django_capture_on_commit_callbacks(execute=True):
        assert photo_tasks.relay_photo_uploads() == 1

    assert "1 photo sent to the clinic." in page(client, due_check_in)
    assert Photo.objects.get().report == report
    assert raw_uploads() == []


def test_a_photo_that_keeps_killing_its_worker_is_refused_after_a_few_tries(
    client, answered, send, monkeypatch, time_machine, django_capture_on_commit_callbacks
):
    send(answered, processed=False, **{"photos-photo_1": pictures.png()})
    upload = PhotoUpload.objects.get()

    def killed(upload):
        raise SystemExit

    monkeypatch.setattr(images, "safe_image", killed)
    for _ in range(photo_uploads.MAX_ATTEMPTS):
        with pytest.raises(SystemExit):
            photo_tasks.process_photo_upload(str(upload.pk))
        time_machine.shift(timedelta(minutes=6))

    with django_capture_on_commit_callbacks(execute=True):
        assert photo_tasks.process_photo_upload(str(upload.pk)) == UploadState.REFUSED

    assert f"Photo 1 (screenshot.png) was not kept: {photo_uploads.NOT_PROCESSED}" in page(client, answered)
    assert raw_uploads() == []


def test_a_photo_taken_by_another_worker_is_processed_once(answered, send):
    send(answered, **{"photos-photo_1": pictures.png()})

    assert photo_tasks.process_photo_upload(str(PhotoUpload.objects.get().pk)) is None
    assert Photo.objects.count() == 1
