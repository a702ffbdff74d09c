"""Password reset requests are throttled per address and per client, so a page cannot flood an inbox."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

RESET = reverse("password_reset")


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def request_reset(client, email, address="203.0.113.7"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_eight_requests_for_one_address_send_only_the_first_few_emails(
    client, mary, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        responses = [request_reset(client, mary.email, address=f"203.0.113.{n}") for n in range(8)]

    assert len(mail.outbox) == int(settings.PASSWORD_RESET_RATE_PER_ADDRESS.split("/")[0])
    # The page looks the same whether or not the e-mail went: it tells a stranger nothing.
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {reverse("password_reset_done")}


def test_one_client_asking_for_many_addresses_is_told_to_wait(client, settings, db):
    limit = int(settings.PASSWORD_RESET_RATE_PER_CLIENT.split("/")[0])
    for n in range(limit):
        assert request_reset(client, f"someone{n}@example.org").status_code == 302

    refused = request_reset(client, "one-more@example.org")

    assert refused.status_code == 429
    assert "Too many reset requests from this device" in refused.content.decode()


def test_another_client_is_not_held_up_by_one_that_is_throttled(
    client, mary, settings, django_capture_on_commit_callbacks
):
    limit = int(settings.PASSWORD_RESET_RATE_PER_CLIENT.split("/")[0])
    for n in range(limit + 1):
        request_reset(client, f"someone{n}@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        assert request_reset(client, mary.email, address="198.51.100.1").status_code == 302
    assert len(mail.outbox) == 1
