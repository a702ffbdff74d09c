"""Each thing in the clock of its clinic: exports say which 02:30 they mean, the trail dates a session
by its clinic's calendar, "N days ago" counts calendar days, and a manager of clinics in two zones
reads each clinic's times on its own clock, with the zone named."""

import re
from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from clinics.models import Membership, Role
from recovery.models import Recovery

from .audits.spreadsheets import csv_rows, streamed
from .factories import BatchFactory, ClinicFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory


def test_the_two_0230s_of_the_night_the_clocks_go_back_carry_their_offsets(client_for, grace, time_machine):
    paris = ClinicFactory(name="Clinique du Marais", country="FR", time_zone="Europe/Paris")
    Membership.objects.create(user=grace, clinic=paris, role=Role.MANAGER)
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second = first + timedelta(hours=1)  # 02:30 CET, an hour later
    time_machine.move_to(second + timedelta(hours=2), tick=False)
    practitioner = MembershipFactory(clinic=paris).user
    for moment in (first, second):
        TreatmentSessionFactory(patient=PatientFactory(clinic=paris), practitioner=practitioner, performed_at=moment)

    response = client_for(grace).get(
        reverse("audits:sessions_download"), {"clinic": paris.pk, "start": "2026-10-24", "end": "2026-10-26"}
    )

    times = sorted(row[1] for row in csv_rows(streamed(response).decode())[1:])
    assert times == ["2026-10-25T02:30+01:00", "2026-10-25T02:30+02:00"]


def test_the_trail_dates_a_session_by_its_clinics_calendar(client_for, grace, time_machine):
    paris = ClinicFactory(name="Clinique du Marais", country="FR", time_zone="Europe/Paris")
    Membership.objects.create(user=grace, clinic=paris, role=Role.MANAGER)
    time_machine.move_to(datetime(2026, 11, 2, 9, tzinfo=UTC), tick=False)
    patient = PatientFactory(clinic=paris)
    # 00:30 on 1 November in Paris is still 31 October in UTC.
    TreatmentSessionFactory(
        patient=patient,
        practitioner=MembershipFactory(clinic=paris).user,
        performed_at=datetime(2026, 10, 31, 23, 30, tzinfo=UTC),
    )

    page = client_for(grace).get(reverse("audits:patient_trail", args=[patient.pk])).content.decode()

    assert "Session of 1 Nov. 2026" in page
    assert "Session of 31 Oct. 2026" not in page


def test_a_session_at_five_yesterday_was_one_day_ago(client_for, alice, harbour, harbour_patient, time_machine):
    session_at = timezone.make_aware(datetime(2026, 5, 4, 17, 0), harbour.zone)
    time_machine.move_to(session_at.astimezone(UTC) + timedelta(minutes=1), tick=False)
    session = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, performed_at=session_at)
    Recovery.objects.filter(pk=session.pk).update(overdue_at=session_at + timedelta(minutes=30))
    time_machine.move_to(timezone.make_aware(datetime(2026, 5, 5, 9, 0), harbour.zone).astimezone(UTC), tick=False)

    page = client_for(alice).get(reverse("recovery:dashboard")).content.decode()

    assert "1 day ago" in page
    assert "0 days ago" not in page


def test_a_manager_of_a_london_and_a_sydney_clinic_reads_each_on_its_own_clock(
    client_for, grace, harbour, time_machine
):
    # Named to come after Harbour: her first clinic, whose clock the request runs on, is London's.
    sydney = ClinicFactory(name="Sydney Skin", country="AU", time_zone="Australia/Sydney")
    Membership.objects.create(user=grace, clinic=sydney, role=Role.MANAGER)
    session_at = timezone.make_aware(datetime(2026, 1, 15, 10, 0), sydney.zone)  # 23:00 the day before in London
    time_machine.move_to(session_at.astimezone(UTC) + timedelta(hours=1), tick=False)
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=sydney, last_name="Bondi"),
        practitioner=MembershipFactory(clinic=sydney).user,
        performed_at=session_at,
    )
    Recovery.objects.filter(pk=session.pk).update(attention_at=session_at, unacknowledged_at=session_at)

    page = client_for(grace).get(reverse("recovery:dashboard")).content.decode()

    row = page[page.index("Bondi") :]
    assert re.search(r"15 Jan\.?, 10:00\s*<span[^>]*>Australia/Sydney</span>", row)


