from datetime import timedelta

import pytest
from django.urls import reverse

from recovery import forms as recovery_forms
from recovery import services
from recovery.models import Complication, FollowUp, ReactionReport, ReactionType, Recovery, ReportedReaction
from recovery.reasons import words
from recovery.rules import Severity, Status

from ..conftest import SESSION_AT
from ..factories import TreatmentSessionFactory


def at(hours):
    return SESSION_AT + timedelta(hours=hours)


def report_post(session, hours, *, red_flags=(), wants_call=False, note="", **severities):
    """What the staff report form sends: one row per reaction of the clinic's catalogue."""
    types = list(ReactionType.objects.filter(clinic=session.clinic))
    moment = at(hours).astimezone(session.clinic.zone)
    data = {
        "report-reported_at": moment.strftime("%Y-%m-%dT%H:%M"),
        "report-note": note,
        "reactions-TOTAL_FORMS": str(len(types)),
        "reactions-INITIAL_FORMS": str(len(types)),
    }
    if wants_call:
        data["report-wants_call"] = "on"
    data["report-red_flags"] = [str(q.pk) for q in session.clinic.red_flag_questions.filter(code__in=red_flags)]
    for index, reaction_type in enumerate(types):
        value = severities.get(reaction_type.code, (Severity.NONE, None, []))
        severity, pain, areas = value
        data[f"reactions-{index}-severity"] = str(severity)
        if pain is not None:
            data[f"reactions-{index}-pain_score"] = str(pain)
        data[f"reactions-{index}-areas"] = areas
    return data


def test_staff_log_a_report_and_the_session_page_shows_the_status_and_why(client_for, alice, session, time_machine):
    time_machine.move_to(at(30), tick=False)
    client = client_for(alice)

    response = client.post(
        reverse("photos:report_create", args=[session.pk]),
        report_post(session, 30, tenderness=(Severity.MODERATE, 8, ["face"]), note="Sore when smiling."),
    )

    assert response.status_code == 302
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Needs attention" in page
    assert "Pain 8/10 reported" in page
    assert "Tenderness or pain: Moderate, pain 8/10 (Face)" in page
    assert "Sore when smiling." in page
    report = ReactionReport.objects.get()
    assert (report.source, report.recorded_by) == ("staff", alice)


def test_session_page_turns_overdue_when_the_clock_passes_the_window(client_for, alice, session, report, time_machine):
    report(20, redness=Severity.MILD)

    time_machine.move_to(at(47), tick=False)
    assert "On track" in client_for(alice).get(session.get_absolute_url()).content.decode()

    time_machine.move_to(at(49), tick=False)
    page = client_for(alice).get(session.get_absolute_url()).content.decode()
    assert "Overdue" in page
    assert "Redness should have faded by 48 h and was still present at the last report" in page


def test_report_form_keeps_what_was_typed_when_refused(client_for, alice, session, time_machine):
    time_machine.move_to(at(30), tick=False)

    response = client_for(alice).post(
        reverse("photos:report_create", args=[session.pk]),
        report_post(session, 40, note="Typed before the mistake."),
    )

    assert response.context["entry"].form.errors["reported_at"] == [str(services.REPORT_IN_FUTURE)]
    assert "Typed before the mistake." in response.content.decode()
    assert not ReactionReport.objects.exists()


def test_report_dated_before_the_session_is_refused(client_for, alice, session, time_machine):
    time_machine.move_to(at(30), tick=False)

    response = client_for(alice).post(reverse("photos:report_create", args=[session.pk]), report_post(session, -2))

    assert response.context["entry"].form.errors["reported_at"] == [str(services.REPORT_BEFORE_SESSION)]
    assert not ReactionReport.objects.exists()


def test_pain_score_without_the_reaction_is_refused(client_for, alice, session, time_machine):
    time_machine.move_to(at(30), tick=False)

    response = client_for(alice).post(
        reverse("photos:report_create", args=[session.pk]),
        report_post(session, 30, tenderness=(Severity.NONE, 5, [])),
    )

    tenderness_row = next(f for f in response.context["entry"].reactions if f.reaction_type.code == "tenderness")
    assert tenderness_row.errors["pain_score"] == [str(recovery_forms.PAIN_WITHOUT_REACTION)]
    assert not ReactionReport.objects.exists()


def test_a_reaction_on_an_area_the_session_did_not_treat_is_kept_and_needs_the_clinic_now(
    client_for, alice, session, time_machine
):
    time_machine.move_to(at(30), tick=False)

    response = client_for(alice).post(
        reverse("photos:report_create", args=[session.pk]),
        report_post(session, 30, redness=(Severity.MILD, None, ["scalp"])),
    )

    assert response.status_code == 302
    assert ReportedReaction.objects.get(report__session=session, reaction_type__code="redness").areas == ["scalp"]
    recovery = Recovery.objects.get(session=session)
    assert recovery.status_at() == Status.NEEDS_ATTENTION
    assert "Redness beyond the treated area (scalp)" in [words(f) for f in recovery.assessment().findings]


