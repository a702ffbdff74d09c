import re
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from ..factories import PASSWORD, TreatmentSessionFactory

LOGIN_URL = reverse("login")
PATIENT_LIST_URL = reverse("patients:list")
RESET_LINK = re.compile(r"https://clinic\.example\.com/accounts/reset/(?P<uidb64>[^/]+)/(?P<token>[^/]+)/")

# Every staff page, with the record its URL needs ("patient", "session", "product", "batch") or None.
STAFF_PAGES = [
    ("patients:list", None),
    ("patients:create", None),
    ("treatments:patient_detail", "patient"),
    ("patients:edit", "patient"),
    ("treatments:session_list", None),
    ("recovery:session_create", None),
    ("photos:session_detail", "session"),
    ("treatments:product_list", None),
    ("treatments:product_create", None),
    ("treatments:product_detail", "product"),
    ("treatments:product_edit", "product"),
    ("treatments:batch_create", "product"),
    ("batches:detail", "batch"),
    ("treatments:batch_edit", "batch"),
]


@pytest.fixture
def harbour_records(alice, harbour_patient, harbour_batch):
    session = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, batches=[harbour_batch])
    return {
        "patient": harbour_patient,
        "session": session,
        "product": harbour_batch.product,
        "batch": harbour_batch,
    }


def staff_url(name, record):
    return reverse(name, args=[record.pk]) if record is not None else reverse(name)


def log_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize(("name", "record_kind"), STAFF_PAGES, ids=[name for name, _ in STAFF_PAGES])
def test_anonymous_visitor_is_sent_to_login_from_every_staff_page(client, harbour_records, name, record_kind):
    url = staff_url(name, harbour_records.get(record_kind))

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={url}"


def test_staff_member_logs_in_with_the_login_form(client, alice):
    response = log_in(client, "alice")

    assert response.status_code == 302
    assert response["Location"] == reverse("recovery:dashboard")
    assert logged_in_user_id(client) == str(alice.pk)
    assert client.get(PATIENT_LIST_URL).status_code == 200


def test_login_form_returns_to_the_page_that_asked_for_it(client, alice):
    response = log_in(client, "alice", next=PATIENT_LIST_URL)

    assert response.status_code == 302
    assert response["Location"] == PATIENT_LIST_URL


def test_wrong_password_does_not_log_in(client, alice):
    response = log_in(client, "alice", password="not-the-password")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Please enter a correct username and password. Note that both fields may be case-sensitive."
    ]
    assert logged_in_user_id(client) is None


def test_logout_by_post_ends_the_session(client, alice):
    log_in(client, "alice")

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert logged_in_user_id(client) is None
    assert client.get(PATIENT_LIST_URL)["Location"] == f"{LOGIN_URL}?next={PATIENT_LIST_URL}"


def test_logout_by_get_is_refused_and_keeps_the_session(client, alice):
    log_in(client, "alice")

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert logged_in_user_id(client) == str(alice.pk)


def test_password_reset_sends_one_email_with_a_reset_link_for_that_user_only(
    client, alice, mary, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "alice@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["alice@example.com"]
    link = RESET_LINK.search(message.body)
    assert link is not None
    assert force_str(urlsafe_base64_decode(link["uidb64"])) == str(alice.pk)
    assert default_token_generator.check_token(alice, link["token"])
    for other_users_data in ["mary", "Mary", "mary@example.com"]:
        assert other_users_data not in message.body
        assert other_users_data not in message.subject


def test_password_reset_link_opens_the_new_password_form(client, alice, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "alice@example.com"})
    link = RESET_LINK.search(mailoutbox[0].body)

    response = client.get(link.group(0), follow=True)

    assert response.status_code == 200
    assert response.context["validlink"] is True
    assert "new_password1" in response.context["form"].fields


