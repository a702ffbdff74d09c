from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clinic.celery import app as celery_app
from clinics.models import Clinic, Membership, Role, User
from patients.models import Patient
from recovery.models import (
    Complication,
    GuideMessage,
    GuideStatus,
    Notification,
    NotificationKind,
    ReactionKind,
    ReactionType,
    Recovery,
    RedFlagQuestion,
)
from recovery.reasons import words
from recovery.rules import MISSED_CHECK_IN, Level, Status
from recovery.selectors import with_unanswered_calls
from treatments.models import Batch, TreatmentSession
from treatments.selectors import patients_of_batch
from treatments.services import batch_problem


def seed():
    call_command("seed_demo", stdout=StringIO())


def counts():
    return (
        Clinic.objects.count(),
        User.objects.count(),
        Patient.objects.count(),
        Batch.objects.count(),
        TreatmentSession.objects.count(),
    )


def test_demo_has_two_clinics_one_manager_over_both_and_three_practitioners(db):
    seed()

    assert Clinic.objects.count() == 2
    manager = User.objects.get(username="manager")
    assert set(Membership.objects.filter(user=manager).values_list("role", flat=True)) == {Role.MANAGER}
    assert manager.clinics.count() == 2
    assert Membership.objects.filter(role=Role.PRACTITIONER).values("user").distinct().count() == 3


def test_demo_has_about_forty_patients_and_an_expired_batch(db):
    seed()

    assert Patient.objects.count() == 40
    assert Batch.objects.filter(expiry_date__lt=timezone.localdate()).exists()
    assert Batch.objects.filter(expiry_date__gte=timezone.localdate()).count() > 1


def test_demo_sessions_fall_in_the_last_three_weeks_and_use_unexpired_batches(db):
    seed()

    sessions = TreatmentSession.objects.all()
    assert sessions.count() == 60
    assert not sessions.filter(performed_at__lt=timezone.now() - timedelta(days=21)).exists()
    assert not sessions.filter(performed_at__gt=timezone.now()).exists()
    assert not sessions.filter(products_used__batch__expiry_date__lt=timezone.localdate()).exists()


def test_demo_logins_work_with_the_printed_password(client, db):
    seed()

    response = client.post("/accounts/login/", {"username": "nurse.alice", "password": "recovery-demo"})

    assert response.status_code == 302


def test_seeding_twice_changes_nothing(db):
    seed()
    before = counts()

    seed()

    assert counts() == before


def test_demo_recoveries_show_every_status(db):
    seed()

    statuses = set(Recovery.objects.with_status().values_list("status", flat=True))

    assert statuses == {"needs_attention", "overdue", "on_track", "resolved"}


@pytest.mark.parametrize("command", ["seed_demo", "seed_scale"])
@pytest.mark.django_db
def test_made_up_patients_are_refused_where_texts_really_leave(command, settings):
    settings.TEXT_MESSAGE_BACKEND = "messaging.text_messages.TelnyxBackend"

    with pytest.raises(CommandError, match="made-up patients would text real people"):
        call_command(command)

    assert not Patient.objects.exists()


def reasons_now():
    """Every reason the work queue gives now, with its recovery: the stored findings, read against the clock."""
    now = timezone.now()
    return [
        (recovery, finding) for recovery in Recovery.objects.with_status(now) for finding in recovery.reasons_at(now)
    ]


def rules_not_shown() -> list[str]:
    """The product brief's rules that no recovery of the demo shows now."""
    reasons = reasons_now()
    texts = {words(finding) for _, finding in reasons}
    harbour = Clinic.objects.get(name="Harbour Skin Clinic")
    catalogue = ReactionType.objects.filter(clinic=harbour)
    expected = {
        "worse than at the previous report": any("worse than at the previous report" in t for t in texts),
        "pain rising between reports": any(t.startswith("Pain rising between reports") for t in texts),
        "reported as severe": any(t.endswith("reported as severe") for t in texts),
        "the patient asked to be called": "The patient asked to be called" in texts,
        "a missed check-in": any(
            recovery.status == Status.OVERDUE and finding.subject == MISSED_CHECK_IN for recovery, finding in reasons
        ),
        "followed up by staff": Recovery.objects.with_status().filter(followed_up=True).exists(),
        "a call that reached nobody, the recovery still waiting": with_unanswered_calls(Recovery.objects.with_status())
        .filter(unanswered_calls__gt=0, status=Status.NEEDS_ATTENTION, followed_up=False)
        .exists(),
        "a confirmed complication": Complication.objects.filter(recovery__clinician_confirmed=True).exists(),
        "a closed recovery": Recovery.objects.filter(closed_at__isnull=False).exists(),
    }
    for reaction in catalogue.filter(kind=ReactionKind.EXPECTED):
        expected[f"{reaction.code} past its window"] = any(
            f.level == Level.OVERDUE and f.subject == reaction.code for _, f in reasons
        )
        if reaction.attention_after_hours:
            expected[f"{reaction.code} past its attention time"] = any(
                f.level == Level.ATTENTION and f.subject == reaction.code for _, f in reasons
            )
    for reaction in catalogue.exclude(attention_pain_score=None):
        expected[f"pain {reaction.attention_pain_score}/10"] = (
            f"Pain {reaction.attention_pain_score}/10 reported" in texts
        )
    for reaction in catalogue.exclude(new_onset_attention_after_hours=None):
        expected[f"a late new {reaction.code}"] = any(
            t.startswith(f"New {reaction.staff_label.lower()}") for t in texts
        )
    questions = RedFlagQuestion.objects.filter(clinic__in=Clinic.objects.all())
    expected["a red flag"] = any(
        f"Red flag reported: {q.staff_label}" in texts for q in questions.filter(emergency=False)
    )
    expected["an emergency red flag"] = any(
        f"Red flag reported: {q.staff_label}" in texts for q in questions.filter(emergency=True)
    )
    quarantined = Batch.objects.filter(quarantined_at__isnull=False).select_related("product__clinic").first()
    expected["a quarantined batch, refused for new sessions, with patients to contact"] = bool(
        quarantined
        and batch_problem(quarantined, clinic=quarantined.product.clinic, performed_at=timezone.now())
        and patients_of_batch(batch=quarantined).exists()
    )
    expected["managers told of the batch's cluster"] = Notification.objects.filter(
        kind=NotificationKind.BATCH_CLUSTER, recipient__username="manager"
    ).exists()
    return sorted(rule for rule, shown in expected.items() if not shown)


