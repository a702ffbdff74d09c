"""A username or password longer than any account's is an ordinary wrong login, on both login pages."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from clinics.limits import PASSWORD_MAX_LENGTH

from ..factories import PASSWORD

LOGIN_PAGES = [reverse("login"), reverse("admin:login")]


def told_wrong_login(response) -> bool:
    """The form's own "enter a correct username and password", as for any mistyped login."""
    errors = response.context["form"].errors.as_data().get("__all__", [])
    return response.status_code == 200 and [error.code for error in errors] == ["invalid_login"]


@pytest.mark.parametrize("login", LOGIN_PAGES, ids=["staff", "admin"])
def test_a_256_character_username_is_told_the_usual_wrong_login(client, db, login):
    response = client.post(login, {"username": "a" * 256, "password": "whatever-it-is"})

    assert told_wrong_login(response)
    assert not AccessAttempt.objects.exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("login", LOGIN_PAGES, ids=["staff", "admin"])
def test_a_password_longer_than_any_is_told_the_usual_wrong_login(client, alice, login):
    response = client.post(login, {"username": "alice", "password": "p" * (PASSWORD_MAX_LENGTH + 1)})

    assert told_wrong_login(response)
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exists()


def test_a_username_of_the_longest_allowed_length_is_still_checked_and_counted(client, db):
    response = client.post(reverse("login"), {"username": "a" * 150, "password": "whatever-it-is"})

    assert told_wrong_login(response)
    assert AccessAttempt.objects.get().username == "a" * 150


def test_the_right_password_still_signs_in(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
