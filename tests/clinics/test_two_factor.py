"""Two-factor sign-in: after the password, a code from an authenticator app (codes made here by pyotp)."""

import re
from base64 import b32decode
from datetime import timedelta
from urllib.parse import quote

import pyotp
import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from checkins import services as check_ins
from clinics import two_factor
from recovery import schedule

from ..factories import PASSWORD, PatientFactory, TreatmentSessionFactory
from ..two_factor import app_codes, app_for, signed_in_with_code

LOGIN = reverse("login")
LOGOUT = reverse("logout")
CODE = reverse("two_factor:code")
SET_UP = reverse("two_factor:set_up")
RECOVERY_CODES = reverse("two_factor:recovery_codes")
OVERVIEW = reverse("two_factor:overview")
DASHBOARD = reverse("recovery:dashboard")
PATIENTS = reverse("patients:list")
SECRET = re.compile(r'data-testid="secret">([A-Z2-7 ]+)</code>')
SHOWN_CODE = re.compile(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>")
WRONG_CODE = "That code did not work."


def with_next(url, next_url):
    return f"{url}?next={quote(next_url, safe='')}"


def password(client, username, **extra):
    return client.post(LOGIN, {"username": username, "password": PASSWORD, **extra})


def give_code(client, code, next_url=DASHBOARD):
    return client.post(with_next(CODE, next_url), {"code": code})


def verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def recovery_codes_of(user) -> list[str]:
    return two_factor.recovery_codes_replace(user=user)


def staff_url(clinic):
    return reverse("clinics:staff", args=[clinic.pk])


def reset_url(clinic, user):
    return reverse("clinics:staff_two_factor_reset", args=[clinic.pk, user.pk])


@pytest.fixture
def mary_app(mary):
    return app_for(mary)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


# Asked for a code


def test_a_manager_with_an_app_is_asked_for_a_code_after_the_password(client, mary_app):
    response = password(client, "mary")

    assert response["Location"] == with_next(CODE, DASHBOARD)
    assert signed_in_user_id(client) == str(mary_app.user_id)
    assert not verified(client)


def test_until_the_code_is_given_every_staff_page_leads_back_to_it(client, mary_app):
    password(client, "mary")

    for url in (DASHBOARD, PATIENTS, reverse("clinics:settings"), reverse("audits:index"), OVERVIEW):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == with_next(CODE, url)


def test_the_code_page_shows_no_navigation_into_the_records(client, mary_app):
    password(client, "mary")

    page = client.get(with_next(CODE, DASHBOARD)).content.decode()

    assert "Enter your code" in page
    assert f'href="{PATIENTS}"' not in page
    assert "Log out" in page


def test_the_code_the_app_shows_opens_the_page_asked_for(client, mary_app):
    password(client, "mary", next=PATIENTS)

    response = give_code(client, app_codes(mary_app).now(), next_url=PATIENTS)

    assert response.status_code == 302
    assert response["Location"] == PATIENTS
    assert verified(client)
    assert client.get(PATIENTS).status_code == 200


def test_giving_the_code_gives_the_session_a_new_key(client, mary_app):
    password(client, "mary")
    before = client.session.session_key

    give_code(client, app_codes(mary_app).now())

    assert client.session.session_key != before


def test_a_wrong_code_is_refused_and_the_records_stay_closed(client, mary_app):
    password(client, "mary")
    right = app_codes(mary_app).now()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = give_code(client, wrong)

    assert response.status_code == 200
    assert WRONG_CODE in response.context["form"].errors["code"][0]
    assert not verified(client)
    assert client.get(PATIENTS)["Location"] == with_next(CODE, PATIENTS)


def test_a_code_from_two_minutes_ago_is_refused(client, mary_app, clock):
    old_code = app_codes(mary_app).now()
    clock.shift(timedelta(minutes=2))
    password(client, "mary")

    response = give_code(client, old_code)

    assert WRONG_CODE in response.context["form"].errors["code"][0]
    assert not verified(client)


def test_a_code_already_used_does_not_sign_in_a_second_time(client, mary_app, clock):
    code = app_codes(mary_app).now()
    password(client, "mary")
    give_code(client, code)
    client.post(LOGOUT)
    password(client, "mary")

    response = give_code(client, code)

    assert WRONG_CODE in response.context["form"].errors["code"][0]
    assert not verified(client)


def test_a_practitioner_of_a_clinic_that_does_not_require_it_is_not_asked(client, alice, harbour):
    assert not harbour.practitioners_need_two_factor

    response = password(client, "alice")

    assert response["Location"] == DASHBOARD
    assert client.get(PATIENTS).status_code == 200


def test_a_practitioner_of_a_clinic_that_requires_it_is_sent_to_set_it_up(client, alice, harbour):
    harbour.practitioners_need_two_factor = True
    harbour.save()

    response = password(client, "alice")

    assert response["Location"] == with_next(SET_UP, DASHBOARD)
    assert client.get(PATIENTS)["Location"] == with_next(SET_UP, PATIENTS)


def test_practitioners_already_signed_in_are_asked_once_their_manager_requires_it(alice, mary, harbour):
    alices_client = signed_in_with_code(Client(), alice)
    assert alices_client.get(PATIENTS).status_code == 200

    signed_in_with_code(Client(), mary).post(
        reverse("recovery:clinic_settings_edit", args=[harbour.pk]),
        {
            "phone": harbour.phone,
            "country": "GB",
            "language": "en-gb",
            "check_in_days": "1, 2",
            "practitioners_need_two_factor": "on",
        },
    )

    assert alices_client.get(PATIENTS)["Location"] == with_next(SET_UP, PATIENTS)


def test_a_practitioner_who_chose_an_app_is_asked_for_its_code_too(client, alice):
    app_for(alice)

    assert password(client, "alice")["Location"] == with_next(CODE, DASHBOARD)


def test_with_the_setting_off_a_manager_signs_in_with_the_password_alone(client, mary, settings):
    settings.TWO_FACTOR_REQUIRED = False

    response = password(client, "mary")

    assert response["Location"] == DASHBOARD
    assert client.get(PATIENTS).status_code == 200


def test_an_unverified_htmx_refresh_sends_the_page_to_the_code(client, mary_app):
    password(client, "mary")

    response = client.get(
        reverse("recovery:feed"), headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/?status=overdue"}
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == with_next(CODE, "/?status=overdue")


def test_logging_out_and_the_patients_pages_need_no_code(client, mary_app, harbour, alice, clock):
    session = TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice)
    schedule.check_ins_plan(session=session)
    link = check_ins.link_path(session.check_ins.order_by("due_at").first())
    password(client, "mary")

    assert client.get(link).status_code != 302
    assert client.get(reverse("password_reset")).status_code == 200
    assert client.post(LOGOUT)["Location"] == LOGIN
    assert signed_in_user_id(client) is None


# Recovery codes


def test_a_recovery_code_signs_in_once(client, mary_app):
    first, *_others = recovery_codes_of(mary_app.user)
    password(client, "mary")

    response = give_code(client, first.upper().replace("-", " "))

    assert response["Location"] == DASHBOARD
    assert verified(client)
    assert StaticToken.objects.filter(device__user=mary_app.user).count() == 9
    client.post(LOGOUT)
    password(client, "mary")
    again = give_code(client, first)
    assert WRONG_CODE in again.context["form"].errors["code"][0]
    assert not verified(client)


def test_signing_in_with_a_recovery_code_says_how_many_are_left(client, mary_app):
    first, *_others = recovery_codes_of(mary_app.user)
    password(client, "mary")

    response = client.post(with_next(CODE, DASHBOARD), {"code": first}, follow=True)

    assert "You have 9 recovery codes left." in response.content.decode()


def test_new_recovery_codes_are_shown_once_and_the_old_ones_stop_working(client_for, mary):
    old = recovery_codes_of(mary)
    client = client_for(mary)

    response = client.post(RECOVERY_CODES, follow=True)

    new = SHOWN_CODE.findall(response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    assert "no-store" in response["Cache-Control"]
    assert client.get(RECOVERY_CODES)["Location"] == OVERVIEW
    assert two_factor.code_check(user=mary, code=old[0]) is None
    assert two_factor.code_check(user=mary, code=new[0]) is not None


def test_new_recovery_codes_keep_a_session_that_signed_in_with_one(client, mary_app):
    first, *_others = recovery_codes_of(mary_app.user)
    password(client, "mary")
    give_code(client, first)

    client.post(RECOVERY_CODES)

    assert client.get(PATIENTS).status_code == 200


# Wrong codes are limited like wrong passwords


def test_five_wrong_codes_pause_sign_in_even_with_the_right_code(client, mary_app, clock):
    password(client, "mary")
    for _ in range(4):
        assert give_code(client, "000000").status_code == 200

    fifth = give_code(client, "000000")
    right = give_code(client, app_codes(mary_app).now())

    assert fifth.status_code == 429
    assert right.status_code == 429
    assert "Too many wrong codes" in right.content.decode()
    assert not verified(client)
    assert client.get(PATIENTS)["Location"] == with_next(CODE, PATIENTS)


def test_four_wrong_codes_still_allow_the_right_one(client, mary_app, clock):
    password(client, "mary")
    for _ in range(4):
        give_code(client, "000000")

    response = give_code(client, app_codes(mary_app).now())

    assert response["Location"] == DASHBOARD
    assert verified(client)


def test_the_pause_holds_across_a_new_login_and_ends_after_an_hour(client, mary_app, clock):
    first, *_others = recovery_codes_of(mary_app.user)
    password(client, "mary")
    for _ in range(5):
        give_code(client, "000000")
    client.post(LOGOUT)
    password(client, "mary")

    refused = give_code(client, first)

    assert refused.status_code == 429
    assert not verified(client)
    assert StaticToken.objects.filter(device__user=mary_app.user).count() == 10
    clock.shift(timedelta(minutes=61))
    password(client, "mary")
    assert give_code(client, first)["Location"] == DASHBOARD
    assert verified(client)


def test_one_persons_pause_does_not_hold_up_another(client, mary_app, grace):
    graces_app = app_for(grace)
    password(client, "mary")
    for _ in range(5):
        give_code(client, "000000")
    client.post(LOGOUT)

    password(client, "grace")

    assert give_code(client, app_codes(graces_app).now())["Location"] == DASHBOARD


# Setting up an app


def test_a_manager_sets_up_an_app_from_the_qr_code_page_and_gets_ten_recovery_codes(client, mary):
    assert password(client, "mary")["Location"] == with_next(SET_UP, DASHBOARD)
    page = client.get(with_next(SET_UP, DASHBOARD))
    html = page.content.decode()
    secret = SECRET.search(html).group(1).replace(" ", "")

    response = client.post(with_next(SET_UP, DASHBOARD), {"code": pyotp.TOTP(secret).now()}, follow=True)

    assert "no-store" in page["Cache-Control"]
    assert response.redirect_chain[0][0] == with_next(RECOVERY_CODES, DASHBOARD)
    assert len(SHOWN_CODE.findall(response.content.decode())) == 10
    assert TOTPDevice.objects.get(user=mary, confirmed=True).bin_key == b32decode(secret)
    assert verified(client)
    assert client.get(DASHBOARD).status_code == 200


def test_the_qr_code_is_drawn_in_the_page_without_styles_or_scripts(client, mary):
    password(client, "mary")

    html = client.get(SET_UP).content.decode()

    svg = re.search(r'<div class="qr-code"[^>]*>(<svg.*?</svg>)</div>', html, re.S).group(1)
    assert "<path" in svg
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "data:" not in html


def test_reloading_the_set_up_page_keeps_the_same_secret(client, mary):
    password(client, "mary")

    first = SECRET.search(client.get(SET_UP).content.decode()).group(1)
    second = SECRET.search(client.get(SET_UP).content.decode()).group(1)

    assert first == second


def test_a_wrong_code_does_not_turn_the_app_on(client, mary):
    password(client, "mary")
    client.get(SET_UP)

    response = client.post(SET_UP, {"code": "123456"})

    assert response.status_code == 200
    assert "That code did not work" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=mary, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=mary).exists()
    assert not verified(client)


def test_the_set_up_page_cannot_replace_an_app_before_its_code_is_given(client, mary_app):
    password(client, "mary")

    page = client.get(SET_UP)
    post = client.post(SET_UP, {"code": "123456"})

    assert page["Location"] == with_next(CODE, DASHBOARD)
    assert post["Location"] == with_next(CODE, DASHBOARD)
    assert list(TOTPDevice.objects.filter(user=mary_app.user)) == [mary_app]


def test_moving_to_a_new_phone_stops_the_old_one(client_for, mary):
    old_app = app_for(mary)
    client = client_for(mary)
    secret = SECRET.search(client.get(SET_UP).content.decode()).group(1).replace(" ", "")

    client.post(SET_UP, {"code": pyotp.TOTP(secret).now()})

    assert not TOTPDevice.objects.filter(pk=old_app.pk).exists()
    assert TOTPDevice.objects.get(user=mary).confirmed
    assert client.get(PATIENTS).status_code == 200


def test_a_practitioner_may_choose_two_factor_sign_in(client_for, alice):
    client = client_for(alice)
    assert "Set up two-factor sign-in" in client.get(OVERVIEW).content.decode()
    secret = SECRET.search(client.get(SET_UP).content.decode()).group(1).replace(" ", "")

    client.post(SET_UP, {"code": pyotp.TOTP(secret).now()})
    client.post(LOGOUT)

    assert password(client, "alice")["Location"] == with_next(CODE, DASHBOARD)


# The admin


def test_the_admin_is_closed_until_the_code_is_given(client, mary_app, harbour_batch):
    password(client, "mary")
    product = harbour_batch.product
    url = reverse("admin:treatments_product_change", args=[product.pk])

    page = client.get(reverse("admin:index"))
    change = client.post(url, {"clinic": str(product.clinic_id), "name": "Renamed", "kind": product.kind})

    assert page["Location"] == with_next(CODE, reverse("admin:index"))
    assert change["Location"] == with_next(CODE, url)
    product.refresh_from_db()
    assert product.name == "Hydra Boost"


def test_the_admins_own_login_form_is_no_way_around_the_code(client, admin_user):
    app_for(admin_user)
    admin_index = reverse("admin:index")

    client.post(reverse("admin:login"), {"username": admin_user.username, "password": "password", "next": admin_index})

    assert signed_in_user_id(client) == str(admin_user.pk)
    assert not verified(client)
    assert client.get(admin_index)["Location"] == with_next(CODE, admin_index)
    assert client.get(reverse("admin:clinics_user_changelist"))["Location"].startswith(CODE)


def test_a_superuser_is_asked_for_a_code_too(client, admin_user):
    response = client.post(LOGIN, {"username": admin_user.username, "password": "password"})

    assert response["Location"] == with_next(SET_UP, DASHBOARD)
    assert client.get(reverse("admin:index"))["Location"].startswith(SET_UP)


# A lost phone


def test_a_manager_resets_a_colleagues_two_factor_sign_in(mary, alice, harbour):
    harbour.practitioners_need_two_factor = True
    harbour.save()
    recovery_codes_of(alice)
    alices_client = signed_in_with_code(Client(), alice)
    marys_client = signed_in_with_code(Client(), mary)
    assert "Reset two-factor sign-in of Alice" in marys_client.get(staff_url(harbour)).content.decode()

    response = marys_client.post(reset_url(harbour, alice))

    assert response["Location"] == staff_url(harbour)
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()
    entry = LogEntry.objects.get(object_id=str(alice.pk))
    assert entry.user == mary
    assert entry.change_message == f"Two-factor sign-in reset by {mary}, manager of Harbour Skin Clinic."
    assert alices_client.get(PATIENTS)["Location"] == with_next(SET_UP, PATIENTS)


def test_a_reset_lifts_the_pause_of_too_many_wrong_codes(client, mary, alice, harbour):
    app_for(alice)
    password(client, "alice")
    for _ in range(5):
        give_code(client, "000000")

    signed_in_with_code(Client(), mary).post(reset_url(harbour, alice))

    assert two_factor.locked_until(alice) is None


def test_a_manager_cannot_reset_staff_of_another_clinic_nor_themselves(mary, bob, riverside, harbour):
    bobs_app, marys_app = app_for(bob), app_for(mary)
    client = signed_in_with_code(Client(), mary)

    assert client.post(reset_url(riverside, bob)).status_code == 404
    assert client.post(reset_url(harbour, bob)).status_code == 404
    assert client.post(reset_url(harbour, mary)).status_code == 404
    assert set(TOTPDevice.objects.all()) == {bobs_app, marys_app}
    assert not LogEntry.objects.exists()


def test_a_practitioner_cannot_reset_anyone(client_for, alice, mary, harbour):
    marys_app = app_for(mary)

    response = client_for(alice).post(reset_url(harbour, mary))

    assert response.status_code == 403
    assert list(TOTPDevice.objects.all()) == [marys_app]


def test_the_staff_page_tells_a_manager_who_has_two_factor_sign_in(client_for, mary, alice, harbour):
    recovery_codes_of(mary)

    rows = client_for(mary).get(staff_url(harbour)).context["staff"]

    by_name = {row.user.username: row for row in rows}
    assert (by_name["mary"].has_device, by_name["mary"].recovery_codes_left) == (True, 10)
    assert (by_name["alice"].has_device, by_name["alice"].needs_two_factor) == (False, False)


def test_a_superuser_resets_two_factor_sign_in_from_the_admin(client_for, admin_user, mary):
    app_for(mary)

    client_for(admin_user).post(
        reverse("admin:clinics_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [mary.pk]},
    )

    assert not TOTPDevice.objects.filter(user=mary).exists()
    assert LogEntry.objects.filter(object_id=str(mary.pk), user=admin_user).exists()


# The clinic's choice


def test_a_manager_requires_two_factor_sign_in_of_the_clinics_practitioners(client_for, mary, harbour):
    client_for(mary).post(
        reverse("recovery:clinic_settings_edit", args=[harbour.pk]),
        {
            "phone": harbour.phone,
            "country": "GB",
            "language": "en-gb",
            "check_in_days": "1, 2",
            "practitioners_need_two_factor": "on",
        },
    )

    harbour.refresh_from_db()
    assert harbour.practitioners_need_two_factor