def test_the_demo_shows_every_rule_of_the_brief(db):
    seed()

    assert rules_not_shown() == []


def test_the_managers_work_queue_gives_every_reason_with_plenty_on_track(client_for, db):
    seed()

    page = client_for(User.objects.get(username="manager")).get("/").content.decode()

    missing = {words(finding) for _, finding in reasons_now() if escape(words(finding)) not in page}
    assert missing == set()
    assert Recovery.objects.with_status().filter(status=Status.ON_TRACK).count() >= 20


def test_every_alarm_the_demo_raised_still_stands_and_none_waits_for_an_email(db):
    seed()
    now = timezone.now()

    alarms = Notification.objects.filter(kind__in=[NotificationKind.RED_FLAG, NotificationKind.NEEDS_ATTENTION])

    assert alarms.exists()
    # Each still needs attention, or staff closed the recovery after dealing with it.
    assert not [
        n.text for n in alarms if n.recovery.status_at(now) != Status.NEEDS_ATTENTION and not n.recovery.closed_at
    ]
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_seeding_hands_no_work_to_the_broker(monkeypatch):
    # As outside the tests, where each hand-over to a broker that is not running waits for a timeout.
    celery_app.conf.task_always_eager = False
    published = []
    monkeypatch.setattr(celery_app, "send_task", lambda name, *args, **kwargs: published.append(name))

    seed()

    assert published == []
    assert celery_app.conf.task_always_eager is False


def test_demo_sessions_show_their_guides_as_sent_when_logged_and_nothing_waits_to_be_sent(db):
    seed()

    consenting = TreatmentSession.objects.filter(patient__consents_to_check_ins=True)
    assert GuideMessage.objects.filter(status=GuideStatus.SENT).count() == consenting.count() > 0
    assert not GuideMessage.objects.exclude(status=GuideStatus.SENT).exists()


def test_the_demo_shows_photos_beside_the_session_day_by_day(client_for, db):
    seed()

    pictured = TreatmentSession.objects.filter(photos__source="session").distinct()
    assert pictured.count() == 3
    stored = storages["photos"]
    for session in pictured:
        assert session.patient.consents_to_photos
        assert session.patient.photo_consent_on
        assert session.photos.filter(source="session").count() == 1
        assert session.photos.exclude(source="session").count() == session.reports.count()
        for photo in session.photos.all():
            assert stored.exists(photo.image_name)
            assert stored.exists(photo.thumbnail_name)
    manager = User.objects.get(username="manager")
    page = client_for(manager).get(reverse("photos:photo_compare", args=[pictured[0].pk]))
    assert len(page.context["days"]) == pictured[0].reports.count() + 1


def test_the_demos_boxes_can_be_scanned(client_for, db):
    seed()
    manager = User.objects.get(username="manager")
    patient = Patient.objects.filter(clinic__name="Harbour Skin Clinic").first()
    code = "(01)09506000134369(17)271231(10)DEMO-1"

    found = client_for(manager).get(reverse("treatments:scan_batch"), {"code": code, "patient": patient.pk}).json()

    assert (found["outcome"], found["can_register"]) == ("unknown_lot", True)
    assert found["message"] == "Lot DEMO-1 of Hydra Boost 1.5% is not in Harbour Skin Clinic's stock yet."


def test_some_demo_patients_read_their_messages_in_french(db):
    seed()

    french = Patient.objects.filter(language="fr")
    assert french.count() == 4
    assert all(patient.language_spoken == "fr" for patient in french)
