"""The pages of one clinic's records are on that clinic's clock, whoever reads them.

Grace manages Harbour and Riverside, in London, and Sydney Skin: each request runs on her first clinic's
clock (by name, Harbour's). The Sydney session is at 09:00 on Thursday 15 January, Sydney time: 22:00 on
Wednesday the 14th in London. Every page of it reads 15 January, Sydney's hours, and names Sydney's zone.
"""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from clinics.models import Membership, Role
from patients.models import Patient
from photos import images
from photos import services as photo_services
from recovery import marks, schedule, services
from recovery.models import CheckIn, FollowUpAction, ReactionType, Recovery, RedFlagQuestion
from recovery.rules import Severity
from treatments import services as treatment_services

from . import images as pictures
from .factories import ClinicFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory

SYDNEY = ZoneInfo("Australia/Sydney")
SESSION_AT = datetime(2026, 1, 15, 9, 0, tzinfo=SYDNEY)
ZONE_NAMED = re.compile(r'<span[^>]*data-testid="zone"[^>]*>Australia/Sydney</span>')


def sydney_time(hour, minute=0, day=15):
    """A moment in Sydney, in UTC, so that the clock is moved by elapsed time (see the review of time zones)."""
    return datetime(2026, 1, day, hour, minute, tzinfo=SYDNEY).astimezone(UTC)


@pytest.fixture
def sydney(grace):
    clinic = ClinicFactory(name="Sydney Skin", country="AU", time_zone="Australia/Sydney")
    Membership.objects.create(user=grace, clinic=clinic, role=Role.MANAGER)
    return clinic


@pytest.fixture
def sydney_practitioner(sydney):
    return MembershipFactory(clinic=sydney, user__first_name="Kylie").user


@pytest.fixture
def sydney_session(sydney, sydney_practitioner, time_machine):
    time_machine.move_to(sydney_time(9, 5), tick=False)
    patient = PatientFactory(clinic=sydney, first_name="Bea", last_name="Sydney", consents_to_photos=True)
    return TreatmentSessionFactory(
        patient=patient, practitioner=sydney_practitioner, performed_at=SESSION_AT, areas=["face"]
    )


def staff_report(session, moment, recorded_by):
    questions = list(RedFlagQuestion.objects.filter(clinic=session.clinic))
    return services.report_create(
        session=session,
        reported_at=moment,
        reactions=[
            services.ReactionEntry(reaction_type=reaction_type, severity=Severity.MILD, pain_score=None)
            for reaction_type in ReactionType.objects.filter(clinic=session.clinic, code="redness")
        ],
        red_flags_present=[],
        red_flags_asked=questions,
        wants_call=False,
        source=services.ReportSource.STAFF,
        recorded_by=recorded_by,
    )


def test_the_session_page_reads_every_time_of_a_sydney_session_on_sydneys_clock(
    client_for, grace, sydney_session, sydney_practitioner, time_machine
):
    session = sydney_session
    schedule.check_ins_plan(session=session)
    schedule.guide_plan(session=session)
    first_check_in = session.check_ins.order_by("due_at").first()
    CheckIn.objects.filter(pk=first_check_in.pk).update(retry_at=sydney_time(10, 30, day=16), text_result="no_answer")
    Patient.objects.filter(pk=session.patient.pk).update(texts_stopped_at=sydney_time(8, 0))
    time_machine.move_to(sydney_time(11, 30), tick=False)
    staff_report(session, sydney_time(11, 0), sydney_practitioner)
    time_machine.move_to(sydney_time(12, 15), tick=False)
    services.follow_up_create(
        recovery=Recovery.objects.get(session=session), action=FollowUpAction.OTHER, note="Rang", recorded_by=grace
    )

    page = client_for(grace).get(session.get_absolute_url()).content.decode()

    assert re.search(r"Thursday 15 January 2026, 09:00\s*" + ZONE_NAMED.pattern, page)
    assert re.search(r"Kylie [^<]*, 15 Jan\. 2026 09:05", page)  # recorded by
    assert "Thu 15 Jan., 11:00" in page  # the report
    assert "15 Jan. 2026 12:15" in page  # the follow-up
    assert "Fri 16 Jan., 09:00" in page  # the first check-in, a day after the session
    assert "trying again at 16 Jan. 10:30" in page
    assert "Thu 15 Jan., 09:05" in page  # the guide message
    assert "Replied STOP to texts on 15 Jan. 2026" in page
    assert not re.search(r"14 Jan\.? 2026|Wed 14 Jan|22:00", page)  # nothing on London's clock


def test_a_sydney_recovery_closed_reads_its_closing_on_sydneys_clock(client_for, grace, sydney_session, time_machine):
    time_machine.move_to(sydney_time(13, 0), tick=False)
    services.recovery_close(
        recovery=Recovery.objects.get(session=sydney_session), outcome="recovered", note="", closed_by=grace
    )

    page = client_for(grace).get(sydney_session.get_absolute_url()).content.decode()

    assert re.search(r"Closed by Grace [^<]* on 15 Jan\. 2026 13:00", page)


