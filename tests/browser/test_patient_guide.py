import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from checkins import guides
from recovery import schedule
from recovery.models import GuideMessage, GuideStatus
from treatments.models import Aftercare, Area

from ..factories import PatientFactory, TreatmentSessionFactory
from .conftest import PHONE, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each page of a PDF is one object of type /Page (its tree's nodes are /Pages).
PDF_PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")


@pytest.fixture
def guide_link(harbour, alice):
    """Hannah's guide, sent as her session of two hours ago was logged: every aftercare advice
    ticked and three areas, the longest guide the default catalogue makes."""
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour"),
        practitioner=alice,
        performed_at=timezone.now() - timedelta(hours=2),
        areas=[Area.FACE, Area.NECK, Area.DECOLLETAGE],
        aftercare=list(Aftercare.values),
    )
    schedule.check_ins_plan(session=session)
    went_out = timezone.now() - timedelta(hours=1)
    GuideMessage.objects.create(
        session=session, status=GuideStatus.SENT, emailed_at=went_out, texted_at=went_out, sent_at=went_out
    )
    return guides.link_path(session)


def test_patient_reads_the_guide_on_a_phone_and_it_prints_on_one_page(phone, guide_link):
    # The browser's print dialog, which a headless browser cannot show, stood in for.
    phone.add_init_script("window.print = () => { window.printAsked = true; };")
    phone.goto(guide_link)

    expect(phone.get_by_role("heading", name="Your recovery guide")).to_be_visible()
    expect(phone.get_by_test_id("guide-areas")).to_have_text("décolletage, face, neck")
    for section in [
        "What is normal, and for how long",
        "When to call at once",
        "Your aftercare",
        "Your check-ins",
        "Numbers to keep",
    ]:
        expect(phone.get_by_role("heading", name=section)).to_be_visible()
    expect(phone.get_by_test_id("guide-normal")).to_contain_text("Small bruises or tiny dots where the needle went in")
    expect(phone.get_by_test_id("guide-normal")).to_contain_text("usually gone within 10 days")
    expect(phone.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    expect(phone.get_by_role("link", name="Call +44 20 7946 0101")).to_have_attribute("href", "tel:+44 20 7946 0101")
    expect(phone.get_by_test_id("guide-check-ins").get_by_role("listitem")).to_have_count(5)
    # Readable on a phone: nothing runs off the side of the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=SCREENSHOTS / "guide-phone.png", full_page=True)
    phone.get_by_role("button", name="Print this guide").click()
    assert phone.evaluate("window.printAsked") is True

    phone.emulate_media(media="print")
    expect(phone.get_by_role("button", name="Print this guide")).to_be_hidden()
    expect(phone.get_by_role("link", name="Call 999")).to_be_hidden()
    pdf = phone.pdf(prefer_css_page_size=True)
    (SCREENSHOTS / "guide-print.pdf").write_bytes(pdf)

    assert len(PDF_PAGE.findall(pdf)) == 1
