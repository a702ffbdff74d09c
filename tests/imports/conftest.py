from datetime import date

import pytest

from clinics.models import Role
from tests.factories import BatchFactory, MembershipFactory, ProductFactory, UserFactory


@pytest.fixture
def rupert(riverside):
    """Manages Riverside only."""
    user = UserFactory(username="rupert")
    MembershipFactory(user=user, clinic=riverside, role=Role.MANAGER)
    return user


@pytest.fixture
def booster(harbour):
    product = ProductFactory(clinic=harbour, name="Hydra Boost", manufacturer="Dermalab", gtin="03700000000013")
    BatchFactory(product=product, lot_number="HB-001", expiry_date=date(2030, 1, 31), received_on=date(2025, 6, 1))
    return product