def test_password_reset_for_an_unknown_email_sends_nothing_and_looks_the_same(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_five_failed_logins_lock_the_user_out_even_with_the_right_password(client, alice):
    for _ in range(5):
        log_in(client, "alice", password="wrong-password")

    response = log_in(client, "alice")

    assert response.status_code == 429
    assert "registration/locked_out.html" in [template.name for template in response.templates]
    assert logged_in_user_id(client) is None
    assert client.get(PATIENT_LIST_URL)["Location"] == f"{LOGIN_URL}?next={PATIENT_LIST_URL}"


def test_four_failed_logins_still_allow_the_right_password(client, alice):
    for _ in range(4):
        log_in(client, "alice", password="wrong-password")

    response = log_in(client, "alice")

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(alice.pk)


def test_lockout_of_one_user_does_not_lock_out_another(client, alice, mary):
    for _ in range(5):
        log_in(client, "alice", password="wrong-password")

    response = log_in(client, "mary")

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(mary.pk)


def test_session_ends_after_thirty_minutes_of_inactivity(client_for, alice, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client = client_for(alice)
    assert client.get(PATIENT_LIST_URL).status_code == 200

    time_machine.shift(timedelta(minutes=31))
    response = client.get(PATIENT_LIST_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={PATIENT_LIST_URL}"


def test_each_request_keeps_the_session_alive_for_another_thirty_minutes(client_for, alice, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client = client_for(alice)

    time_machine.shift(timedelta(minutes=29))
    first = client.get(PATIENT_LIST_URL)
    time_machine.shift(timedelta(minutes=29))
    second = client.get(PATIENT_LIST_URL)

    assert first.status_code == 200
    assert second.status_code == 200


def test_navigation_shows_products_and_batches_to_a_manager(client_for, mary):
    response = client_for(mary).get(reverse("treatments:session_list"))

    assert f'class="dropdown-item" href="{reverse("treatments:product_list")}">Products & batches</a>' in (
        response.content.decode()
    )


def test_navigation_hides_products_and_batches_from_a_practitioner(client_for, alice):
    page = client_for(alice).get(reverse("treatments:session_list")).content.decode()

    assert "Products & batches" not in page
    assert f'href="{reverse("treatments:product_list")}"' not in page


@pytest.fixture
def mary_in_admin(mary):
    """A manager needs no admin flag or permission set: her role opens the admin to her clinics."""
    return mary


def test_admin_product_list_shows_a_manager_only_their_clinics_products(
    client_for, mary_in_admin, harbour_batch, riverside_batch
):
    response = client_for(mary_in_admin).get(reverse("admin:treatments_product_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [harbour_batch.product]
    assert "River Glow" not in response.content.decode()


def test_admin_batch_list_shows_a_manager_only_their_clinics_batches(
    client_for, mary_in_admin, harbour_batch, riverside_batch
):
    response = client_for(mary_in_admin).get(reverse("admin:treatments_batch_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [harbour_batch]


def test_admin_refuses_a_manager_another_clinics_product(client_for, mary_in_admin, riverside_batch):
    url = reverse("admin:treatments_product_change", args=[riverside_batch.product.pk])

    response = client_for(mary_in_admin).get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_admin_refuses_a_manager_another_clinics_batch(client_for, mary_in_admin, riverside_batch):
    url = reverse("admin:treatments_batch_change", args=[riverside_batch.pk])

    response = client_for(mary_in_admin).get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_practitioner_is_kept_out_of_the_admin(client_for, alice):
    response = client_for(alice).get(reverse("admin:treatments_product_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_manager_cannot_manage_staff_or_clinics_in_the_admin(client_for, mary):
    client = client_for(mary)

    assert client.get(reverse("admin:clinics_user_changelist")).status_code == 403
    assert client.get(reverse("admin:clinics_clinic_changelist")).status_code == 403


def test_admin_sessions_are_read_only_so_the_session_rules_always_apply(client_for, mary):
    client = client_for(mary)

    assert client.get(reverse("admin:treatments_treatmentsession_changelist")).status_code == 200
    assert client.get(reverse("admin:treatments_treatmentsession_add")).status_code == 403


def test_admin_cannot_move_a_product_to_another_clinic(client_for, grace, harbour_batch, riverside):
    product = harbour_batch.product
    url = reverse("admin:treatments_product_change", args=[product.pk])

    client_for(grace).post(
        url,
        {
            "clinic": str(riverside.pk),
            "name": product.name,
            "manufacturer": product.manufacturer,
            "kind": product.kind,
            "active_ingredients": "",
            "batches-TOTAL_FORMS": "0",
            "batches-INITIAL_FORMS": "0",
        },
    )

    product.refresh_from_db()
    assert product.clinic == harbour_batch.product.clinic


def test_the_dashboards_own_refresh_does_not_keep_an_idle_session_alive(client_for, alice, time_machine):
    client = client_for(alice)
    for minutes in (10, 20, 29):
        time_machine.move_to(timezone.now() + timedelta(minutes=10 if minutes != 29 else 9), tick=False)
        client.get(reverse("recovery:dashboard"), headers={"HX-Request": "true", "X-Background-Refresh": "1"})
    time_machine.move_to(timezone.now() + timedelta(minutes=2), tick=False)

    response = client.get(reverse("recovery:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_refresh_after_logout_sends_the_browser_to_the_login_page(client):
    response = client.get(reverse("recovery:dashboard"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_an_idle_session_ends_thirty_minutes_after_the_last_request_kept_to_the_minute(client_for, alice, time_machine):
    client = client_for(alice)
    dashboard = reverse("recovery:dashboard")
    for _ in range(6):
        time_machine.move_to(timezone.now() + timedelta(minutes=25), tick=False)
        assert client.get(dashboard).status_code == 200
    # Requests within the minute after one that was kept do not write the session again...
    time_machine.move_to(timezone.now() + timedelta(seconds=40), tick=False)
    assert client.get(dashboard).status_code == 200
    # ...so the idle period runs from the kept one: it ends within thirty minutes of the last request.
    time_machine.move_to(timezone.now() + timedelta(minutes=29, seconds=30), tick=False)

    response = client.get(dashboard)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_page_within_a_minute_of_the_last_kept_activity_writes_no_session(client_for, alice, time_machine):
    client = client_for(alice)
    dashboard = reverse("recovery:dashboard")
    client.get(dashboard)
    time_machine.move_to(timezone.now() + timedelta(seconds=30), tick=False)

    with CaptureQueriesContext(connection) as queries:
        client.get(dashboard)

    assert not [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "django_session"')]
