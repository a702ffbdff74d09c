"""Personas shared by the suite.

Harbour and Riverside are two clinics of one group. Alice is a practitioner at
Harbour, Mary manages Harbour, Bob is a practitioner at Riverside and must never
see Harbour's records. Grace manages both clinics.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from clinic.celery import app as celery_app
from clinics.models import Role
from recovery import schedule, services
from recovery.models import CheckIn, CheckInStatus, FollowUpAction, ReactionType, Recovery, RedFlagQuestion
from recovery.rules import Severity

from .factories import (
    BatchFactory,
    ClinicFactory,
    MembershipFactory,
    PatientFactory,
    TreatmentSessionFactory,
    UserFactory,
)
from .two_factor import signed_in_with_code


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory):
    # Production hashes static file names at collectstatic time; tests render
    # templates without running it. Exports and photos go to folders of the test's own.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("media")},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("photos")},
        },
    }
    # A deliberately slow password hash only slows the suite down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TEXT_MESSAGE_BACKEND = "tests.text_messages.MemoryBackend"
    settings.SITE_URL = "https://clinic.example.com"


@pytest.fixture(autouse=True)
def _each_test_starts_in_english():
    # A request through the test client activates its language in this thread and leaves it there;
    # reasons and notifications are worded when read, so a French page must not word the next test.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _throttles_start_at_zero():
    # Throttle counts live in the cache, which outlives a test's database transaction.
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    # Unit tests run tasks inline; tests/test_celery_worker.py runs a real worker instead.
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def harbour(db):
    return ClinicFactory(name="Harbour Skin Clinic", phone="+44 20 7946 0101")


@pytest.fixture
def riverside(db):
    return ClinicFactory(name="Riverside Aesthetics", phone="+44 161 496 0202")


def _member(clinic, role, username, first_name):
    user = UserFactory(username=username, first_name=first_name)
    MembershipFactory(user=user, clinic=clinic, role=role)
    return user


@pytest.fixture
def alice(harbour):
    return _member(harbour, Role.PRACTITIONER, "alice", "Alice")


@pytest.fixture
def mary(harbour):
    return _member(harbour, Role.MANAGER, "mary", "Mary")


@pytest.fixture
def bob(riverside):
    return _member(riverside, Role.PRACTITIONER, "bob", "Bob")


@pytest.fixture
def grace(harbour, riverside):
    user = _member(harbour, Role.MANAGER, "grace", "Grace")
    MembershipFactory(user=user, clinic=riverside, role=Role.MANAGER)
    return user


@pytest.fixture
def harbour_patient(harbour):
    return PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour")


@pytest.fixture
def riverside_patient(riverside):
    return PatientFactory(clinic=riverside, first_name="Rita", last_name="Rivers")


@pytest.fixture
def harbour_batch(harbour):
    return BatchFactory(product__clinic=harbour, product__name="Hydra Boost", lot_number="HB-001")


@pytest.fixture
def riverside_batch(riverside):
    return BatchFactory(product__clinic=riverside, product__name="River Glow", lot_number="RG-001")


@pytest.fixture
def client_for(client):
    """Signed in as the user, having given their two-factor code where they need one.

    tests/clinics/test_two_factor.py walks the real sign-in; the rest of the suite starts after it.
    """

    def log_in(user):
        return signed_in_with_code(client, user)

    return log_in


# The session most tests of a recovery start from: Hannah's, with Alice, on 2 March 2026 at 10:00.
SESSION_AT = timezone.make_aware(timezone.datetime(2026, 3, 2, 10, 0))


def at(hours):
    return SESSION_AT + timedelta(hours=hours)


@pytest.fixture
def session(harbour_patient, alice):
    """Hannah's session with Alice on 2 March 2026 at 10:00, face and neck treated."""
    return TreatmentSessionFactory(
        patient=harbour_patient, practitioner=alice, performed_at=SESSION_AT, areas=["face", "neck"]
    )


