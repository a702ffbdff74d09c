"""One meaning of "day N": the check-in schedule and the rules with a day threshold agree in every
zone, across both clock changes. Arithmetic is done in UTC: a timedelta added to a time in the
clinic's zone moves the wall clock, and "48 h later" would silently become 47 or 49 h."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from checkins import services as check_ins
from checkins import tasks
from recovery import schedule
from recovery.models import Recovery
from recovery.reasons import words
from recovery.windows import window_end

from ..factories import ClinicFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory

CODES = ["redness", "swelling", "tenderness", "bruising", "itch_warmth", "peeling", "nodules"]
# The day before each clock change of 2026, in four zones: (zone, spring forward, autumn back).
CHANGES = {
    "Europe/London": (datetime(2026, 3, 28, 10), datetime(2026, 10, 24, 10)),
    "Europe/Paris": (datetime(2026, 3, 28, 10), datetime(2026, 10, 24, 10)),
    "America/New_York": (datetime(2026, 3, 7, 10), datetime(2026, 10, 31, 10)),
    "Australia/Sydney": (datetime(2026, 10, 3, 10), datetime(2026, 4, 4, 10)),
}
CASES = [
    (zone, day, kind) for zone, days in CHANGES.items() for day, kind in zip(days, ["spring", "autumn"], strict=True)
]


def clinic_in(zone):
    return ClinicFactory(name=f"Clinic in {zone}", time_zone=zone)


def answer_every_check_in(client, clinic, session, time_machine, last_answer):
    planned = list(session.check_ins.order_by("due_at"))
    for check_in in planned:
        time_machine.move_to(check_in.due_at, tick=False)
        tasks.send_due_check_ins()
        time_machine.move_to(check_in.due_at.astimezone(UTC) + timedelta(minutes=20), tick=False)
        data = {f"reaction_{code}": "0" for code in CODES}
        data.update({f"flag_{q.code}": "no" for q in clinic.red_flag_questions.all()})
        if check_in is planned[-1]:
            data.update(last_answer)
        client.post(check_ins.link_path(check_in), data)
    return planned[-1]


def session_on(clinic, local_day, time_machine):
    session_at = timezone.make_aware(local_day, clinic.zone)
    time_machine.move_to(session_at.astimezone(UTC) + timedelta(minutes=5), tick=False)
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=clinic, consents_to_check_ins=True),
        practitioner=MembershipFactory(clinic=clinic).user,
        performed_at=session_at,
    )
    schedule.check_ins_plan(session=session)
    return session


def test_a_new_lump_on_the_day_14_check_in_after_the_clocks_go_forward_needs_attention(
    harbour, alice, client, time_machine
):
    """The review's case, as it was written: London, the day before the clocks go forward."""
    session_at = timezone.make_aware(timezone.datetime(2026, 3, 28, 10, 0), harbour.zone)
    time_machine.move_to(session_at.astimezone(UTC) + timedelta(minutes=5), tick=False)
    patient = PatientFactory(clinic=harbour, consents_to_check_ins=True)
    session = TreatmentSessionFactory(patient=patient, practitioner=alice, performed_at=session_at)
    schedule.check_ins_plan(session=session)
    planned = list(session.check_ins.order_by("due_at"))
    for check_in in planned:
        time_machine.move_to(check_in.due_at, tick=False)
        tasks.send_due_check_ins()
        time_machine.move_to(check_in.due_at + timedelta(minutes=20), tick=False)
        data = {f"reaction_{code}": "0" for code in CODES}
        data.update({f"flag_{q.code}": "no" for q in harbour.red_flag_questions.all()})
        if check_in is planned[-1]:
            data["reaction_nodules"] = "1"
        client.post(check_ins.link_path(check_in), data)
    page = client.get(check_ins.link_path(planned[-1])).content.decode()

    assert Recovery.objects.get(session=session).status_at() == "needs_attention"
    assert "Please call the clinic" in page


@pytest.mark.parametrize(("zone", "local_day", "change"), CASES, ids=[f"{z}-{k}" for z, _, k in CASES])
def test_a_new_lump_on_the_day_14_check_in_needs_attention_in_every_zone(
    client, db, time_machine, zone, local_day, change
):
    clinic = clinic_in(zone)
    session = session_on(clinic, local_day, time_machine)

    last = answer_every_check_in(client, clinic, session, time_machine, {"reaction_nodules": "1"})

    recovery = Recovery.objects.get(session=session)
    assert recovery.status_at() == "needs_attention"
    assert any("New small lumps" in words(f) or "New nodules" in words(f) for f in recovery.reasons_at())
    assert "Please call the clinic" in client.get(check_ins.link_path(last)).content.decode()


@pytest.mark.parametrize(("zone", "local_day", "change"), CASES, ids=[f"{z}-{k}" for z, _, k in CASES])
def test_swelling_still_there_at_the_day_4_check_in_needs_attention_in_every_zone(
    client, db, time_machine, zone, local_day, change
):
    clinic = clinic_in(zone)
    clinic.check_in_days = [1, 2, 4]
    clinic.save()
    session = session_on(clinic, local_day, time_machine)

    answer_every_check_in(client, clinic, session, time_machine, {"reaction_swelling": "1"})

    assert Recovery.objects.get(session=session).status_at() == "needs_attention"


@pytest.mark.parametrize(("zone", "local_day", "change"), CASES, ids=[f"{z}-{k}" for z, _, k in CASES])
def test_hour_windows_under_three_days_stay_exact_elapsed_hours(db, zone, local_day, change):
    clinic = clinic_in(zone)
    session_at = timezone.make_aware(local_day, clinic.zone).astimezone(UTC)

    assert window_end(session_at, 48, clinic.zone) == session_at + timedelta(hours=48)
    assert window_end(session_at, 24, clinic.zone) == session_at + timedelta(hours=24)


@pytest.mark.parametrize(("zone", "local_day", "change"), CASES, ids=[f"{z}-{k}" for z, _, k in CASES])
def test_a_day_window_never_ends_later_than_its_hours(db, zone, local_day, change):
    clinic = clinic_in(zone)
    session_at = timezone.make_aware(local_day, clinic.zone).astimezone(UTC)

    for hours in (96, 168, 240, 336):
        end = window_end(session_at, hours, clinic.zone)
        assert end <= session_at + timedelta(hours=hours)
        assert end >= session_at + timedelta(hours=hours - 1)
        local_end = end.astimezone(clinic.zone)
        assert (local_end.hour, local_end.minute) == (10, 0) or end == session_at + timedelta(hours=hours)


def test_the_day_n_check_in_goes_out_at_the_sessions_local_time_on_day_n(db, time_machine):
    clinic = clinic_in("Europe/Paris")
    session = session_on(clinic, datetime(2026, 3, 28, 10), time_machine)

    local = [c.due_at.astimezone(clinic.zone) for c in session.check_ins.order_by("due_at")]

    assert [(moment.day, moment.hour) for moment in local] == [(29, 10), (30, 10), (1, 10), (4, 10), (11, 10)]
