"""API tokens for the personas' clinics (Harbour's made by Mary, Riverside's by Grace), a client that
presents one, and a clinic's records of every kind the API serves."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from api import services
from recovery import complications
from recovery import services as recovery_services
from recovery.models import ReactionType, RedFlagQuestion
from recovery.rules import Severity

from ..factories import BatchFactory, PatientFactory, TreatmentSessionFactory


@pytest.fixture
def token_for(mary, grace, harbour):
    """A new token (its secret in `.secret`) for a clinic, read and write unless told otherwise."""

    def make(clinic=None, *, scopes=("read", "write"), days=30, name="Booking sync", by=None):
        clinic = clinic or harbour
        return services.api_token_create(
            clinic=clinic,
            name=name,
            scopes=list(scopes),
            expires_on=timezone.localdate(timezone=clinic.zone) + timedelta(days=days),
            created_by=by or (mary if clinic == harbour else grace),
        )

    return make


class TokenClient:
    """The test client, sending `Authorization: Bearer <secret>` with every request."""

    def __init__(self, client, secret: str):
        self.client = client
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, url, data=None, **headers):
        return self.client.get(url, data, headers={**self.headers, **headers})

    def post(self, url, payload, **headers):
        return self.client.post(
            url, json.dumps(payload), content_type="application/json", headers={**self.headers, **headers}
        )


@pytest.fixture
def api_as(client):
    def with_secret(secret: str) -> TokenClient:
        return TokenClient(client, secret)

    return with_secret


@pytest.fixture
def api(api_as, token_for):
    """Harbour's integration, holding a read and write token."""
    return api_as(token_for().secret)


def clinic_records(clinic, practitioner, *, name):
    """A patient treated two days ago with a batch, who reported a fever the next day; a call, and a
    confirmed complication; and a quarantined batch."""
    batch = BatchFactory(product__clinic=clinic, lot_number=f"{name[:3].upper()}-001")
    patient = PatientFactory(clinic=clinic, first_name=name, last_name="Record")
    session = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, batches=[batch], performed_at=timezone.now() - timedelta(days=2)
    )
    report = recovery_services.report_create(
        session=session,
        reported_at=timezone.now() - timedelta(days=1),
        reactions=[
            recovery_services.ReactionEntry(ReactionType.objects.get(clinic=clinic, code="redness"), Severity.MODERATE)
        ],
        red_flags_present=list(RedFlagQuestion.objects.filter(clinic=clinic, code="fever")),
        red_flags_asked=list(RedFlagQuestion.objects.filter(clinic=clinic)),
        wants_call=False,
        source=recovery_services.ReportSource.STAFF,
        recorded_by=practitioner,
    )
    follow_up = recovery_services.follow_up_create(
        recovery=session.recovery, action="called", note="Spoke to her.", recorded_by=practitioner
    )
    complication = complications.complication_record(
        recovery=session.recovery,
        complication_type="infection",
        grade=2,
        suspects={session.products_used.get().pk: "possible"},
        recorded_by=practitioner,
    )
    quarantined = BatchFactory(product=batch.product, lot_number=f"{name[:3].upper()}-002")
    quarantined.quarantined_at, quarantined.quarantine_reason = timezone.now(), "Cloudy vials"
    quarantined.save()
    return {
        "patient": patient,
        "session": session,
        "recovery": session.recovery,
        "report": report,
        "follow_up": follow_up,
        "complication": complication,
        "batch": batch,
        "quarantined": quarantined,
    }


@pytest.fixture
def harbour_records(harbour, alice):
    return clinic_records(harbour, alice, name="Hannah")


@pytest.fixture
def riverside_records(riverside, bob):
    return clinic_records(riverside, bob, name="Rita")
