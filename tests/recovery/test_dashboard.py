from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from time_machine import travel

from recovery import services
from recovery.models import ReactionType, RedFlagQuestion
from recovery.reasons import words
from recovery.rules import Severity, just_after

from ..factories import BatchFactory, ClinicFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory

NOW = timezone.make_aware(timezone.datetime(2026, 3, 20, 9, 0))
DASHBOARD = reverse("recovery:dashboard")
FEED = reverse("recovery:feed")


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def log_report(session, *, hours_after, by, red_flags=(), wants_call=False, **severities):
    """A staff report `hours_after` the session, logged at that moment; the clock returns to NOW."""
    moment = session.performed_at + timedelta(hours=hours_after)
    with travel(moment, tick=False):
        services.report_create(
            session=session,
            reported_at=moment,
            reactions=[
                services.ReactionEntry(t, severities.get(t.code, Severity.NONE))
                for t in ReactionType.objects.filter(clinic=session.clinic)
            ],
            red_flags_present=list(RedFlagQuestion.objects.filter(clinic=session.clinic, code__in=red_flags)),
            red_flags_asked=[],
            wants_call=wants_call,
            source=services.ReportSource.STAFF,
            recorded_by=by,
        )


def session_for(practitioner, clinic, *, days_ago, name, **kwargs):
    patient = PatientFactory(clinic=clinic, first_name=name, last_name="Test")
    return TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, performed_at=NOW - timedelta(days=days_ago), **kwargs
    )


@pytest.fixture
def harbour_day(clock, alice, mary, harbour):
    """Seven of Alice's recoveries at Harbour, one of each kind the queue must order."""
    red_flag = session_for(alice, harbour, days_ago=3, name="Rose")
    log_report(red_flag, hours_after=24, by=alice, red_flags=["fever"])
    wants_call = session_for(alice, harbour, days_ago=2, name="Wendy")
    log_report(wants_call, hours_after=30, by=alice, wants_call=True)
    followed = session_for(alice, harbour, days_ago=4, name="Fiona")
    log_report(followed, hours_after=10, by=alice, wants_call=True)
    with travel(followed.performed_at + timedelta(hours=11), tick=False):
        services.follow_up_create(recovery=followed.recovery, action="called", note="", recorded_by=alice)
    long_overdue = session_for(alice, harbour, days_ago=6, name="Olive")
    log_report(long_overdue, hours_after=20, by=alice, redness=Severity.MILD)
    recently_overdue = session_for(alice, harbour, days_ago=3, name="Ophelia")
    log_report(recently_overdue, hours_after=60, by=alice, bruising=Severity.NONE, redness=Severity.MILD)
    on_track = session_for(alice, harbour, days_ago=1, name="Tina")
    log_report(on_track, hours_after=5, by=alice, redness=Severity.MILD)
    resolved = session_for(alice, harbour, days_ago=5, name="Ruth")
    log_report(resolved, hours_after=60, by=alice)
    return {
        "red_flag": red_flag,
        "wants_call": wants_call,
        "followed": followed,
        "long_overdue": long_overdue,
        "recently_overdue": recently_overdue,
        "on_track": on_track,
        "resolved": resolved,
    }


def queue_names(response):
    return [row.recovery.session.patient.first_name for row in response.context["rows"]]


def test_counts_match_the_recoveries(client_for, alice, harbour_day):
    counts = client_for(alice).get(DASHBOARD).context["counts"]

    assert {
        k: counts[k] for k in ("needs_attention", "unacknowledged", "followed_up", "overdue", "on_track", "resolved")
    } == {
        "needs_attention": 3,
        "unacknowledged": 2,
        "followed_up": 1,
        "overdue": 2,
        "on_track": 1,
        "resolved": 1,
    }


def test_queue_lists_unacknowledged_first_longest_waiting_then_followed_up_then_most_overdue(
    client_for, alice, harbour_day
):
    response = client_for(alice).get(DASHBOARD)

    assert queue_names(response) == ["Rose", "Wendy", "Fiona", "Olive", "Ophelia"]
    assert [row.followed_up for row in response.context["rows"]] == [False, False, True, False, False]


def test_queue_rows_say_why_in_words(client_for, alice, harbour_day):
    rows = client_for(alice).get(DASHBOARD).context["rows"]

    assert [(f.level, words(f)) for f in rows[0].reasons] == [("attention", "Red flag reported: Fever")]
    assert [(f.level, words(f)) for f in rows[3].reasons] == [
        ("overdue", "Redness should have faded by 48 h and was still present at the last report")
    ]
    assert rows[3].days_since_session == 6


