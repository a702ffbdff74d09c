"""Product uses stored before each carried its session's time and patient take them when the database is
migrated."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from treatments.models import SessionProduct

from ..factories import BatchFactory, PatientFactory, TreatmentSessionFactory

BEFORE = ("treatments", "0015_batch_sessions_index")
CARRIED = ("treatments", "0017_use_patient")


@pytest.mark.django_db(transaction=True)
def test_uses_stored_before_the_time_and_patient_were_carried_take_their_sessions(harbour_patient, alice):
    batch = BatchFactory(product__clinic=harbour_patient.clinic)
    earlier = TreatmentSessionFactory(
        patient=harbour_patient, practitioner=alice, batches=[batch], performed_at=timezone.now() - timedelta(days=9)
    )
    other = PatientFactory(clinic=harbour_patient.clinic)
    later = TreatmentSessionFactory(
        patient=other, practitioner=alice, batches=[batch, batch], performed_at=timezone.now()
    )
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])

    executor.loader.build_graph()
    executor.migrate([CARRIED])

    assert sorted(SessionProduct.objects.values_list("session_id", "performed_at", "patient")) == sorted(
        [
            (earlier.pk, earlier.performed_at, harbour_patient.pk),
            (later.pk, later.performed_at, other.pk),
            (later.pk, later.performed_at, other.pk),
        ]
    )
