"""The FHIR API's tests read Harbour's record through a token of Harbour's (or as its staff), with
Riverside's record beside it that they must never see: Hannah's infection after her session of
2 March 2026 (a device lot suspected, a medicine lot, one answered check-in, two zones charted), and
Rita's session at Riverside with its own complication and answered check-in."""

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from api.services import api_token_create, last_expiry_day
from clinics.models import Role
from treatments.models import SessionZone

from ..factories import MembershipFactory, PatientFactory, UserFactory
from ..vigilance.confirmed import Event, answer_check_in, confirm, device_lot, hannahs_infection, session_with

FHIR_JSON = "application/fhir+json"


@dataclass
class Answer:
    status: int
    content_type: str
    data: dict
    headers: dict


@pytest.fixture
def token_for():
    """A token of the clinic, created by `user` (one of its managers), with these scopes: the secret."""

    def issue(clinic, *, user, scopes=("read",)):
        expires_on = last_expiry_day(clinic=clinic)
        return api_token_create(
            clinic=clinic, name="Records sync", scopes=list(scopes), expires_on=expires_on, created_by=user
        ).secret

    return issue


@pytest.fixture
def harbour_token(token_for, harbour, mary):
    return token_for(harbour, user=mary)


def fhir(client, path, token=None, *, method="get", **headers):
    """A FHIR path (`Patient/<id>`, `Procedure?date=...`) or a link from an answer, asked for with the
    token if given."""
    if token:
        headers["Authorization"] = f"Bearer {token}"
    url = urlsplit(path)
    address = f"{url.path}?{url.query}" if url.scheme else reverse("fhir_api:base") + path
    response = getattr(client, method)(address, headers={"Accept": FHIR_JSON, **headers})
    return Answer(
        status=response.status_code,
        content_type=response["Content-Type"],
        data=json.loads(response.content),
        headers=response.headers,
    )


@pytest.fixture
def hannah_event(harbour, alice, time_machine) -> Event:
    event = hannahs_infection(harbour, alice, time_machine=time_machine)
    for zone in ("cheek_left", "cheek_right"):
        SessionZone.objects.create(session=event.session, zone=zone)
    return event


@pytest.fixture
def rita_event(riverside, time_machine) -> Event:
    """Riverside's record, as full as Harbour's, that a Harbour token must never see."""
    ruth = UserFactory(username="ruth")
    MembershipFactory(user=ruth, clinic=riverside, role=Role.PRACTITIONER)
    patient = PatientFactory(clinic=riverside, first_name="Rita", last_name="Rivers")
    lot = device_lot(riverside)
    session = session_with(patient, ruth, [lot])
    answer_check_in(session, 26, time_machine=time_machine)
    complication = confirm(session, ruth, time_machine=time_machine, suspect=lot)
    return Event(session=session, device_lot=lot, medicine_lot=lot, complication=complication)