def photo_added(session, moment, added_by, time_machine):
    time_machine.move_to(moment, tick=False)
    photo_services.session_photos_add(
        session=session,
        entries=[photo_services.PhotoEntry(image=images.safe_image(pictures.png()), area="face")],
        added_by=added_by,
    )
    return session.photos.get()


def test_the_photo_pages_of_a_sydney_session_are_on_sydneys_clock(
    client_for, grace, sydney_session, sydney_practitioner, time_machine
):
    session = sydney_session
    photo = photo_added(session, sydney_time(9, 10), sydney_practitioner, time_machine)
    client = client_for(grace)

    compare = client.get(reverse("photos:photo_compare", args=[session.pk])).content.decode()
    add = client.get(reverse("photos:photo_add", args=[session.pk])).content.decode()
    delete = client.get(reverse("photos:photo_delete", args=[photo.pk])).content.decode()
    session_page = client.get(session.get_absolute_url()).content.decode()

    for page in (compare, add):
        assert re.search(r"15 Jan\. 2026, 09:00\s*" + ZONE_NAMED.pattern, page)
    assert "Thu 15 Jan" in compare  # the day of the session
    assert re.search(r"15 Jan\. 2026 09:10\s*" + ZONE_NAMED.pattern, delete)
    assert "Photo of the face, 15 Jan. 09:10" in session_page


def test_the_marks_on_a_sydney_sessions_chart_and_the_photos_beside_it_are_on_sydneys_clock(
    client_for, grace, sydney_session, sydney_practitioner, time_machine
):
    photo_added(sydney_session, sydney_time(9, 10), sydney_practitioner, time_machine)
    redness = ReactionType.objects.get(clinic=sydney_session.clinic, code="redness")
    time_machine.move_to(sydney_time(11, 30), tick=False)
    services.report_create(
        session=sydney_session,
        reported_at=sydney_time(11, 0),
        reactions=[services.ReactionEntry(reaction_type=redness, severity=Severity.MILD)],
        red_flags_present=[],
        red_flags_asked=[],
        wants_call=False,
        source=services.ReportSource.PATIENT,
        marks=[marks.MarkEntry("face_front", "chin", reaction_type=redness)],
    )

    page = client_for(grace).get(sydney_session.get_absolute_url()).content.decode()

    listed = page.split('data-testid="chart-marks"')[1].split("</ol>")[0]
    beside = page.split('data-testid="beside-the-chart"')[1]
    assert "Thu 15 Jan., 11:00 · Redness · Chin" in listed
    assert "Thu 15 Jan., 09:00 · At the session" in beside  # the session's own photo, taken at the session
    assert "Thu 15 Jan., 11:00 · Redness · Chin" in beside
    assert "Wed 14 Jan" not in page


def test_the_forms_of_a_sydney_session_are_on_sydneys_clock(client_for, grace, sydney_session, time_machine):
    time_machine.move_to(sydney_time(11, 0), tick=False)
    client = client_for(grace)

    for name in ("photos:report_create", "recovery:follow_up_create", "recovery:complication_create", "recovery:close"):
        page = client.get(reverse(name, args=[sydney_session.pk])).content.decode()
        assert re.search(r"15 Jan\. 2026, 09:00\s*" + ZONE_NAMED.pattern, page), name
    report_form = client.get(reverse("photos:report_create", args=[sydney_session.pk])).content.decode()
    next_session = client.get(reverse("recovery:session_create"), {"after": sydney_session.pk}).content.decode()

    assert 'value="2026-01-15T11:00"' in report_form
    assert "Filled in from session 1 of the series, on 15 Jan. 2026" in next_session


def test_a_sydney_batch_reads_its_quarantine_and_its_sessions_on_sydneys_clock(
    client_for, grace, sydney_session, time_machine
):
    batch = sydney_session.products_used.get().batch
    time_machine.move_to(sydney_time(10, 0), tick=False)
    treatment_services.batch_quarantine(batch=batch, reason="Supplier recall", by=grace)

    page = client_for(grace).get(reverse("batches:detail", args=[batch.pk])).content.decode()

    assert re.search(r"on 15 Jan\. 2026 10:00 by Grace", page)
    assert "15 Jan. 2026, 09:00" in page
    assert ZONE_NAMED.search(page)


def test_a_sydney_patients_page_and_reactions_are_on_sydneys_clock(client_for, grace, sydney_session):
    client = client_for(grace)

    patient_page = client.get(sydney_session.patient.get_absolute_url()).content.decode()
    history = client.get(
        reverse("recovery:reaction_history", args=[sydney_session.patient.pk]), headers={"HX-Request": "true"}
    ).content.decode()

    assert "Thu 15 Jan. 2026, 09:00" in patient_page
    assert ZONE_NAMED.search(patient_page)
    assert "15 Jan. 2026" in history
    assert "14 Jan. 2026" not in history