def test_tab_title_shows_how_many_need_attention_and_wait(client_for, alice, harbour_day):
    page = client_for(alice).get(DASHBOARD).content.decode()

    assert "<title>(3) Recoveries · Recovery Desk</title>" in page


def test_time_alone_moves_a_recovery_into_the_overdue_count(client_for, alice, harbour_day, clock):
    clock.move_to(NOW + timedelta(days=1), tick=False)
    assert client_for(alice).get(DASHBOARD).context["counts"]["on_track"] == 1
    clock.move_to(NOW + timedelta(days=1, seconds=1), tick=False)

    counts = client_for(alice).get(DASHBOARD).context["counts"]

    assert (counts["on_track"], counts["overdue"]) == (0, 3)


def test_practitioner_sees_their_own_sessions_by_default(client_for, alice, harbour_day, harbour, clock):
    ben = (
        harbour_day["red_flag"]
        .clinic.memberships.create(
            user=TreatmentSessionFactory._meta.model.practitioner.field.related_model.objects.create(username="ben"),
            role="practitioner",
        )
        .user
    )
    other = session_for(ben, harbour, days_ago=1, name="Bella")
    log_report(other, hours_after=2, by=ben, wants_call=True)
    client = client_for(alice)

    assert "Bella" not in queue_names(client.get(DASHBOARD))
    assert "Bella" in queue_names(client.get(DASHBOARD, {"scope": "clinic"}))


def test_another_clinic_never_counts(client_for, alice, harbour_day, bob, riverside, clock):
    rival = session_for(bob, riverside, days_ago=1, name="Rita")
    log_report(rival, hours_after=2, by=bob, red_flags=["fever"])

    response = client_for(alice).get(DASHBOARD, {"scope": "clinic"})

    assert response.context["counts"]["needs_attention"] == 3
    assert "Rita" not in queue_names(response)


def test_manager_sees_every_clinic_and_can_pick_one(client_for, grace, harbour_day, bob, riverside, clock):
    rival = session_for(bob, riverside, days_ago=1, name="Rita")
    log_report(rival, hours_after=2, by=bob, red_flags=["fever"])
    client = client_for(grace)

    assert client.get(DASHBOARD).context["counts"]["needs_attention"] == 4
    only_riverside = client.get(DASHBOARD, {"clinic": str(riverside.pk)})
    assert queue_names(only_riverside) == ["Rita"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"period": "7"}, ["Rose", "Wendy", "Fiona", "Olive", "Ophelia"]),
        ({"period": "7", "status": "overdue"}, ["Olive", "Ophelia"]),
        ({"status": "resolved"}, ["Ruth"]),
        ({"status": "on_track"}, ["Tina"]),
    ],
)
def test_filters_narrow_the_queue(client_for, alice, harbour_day, params, expected):
    assert queue_names(client_for(alice).get(DASHBOARD, params)) == expected


def test_period_leaves_out_older_on_track_and_resolved_sessions(client_for, alice, harbour_day, harbour, clock):
    session_for(alice, harbour, days_ago=20, name="Oona")
    client = client_for(alice)

    assert client.get(DASHBOARD).context["counts"]["on_track"] == 1
    assert client.get(DASHBOARD, {"period": "30"}).context["counts"]["on_track"] == 2
    assert "Oona" not in queue_names(client.get(DASHBOARD, {"status": "on_track"}))


def test_area_product_and_batch_filters(client_for, alice, harbour, clock):
    batch = BatchFactory(product__clinic=harbour, lot_number="PN-1")
    scalp = session_for(alice, harbour, days_ago=2, name="Sara", areas=["scalp"], batches=[batch])
    log_report(scalp, hours_after=3, by=alice, wants_call=True)
    face = session_for(alice, harbour, days_ago=2, name="Faye", areas=["face"])
    log_report(face, hours_after=3, by=alice, wants_call=True)
    client = client_for(alice)

    assert queue_names(client.get(DASHBOARD, {"area": "scalp"})) == ["Sara"]
    assert queue_names(client.get(DASHBOARD, {"product": str(batch.product.pk)})) == ["Sara"]
    assert queue_names(client.get(DASHBOARD, {"batch": str(batch.pk)})) == ["Sara"]
    assert queue_names(client.get(DASHBOARD, {"practitioner": str(alice.pk), "area": "face"})) == ["Faye"]


def test_filters_of_another_clinic_are_refused(client_for, alice, harbour_day, riverside_batch):
    response = client_for(alice).get(DASHBOARD, {"batch": str(riverside_batch.pk)})

    assert "batch" in response.context["filters"].errors
    assert queue_names(response) == []


