import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from checkins import services as check_ins
from photos.models import Photo, PhotoSource, PhotoUpload
from recovery.models import CheckIn, CheckInStatus

from ..factories import PASSWORD, PatientFactory, TreatmentSessionFactory
from ..images import jpeg_with_gps, noise_jpeg, png, truncated_jpeg
from .conftest import SCREENSHOTS, calendar_days_ago, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 820, "height": 1180}


@pytest.fixture
def sent_check_in(harbour, alice):
    """Hannah, who consents to photos, treated on the face and neck yesterday; her first check-in is out."""
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour", consents_to_photos=True),
        practitioner=alice,
        performed_at=calendar_days_ago(1),
        areas=["face", "neck"],
    )
    return CheckIn.objects.create(
        session=session,
        due_at=timezone.now() - timedelta(hours=1),
        status=CheckInStatus.SENT,
        sent_at=timezone.now() - timedelta(hours=1),
    )


def written(upload, folder):
    path = folder / upload.name
    path.write_bytes(upload.read())
    return path


def test_a_patient_sends_a_photo_from_a_phone_and_the_practitioner_sees_it_beside_the_baseline(
    page, phone, sent_check_in, tmp_path
):
    session = sent_check_in.session
    page.set_viewport_size(TABLET)
    log_in(page, "alice", PASSWORD)
    page.goto(session.get_absolute_url())
    page.get_by_role("link", name="Add photos of the session").click()
    page.get_by_label("Photo 1", exact=True).set_input_files(written(png("face-at-session.png"), tmp_path))
    page.get_by_label("Area shown in photo 1").select_option(label="Face")
    page.screenshot(path=SCREENSHOTS / "photos-add-tablet.png", full_page=True)
    page.get_by_role("button", name="Add the photos").click()
    expect(page.get_by_test_id("session-photos").get_by_role("img")).to_have_count(1)

    phone.goto(check_ins.link_path(sent_check_in))
    expect(phone.locator('input[type="file"]')).to_have_count(0)
    for no in phone.locator(".border-danger-subtle label", has_text="No").all():
        no.click()
    phone.get_by_role("group", name="Redness or pinkness of the skin").get_by_text("Mild").click()
    phone.get_by_role("button", name="Send my answers").click()
    # The advice first, at once; photos only after it.
    expect(phone.get_by_test_id("advice")).to_contain_text("Thank you, we have your answers")
    photos = phone.get_by_test_id("photos")
    photos.get_by_label("Photo 1", exact=True).set_input_files(written(jpeg_with_gps("IMG_4501.jpg"), tmp_path))
    photos.get_by_label("Area shown in photo 1").select_option(label="Face")
    photos.get_by_label("Photo 2", exact=True).set_input_files(written(truncated_jpeg("IMG_4502.jpg"), tmp_path))
    phone.screenshot(path=SCREENSHOTS / "check-in-photo-phone.png", full_page=True)
    photos.get_by_role("button", name="Send the photos").click()
    status = phone.get_by_test_id("photo-status")
    expect(status).to_contain_text("1 photo sent to the clinic.")
    expect(status).to_contain_text("Photo 2 (IMG_4502.jpg) was not kept: This photo could not be read completely")
    phone.screenshot(path=SCREENSHOTS / "check-in-photos-arrived-phone.png", full_page=True)
    # The refused one, taken again and sent from the same page.
    photos.get_by_label("Photo 1", exact=True).set_input_files(written(jpeg_with_gps("IMG_4503.jpg"), tmp_path))
    photos.get_by_role("button", name="Send the photos").click()
    expect(status).to_contain_text("2 photos sent to the clinic.")
    assert [photo.area for photo in Photo.objects.filter(source=PhotoSource.PATIENT)] == ["face", "face"]

    page.goto(session.get_absolute_url())
    report_photo = page.get_by_test_id("report-photos").get_by_role("img")
    expect(report_photo).to_have_count(2)
    page.screenshot(path=SCREENSHOTS / "photos-session-tablet.png", full_page=True)
    page.get_by_role("link", name="Compare day by day").click()
    strip = page.get_by_test_id("compare-strip")
    expect(strip.get_by_role("heading")).to_have_text([_day("Day of the session"), _day("Day 1")])
    images = strip.get_by_role("img")
    expect(images).to_have_count(3)
    # Every picture really arrived from the app's private view, not just its tag.
    for index in range(3):
        images.nth(index).scroll_into_view_if_needed()
        page.wait_for_function(
            "image => image.complete && image.naturalWidth > 0", arg=images.nth(index).element_handle()
        )
    page.screenshot(path=SCREENSHOTS / "photos-compare-tablet.png", full_page=True)


def _day(label):
    """A column's heading: its day, then its date."""
    return re.compile(rf"^{re.escape(label)} ·")


def test_a_photo_too_large_is_named_as_it_is_chosen_and_never_sent(phone, sent_check_in, settings, tmp_path):
    settings.PHOTO_MAX_BYTES = 200_000
    phone.goto(check_ins.link_path(sent_check_in))
    for no in phone.locator(".border-danger-subtle label", has_text="No").all():
        no.click()
    phone.get_by_role("button", name="Send my answers").click()
    photos = phone.get_by_test_id("photos")

    photos.get_by_label("Photo 1", exact=True).set_input_files(written(noise_jpeg("IMG_4600.jpg"), tmp_path))

    expect(photos).to_contain_text(
        "IMG_4600.jpg is larger than the 195.3\xa0KB we accept: take it again with the camera button"
    )
    expect(photos.get_by_label("Photo 1", exact=True)).to_have_value("")
    photos.get_by_role("button", name="Send the photos").click()
    expect(photos).to_contain_text("Choose a photo to send.")
    assert not PhotoUpload.objects.exists()
