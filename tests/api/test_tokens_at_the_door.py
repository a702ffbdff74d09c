"""A request is answered only with a live token of the clinic whose records it asks for, within the
token's scopes and rate; every request it makes is counted and in the trail."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from api import authentication, permissions, services
from api.models import ApiToken
from patients.models import Patient
from trail.models import TokenRequest

PATIENTS = reverse("api:patients")


def test_a_live_token_reads_its_clinics_records(api, harbour_records):
    response = api.get(PATIENTS)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(harbour_records["patient"].pk)]
    assert "no-store" in response["Cache-Control"]


def test_no_token_is_refused_in_plain_words(client, harbour_records):
    response = client.get(PATIENTS)

    assert response.status_code == 401
    assert response.json() == {"detail": authentication.NO_TOKEN}
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("header", ["Token abc", "Bearer", "Basic dXNlcjpwYXNz"])
def test_a_header_that_is_not_a_bearer_token_is_refused(client, harbour_records, header):
    response = client.get(PATIENTS, headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json() == {"detail": authentication.NOT_BEARER}


def test_an_unknown_token_is_refused(api_as, token_for, harbour_records):
    secret = token_for().secret
    altered = secret[:-1] + ("A" if secret[-1] != "A" else "B")

    for unknown in (altered, "rd_000000000000_" + "x" * 43, "not-a-token"):
        response = api_as(unknown).get(PATIENTS)

        assert response.status_code == 401
        assert response.json() == {"detail": authentication.UNKNOWN_TOKEN}
    assert not TokenRequest.objects.exists()


def test_a_revoked_token_is_refused_and_the_attempt_is_in_the_trail(api_as, token_for, mary, harbour_records):
    created = token_for()
    client = api_as(created.secret)
    assert client.get(PATIENTS).status_code == 200
    services.api_token_revoke(token=created.token, revoked_by=mary)

    response = client.get(PATIENTS)

    assert response.status_code == 401
    assert response.json()["detail"].startswith("This API token was revoked on ")
    assert list(TokenRequest.objects.order_by("requested_at").values_list("status_code", flat=True)) == [200, 401]


def test_a_token_works_until_the_end_of_its_last_day_then_is_refused(
    api_as, token_for, harbour, harbour_records, time_machine
):
    created = token_for(days=3)
    last_day = timezone.localdate(timezone=harbour.zone) + timedelta(days=3)
    midnight = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=harbour.zone)

    time_machine.move_to(midnight - timedelta(seconds=1), tick=False)
    assert api_as(created.secret).get(PATIENTS).status_code == 200
    time_machine.move_to(midnight, tick=False)
    response = api_as(created.secret).get(PATIENTS)

    assert response.status_code == 401
    assert response.json()["detail"].startswith("This API token expired on ")


def test_a_token_without_the_write_scope_reads_but_does_not_write(api_as, token_for, harbour_records):
    client = api_as(token_for(scopes=["read"]).secret)

    assert client.get(PATIENTS).status_code == 200
    response = client.post(PATIENTS, {"first_name": "Nora", "last_name": "New", "date_of_birth": "1990-01-01"})

    assert response.status_code == 403
    assert response.json() == {"detail": permissions.MISSING_SCOPE % {"scope": "write"}}
    assert not Patient.objects.filter(first_name="Nora").exists()


def test_a_token_without_the_read_scope_reads_nothing(api_as, token_for, harbour_records):
    client = api_as(token_for(scopes=["webhooks"]).secret)

    response = client.get(PATIENTS)

    assert response.status_code == 403
    assert response.json() == {"detail": permissions.MISSING_SCOPE % {"scope": "read"}}


def test_each_request_is_counted_and_its_last_use_shown_to_the_manager(
    api_as, token_for, client_for, mary, harbour, harbour_records, time_machine
):
    created = token_for()
    used_at = timezone.now().replace(microsecond=0) + timedelta(minutes=5)
    time_machine.move_to(used_at, tick=False)
    for _ in range(3):
        api_as(created.secret).get(PATIENTS)

    token = ApiToken.objects.get()
    assert (token.use_count, token.last_used_at) == (3, used_at)
    page = client_for(mary).get(reverse("api_tokens:index", args=[harbour.pk])).content.decode()
    assert '<td data-testid="use-count">3</td>' in page
    local = timezone.localtime(used_at, harbour.zone)
    assert f'<td class="small" data-testid="last-used">{date_format(local, "j N Y H:i")}</td>' in page


def test_every_request_is_in_the_trail_as_the_tokens_with_the_patient_it_read(api, harbour_records):
    patient = harbour_records["patient"]
    api.get(PATIENTS)
    api.get(reverse("api:patient", args=[patient.pk]))
    api.get(reverse("api:session", args=[harbour_records["session"].pk]))

    rows = list(TokenRequest.objects.order_by("requested_at", "pk").values_list("method", "path", "patient_id"))
    token = ApiToken.objects.get()
    assert rows == [
        ("GET", PATIENTS, None),
        ("GET", reverse("api:patient", args=[patient.pk]), patient.pk),
        ("GET", reverse("api:session", args=[harbour_records["session"].pk]), patient.pk),
    ]
    assert set(TokenRequest.objects.values_list("token", flat=True)) == {token.pk}


def test_the_patients_trail_shows_what_a_token_read_of_their_record(api, client_for, mary, harbour_records):
    patient = harbour_records["patient"]
    api.get(reverse("api:recovery", args=[harbour_records["session"].pk]))

    page = client_for(mary).get(reverse("audits:patient_trail", args=[patient.pk])).content.decode()

    assert "API token “Booking sync”" in page
    assert f"GET {reverse('api:recovery', args=[harbour_records['session'].pk])}" in page


def test_a_token_beyond_its_rate_is_told_to_wait(api, settings, harbour_records):
    settings.API_TOKEN_RATE = "3/min"

    answers = [api.get(PATIENTS).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    response = api.get(PATIENTS)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_one_tokens_rate_does_not_hold_back_another(api, api_as, token_for, settings, harbour_records):
    settings.API_TOKEN_RATE = "2/min"
    other = api_as(token_for(name="Warehouse").secret)

    assert [api.get(PATIENTS).status_code for _ in range(3)] == [200, 200, 429]
    assert other.get(PATIENTS).status_code == 200