def test_live_refresh_returns_only_the_counts_and_queue(client_for, alice, harbour_day):
    response = client_for(alice).get(DASHBOARD, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert page.startswith("<title>(3) Recoveries")
    assert 'hx-trigger="every 60s"' in page
    assert "<nav" not in page


def test_feed_gives_counts_and_the_queue_with_reasons_deadlines_and_links(client_for, alice, harbour_day):
    data = client_for(alice).get(FEED).json()

    assert data["counts"]["needs_attention"] == 3
    first = data["queue"][0]
    assert first["patient"] == "Rose Test"
    assert first["status"] == "needs_attention"
    assert first["reasons"] == [{"level": "attention", "code": "red_flag", "reason": "Red flag reported: Fever"}]
    assert first["needs_attention_since"] == (harbour_day["red_flag"].performed_at + timedelta(hours=24)).isoformat()
    assert first["links"]["session"].endswith(harbour_day["red_flag"].get_absolute_url())
    assert [item["patient"] for item in data["queue"]] == [
        "Rose Test",
        "Wendy Test",
        "Fiona Test",
        "Olive Test",
        "Ophelia Test",
    ]


def test_feed_uses_the_same_filters_and_scope(client_for, bob, harbour_day):
    data = client_for(bob).get(FEED, {"scope": "clinic"}).json()

    assert data["counts"]["total"] == 0
    assert data["queue"] == []


def test_feed_refuses_a_bad_filter_in_plain_words(client_for, alice, harbour_day):
    response = client_for(alice).get(FEED, {"status": "fine"})

    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_feed_needs_a_login(client, harbour_day):
    response = client.get(FEED)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_filters_show_what_was_chosen_and_offer_only_the_clinics_own(
    client_for, alice, harbour, riverside_batch, clock
):
    ben = MembershipFactory(clinic=harbour, user__username="ben", user__first_name="Ben").user
    batch = BatchFactory(product__clinic=harbour, lot_number="PN-<1>")
    page = (
        client_for(alice)
        .get(DASHBOARD, {"period": "30", "practitioner": str(ben.pk), "batch": str(batch.pk)})
        .content.decode()
    )

    assert '<select name="period" class="form-select form-select-sm" id="id_period">' in page
    assert '<option value="30" selected>' in page
    assert '<option value="14">' in page
    assert f'<option value="{ben.pk}" selected>' in page
    assert f'<option value="{batch.pk}" selected>' in page
    assert "PN-&lt;1&gt;" in page
    assert str(riverside_batch.pk) not in page
    assert '<option value="" selected>Needs attention or overdue</option>' in page


def test_overdue_chart_counts_recoveries_by_reaction(client_for, alice, harbour_day):
    bars = client_for(alice).get(DASHBOARD).context["overdue_by_reaction"]

    assert [(bar.label, bar.count) for bar in bars] == [("Redness", 2)]


def test_status_chart_stacks_each_days_sessions(client_for, alice, harbour_day):
    chart = client_for(alice).get(DASHBOARD).context["by_day"]

    counted = {(s.day.isoformat(), s.status): s.count for s in chart.segments}
    assert counted[((NOW - timedelta(days=3)).date().isoformat(), "needs_attention")] == 1
    assert sum(s.count for s in chart.segments) == 7


def test_status_chart_draws_each_bar_with_its_day_count_and_status_in_words(client_for, alice, harbour_day):
    response = client_for(alice).get(DASHBOARD)
    page = response.content.decode()

    assert "<title>17 March: 1 needs attention</title></rect>" in page
    assert page.count("</title></rect>") == len(response.context["by_day"].segments)
    assert '<line x1="34" x2="720" y1="212" y2="212" class="gridline"/>' in page


def add_recoveries(count, *, practitioner, clinic, batch):
    """`count` recoveries of every status, written straight to the rows the dashboard reads."""
    from recovery.models import Recovery

    sessions = [
        session_for(practitioner, clinic, days_ago=1 + index % 10, name=f"P{index}", batches=[batch])
        for index in range(count)
    ]
    for index, session in enumerate(sessions):
        kind = index % 4
        Recovery.objects.filter(pk=session.pk).update(
            attention_at=NOW - timedelta(hours=index) if kind == 0 else None,
            unacknowledged_at=NOW - timedelta(hours=index) if kind == 0 else None,
            overdue_at=NOW - timedelta(hours=index) if kind == 1 else None,
            settled=kind == 3,
            findings=[
                {
                    "level": "overdue",
                    "code": "not_faded",
                    "params": {"reaction": {"en": "Redness", "fr": ""}, "hours": 48},
                    "since": NOW.isoformat(),
                    "subject": "redness",
                }
            ]
            if kind == 1
            else [],
        )


def queries_for(client, url, **headers):
    """The queries of a page drawn afresh: no chart kept from an earlier screen's minute."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers=headers).status_code == 200
    return len(captured)


def test_dashboard_queue_and_feed_queries_do_not_grow_with_rows(
    client_for, mary, harbour, clock, django_assert_max_num_queries
):
    batch = BatchFactory(product__clinic=harbour)
    client = client_for(mary)
    add_recoveries(10, practitioner=mary, clinic=harbour, batch=batch)
    few = [queries_for(client, DASHBOARD), queries_for(client, DASHBOARD, HX_Request="true"), queries_for(client, FEED)]

    add_recoveries(490, practitioner=mary, clinic=harbour, batch=batch)
    many = [
        queries_for(client, DASHBOARD),
        queries_for(client, DASHBOARD, HX_Request="true"),
        queries_for(client, FEED),
    ]

    # A first page of only those needing attention skips reading the overdue part's ids.
    assert [m <= f <= m + 1 for f, m in zip(few, many, strict=True)] == [True, True, True]
    # A manager's session is read with the two-factor device that verified it; the statuses are
    # counted, and the queue's ids read, part by part from their own partial indexes; the page's rows
    # are read with their sessions, and the filters' choices once.
    with django_assert_max_num_queries(20):
        client.get(DASHBOARD)


def test_a_practitioners_dashboard_queries_do_not_grow_with_rows(
    client_for, alice, harbour, clock, django_assert_max_num_queries
):
    add_recoveries(60, practitioner=alice, clinic=harbour, batch=BatchFactory(product__clinic=harbour))
    client = client_for(alice)
    client.get(DASHBOARD)

    # Her own sessions counted, and her page's ids read part by part; its rows read with their sessions;
    # those needing someone in the whole clinic counted apart; the filters' choices read once.
    with django_assert_max_num_queries(20):
        assert client.get(DASHBOARD).status_code == 200


def test_choosing_a_colleague_shows_their_sessions_even_from_my_sessions(client_for, alice, harbour, clock):
    ben = MembershipFactory(clinic=harbour, user__username="ben").user
    other = session_for(ben, harbour, days_ago=1, name="Bella")
    log_report(other, hours_after=2, by=ben, wants_call=True)

    response = client_for(alice).get(DASHBOARD, {"scope": "mine", "practitioner": str(ben.pk)})

    assert queue_names(response) == ["Bella"]


def test_a_blank_period_means_the_default_fourteen_days(client_for, alice, harbour, clock):
    session_for(alice, harbour, days_ago=15, name="Olga")
    session_for(alice, harbour, days_ago=13, name="Nina")

    response = client_for(alice).get(DASHBOARD, {"period": "", "scope": "", "status": "on_track"})

    assert queue_names(response) == ["Nina"]


def test_a_recovery_raised_again_after_a_follow_up_waits_from_the_new_alarm(client_for, alice, harbour, clock):
    early = session_for(alice, harbour, days_ago=5, name="Early")
    log_report(early, hours_after=2, by=alice, wants_call=True)
    with travel(early.performed_at + timedelta(hours=3), tick=False):
        services.follow_up_create(recovery=early.recovery, action="called", note="", recorded_by=alice)
    log_report(early, hours_after=100, by=alice, red_flags=["fever"])
    middle = session_for(alice, harbour, days_ago=4, name="Middle")
    log_report(middle, hours_after=20, by=alice, wants_call=True)

    assert queue_names(client_for(alice).get(DASHBOARD)) == ["Middle", "Early"]


def test_feed_gives_the_next_deadline_and_only_past_moments_as_since(client_for, alice, harbour, clock):
    session = session_for(alice, harbour, days_ago=1, name="Tess")
    log_report(session, hours_after=5, by=alice, swelling=Severity.MILD)

    item = client_for(alice).get(FEED, {"status": "on_track"}).json()["queue"][0]

    assert item["overdue_since"] is None
    assert item["deadline"] == just_after(session.performed_at + timedelta(hours=48)).isoformat()


def test_count_links_replace_the_status_rather_than_repeat_it(client_for, alice, harbour_day):
    page = client_for(alice).get(DASHBOARD, {"status": "overdue"}).content.decode()

    assert "status=overdue&amp;status=" not in page
    assert "&amp;status=on_track" in page


def test_act_opens_the_acknowledgement_directly(client_for, alice, harbour_day):
    page = client_for(alice).get(DASHBOARD).content.decode()

    assert reverse("recovery:follow_up_create", args=[harbour_day["red_flag"].pk]) in page


def test_full_page_and_refresh_are_cached_apart(client_for, alice, harbour_day):
    assert "HX-Request" in client_for(alice).get(DASHBOARD)["Vary"]


def test_days_are_counted_on_each_clinics_own_calendar(client_for, grace, harbour, clock):
    new_york = ClinicFactory(name="Madison Skin", time_zone="America/New_York")
    MembershipFactory(user=grace, clinic=new_york, role="manager")
    late_evening = timezone.make_aware(timezone.datetime(2026, 3, 17, 22, 0), new_york.zone)
    TreatmentSessionFactory(patient=PatientFactory(clinic=new_york), practitioner=grace, performed_at=late_evening)

    chart = client_for(grace).get(DASHBOARD).context["by_day"]

    assert [(s.day.isoformat(), s.count) for s in chart.segments] == [("2026-03-17", 1)]


def test_a_queue_longer_than_a_page_is_paged_by_the_counts_it_shows(client_for, mary, harbour, clock):
    batch = BatchFactory(product__clinic=harbour)
    add_recoveries(120, practitioner=mary, clinic=harbour, batch=batch)
    client = client_for(mary)

    first = client.get(DASHBOARD)
    last = client.get(DASHBOARD, {"page": 3})

    needing = first.context["counts"]["needs_attention"] + first.context["counts"]["overdue"]
    assert needing == 60
    assert first.context["page"].paginator.num_pages == 3
    assert len(first.context["rows"]) + 25 + len(last.context["rows"]) == needing
    assert first.context["elsewhere"] == 0


def test_a_narrowing_filter_still_tells_who_needs_someone_outside_it(client_for, mary, harbour, clock):
    batch = BatchFactory(product__clinic=harbour)
    add_recoveries(8, practitioner=mary, clinic=harbour, batch=batch)
    session_for(mary, harbour, days_ago=1, name="Unfiltered")
    other_batch = BatchFactory(product__clinic=harbour)

    page = client_for(mary).get(DASHBOARD, {"batch": other_batch.pk})

    assert page.context["rows"] == []
    assert page.context["elsewhere"] == 4


def overdue_bars(response):
    return [(bar.label, bar.count) for bar in response.context["overdue_by_reaction"]]


def test_the_overdue_chart_is_drawn_once_a_minute_but_the_queue_never_waits(client_for, alice, harbour, clock):
    """Every open screen refreshes each minute: the chart of what makes recoveries overdue is shared
    for its minute, while the counts and the queue always read who needs someone now."""
    mary = MembershipFactory(clinic=harbour, user__username="mary-manager", role="manager").user
    first = session_for(alice, harbour, days_ago=9, name="Olive")
    log_report(first, hours_after=20, by=alice, redness=Severity.MILD)
    clock.move_to(NOW + timedelta(seconds=5), tick=False)
    assert overdue_bars(client_for(mary).get(DASHBOARD, {"scope": "clinic"})) == [("Redness", 1)]

    second = session_for(alice, harbour, days_ago=9, name="Ophelia")
    log_report(second, hours_after=20, by=alice, redness=Severity.MILD)
    clock.move_to(NOW + timedelta(seconds=40), tick=False)
    same_minute = client_for(alice).get(DASHBOARD, {"scope": "clinic"})

    assert same_minute.context["counts"]["overdue"] == 2
    assert sorted(queue_names(same_minute)) == ["Olive", "Ophelia"]
    assert overdue_bars(same_minute) == [("Redness", 1)]

    clock.move_to(NOW + timedelta(minutes=1), tick=False)
    next_minute = client_for(alice).get(DASHBOARD, {"scope": "clinic"})
    assert overdue_bars(next_minute) == [("Redness", 2)]


def test_my_sessions_chart_is_not_shared_with_a_colleague(client_for, alice, harbour, clock):
    ben = MembershipFactory(clinic=harbour, user__username="ben").user
    mine = session_for(alice, harbour, days_ago=9, name="Olive")
    log_report(mine, hours_after=20, by=alice, redness=Severity.MILD)

    assert overdue_bars(client_for(alice).get(DASHBOARD)) == [("Redness", 1)]
    assert overdue_bars(client_for(ben).get(DASHBOARD)) == []