def sydney_for(grace):
    # Named to come after Harbour: her first clinic, whose clock the request runs on, is London's.
    sydney = ClinicFactory(name="Sydney Skin", country="AU", time_zone="Australia/Sydney")
    Membership.objects.create(user=grace, clinic=sydney, role=Role.MANAGER)
    return sydney


def test_a_blank_session_form_of_a_manager_of_two_zones_fills_in_no_other_clinics_time(client_for, grace, harbour):
    sydney_for(grace)

    entry = client_for(grace).get(reverse("recovery:session_create")).context["entry"]

    assert entry.form.initial.get("performed_at") is None


def test_a_blank_session_form_of_one_clinic_fills_in_its_now(client_for, alice, harbour, time_machine):
    time_machine.move_to(datetime(2026, 7, 1, 9, 0, tzinfo=UTC), tick=False)

    entry = client_for(alice).get(reverse("recovery:session_create")).context["entry"]

    assert entry.form.initial["performed_at"] == datetime(2026, 7, 1, 10, 0)  # London, BST


def test_a_time_typed_for_sydney_is_read_on_sydneys_clock_not_londons(client_for, grace, harbour, time_machine):
    from .treatments.test_sessions import session_post

    sydney = sydney_for(grace)
    time_machine.move_to(datetime(2026, 3, 30, 0, 0, tzinfo=UTC), tick=False)
    patient = PatientFactory(clinic=sydney)
    batch = BatchFactory(product__clinic=sydney)
    practitioner = MembershipFactory(clinic=sydney).user
    # 01:30 on 29 March does not exist in London (the clocks go forward) but does in Sydney.
    response = client_for(grace).post(
        reverse("recovery:session_create"),
        session_post(patient, practitioner, batch, **{"session-performed_at": "2026-03-29T01:30"}),
    )

    assert response.status_code == 302
    session = patient.sessions.get()
    assert session.performed_at.astimezone(sydney.zone).replace(tzinfo=None) == datetime(2026, 3, 29, 1, 30)


def test_a_time_the_clinics_clocks_skip_is_refused_and_nothing_is_saved(client_for, alice, harbour, time_machine):
    from .treatments.test_sessions import session_post

    time_machine.move_to(datetime(2026, 3, 30, 12, 0, tzinfo=UTC), tick=False)
    patient = PatientFactory(clinic=harbour)
    response = client_for(alice).post(
        reverse("recovery:session_create"),
        session_post(
            patient, alice, BatchFactory(product__clinic=harbour), **{"session-performed_at": "2026-03-29T01:30"}
        ),
    )

    assert response.status_code == 200
    assert "does not exist or happens twice at the clinic" in response.content.decode()
    assert not patient.sessions.exists()


def test_last_14_days_is_14_days_of_the_clinics_calendar_today_included(client_for, alice, harbour, time_machine):
    now = timezone.make_aware(datetime(2026, 5, 20, 9, 0), harbour.zone)
    time_machine.move_to(now.astimezone(UTC), tick=False)
    in_period = timezone.make_aware(datetime(2026, 5, 7, 8, 0), harbour.zone)  # 13 days back, earlier hour
    before = timezone.make_aware(datetime(2026, 5, 6, 23, 0), harbour.zone)
    for moment, name in ((in_period, "Inside"), (before, "Outside")):
        session = TreatmentSessionFactory(
            patient=PatientFactory(clinic=harbour, last_name=name), practitioner=alice, performed_at=moment
        )
        Recovery.objects.filter(pk=session.pk).update(
            overdue_at=None, attention_at=None, unacknowledged_at=None, closed_at=None
        )

    response = client_for(alice).get(reverse("recovery:dashboard"), {"period": "14", "scope": "clinic"})

    # 23:00 on the 6th is 14 × 24 h ago at 09:00 on the 20th, but not one of the last 14 days.
    assert response.context["counts"]["on_track"] == 1


def test_the_session_form_of_a_manager_of_two_zones_says_whose_clock_the_time_is_on(client_for, grace, mary):
    sydney_for(grace)

    two_zones = client_for(grace).get(reverse("recovery:session_create")).content.decode()
    one_zone = client_for(mary).get(reverse("recovery:session_create")).content.decode()

    assert "Local time at the patient's clinic." in two_zones
    assert "Local time at the patient" not in one_zone
