"""A manager creates a clinic's API tokens under its settings, sees each secret once, sees their use and
revokes them; no one else does."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from api import keys, services
from api.models import ApiToken

NOW = timezone.make_aware(timezone.datetime(2026, 12, 7, 10, 0))


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def tokens_url(clinic):
    return reverse("api_tokens:index", args=[clinic.pk])


def a_token(**fields):
    return {"name": "Booking sync", "scopes": ["read"], "expires_on": "2027-03-01", **fields}


def everything_stored() -> str:
    """Every value of every row of every table, as text."""
    seen = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table}")
            seen.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(seen)


def test_a_manager_creates_a_token_shown_once_and_stored_as_a_digest(client_for, mary, harbour, clock):
    client = client_for(mary)

    response = client.post(tokens_url(harbour), a_token(scopes=["read", "write"]))

    assert response.status_code == 200
    secret = response.context["created"].secret
    assert keys.prefix_of(secret)
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert (token.clinic, token.name, token.created_by) == (harbour, "Booking sync", mary)
    assert token.scopes == ["read", "write"]
    assert token.digest == keys.digest_of(secret)
    assert token.expires_at == timezone.make_aware(timezone.datetime(2027, 3, 2, 0, 0), harbour.zone)
    assert secret not in everything_stored()
    assert secret not in client.get(tokens_url(harbour)).content.decode()


def test_the_token_page_lists_the_clinics_tokens_with_their_state(client_for, mary, harbour, token_for, clock):
    token_for(name="Booking sync")
    revoked = token_for(name="Old warehouse").token
    services.api_token_revoke(token=revoked, revoked_by=mary)

    page = client_for(mary).get(tokens_url(harbour)).content.decode()

    assert "Booking sync" in page
    assert "Old warehouse" in page
    assert page.count('data-testid="token-row"') == 2
    assert "Revoked" in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "  "}, "name", "This field is required."),
        ({"name": "x" * 81}, "name", "Ensure this value has at most 80 characters (it has 81)."),
        ({"scopes": []}, "scopes", "This field is required."),
        ({"scopes": ["admin"]}, "scopes", "Select a valid choice. admin is not one of the available choices."),
        ({"expires_on": "2026-12-06"}, "expires_on", "Choose an expiry date from today onwards."),
        (
            {"expires_on": "2027-12-08"},
            "expires_on",
            "A token lasts at most 365 days: choose an expiry date up to 2027-12-07.",
        ),
    ],
)
def test_a_token_with_a_bad_field_is_refused_and_nothing_is_stored(
    client_for, mary, harbour, clock, fields, field, message
):
    response = client_for(mary).post(tokens_url(harbour), a_token(**fields))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert response.context["created"] is None
    assert not ApiToken.objects.exists()


def test_a_token_may_last_until_the_end_of_today(client_for, mary, harbour, clock):
    client_for(mary).post(tokens_url(harbour), a_token(expires_on="2026-12-07"))

    assert ApiToken.objects.get().expires_at == timezone.make_aware(timezone.datetime(2026, 12, 8), harbour.zone)


def test_a_manager_revokes_a_token(client_for, mary, harbour, token_for, clock):
    token = token_for().token

    response = client_for(mary).post(reverse("api_tokens:revoke", args=[harbour.pk, token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert (token.revoked_at, token.revoked_by) == (NOW, mary)


def test_revoking_twice_keeps_the_first_revocation(client_for, mary, grace, harbour, token_for, clock):
    token = token_for().token
    services.api_token_revoke(token=token, revoked_by=grace)
    clock.shift(timedelta(hours=1))

    response = client_for(mary).post(reverse("api_tokens:revoke", args=[harbour.pk, token.pk]), follow=True)

    assert "This token is already revoked." in response.content.decode()
    token.refresh_from_db()
    assert (token.revoked_at, token.revoked_by) == (NOW, grace)


def test_a_practitioner_neither_sees_nor_manages_tokens(client_for, alice, harbour, token_for, clock):
    token = token_for().token
    client = client_for(alice)

    assert client.get(tokens_url(harbour)).status_code == 403
    assert client.post(tokens_url(harbour), a_token()).status_code == 403
    assert client.post(reverse("api_tokens:revoke", args=[harbour.pk, token.pk])).status_code == 403
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_manager_of_another_clinic_finds_no_token_page(client_for, mary, riverside, harbour, token_for, clock):
    riverside_token = token_for(riverside).token
    client = client_for(mary)

    assert client.get(tokens_url(riverside)).status_code == 404
    assert client.post(tokens_url(riverside), a_token()).status_code == 404
    assert client.post(reverse("api_tokens:revoke", args=[riverside.pk, riverside_token.pk])).status_code == 404
    # Nor through her own clinic's address.
    assert client.post(reverse("api_tokens:revoke", args=[harbour.pk, riverside_token.pk])).status_code == 404
    riverside_token.refresh_from_db()
    assert riverside_token.revoked_at is None
    assert ApiToken.objects.filter(clinic=harbour).count() == 0


def test_the_service_refuses_a_token_from_someone_not_managing_the_clinic(alice, harbour, clock):
    with pytest.raises(services.ValidationError) as refused:
        services.api_token_create(clinic=harbour, name="Sync", scopes=["read"], expires_on=NOW.date(), created_by=alice)

    assert refused.value.messages == [services.NOT_A_MANAGER]
    assert not ApiToken.objects.exists()


def test_the_clinic_settings_page_links_to_its_tokens(client_for, mary, harbour):
    page = client_for(mary).get(reverse("clinics:settings")).content.decode()

    assert tokens_url(harbour) in page
