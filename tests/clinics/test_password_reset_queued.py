"""A reset request does the same work in the request whether or not anyone has the address: the
e-mail is looked up, written and sent by a worker after the response, so timing tells nothing."""

import re

import pytest
from django.core import mail
from django.urls import reverse

RESET = reverse("password_reset")


@pytest.mark.parametrize("known", [True, False], ids=["known address", "unknown address"])
def test_the_request_only_queues_the_reset_whether_the_address_is_known_or_not(
    client, mary, django_capture_on_commit_callbacks, known
):
    email = mary.email if known else "nobody-here@example.org"

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(RESET, {"email": email})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(queued) == 1
    assert mail.outbox == []


def test_the_worker_sends_a_known_address_a_link_that_opens_the_new_password_form(
    client, mary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": mary.email.upper()})

    [message] = mail.outbox
    assert message.to == [mary.email]
    link = re.search(r"https://clinic\.example\.com(/accounts/reset/\S+)", message.body).group(1)
    opened = client.get(link, follow=True)
    assert "new_password1" in opened.content.decode()


def test_the_worker_sends_nothing_for_an_unknown_address(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(RESET, {"email": "nobody-here@example.org"})

    assert len(queued) == 1
    assert mail.outbox == []


def test_the_reset_email_is_written_in_the_language_the_page_was_asked_in(
    client, mary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": mary.email}, HTTP_ACCEPT_LANGUAGE="fr")

    [message] = mail.outbox
    assert "mot de passe" in message.body
