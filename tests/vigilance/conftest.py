from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from clinics.models import Role
from recovery import complications
from recovery.models import Outcome

from ..conftest import SESSION_AT
from ..factories import ClinicFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def confirm(time_machine):
    """Confirm a complication of the session at a moment, serious by hospitalisation unless told otherwise."""

    def record(session, when: datetime, *, grade=3, seriousness=("serious_hospitalisation",), **fields):
        time_machine.move_to(when, tick=False)
        fields.setdefault("outcome", Outcome.FATAL if "serious_death" in seriousness else Outcome.RECOVERING)
        return complications.complication_record(
            recovery=session.recovery,
            complication_type=fields.pop("complication_type", "infection"),
            grade=grade,
            seriousness=seriousness,
            recorded_by=session.practitioner,
            **fields,
        )

    return record


@pytest.fixture
def riverside_session(riverside_patient, bob):
    return TreatmentSessionFactory(patient=riverside_patient, practitioner=bob, performed_at=SESSION_AT)


@pytest.fixture
def paris(db):
    """A clinic in France, with its practitioner Pierre and its manager Margaux."""
    clinic = ClinicFactory(name="Clinique du Marais", country="FR", time_zone="Europe/Paris", emergency_phone="15")
    for username, role in (("pierre", Role.PRACTITIONER), ("margaux", Role.MANAGER)):
        MembershipFactory(user=UserFactory(username=username, first_name=username.title()), clinic=clinic, role=role)
    return clinic


@pytest.fixture
def paris_session(paris):
    return TreatmentSessionFactory(
        patient=PatientFactory(clinic=paris, first_name="Paule"),
        practitioner=paris.staff.get(username="pierre"),
        performed_at=datetime(2026, 3, 2, 9, tzinfo=PARIS),
    )
