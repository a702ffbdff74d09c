"""Why a recovery needs someone, in the reader's language: a French manager reads the queue, the
session page, the feed and the notifications all in French, an English manager all in English, however
the patient answered and whichever language the rules ran in."""

from datetime import UTC, datetime, timedelta
from html import escape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from time_machine import travel

from clinics.models import Role
from recovery import services
from recovery.findings import Finding, Level, Reason
from recovery.models import Notification, ReactionType, Recovery, RedFlagQuestion
from recovery.notification_words import notification_words
from recovery.reasons import words
from recovery.rules import Severity
from tests.two_factor import signed_in_with_code

from ..factories import MembershipFactory, PatientFactory, TreatmentSessionFactory, UserFactory

SESSION_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOW = SESSION_AT + timedelta(days=5)


def in_french(message: str) -> str:
    with translation.override("fr"):
        return gettext(message)


def report(session, *, days, language, red_flags=(), **severities):
    """The patient's answer on their own page, in their language, `days` after the session."""
    moment = session.performed_at + timedelta(days=days)
    with travel(moment, tick=False), translation.override(language):
        services.report_create(
            session=session,
            reported_at=moment,
            reactions=[
                services.ReactionEntry(t, severities.get(t.code, Severity.NONE))
                for t in ReactionType.objects.filter(clinic=session.clinic)
            ],
            red_flags_present=list(RedFlagQuestion.objects.filter(clinic=session.clinic, code__in=red_flags)),
            red_flags_asked=list(RedFlagQuestion.objects.filter(clinic=session.clinic)),
            wants_call=False,
            source=services.ReportSource.PATIENT,
        )


@pytest.fixture
def amelie_swollen(harbour, alice, time_machine):
    """A French patient whose swelling is still there on day 5, with a fever."""
    time_machine.move_to(NOW, tick=False)
    patient = PatientFactory(clinic=harbour, first_name="Amélie", last_name="Martin", language="fr")
    session = TreatmentSessionFactory(patient=patient, practitioner=alice, performed_at=SESSION_AT)
    report(session, days=1, language="fr", swelling=Severity.MILD)
    report(session, days=5, language="fr", red_flags=["fever"], swelling=Severity.MILD)
    return session


@pytest.fixture
def francoise(harbour):
    user = UserFactory(username="francoise", first_name="Françoise")
    MembershipFactory(user=user, clinic=harbour, role=Role.MANAGER)
    return user


def in_language(user, language):
    client = signed_in_with_code(Client(), user)
    client.post(reverse("set_language"), {"language": language})
    return client


ENGLISH = [
    "Red flag reported: Fever",
    "Swelling still present after 4 days",
    "Swelling should have faded by 48 h and was still present at the last report",
]


def french() -> list[str]:
    with translation.override("fr"):
        return [
            gettext("Red flag reported: %(flag)s") % {"flag": "Fièvre"},
            gettext("%(reaction)s still present after %(window)s")
            % {"reaction": "Œdème (gonflement)", "window": ngettext("%(days)s day", "%(days)s days", 4) % {"days": 4}},
            gettext("%(reaction)s should have faded by %(window)s and was still present at the last report")
            % {"reaction": "Œdème (gonflement)", "window": gettext("%(hours)s h") % {"hours": 48}},
        ]


def pages(client, session) -> dict[str, str]:
    return {
        "queue": client.get(reverse("recovery:dashboard")).content.decode(),
        "session": client.get(session.get_absolute_url()).content.decode(),
        "notifications": client.get(reverse("recovery:notifications")).content.decode(),
        "feed": "\n".join(
            reason["reason"]
            for row in client.get(reverse("recovery:feed")).json()["queue"]
            for reason in row["reasons"]
        ),
    }


def shown(text: str, page: str) -> bool:
    return escape(text) in page or text in page


def test_a_french_patients_answers_read_all_in_english_to_an_english_manager(mary, amelie_swollen):
    for name, page in pages(in_language(mary, "en-gb"), amelie_swollen).items():
        if name == "notifications":
            assert shown("Red flag for Amélie Martin: Fever", page)
            continue
        assert all(shown(reason, page) for reason in ENGLISH), name
        assert not any(shown(reason, page) for reason in french()), name


def test_the_same_recovery_reads_all_in_french_to_a_french_manager(francoise, amelie_swollen):
    for name, page in pages(in_language(francoise, "fr"), amelie_swollen).items():
        if name == "notifications":
            assert shown(
                in_french("Red flag for %(patient)s: %(flags)s") % {"patient": "Amélie Martin", "flags": "Fièvre"},
                page,
            )
            continue
        assert all(shown(reason, page) for reason in french()), name
        assert not any(shown(reason, page) for reason in ENGLISH), name


def test_what_is_stored_is_the_same_whichever_language_the_rules_ran_in(amelie_swollen):
    stored = Recovery.objects.get(pk=amelie_swollen.pk).findings

    with translation.override("en-gb"):
        services.recovery_assess(recovery=Recovery.objects.get(pk=amelie_swollen.pk))

    assert Recovery.objects.get(pk=amelie_swollen.pk).findings == stored
    assert {finding["code"] for finding in stored} >= {"red_flag", "still_present", "not_faded"}
    assert not any("reason" in finding for finding in stored)


def test_a_notification_stores_what_it_tells_not_its_words(amelie_swollen, alice):
    told = Notification.objects.get(recipient=alice, kind="red_flag")

    assert told.params == {"flags": [{"en": "Fever", "fr": "Fièvre"}]}
    with translation.override("en-gb"):
        assert notification_words(told) == "Red flag for Amélie Martin: Fever"
    with translation.override("fr"):
        assert notification_words(told) == (
            in_french("Red flag for %(patient)s: %(flags)s") % {"patient": "Amélie Martin", "flags": "Fièvre"}
        )


def test_a_label_a_clinic_wrote_only_in_english_reads_in_english_to_french_staff(amelie_swollen):
    RedFlagQuestion.objects.filter(clinic=amelie_swollen.clinic, code="fever").update(
        staff_label="High temperature", staff_label_fr=""
    )
    services.recovery_assess(recovery=Recovery.objects.get(pk=amelie_swollen.pk))

    with translation.override("fr"):
        reasons = [words(f) for f in Recovery.objects.get(pk=amelie_swollen.pk).reasons_at(NOW)]

    assert in_french("Red flag reported: %(flag)s") % {"flag": "High temperature"} in reasons


def test_a_missed_check_in_is_dated_in_the_readers_language():
    sent = datetime(2026, 6, 5, 10, 0, tzinfo=UTC).isoformat()
    missed = Finding(Level.OVERDUE, Reason.CHECK_IN_MISSED, NOW, params={"sent": sent})

    with translation.override("en-gb"):
        english = words(missed)
    with translation.override("fr"):
        french_words = words(missed)

    assert english == "Check-in sent 5 June 10:00 was not answered"
    assert "juin" in french_words
    assert "June" not in french_words