def test_an_area_not_in_the_list_is_refused(client_for, alice, session, time_machine):
    time_machine.move_to(at(30), tick=False)

    response = client_for(alice).post(
        reverse("photos:report_create", args=[session.pk]),
        report_post(session, 30, redness=(Severity.MILD, None, ["elbow"])),
    )

    assert response.status_code == 200
    assert not ReactionReport.objects.exists()


def test_acknowledging_marks_the_recovery_followed_up(client_for, alice, session, report, time_machine):
    report(5, wants_call=True)
    client = client_for(alice)

    client.post(reverse("recovery:follow_up_create", args=[session.pk]), {"action": "called", "note": "All fine."})

    follow_up = FollowUp.objects.get()
    assert (follow_up.recorded_by, follow_up.action, follow_up.note) == (alice, "called", "All fine.")
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Followed up" in page
    assert "Called: spoke to the patient" in page


def test_closing_with_an_outcome_resolves(client_for, alice, session, report):
    report(5, red_flags=["fever"])

    client_for(alice).post(reverse("recovery:close", args=[session.pk]), {"outcome": "resolved_alone", "note": "Gone."})

    recovery = Recovery.objects.get(pk=session.pk)
    assert (recovery.closing_outcome, recovery.closed_by) == ("resolved_alone", alice)
    assert "Resolved" in client_for(alice).get(session.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photos:report_create", None),
        ("recovery:follow_up_create", {"action": "called", "note": ""}),
        ("recovery:complication_create", {"complication_type": "infection", "grade": "2", "outcome": "recovering"}),
        ("recovery:close", {"outcome": "recovered", "note": ""}),
    ],
)
def test_staff_of_another_clinic_can_neither_see_nor_change_a_recovery(client_for, bob, session, name, data):
    url = reverse(name, args=[session.pk])
    before = Recovery.objects.filter(pk=session.pk).values().get()
    client = client_for(bob)

    assert client.get(url).status_code == 404
    assert client.post(url, data or report_post(session, 2, wants_call=True)).status_code == 404

    assert Recovery.objects.filter(pk=session.pk).values().get() == before
    assert not ReactionReport.objects.exists()
    assert not FollowUp.objects.exists()
    assert not Complication.objects.exists()


def test_manager_edits_a_rule_and_the_change_is_kept_with_who_and_when(client_for, mary, harbour):
    redness = ReactionType.objects.get(clinic=harbour, code="redness")
    client = client_for(mary)
    data = {
        "staff_label": "Redness",
        "patient_wording": redness.patient_wording,
        "patient_wording_fr": redness.patient_wording_fr,
        "kind": "expected",
        "fades_by_hours": "60",
        "attention_after_hours": "",
        "new_onset_attention_after_hours": "",
        "attention_when_worse": "on",
        "source": "Our audit of 2025.",
    }

    client.post(reverse("recovery:reaction_type_edit", args=[redness.pk]), data)

    redness.refresh_from_db()
    assert redness.fades_by_hours == 60
    latest = redness.history.latest()
    assert (latest.history_user, latest.fades_by_hours) == (mary, 60)
    page = client.get(reverse("recovery:reaction_type_edit", args=[redness.pk])).content.decode()
    assert "48 → 60" in page


def test_rule_needing_attention_before_fading_is_refused(client_for, mary, harbour):
    swelling = ReactionType.objects.get(clinic=harbour, code="swelling")

    response = client_for(mary).post(
        reverse("recovery:reaction_type_edit", args=[swelling.pk]),
        {
            "staff_label": "Swelling",
            "patient_wording": "x",
            "kind": "expected",
            "fades_by_hours": "48",
            "attention_after_hours": "24",
        },
    )

    assert "attention_after_hours" in response.context["form"].errors
    swelling.refresh_from_db()
    assert swelling.attention_after_hours == 96


def test_practitioner_cannot_change_the_rules(client_for, alice, harbour):
    redness = ReactionType.objects.get(clinic=harbour, code="redness")
    client = client_for(alice)

    assert client.get(reverse("recovery:catalogue")).status_code == 403
    assert (
        client.post(reverse("recovery:reaction_type_edit", args=[redness.pk]), {"fades_by_hours": 1}).status_code == 403
    )
    redness.refresh_from_db()
    assert redness.fades_by_hours == 48


def test_manager_cannot_open_another_clinics_rules(client_for, mary, riverside):
    redness = ReactionType.objects.get(clinic=riverside, code="redness")

    assert client_for(mary).get(reverse("recovery:reaction_type_edit", args=[redness.pk])).status_code == 404


def test_catalogue_lists_the_defaults_of_the_product_brief(client_for, mary):
    page = client_for(mary).get(reverse("recovery:catalogue")).content.decode()

    for label in ["Redness", "Swelling", "Tenderness or pain", "Nodules or lumps", "Fever", "Change in vision"]:
        assert label in page
    assert "Mild swelling" not in page


def test_the_rules_page_gives_long_windows_in_days_and_short_ones_in_hours(client_for, mary):
    page = client_for(mary).get(reverse("recovery:catalogue")).content.decode()

    assert "<td>10 days</td>" in page
    assert "<td>14 days</td>" in page
    assert "<td>48 h</td>" in page
    assert "still present after 4 days" in page
    assert "240 h" not in page


