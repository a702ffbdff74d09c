"""Reasons and notifications stored as words before they were stored as codes are kept, word for word,
until the recovery is assessed again; the default catalogue gains its French labels, and a label a
clinic wrote itself is left alone."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone, translation

from recovery import services
from recovery.models import Notification, ReactionType, Recovery, RedFlagQuestion
from recovery.notification_words import notification_words
from recovery.reasons import words

from ..factories import TreatmentSessionFactory

BEFORE = ("recovery", "0025_guide_codes")
LEGACY_REASON = "Signe d'alerte signalé : Fièvre"


def historical(model_name):
    return MigrationLoader(connection).project_state(BEFORE).apps.get_model("recovery", model_name)


@pytest.mark.django_db(transaction=True)
def test_what_was_stored_as_words_is_kept_until_the_recovery_is_assessed_again(harbour, alice):
    session = TreatmentSessionFactory(patient__clinic=harbour, practitioner=alice)
    since = timezone.now().isoformat()
    call_command("migrate", *BEFORE, verbosity=0)
    historical("Recovery").objects.filter(pk=session.pk).update(
        findings=[{"level": "attention", "reason": LEGACY_REASON, "since": since, "subject": ""}]
    )
    historical("Notification").objects.create(
        recipient_id=alice.pk, recovery_id=session.pk, kind="red_flag", text="Red flag for Hannah: Fever", event_key="x"
    )
    historical("ReactionType").objects.filter(clinic_id=harbour.pk, code="redness").update(staff_label="Erythema")

    call_command("migrate", verbosity=0)

    recovery = Recovery.objects.get(pk=session.pk)
    with translation.override("en-gb"):
        assert [words(f) for f in recovery.assessment().findings] == [LEGACY_REASON]
        assert notification_words(Notification.objects.get()) == "Red flag for Hannah: Fever"
    assert ReactionType.objects.get(clinic=harbour, code="swelling").staff_label_fr == "Œdème (gonflement)"
    assert ReactionType.objects.get(clinic=harbour, code="swelling").source_fr.startswith("R\xa0: 24 à 48")
    assert RedFlagQuestion.objects.get(clinic=harbour, code="vision").staff_label_fr == "Trouble visuel"
    assert ReactionType.objects.get(clinic=harbour, code="redness").staff_label_fr == ""

    services.recovery_assess(recovery=recovery)

    assert json.dumps(Recovery.objects.get(pk=session.pk).findings).find(LEGACY_REASON) == -1