@pytest.fixture
def photo_session(harbour, alice, time_machine):
    """Hannah, who consents to photos, treated by Alice on the face and neck on 2 March at 10:00."""
    time_machine.move_to(SESSION_AT + timedelta(minutes=5), tick=False)
    patient = PatientFactory(clinic=harbour, first_name="Hannah", consents_to_photos=True)
    session = TreatmentSessionFactory(
        patient=patient, practitioner=alice, performed_at=SESSION_AT, areas=["face", "neck"]
    )
    schedule.check_ins_plan(session=session)
    return session


@pytest.fixture
def due_check_in(photo_session, time_machine):
    """Hannah's first check-in, sent a day after the session; an hour later."""
    time_machine.move_to(SESSION_AT + timedelta(days=1, hours=1), tick=False)
    check_in = photo_session.check_ins.order_by("due_at").first()
    CheckIn.objects.filter(pk=check_in.pk).update(status="sent", sent_at=SESSION_AT + timedelta(days=1))
    return check_in


@pytest.fixture
def report(session, alice, time_machine):
    """Log a report by staff `hours` after the session, at that moment."""

    def log(hours, *, red_flags=(), wants_call=False, **severities):
        moment = session.performed_at + timedelta(hours=hours)
        time_machine.move_to(moment, tick=False)
        types = ReactionType.objects.filter(clinic=session.clinic)
        questions = list(RedFlagQuestion.objects.filter(clinic=session.clinic))
        entries = []
        for reaction_type in types:
            value = severities.get(reaction_type.code, Severity.NONE)
            severity, pain = value if isinstance(value, tuple) else (value, None)
            entries.append(services.ReactionEntry(reaction_type=reaction_type, severity=severity, pain_score=pain))
        return services.report_create(
            session=session,
            reported_at=moment,
            reactions=entries,
            red_flags_present=[q for q in questions if q.code in red_flags],
            red_flags_asked=questions,
            wants_call=wants_call,
            source=services.ReportSource.STAFF,
            recorded_by=alice,
        )

    return log


@dataclass
class Varied:
    missed: list = field(default_factory=list)
    heard: list = field(default_factory=list)