def test_a_sydney_catalogue_items_history_is_on_sydneys_clock(client_for, grace, sydney, time_machine):
    redness = ReactionType.objects.get(clinic=sydney, code="redness")
    time_machine.move_to(sydney_time(10, 0), tick=False)
    redness.fades_by_hours += 24
    services.reaction_type_update(reaction_type=redness, changed_by=grace)

    page = client_for(grace).get(reverse("recovery:reaction_type_edit", args=[redness.pk])).content.decode()

    assert "15 Jan. 2026 10:00" in page
    assert ZONE_NAMED.search(page)


# Lists of several clinics' records: each row on its own clinic's clock, its zone named.


def test_the_session_list_reads_each_session_on_its_clinics_clock(client_for, grace, harbour, sydney_session):
    TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, last_name="Harbour"),
        practitioner=MembershipFactory(clinic=harbour).user,
        performed_at=datetime(2026, 1, 14, 10, 0, tzinfo=ZoneInfo("Europe/London")),
    )

    page = client_for(grace).get(reverse("treatments:session_list")).content.decode()

    assert re.search(r"15 Jan\. 2026, 09:00</a>\s*" + ZONE_NAMED.pattern, page)
    assert re.search(r'14 Jan\. 2026, 10:00</a>\s*<span[^>]*data-testid="zone"[^>]*>Europe/London</span>', page)


def test_the_deleted_records_read_each_removal_on_its_clinics_clock(
    client_for, grace, sydney_session, sydney_practitioner, time_machine, django_capture_on_commit_callbacks
):
    photo = photo_added(sydney_session, sydney_time(9, 10), sydney_practitioner, time_machine)
    time_machine.move_to(sydney_time(13, 0), tick=False)
    client = client_for(grace)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("photos:photo_delete", args=[photo.pk]), {"reason": "Wrong side."})

    removals = client.get(reverse("audits:removals")).content.decode()
    session_page = client.get(sydney_session.get_absolute_url()).content.decode()

    assert re.search(r"15 Jan\. 2026 13:00\s*" + ZONE_NAMED.pattern, removals)
    assert re.search(r"by Grace [^<]* on 15 Jan\. 2026 13:00", session_page)


def test_the_dashboard_of_a_manager_of_two_zones_says_when_it_was_updated_on_both_clocks(
    client_for, grace, sydney, time_machine
):
    time_machine.move_to(sydney_time(9, 0), tick=False)

    page = client_for(grace).get(reverse("recovery:dashboard")).content.decode()

    assert "updated 22:00 Europe/London, 09:00 Australia/Sydney" in page


def test_the_dashboard_of_one_clock_says_when_it_was_updated_without_a_zone(client_for, alice, time_machine):
    time_machine.move_to(sydney_time(9, 0), tick=False)

    page = client_for(alice).get(reverse("recovery:dashboard")).content.decode()

    assert re.search(r"updated 22:00\s*</p>", page)


def test_the_admin_lists_sessions_and_recoveries_each_on_its_clinics_clock(client_for, grace, sydney_session):
    Recovery.objects.filter(pk=sydney_session.pk).update(attention_at=sydney_time(11, 0))
    client = client_for(grace)

    sessions = client.get(reverse("admin:treatments_treatmentsession_changelist")).content.decode()
    recoveries = client.get(reverse("admin:recovery_recovery_changelist")).content.decode()

    assert "15 Jan 2026, 9 a.m. (Australia/Sydney)" in sessions
    assert "Bea Sydney – 15 Jan 2026 09:00" in recoveries
    assert "15 Jan 2026, 11 a.m. (Australia/Sydney)" in recoveries


def test_the_admin_shows_a_sydney_batchs_quarantine_on_sydneys_clock(client_for, grace, sydney_session, time_machine):
    batch = sydney_session.products_used.get().batch
    time_machine.move_to(sydney_time(10, 0), tick=False)
    treatment_services.batch_quarantine(batch=batch, reason="Supplier recall", by=grace)

    page = client_for(grace).get(reverse("admin:treatments_batch_change", args=[batch.pk])).content.decode()

    assert "15 Jan 2026, 10 a.m." in page


def test_the_admin_history_of_a_sydney_catalogue_item_is_on_sydneys_clock(client_for, grace, sydney, time_machine):
    redness = ReactionType.objects.get(clinic=sydney, code="redness")
    time_machine.move_to(sydney_time(10, 0), tick=False)
    redness.fades_by_hours += 24
    services.reaction_type_update(reaction_type=redness, changed_by=grace)

    page = client_for(grace).get(reverse("admin:recovery_reactiontype_history", args=[redness.pk])).content.decode()

    assert "15 Jan 2026, 10 a.m." in page
