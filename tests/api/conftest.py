"""API tokens for the personas' clinics: Harbour's made by Mary, Riverside's by Grace."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api import services


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