@pytest.fixture
def varied_recoveries(harbour, alice, time_machine):
    """Recoveries unlike one another in every fact the rules read: reactions in and out of their
    windows, worsening, pain, red flags, a call asked for, a phone report written up later, staff
    notes and calls that reached nobody, an acknowledgement, a closure, check-ins answered, never
    sent, e-mailed only, and a second clinic in another time zone whose catalogue has changed since
    and orders two reactions alike. Those in `missed` have a check-in sent and never answered by
    day 20; those in `heard` do not."""
    tokyo = ClinicFactory(name="Ginza Skin", time_zone="Asia/Tokyo")
    kenji = UserFactory(username="kenji", first_name="Kenji")
    MembershipFactory(user=kenji, clinic=tokyo, role=Role.PRACTITIONER)
    varied = Varied()

    def new(clinic=harbour, practitioner=alice):
        time_machine.move_to(SESSION_AT, tick=False)
        return TreatmentSessionFactory(
            patient=PatientFactory(clinic=clinic),
            practitioner=practitioner,
            performed_at=SESSION_AT,
            areas=["face", "neck"],
        )

    def log(session, hours, *, written_up=None, red_flags=(), wants_call=False, **severities):
        time_machine.move_to(at(written_up or hours), tick=False)
        types = {t.code: t for t in ReactionType.objects.filter(clinic=session.clinic)}
        questions = list(RedFlagQuestion.objects.filter(clinic=session.clinic))
        entries = [
            services.ReactionEntry(types[code], *(value if isinstance(value, tuple) else (value,)))
            for code, value in severities.items()
        ]
        services.report_create(
            session=session,
            reported_at=at(hours),
            reactions=entries,
            red_flags_present=[q for q in questions if q.code in red_flags],
            red_flags_asked=questions,
            wants_call=wants_call,
            source=services.ReportSource.STAFF,
            recorded_by=session.practitioner,
        )

    def check_in(session, hours, status=CheckInStatus.SENT, **moments):
        """A check-in due `hours` after the session, stored and assessed as sending it does."""
        time_machine.move_to(at(hours), tick=False)
        sent = {"sent_at": at(hours)} if status in (CheckInStatus.SENT, CheckInStatus.ANSWERED) else {}
        CheckIn.objects.create(session=session, due_at=at(hours), status=status, **{**sent, **moments})
        services.recovery_assess(recovery=Recovery.objects.get(pk=session.pk))

    def staff(session, hours, action):
        time_machine.move_to(at(hours), tick=False)
        services.follow_up_create(recovery=session.recovery, action=action, note="", recorded_by=alice)

    # Nothing heard at all, two check-ins unanswered.
    silent = new()
    check_in(silent, 24)
    check_in(silent, 48)
    # Two reactions, one of them past its window.
    fading = new()
    log(fading, 20, redness=Severity.MILD, bruising=Severity.MODERATE)
    check_in(fading, 24)
    # Red flags and a call asked for, acknowledged by a call that reached the patient.
    flagged = new()
    log(flagged, 30, red_flags=("discharge", "fever"), wants_call=True, swelling=Severity.MODERATE)
    staff(flagged, 32, FollowUpAction.CALLED)
    check_in(flagged, 48)
    # Worse and more painful, then calls that reached nobody.
    worsening = new()
    log(worsening, 20, swelling=Severity.MILD, tenderness=(Severity.MILD, 3))
    log(worsening, 44, swelling=Severity.SEVERE, tenderness=(Severity.MODERATE, 8))
    check_in(worsening, 72)
    staff(worsening, 80, FollowUpAction.CALL_NO_ANSWER)
    staff(worsening, 81, FollowUpAction.CALL_LEFT_MESSAGE)
    # Closed, then a check-in sent after the closure.
    closed = new()
    log(closed, 26, peeling=Severity.MILD)
    time_machine.move_to(at(50), tick=False)
    services.recovery_close(recovery=closed.recovery, outcome="recovered", note="", closed_by=alice)
    check_in(closed, 60)
    # Every kind of check-in: answered, never sent, e-mailed only before giving up, and unanswered.
    schedule = new()
    check_in(schedule, 24, CheckInStatus.ANSWERED, answered_at=at(25))
    log(schedule, 25, itch_warmth=Severity.MILD)
    check_in(schedule, 48, CheckInStatus.CANCELLED)
    check_in(schedule, 96, CheckInStatus.FAILED, emailed_at=at(96))
    check_in(schedule, 168)
    # A phone call written up ten hours later, with a lump first seen late.
    late = new()
    log(late, 30, written_up=40, redness=Severity.MILD)
    log(late, 24 * 15, nodules=Severity.MILD)
    check_in(late, 24 * 16)
    # Another clinic, another time zone, a catalogue changed since and two reactions in one place.
    far = new(tokyo, kenji)
    log(far, 20, redness=Severity.MODERATE, swelling=Severity.MILD)
    check_in(far, 24)
    ReactionType.objects.filter(clinic=tokyo, code="redness").update(fades_by_hours=24, staff_label="Rougeur")
    ReactionType.objects.filter(clinic=tokyo, code="swelling").update(position=0)
    ReactionType.objects.filter(clinic=tokyo, code="redness").update(position=0)
    varied.missed = [silent, fading, flagged, worsening, closed, schedule, late, far]

    # Heard from after the check-in; and all clear with no check-in at all.
    answered_by_phone = new()
    check_in(answered_by_phone, 24)
    log(answered_by_phone, 30, redness=Severity.MILD)
    settled = new()
    log(settled, 72)
    varied.heard = [answered_by_phone, settled]
    return varied
