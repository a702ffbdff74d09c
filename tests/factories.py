from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from clinics.models import Clinic, Membership, Role, User
from patients.models import Patient
from recovery.models import Recovery
from recovery.services import catalogue_install_defaults
from recovery.tallies import tallies_after_session
from treatments.models import (
    Area,
    Batch,
    Product,
    ProductKind,
    SessionArea,
    SessionProduct,
    SessionZone,
    Technique,
    TreatmentSession,
)
from treatments.services import series_place

PASSWORD = "a-long-test-password"


class ClinicFactory(factory.django.DjangoModelFactory):
    """A clinic with the default reaction catalogue, as every real clinic gets."""

    class Meta:
        model = Clinic
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Clinic {n}")
    phone = "+44 20 7946 0000"
    time_zone = "Europe/London"
    emergency_phone = "999"
    emergency_phone_other = "112"

    @factory.post_generation
    def catalogue(obj, create, extracted, **kwargs):
        if create:
            catalogue_install_defaults(clinic=obj)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def persist_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    clinic = factory.SubFactory(ClinicFactory)
    role = Role.PRACTITIONER


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=20, maximum_age=70)
    email = factory.LazyAttribute(lambda p: f"{p.first_name}.{p.last_name}@example.com".lower())
    phone = "+447400123456"
    consents_to_check_ins = True
    consents_to_photos = False
    photo_consent_on = factory.LazyAttribute(lambda patient: date(2026, 1, 5) if patient.consents_to_photos else None)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Skin booster {n}")
    manufacturer = "Dermalab"
    kind = ProductKind.HYALURONIC_ACID
    active_ingredients = "Hyaluronic acid 15 mg/ml"


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Batch

    product = factory.SubFactory(ProductFactory)
    lot_number = factory.Sequence(lambda n: f"LOT{n:05d}")
    expiry_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    received_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    supplier = "Dermalab UK"


class TreatmentSessionFactory(factory.django.DjangoModelFactory):
    """A session with one area (face) and one product use, like the form records."""

    class Meta:
        model = TreatmentSession
        skip_postgeneration_save = True

    patient = factory.SubFactory(PatientFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    practitioner = factory.SubFactory(UserFactory)
    recorded_by = factory.SelfAttribute("practitioner")
    performed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    technique = Technique.NAPPAGE
    aftercare = factory.LazyFunction(list)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create:
            for area in extracted or [Area.FACE]:
                SessionArea.objects.create(session=obj, area=area)

    @factory.post_generation
    def zones(obj, create, extracted, **kwargs):
        """None charted unless named, as for a session logged before the chart."""
        if create:
            SessionZone.objects.bulk_create(SessionZone(session=obj, zone=zone) for zone in extracted or ())

    @factory.post_generation
    def batches(obj, create, extracted, **kwargs):
        if create:
            for batch in extracted or [BatchFactory(product__clinic=obj.clinic)]:
                SessionProduct.objects.create(
                    session=obj,
                    batch=batch,
                    volume_ml=Decimal("2.00"),
                    performed_at=obj.performed_at,
                    patient=obj.patient,
                )

    @factory.post_generation
    def recovery(obj, create, extracted, **kwargs):
        if create:
            series_place(session=obj)
            Recovery.objects.open_for(obj)
            tallies_after_session(session=obj)


def altered(code: str) -> str:
    """The code with its last character changed: never the code itself, whatever it ends with."""
    return code[:-1] + ("y" if code.endswith("x") else "x")
