"""Audit → Reportable events: a manager sees every serious event of their clinics, those still to
report with their deadline, those reported (to whom, when, by whom, with the regulator's reference)
and those judged not reportable with the reason; and records either from the list."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse

from vigilance.models import NotReportable, Recipient, Submission
from vigilance.services import not_reportable_judge, submission_record

from ..conftest import SESSION_AT
from ..factories import PatientFactory, TreatmentSessionFactory
from .conftest import LONDON

LIST = reverse("vigilance:reportable_events")
# Hannah's infection, confirmed on 3 March at noon: day 0; fifteen days run to 17 March.
CONFIRMED_AT = datetime(2026, 3, 3, 12, tzinfo=LONDON)


def report_url(complication):
    return reverse("vigilance:submission_create", args=[complication.pk])


def judge_url(complication):
    return reverse("vigilance:not_reportable_create", args=[complication.pk])


def rows(page, testid) -> list[str]:
    return [row.split("</tr>")[0] for row in page.split(f'data-testid="{testid}"')[1:]]


@pytest.fixture
def infection(session, confirm):
    return confirm(session, CONFIRMED_AT)


def test_an_open_event_shows_its_deadline_from_day_0(client_for, mary, infection, time_machine):
    time_machine.move_to(datetime(2026, 3, 14, 9, tzinfo=LONDON), tick=False)

    page = client_for(mary).get(LIST).content.decode()

    [row] = rows(page, "open-event")
    assert "Hannah Harbour" in row
    assert "Infection" in row
    assert "Hospitalisation, or a longer stay" in row
    assert "3 March 2026" in row
    assert "due in 3 days" in row
    assert "last day 17 March 2026" in row
    assert f'href="/audits/reportable-events/{infection.pk}/"' in row


@pytest.mark.parametrize(("today", "words"), [(date(2026, 3, 17), "due today"), (date(2026, 3, 19), "2 days late")])
def test_the_deadline_reads_due_today_then_days_late(client_for, mary, infection, time_machine, today, words):
    time_machine.move_to(datetime.combine(today, datetime.min.time(), tzinfo=LONDON) + timedelta(hours=9))

    [row] = rows(client_for(mary).get(LIST).content.decode(), "open-event")

    assert words in row


def test_a_reported_event_says_to_whom_when_by_whom_and_the_reference(client_for, mary, infection, time_machine):
    time_machine.move_to(datetime(2026, 3, 6, 9, tzinfo=LONDON), tick=False)
    submission_record(
        complication=infection,
        recipient=Recipient.MHRA,
        sent_on=date(2026, 3, 5),
        reference="GB-2026-1234",
        recorded_by=mary,
    )

    page = client_for(mary).get(LIST).content.decode()

    assert rows(page, "open-event") == []
    [row] = rows(page, "reported-event")
    assert "To MHRA Yellow Card (United Kingdom) on 5 March 2026, recorded by Mary" in row
    assert "reference GB-2026-1234" in row
    assert "due in" not in row


def test_an_event_judged_not_reportable_shows_the_reason(client_for, mary, infection):
    not_reportable_judge(
        complication=infection, reason="Known and labelled reaction, resolved in a day.", judged_by=mary
    )

    page = client_for(mary).get(LIST).content.decode()

    [row] = rows(page, "not-reportable-event")
    assert "Known and labelled reaction, resolved in a day." in row
    assert "Judged by Mary" in row
    assert rows(page, "open-event") == []


def test_a_complication_that_is_not_serious_is_not_listed(client_for, mary, session, confirm):
    confirm(session, CONFIRMED_AT, grade=2, seriousness=())

    page = client_for(mary).get(LIST).content.decode()

    assert "No serious event waits to be reported." in page
    assert "Hannah" not in page


def test_another_clinics_events_are_absent_and_their_forms_answer_404(
    client_for, mary, infection, riverside_session, confirm
):
    theirs = confirm(riverside_session, CONFIRMED_AT)
    client = client_for(mary)

    assert "Rita" not in client.get(LIST).content.decode()
    assert client.get(report_url(theirs)).status_code == 404
    assert client.post(report_url(theirs), {"recipient": "mhra", "sent_on": "2026-03-05"}).status_code == 404
    assert client.post(judge_url(theirs), {"reason": "Not ours to say"}).status_code == 404
    assert not Submission.objects.exists()
    assert not NotReportable.objects.exists()


def test_a_manager_of_two_clinics_sees_both_with_their_names(client_for, grace, infection, riverside_session, confirm):
    confirm(riverside_session, CONFIRMED_AT)

    page = client_for(grace).get(LIST).content.decode()

    assert len(rows(page, "open-event")) == 2
    assert "Riverside Aesthetics" in page


def test_a_complication_that_is_not_serious_has_no_forms(client_for, mary, session, confirm):
    mild = confirm(session, CONFIRMED_AT, grade=1, seriousness=())

    assert client_for(mary).get(report_url(mild)).status_code == 404


def test_a_practitioner_may_not_open_the_list_nor_the_forms(client_for, alice, infection):
    client = client_for(alice)

    assert client.get(LIST).status_code == 403
    assert client.post(report_url(infection), {"recipient": "mhra", "sent_on": "2026-03-05"}).status_code == 403
    assert client.post(judge_url(infection), {"reason": "Not serious after all"}).status_code == 403
    assert not Submission.objects.exists()
    assert not NotReportable.objects.exists()


def test_recording_a_report_sent_moves_the_event_to_reported(client_for, mary, infection, time_machine):
    time_machine.move_to(datetime(2026, 3, 6, 9, tzinfo=LONDON), tick=False)
    client = client_for(mary)
    assert "Record a report sent" in client.get(report_url(infection)).content.decode()

    response = client.post(
        report_url(infection), {"recipient": "manufacturer", "sent_on": "2026-03-06", "reference": " DL-77 "}
    )

    assert response.status_code == 302
    submission = Submission.objects.get()
    assert (submission.complication, submission.recipient, submission.sent_on, submission.reference) == (
        infection,
        "manufacturer",
        date(2026, 3, 6),
        "DL-77",
    )
    assert submission.recorded_by == mary
    assert len(rows(client.get(LIST).content.decode(), "reported-event")) == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"recipient": "mhra", "sent_on": "2026-03-07"}, "sent_on", "A report cannot be sent after today"),
        ({"recipient": "mhra", "sent_on": "2026-03-01"}, "sent_on", "A report cannot be sent before the event began"),
        ({"recipient": "the press", "sent_on": "2026-03-05"}, "recipient", "Select a valid choice"),
        ({"recipient": "mhra", "sent_on": ""}, "sent_on", "This field is required"),
        ({"recipient": "mhra", "sent_on": "5 March"}, "sent_on", "Enter a valid date"),
        ({"recipient": "mhra", "sent_on": "2026-03-05", "reference": "x" * 101}, "reference", "at most 100"),
    ],
)
def test_a_refused_report_records_nothing(client_for, mary, infection, time_machine, data, field, message):
    time_machine.move_to(datetime(2026, 3, 6, 9, tzinfo=LONDON), tick=False)

    response = client_for(mary).post(report_url(infection), data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Submission.objects.exists()


def test_judging_an_event_not_reportable_needs_a_reason_within_bounds(client_for, mary, infection):
    client = client_for(mary)

    for reason in ("", "   ", "x" * 2001):
        response = client.post(judge_url(infection), {"reason": reason})
        assert response.status_code == 200
        assert response.context["form"].errors["reason"]
    assert not NotReportable.objects.exists()

    assert client.post(judge_url(infection), {"reason": "Expected, labelled and resolved."}).status_code == 302
    judgement = NotReportable.objects.get()
    assert (judgement.complication, judgement.reason, judgement.judged_by) == (
        infection,
        "Expected, labelled and resolved.",
        mary,
    )


def test_a_reported_event_cannot_then_be_judged_not_reportable(client_for, mary, infection, time_machine):
    time_machine.move_to(datetime(2026, 3, 6, 9, tzinfo=LONDON), tick=False)
    submission_record(complication=infection, recipient="ansm", sent_on=date(2026, 3, 6), recorded_by=mary)

    response = client_for(mary).post(judge_url(infection), {"reason": "On second thoughts"})

    assert "This event was reported" in response.content.decode()
    assert not NotReportable.objects.exists()


def test_the_list_reads_in_a_bounded_number_of_queries(
    client_for, mary, harbour, alice, confirm, django_assert_max_num_queries
):
    for index in range(6):
        session = TreatmentSessionFactory(
            patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=SESSION_AT
        )
        event = confirm(session, CONFIRMED_AT + timedelta(minutes=index))
        if index % 3 == 1:
            submission_record(complication=event, recipient="mhra", sent_on=date(2026, 3, 3), recorded_by=mary)
        elif index % 3 == 2:
            not_reportable_judge(complication=event, reason="Labelled", judged_by=mary)
    client = client_for(mary)

    with django_assert_max_num_queries(10):
        page = client.get(LIST).content.decode()
    assert [len(rows(page, name)) for name in ("open-event", "reported-event", "not-reportable-event")] == [2, 2, 2]


def test_the_audit_links_to_the_reportable_events(client_for, mary):
    assert f'href="{LIST}"' in client_for(mary).get(reverse("audits:index")).content.decode()


def test_the_clinic_settings_page_offers_the_reporting_delay_with_its_rule(client_for, mary, harbour):
    page = client_for(mary).get(reverse("recovery:clinic_settings_edit", args=[harbour.pk])).content.decode()

    assert 'name="report_within_days"' in page
    assert "the next day in France (« sans délai »), elsewhere 15 days" in page
