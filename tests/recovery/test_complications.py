"""A clinician confirms a complication as the regulators will ask for it: a grade with the CTCAE's
words, the seriousness criteria, the suspect products with their causality, and an outcome apart
from the treatment given; its onset comes from the patient's reports, never typed."""

from datetime import timedelta

import pytest
from django.urls import reverse

from recovery import complications
from recovery.models import Complication, OnsetClass, Recovery, SuspectProduct
from recovery.rules import Severity

from ..conftest import SESSION_AT, at
from ..factories import TreatmentSessionFactory


def confirm(client, session, **fields):
    line = session.products_used.get()
    data = {
        "complication_type": "nodule",
        "grade": "2",
        "outcome": "recovering",
        f"suspect_{line.pk}": "possible",
        **fields,
    }
    return client.post(reverse("recovery:complication_create", args=[session.pk]), data)


def test_the_form_shows_each_grade_in_the_ctcae_words_and_each_product_of_the_session(client_for, alice, session):
    page = client_for(alice).get(reverse("recovery:complication_create", args=[session.pk])).content.decode()
    line = session.products_used.select_related("batch__product").get()

    assert "Grade 3 – severe or medically significant, not immediately life-threatening: hospitalisation" in page
    assert "Intervention needed to prevent permanent harm" in page
    assert f"{line.batch.product.name}, lot {line.batch.lot_number}: causality" in page
    assert 'name="onset_on"' not in page


def test_a_confirmed_complication_starts_at_the_report_that_announced_it_and_can_close_the_recovery(
    client_for, alice, session, report, time_machine
):
    report(24 * 2, redness=Severity.MILD)
    lump = report(24 * 16, nodules=Severity.MILD)
    time_machine.move_to(at(24 * 18), tick=False)

    confirm(
        client_for(alice),
        session,
        resolved_on="2026-03-19",
        outcome="recovered",
        treatments_given=["hyaluronidase"],
        close_recovery="on",
    )

    complication = Complication.objects.get()
    assert complication.onset_at == lump.reported_at
    assert complication.onset_class == OnsetClass.EARLY
    assert (complication.outcome, complication.treatments_given) == ("recovered", ["hyaluronidase"])
    assert Recovery.objects.get(pk=session.pk).closing_outcome == "hyaluronidase"
    assert [(s.session_product, s.causality) for s in SuspectProduct.objects.all()] == [
        (session.products_used.get(), "possible")
    ]


def test_without_any_report_of_a_sign_the_onset_is_when_it_was_confirmed(client_for, alice, session, time_machine):
    time_machine.move_to(SESSION_AT + timedelta(hours=5), tick=False)

    confirm(client_for(alice), session, complication_type="vascular", grade="3", serious_intervention="on")

    complication = Complication.objects.get()
    assert complication.onset_at == SESSION_AT + timedelta(hours=5)
    assert complication.onset_class == OnsetClass.IMMEDIATE
    assert complication.is_serious


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"grade": "3"}, "grade", complications.SEVERE_IS_SERIOUS),
        ({"grade": "3", "serious_life_threatening": "on"}, "grade", complications.LIFE_THREATENING_IS_GRADE_4),
        ({"grade": "4", "serious_death": "on"}, "serious_death", complications.DEATH_IS_GRADE_5),
        (
            {"grade": "5", "serious_death": "on", "outcome": "recovered"},
            "serious_death",
            complications.DEATH_IS_GRADE_5,
        ),
        ({"outcome": "recovering", "close_recovery": "on"}, "outcome", complications.RESOLVED_TO_CLOSE),
        ({"resolved_on": "2026-03-07", "outcome": "recovering"}, "outcome", complications.RESOLVED_NEEDS_ITS_OUTCOME),
    ],
)
def test_a_grade_and_seriousness_that_contradict_each_other_are_refused(
    client_for, alice, session, time_machine, fields, field, message
):
    time_machine.move_to(at(24 * 5), tick=False)

    response = confirm(client_for(alice), session, **fields)

    assert str(message) in response.context["form"].errors[field]
    assert not Complication.objects.exists()
    assert not Recovery.objects.get(pk=session.pk).clinician_confirmed


def test_a_resolution_before_the_onset_is_refused(client_for, alice, session, report, time_machine):
    report(24 * 10, nodules=Severity.MILD)
    time_machine.move_to(at(24 * 12), tick=False)

    response = confirm(client_for(alice), session, resolved_on="2026-03-05", outcome="recovered")

    assert response.context["form"].errors["resolved_on"] == [str(complications.RESOLUTION_BEFORE_ONSET)]
    assert not Complication.objects.exists()


def test_a_product_of_another_session_cannot_be_named_a_suspect(alice, session, harbour_patient, time_machine):
    time_machine.move_to(at(24 * 5), tick=False)
    other = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice).products_used.get()

    with pytest.raises(complications.ValidationError) as refused:
        complications.complication_record(
            recovery=session.recovery,
            complication_type="nodule",
            grade=2,
            suspects={other.pk: "possible"},
            recorded_by=alice,
        )

    assert "suspects" in refused.value.message_dict
    assert not Complication.objects.exists()


def test_a_practitioner_confirms_and_the_grade_is_required(client_for, alice, session, time_machine):
    time_machine.move_to(at(24 * 5), tick=False)

    response = confirm(client_for(alice), session, grade="")

    assert "grade" in response.context["form"].errors
    assert not Complication.objects.exists()
