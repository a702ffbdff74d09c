"""The webhook pages: a manager registers an endpoint for a clinic they manage and reads its
deliveries; nobody else sees or changes them."""

from datetime import timedelta

import pytest
from django.urls import reverse

from clinics.models import Role
from events import services as events
from events.models import EventKind
from webhooks import services
from webhooks.addresses import NOT_AN_ADDRESS, NOT_HTTPS, PRIVATE_NETWORK, TOO_LONG
from webhooks.models import Attempt, Delivery, DeliveryState, Endpoint, TurnedOff

from ..conftest import SESSION_AT
from ..factories import MembershipFactory, UserFactory

HOOK = "https://hooks.example.org/recovery-desk"


@pytest.fixture
def rupert(riverside):
    """Manager of Riverside only."""
    user = UserFactory(username="rupert", first_name="Rupert")
    MembershipFactory(user=user, clinic=riverside, role=Role.MANAGER)
    return user


@pytest.fixture
def registered(harbour, mary, time_machine):
    time_machine.move_to(SESSION_AT, tick=False)
    return services.endpoint_create(clinic=harbour, url=HOOK, kinds=[EventKind.NEEDS_ATTENTION], by=mary)


def deliveries(endpoint, count, *, attempts=1):
    """`count` deliveries to the endpoint, each of an event of its own, with `attempts` answers of 500."""
    made = []
    for index in range(count):
        event = events.batch_quarantined(
            clinic_id=endpoint.clinic_id, batch_id=f"{index:032x}", product_id=f"{index:032x}", at=SESSION_AT
        )
        event.save()
        delivery = Delivery.objects.create(
            event=event,
            endpoint=endpoint,
            body=services.payload_body(event),
            attempts=attempts,
            next_attempt_at=SESSION_AT + timedelta(hours=1),
            retry_until=SESSION_AT + timedelta(days=1),
        )
        Attempt.objects.bulk_create(
            Attempt(delivery=delivery, at=SESSION_AT, status_code=500, answer="busy") for _ in range(attempts)
        )
        made.append(delivery)
    return made


def test_a_manager_registers_an_endpoint_and_is_shown_its_signing_secret(client_for, mary, harbour):
    client = client_for(mary)

    response = client.post(
        reverse("webhooks:endpoint_create", args=[harbour.pk]),
        {"url": f"  {HOOK}  ", "events": [EventKind.OVERDUE, EventKind.NEEDS_ATTENTION]},
        follow=True,
    )

    endpoint = Endpoint.objects.get()
    assert (endpoint.clinic, endpoint.url, endpoint.created_by) == (harbour, HOOK, mary)
    # Kept in the list's order, whatever order they were ticked in.
    assert endpoint.events == [EventKind.NEEDS_ATTENTION, EventKind.OVERDUE]
    assert endpoint.secret.startswith("whsec_")
    page = response.content.decode()
    assert endpoint.secret in page
    assert "Endpoint added. Give its signing secret, below, to the system that receives it." in page