@pytest.mark.parametrize("reports", [2, 20])
def test_session_page_queries_do_not_grow_with_reports(
    client_for, alice, session, report, reports, django_assert_max_num_queries
):
    for index in range(reports):
        report(index + 1, redness=Severity.MILD, tenderness=(Severity.MILD, 3))
    client = client_for(alice)

    # Two of them read the chart: its zones and the reports' marks (the marks take their reports from the
    # timeline's); its injection points are read only when it has charted zones. The reaction windows use
    # the types read with the reactions, and the unanswered calls are counted from the follow-ups listed.
    with django_assert_max_num_queries(20):
        response = client.get(session.get_absolute_url())

    assert response.status_code == 200


def test_another_clinics_session_has_no_recovery_page(client_for, bob, alice, harbour_patient):
    other = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice)

    assert client_for(bob).get(other.get_absolute_url()).status_code == 404


def test_a_report_arriving_while_staff_type_a_follow_up_stays_unacknowledged(
    client_for, alice, session, report, time_machine
):
    report(5, wants_call=True)
    client = client_for(alice)
    seen_at = client.get(reverse("recovery:follow_up_create", args=[session.pk])).context["form"]["seen_at"].value()
    report(6, red_flags=["airway"])
    time_machine.move_to(at(6.5), tick=False)

    client_for(alice).post(
        reverse("recovery:follow_up_create", args=[session.pk]), {"action": "called", "note": "", "seen_at": seen_at}
    )

    recovery = Recovery.objects.with_status(at(7)).get(pk=session.pk)
    assert (recovery.status, recovery.followed_up) == ("needs_attention", False)


def test_a_reopened_recovery_can_be_closed_again(client_for, alice, session, report):
    report(5, red_flags=["fever"])
    services.recovery_close(recovery=session.recovery, outcome="antibiotics", note="", closed_by=alice)
    report(50, red_flags=["discharge"])

    client_for(alice).post(reverse("recovery:close", args=[session.pk]), {"outcome": "referred", "note": ""})

    recovery = Recovery.objects.get(pk=session.pk)
    assert recovery.closing_outcome == "referred"
    assert list(recovery.history.values_list("closing_outcome", flat=True).order_by("history_id")) == [
        "",
        "antibiotics",
        "referred",
    ]


def test_closing_a_closed_recovery_changes_nothing(client_for, alice, mary, session, report):
    report(5)
    services.recovery_close(recovery=session.recovery, outcome="recovered", note="", closed_by=mary)

    response = client_for(alice).post(reverse("recovery:close", args=[session.pk]), {"outcome": "referred"})

    assert response.status_code == 302
    recovery = Recovery.objects.get(pk=session.pk)
    assert (recovery.closing_outcome, recovery.closed_by) == ("recovered", mary)


def test_a_red_flag_reported_but_not_listed_as_asked_is_still_stored(session, alice, time_machine):
    time_machine.move_to(at(3), tick=False)
    airway = session.clinic.red_flag_questions.get(code="airway")

    services.report_create(
        session=session,
        reported_at=at(3),
        reactions=[],
        red_flags_present=[airway],
        red_flags_asked=[],
        wants_call=False,
        source=services.ReportSource.STAFF,
        recorded_by=alice,
    )

    assert Recovery.objects.with_status(at(3)).get(pk=session.pk).status == "needs_attention"


def test_manager_rewords_a_red_flag_and_the_change_is_kept(client_for, mary, harbour):
    fever = harbour.red_flag_questions.get(code="fever")

    client_for(mary).post(
        reverse("recovery:red_flag_edit", args=[fever.pk]),
        {
            "staff_label": "Fever over 38 °C",
            "patient_question": "Is your temperature over 38 °C?",
            "patient_question_fr": "Avez-vous plus de 38 °C de température ?",
        },
    )

    fever.refresh_from_db()
    assert fever.staff_label == "Fever over 38 °C"
    assert fever.history.get(history_type="~").history_user == mary


def test_rewording_a_red_flag_rewords_the_reasons_of_open_recoveries(mary, session, report):
    report(3, red_flags=["fever"])
    fever = session.clinic.red_flag_questions.get(code="fever")
    fever.staff_label = "Fever over 38 °C"

    services.red_flag_question_update(question=fever, changed_by=mary)

    assert [words(f) for f in Recovery.objects.get(pk=session.pk).reasons_at(at(4))] == [
        "Red flag reported: Fever over 38 °C"
    ]


def test_manager_cannot_change_another_clinics_rules(client_for, mary, riverside):
    redness = riverside.reaction_types.get(code="redness")
    fever = riverside.red_flag_questions.get(code="fever")
    client = client_for(mary)

    assert (
        client.post(reverse("recovery:reaction_type_edit", args=[redness.pk]), {"fades_by_hours": 1}).status_code == 404
    )
    assert client.post(reverse("recovery:red_flag_edit", args=[fever.pk]), {"staff_label": "x"}).status_code == 404
    redness.refresh_from_db()
    fever.refresh_from_db()
    assert (redness.fades_by_hours, fever.staff_label) == (48, "Fever")