def test_the_clinic_settings_lead_to_each_clinics_webhooks(client_for, mary, harbour):
    page = client_for(mary).get(reverse("clinics:settings")).content.decode()

    assert reverse("webhooks:endpoint_list", args=[harbour.pk]) in page


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://example.com/hooks", NOT_HTTPS),
        ("ftp://example.com/hooks", NOT_HTTPS),
        ("hooks.example.org", NOT_AN_ADDRESS),
        ("https://hooks.example.org/" + "a" * 500, TOO_LONG % {"limit": 500}),
        ("https://10.0.0.7/hooks", PRIVATE_NETWORK),
        ("https://169.254.169.254/latest/meta-data/", PRIVATE_NETWORK),
        ("https://localhost/hooks", PRIVATE_NETWORK),
        ("http://127.0.0.1:8000/hooks", NOT_HTTPS),
        ("", "Enter the address of your endpoint."),
    ],
)
def test_an_address_that_is_not_https_on_the_internet_is_refused_with_its_reason(
    client_for, mary, harbour, url, message
):
    response = client_for(mary).post(
        reverse("webhooks:endpoint_create", args=[harbour.pk]), {"url": url, "events": [EventKind.OVERDUE]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["url"] == [str(message)]
    assert not Endpoint.objects.exists()


def test_a_receiver_on_this_machine_is_taken_over_plain_http_only_in_development(client_for, mary, harbour, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True

    client_for(mary).post(
        reverse("webhooks:endpoint_create", args=[harbour.pk]),
        {"url": "http://127.0.0.1:8000/hooks", "events": [EventKind.OVERDUE]},
    )

    assert Endpoint.objects.get().url == "http://127.0.0.1:8000/hooks"


def test_an_endpoint_without_events_or_with_an_unknown_one_is_refused(client_for, mary, harbour):
    client = client_for(mary)
    url = reverse("webhooks:endpoint_create", args=[harbour.pk])

    none = client.post(url, {"url": HOOK})
    unknown = client.post(url, {"url": HOOK, "events": ["patient.renamed"]})

    assert none.context["form"].errors["events"] == ["Choose at least one event."]
    assert unknown.context["form"].errors["events"] == [
        "Select a valid choice. patient.renamed is not one of the available choices."
    ]
    assert not Endpoint.objects.exists()


def test_a_manager_turns_an_endpoint_off_and_its_waiting_deliveries_are_given_up(client_for, mary, registered):
    [waiting] = deliveries(registered, 1)

    client_for(mary).post(
        reverse("webhooks:endpoint_edit", args=[registered.pk]), {"url": HOOK, "events": [EventKind.OVERDUE]}
    )

    registered.refresh_from_db()
    assert (registered.enabled, registered.disabled_reason, registered.events) == (
        False,
        TurnedOff.BY_MANAGER,
        [EventKind.OVERDUE],
    )
    waiting.refresh_from_db()
    assert waiting.state == DeliveryState.GIVEN_UP
    assert registered.history.first().history_user == mary


def test_an_endpoint_turned_on_again_starts_afresh(client_for, mary, registered):
    Endpoint.objects.filter(pk=registered.pk).update(
        disabled_at=SESSION_AT, disabled_reason=TurnedOff.FAILING, consecutive_failures=14, failing_since=SESSION_AT
    )

    client_for(mary).post(
        reverse("webhooks:endpoint_edit", args=[registered.pk]),
        {"url": HOOK, "events": [EventKind.NEEDS_ATTENTION], "enabled": "on"},
    )

    registered.refresh_from_db()
    assert (registered.enabled, registered.disabled_reason, registered.consecutive_failures) == (True, "", 0)


def test_a_bad_address_on_edit_changes_nothing(client_for, mary, registered):
    response = client_for(mary).post(
        reverse("webhooks:endpoint_edit", args=[registered.pk]),
        {"url": "http://hooks.example.org/", "events": [EventKind.OVERDUE], "enabled": "on"},
    )

    assert response.context["form"].errors["url"] == [str(NOT_HTTPS)]
    registered.refresh_from_db()
    assert (registered.url, registered.events) == (HOOK, [EventKind.NEEDS_ATTENTION])


def test_a_manager_of_another_clinic_cannot_see_or_change_the_endpoint_or_its_deliveries(
    client_for, rupert, registered, harbour
):
    [delivery] = deliveries(registered, 1)
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.GIVEN_UP)
    client = client_for(rupert)

    assert client.get(reverse("webhooks:endpoint_list", args=[harbour.pk])).status_code == 404
    assert client.get(reverse("webhooks:endpoint_create", args=[harbour.pk])).status_code == 404
    assert (
        client.post(
            reverse("webhooks:endpoint_create", args=[harbour.pk]), {"url": HOOK, "events": ["recovery.overdue"]}
        ).status_code
        == 404
    )
    assert client.get(reverse("webhooks:endpoint_detail", args=[registered.pk])).status_code == 404
    edit = client.post(
        reverse("webhooks:endpoint_edit", args=[registered.pk]),
        {"url": "https://rupert.example.net/", "events": [EventKind.OVERDUE], "enabled": "on"},
    )
    assert edit.status_code == 404
    assert client.get(reverse("webhooks:delivery_detail", args=[delivery.pk])).status_code == 404
    assert client.post(reverse("webhooks:delivery_resend", args=[delivery.pk])).status_code == 404

    registered.refresh_from_db()
    assert (registered.url, registered.events) == (HOOK, [EventKind.NEEDS_ATTENTION])
    assert Endpoint.objects.count() == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.resent_at) == (DeliveryState.GIVEN_UP, None)


def test_a_practitioner_cannot_open_the_webhook_pages(client_for, alice, harbour, registered):
    client = client_for(alice)

    assert client.get(reverse("webhooks:endpoint_list", args=[harbour.pk])).status_code == 403
    assert client.get(reverse("webhooks:endpoint_detail", args=[registered.pk])).status_code == 403


def test_sending_again_a_delivery_still_being_tried_is_refused(client_for, mary, registered):
    [delivery] = deliveries(registered, 1)

    response = client_for(mary).post(reverse("webhooks:delivery_resend", args=[delivery.pk]), follow=True)

    assert str(services.STILL_TRYING) in response.content.decode()
    delivery.refresh_from_db()
    assert (delivery.resent_at, delivery.retry_until) == (None, SESSION_AT + timedelta(days=1))


def test_sending_again_to_an_endpoint_turned_off_is_refused(client_for, mary, registered):
    [delivery] = deliveries(registered, 1)
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.GIVEN_UP)
    Endpoint.objects.filter(pk=registered.pk).update(disabled_at=SESSION_AT, disabled_reason=TurnedOff.BY_MANAGER)

    response = client_for(mary).post(reverse("webhooks:delivery_resend", args=[delivery.pk]), follow=True)

    assert str(services.ENDPOINT_OFF) in response.content.decode()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.resent_at) == (DeliveryState.GIVEN_UP, None)


def test_the_delivery_log_shows_each_attempt_and_what_was_sent(client_for, mary, registered):
    [delivery] = deliveries(registered, 1, attempts=2)

    page = client_for(mary).get(reverse("webhooks:delivery_detail", args=[delivery.pk])).content.decode()

    assert page.count('data-testid="attempt-row"') == 2
    assert delivery.webhook_id in page
    assert "batch.quarantined" in page


@pytest.mark.parametrize("count", [1, 8])
def test_the_endpoint_list_reads_the_same_few_queries_however_many_endpoints(
    client_for, mary, harbour, count, django_assert_max_num_queries
):
    for index in range(count):
        services.endpoint_create(clinic=harbour, url=f"{HOOK}/{index}", kinds=[EventKind.OVERDUE], by=mary)
    client = client_for(mary)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("webhooks:endpoint_list", args=[harbour.pk]))

    assert response.content.decode().count('data-testid="endpoint-row"') == count


@pytest.mark.parametrize("count", [2, 30])
def test_the_endpoint_page_reads_the_same_few_queries_however_many_deliveries(
    client_for, mary, registered, count, django_assert_max_num_queries
):
    deliveries(registered, count)
    client = client_for(mary)

    with django_assert_max_num_queries(11):
        response = client.get(reverse("webhooks:endpoint_detail", args=[registered.pk]))

    assert response.content.decode().count('data-testid="delivery-row"') == count


@pytest.mark.parametrize("attempts", [1, 12])
def test_the_delivery_page_reads_the_same_few_queries_however_many_attempts(
    client_for, mary, registered, attempts, django_assert_max_num_queries
):
    [delivery] = deliveries(registered, 1, attempts=attempts)
    client = client_for(mary)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("webhooks:delivery_detail", args=[delivery.pk]))

    assert response.content.decode().count('data-testid="attempt-row"') == attempts
